// The blast radius of a change (src/domain/blast-radius.ts), measured on its live targets when
// the SQL is submitted or edited, so the review card shows it before anyone approves. Reading the
// catalogs never blocks a change: a database that cannot be read is counted as unread.
import { type DatabaseConfig, databasesOf } from '../config/model.js';
import type { BlastRadius } from '../domain/blast-radius.js';
import { messageOf } from '../errors.js';
import type { AppContext } from './context.js';

type Largest = NonNullable<BlastRadius['largest']>;

/** Measure the tables `sql` touches on every database `target` covers (or on `dbs`), a few databases at a time. */
export async function measureBlastRadius(
  app: AppContext,
  target: string | DatabaseConfig[],
  sql: string,
): Promise<BlastRadius> {
  const dbs = typeof target === 'string' ? databasesOf(app.config, target) : target;
  const measure = app.measureTables;
  if (!measure || !sql.trim()) return { databases: dbs.length, unread: 0 };
  let largest: Largest | undefined;
  let unread = 0;
  const one = async (db: DatabaseConfig) => {
    try {
      const tables = await app.targetFor(db).withConnection((query) => measure({ engine: db.engine, sql, query }));
      const top = tables[0];
      if (top && (!largest || top.rows > largest.rows || (top.rows === largest.rows && top.bytes > largest.bytes)))
        largest = { database: db.name, environment: db.environment, ...top };
    } catch (err) {
      unread++;
      app.logger.warn({ err: messageOf(err), database: db.name }, 'blast radius: could not read the catalog');
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < dbs.length) await one(dbs[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, app.config.rolloutConcurrency), dbs.length) }, worker));
  return largest ? { databases: dbs.length, largest, unread } : { databases: dbs.length, unread };
}
