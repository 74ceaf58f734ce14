/** MySQL connections for introspection and shadow databases. */
import mysql from 'mysql2/promise';
import { DbchangeError, ErrorCode } from '../../errors.js';
import type { QueryFn } from '../../targets/types.js';
import type { SchemaConnection } from '../connection.js';
import { redactUrl } from '../connection.js';

/** Open one connection to `url`. */
export async function connectMysql(url: string): Promise<SchemaConnection> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({
      uri: url,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
  } catch (e) {
    throw new DbchangeError(
      ErrorCode.TargetFailed,
      `cannot connect to ${redactUrl(url)}: ${(e as Error).message}; check the URL and that the server is up`,
      { cause: e },
    );
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
