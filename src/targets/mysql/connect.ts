/**
 * Every MySQL connection dbchange opens to a database it manages: the small lazy pool of a
 * target, and one-off connections for schema introspection, shadow databases and the CLI. All
 * of them fail the same way (connectError: the redacted URL and what to fix), send one statement
 * per query, and never crash the process when the server drops them.
 */
import mysql from 'mysql2/promise';
import { connectError } from '../target-error.js';
import type { DbConnection, QueryFn } from '../types.js';
import { whileServerBusy } from '../busy-server.js';

export const POOL_LIMIT = 4;
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * An idle connection closes soon: a bot that checks or changes a group of 100 databases in a
 * row must not keep a connection open to each of them (the server's max_connections). Reading
 * 100 databases ten at a time takes a second or two, so a connection is kept only for the next
 * step of the same task (a schema snapshot, then the apply), not until the whole group is done.
 */
const IDLE_CLOSE_MS = 250;

/** A lazy pool for `url`; nothing connects until the first query. */
export function createMysqlPool(url: string): mysql.Pool {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: POOL_LIMIT,
    // Each statement is sent alone, so errors point at one statement and nothing rides along.
    multipleStatements: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // mysql2 closes idle connections only when maxIdle is below connectionLimit.
    maxIdle: 1,
    idleTimeout: IDLE_CLOSE_MS,
  });
  // A connection the server drops while idle emits 'error'; unheard, that would crash the bot.
  // The next query on it fails with its own error, which the caller reports.
  pool.on('connection', (conn) => {
    conn.on('error', () => undefined);
  });
  return pool;
}

/** One connection from the pool (asked again while the server is out of connections), or a TargetFailed error naming the redacted URL. */
export async function acquire(pool: mysql.Pool, url: string): Promise<mysql.PoolConnection> {
  try {
    return await whileServerBusy(() => pool.getConnection());
  } catch (err) {
    throw connectError(url, err);
  }
}

/**
 * Open one connection to `url` (introspection, shadow databases, the CLI); the caller closes it.
 * Dates and big numbers come back as the server's text, so a schema reads exactly as stored.
 */
export async function connectMysql(url: string): Promise<DbConnection> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({
      uri: url,
      multipleStatements: false,
      connectTimeout: CONNECT_TIMEOUT_MS,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
  } catch (err) {
    throw connectError(url, err);
  }
  // A dropped connection emits 'error' (which would crash the process unheard); the next query fails instead.
  conn.on('error', () => undefined);
  const query: QueryFn = async <R>(sql: string, params?: unknown[]) => {
    const [rows] = await conn.query(sql, params);
    return (Array.isArray(rows) ? rows : []) as R[];
  };
  return {
    query,
    // The text protocol: statements such as CREATE TRIGGER cannot be prepared.
    exec: async (sql) => {
      await conn.query(sql);
    },
    close: () => conn.end(),
  };
}
