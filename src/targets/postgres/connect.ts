/** The PostgreSQL connection pool of one target: small, lazy, named 'dbchange' in pg_stat_activity. */
import pg from 'pg';
import { connectError } from '../target-error.js';

export const POOL_MAX = 4;

/** A lazy pool for `url`; nothing connects until the first query. */
export function createPgPool(url: string, applicationName: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    application_name: applicationName,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dropped by the server (restart, pg_terminate_backend) is removed by the
  // pool; without a listener the 'error' event would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** One client from the pool, or a TargetFailed error naming the redacted URL. */
export async function acquire(pool: pg.Pool, url: string): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (err) {
    throw connectError(url, err);
  }
}
