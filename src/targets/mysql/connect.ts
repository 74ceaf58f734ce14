/** The MySQL connection pool of one target: small, lazy, one statement per query. */
import mysql from 'mysql2/promise';
import { connectError } from '../target-error.js';

export const POOL_LIMIT = 4;

/** A lazy pool for `url`; nothing connects until the first query. */
export function createMysqlPool(url: string): mysql.Pool {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: POOL_LIMIT,
    // Each statement is sent alone, so errors point at one statement and nothing rides along.
    multipleStatements: false,
    connectTimeout: 10_000,
  });
  // A connection the server drops while idle emits 'error'; unheard, that would crash the bot.
  // The next query on it fails with its own error, which the caller reports.
  pool.on('connection', (conn) => {
    conn.on('error', () => undefined);
  });
  return pool;
}

/** One connection from the pool, or a TargetFailed error naming the redacted URL. */
export async function acquire(pool: mysql.Pool, url: string): Promise<mysql.PoolConnection> {
  try {
    return await pool.getConnection();
  } catch (err) {
    throw connectError(url, err);
  }
}
