/** PostgreSQL connections for introspection and shadow databases. */
import pg from 'pg';
import { DbchangeError, ErrorCode } from '../../errors.js';
import type { QueryFn } from '../../targets/types.js';
import type { SchemaConnection } from '../connection.js';
import { redactUrl } from '../connection.js';

/** Open one connection to `url`. */
export async function connectPostgres(url: string): Promise<SchemaConnection> {
  const client = new pg.Client({ connectionString: url, application_name: 'dbchange-schema' });
  try {
    await client.connect();
  } catch (e) {
    throw new DbchangeError(
      ErrorCode.TargetFailed,
      `cannot connect to ${redactUrl(url)}: ${(e as Error).message}; check the URL and that the server is up`,
      { cause: e },
    );
  }
  // Notices (e.g. "extension already exists") are not errors; keep them off stderr. A dropped
  // connection emits 'error' (which would crash the process unheard); the next query fails instead.
  client.on('notice', () => undefined);
  client.on('error', () => undefined);
  const query: QueryFn = async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[];
  return {
    query,
    exec: async (sql) => {
      await client.query(sql);
    },
    close: () => client.end(),
  };
}
