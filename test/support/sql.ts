// One-off queries against a test database on either engine, for assertions about what a change did.
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { FreshDatabase } from './db.js';

/** Run `sql` (with `$1`/`?` parameters as the engine wants) on its own connection; rows as objects. */
export async function query<R = Record<string, unknown>>(
  db: Pick<FreshDatabase, 'engine' | 'url'>,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  if (db.engine === 'postgres') {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as R[];
    } finally {
      await c.end();
    }
  }
  const c = await mysql.createConnection(db.url);
  try {
    const [rows] = await c.query(sql, params);
    return rows as R[];
  } finally {
    await c.end();
  }
}

/** Whether `table` exists in the database's current schema. */
export async function tableExists(db: Pick<FreshDatabase, 'engine' | 'url'>, table: string): Promise<boolean> {
  const rows =
    db.engine === 'postgres'
      ? await query(
          db,
          'SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1',
          [table],
        )
      : await query(db, 'SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [
          table,
        ]);
  return rows.length === 1;
}

/** The column names of `table`, in order. */
export async function columnsOf(db: Pick<FreshDatabase, 'engine' | 'url'>, table: string): Promise<string[]> {
  const rows =
    db.engine === 'postgres'
      ? await query<{ c: string }>(
          db,
          'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
          [table],
        )
      : await query<{ c: string }>(
          db,
          'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position',
          [table],
        );
  return rows.map((r) => r.c);
}
