// Helpers for schema integration tests: a reusable work database that can be emptied quickly.
import type { Engine } from '../../../src/domain/engine.js';
import { connectMysql } from '../../../src/targets/mysql/connect.js';
import { connectPostgres } from '../../../src/targets/postgres/connect.js';
import type { SchemaConnection } from '../../../src/schema/connection.js';
import type { DdlChange } from '../../../src/schema/index.js';
import { MYSQL_ADMIN_URL, PG_ADMIN_URL } from '../../support/db.js';

export const DEV_URL: Record<Engine, string> = { postgres: PG_ADMIN_URL, mysql: MYSQL_ADMIN_URL };

/** Open a schema connection to `url`. */
export function connect(engine: Engine, url: string): Promise<SchemaConnection> {
  return engine === 'postgres' ? connectPostgres(url) : connectMysql(url);
}

/** Remove every object from the connected database (faster than a new database per case). */
export async function emptyDatabase(engine: Engine, conn: SchemaConnection, name: string): Promise<void> {
  if (engine === 'mysql') {
    await conn.exec(`DROP DATABASE \`${name}\``);
    await conn.exec(`CREATE DATABASE \`${name}\``);
    await conn.exec(`USE \`${name}\``);
    return;
  }
  const exts = await conn.query<{ extname: string }>(`SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'`);
  for (const e of exts) await conn.exec(`DROP EXTENSION "${e.extname}" CASCADE`);
  const schemas = await conn.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'`,
  );
  for (const s of schemas) await conn.exec(`DROP SCHEMA "${s.nspname}" CASCADE`);
  await conn.exec('CREATE SCHEMA public');
}

/** Run each change, naming the failing statement. */
export async function apply(conn: SchemaConnection, changes: DdlChange[]): Promise<void> {
  for (const c of changes) {
    try {
      await conn.exec(c.sql);
    } catch (e) {
      throw new Error(
        `applying "${c.sql}" failed: ${(e as Error).message}\nwhole diff:\n${changes.map((x) => x.sql).join(';\n')}`,
      );
    }
  }
}
