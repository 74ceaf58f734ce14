/**
 * Every PostgreSQL connection dbchange opens to a database it manages: the small lazy pool of a
 * target, and one-off connections for schema introspection, shadow databases and the CLI. All
 * of them fail the same way (connectError: the redacted URL and what to fix), never crash the
 * process when the server drops them, and show up under an application name in pg_stat_activity.
 */
import pg from 'pg';
import { connectError } from '../target-error.js';
import type { DbConnection, PreparedStatement, QueryFn } from '../types.js';
import { whileServerBusy } from '../busy-server.js';

export const POOL_MAX = 4;
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * An idle connection closes soon: a bot that checks or changes a group of 100 databases in a
 * row must not keep a connection open to each of them (the server's max_connections). Reading
 * 100 databases ten at a time takes a second or two, so a connection is kept only for the next
 * step of the same task (a schema snapshot, then the apply), not until the whole group is done.
 */
const IDLE_CLOSE_MS = 250;

/** A lazy pool for `url`; nothing connects until the first query. */
export function createPgPool(url: string, applicationName: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    application_name: applicationName,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_CLOSE_MS,
  });
  // An idle connection dropped by the server (restart, pg_terminate_backend) is removed by the
  // pool; without a listener the 'error' event would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** One client from the pool (asked again while the server is out of connections), or a TargetFailed error naming the redacted URL. */
export async function acquire(pool: pg.Pool, url: string): Promise<pg.PoolClient> {
  try {
    return await whileServerBusy(() => pool.connect());
  } catch (err) {
    throw connectError(url, err);
  }
}

/** Open one connection to `url` (introspection, shadow databases, the CLI); the caller closes it. */
export async function connectPostgres(url: string, applicationName = 'dbchange-schema'): Promise<DbConnection> {
  const client = new pg.Client({
    connectionString: url,
    application_name: applicationName,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // A dropped connection emits 'error' (which would crash the process unheard); the next query
  // fails instead. Notices (e.g. "extension already exists") are not errors: keep them off stderr.
  client.on('error', () => undefined);
  client.on('notice', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw connectError(url, err);
  }
  const query = pgQuery(client);
  return {
    query,
    exec: async (sql) => {
      await client.query(sql);
    },
    close: () => client.end(),
  };
}

/** Per connection: the statements `prepared` has kept on it (a client is one connection). */
const preparedOn = new WeakMap<pg.ClientBase, Set<string>>();
/** Connections where a batch failed part way: which of its statements were kept is not known. */
const unsure = new WeakSet<pg.ClientBase>();

/** A QueryFn on one client, with `prepared` (see QueryFn). */
export function pgQuery(client: pg.ClientBase): QueryFn {
  const query = async <R>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as R[];
  return Object.assign(query, {
    async prepared(
      statements: readonly PreparedStatement[],
      opts: { planner?: Readonly<Record<string, string>> } = {},
    ): Promise<Record<string, unknown>[][]> {
      if (unsure.has(client)) {
        const out: Record<string, unknown>[][] = [];
        for (const s of statements) out.push(await query(s.sql));
        return out;
      }
      const kept = preparedOn.get(client) ?? new Set<string>();
      // One simple-protocol round trip: PREPARE what the connection does not have yet, then EXECUTE all.
      // Sent alone, the statements are one implicit transaction: SET LOCAL ends with it.
      const planner = client.getTransactionStatus() === 'I' ? Object.entries(opts.planner ?? {}) : [];
      const text = [
        ...planner.map(([name, value]) => `SET LOCAL ${name} = ${literal(value)}`),
        ...statements.filter((s) => !kept.has(s.name)).map((s) => `PREPARE ${s.name} AS ${s.sql}`),
        ...statements.map((s) => `EXECUTE ${s.name}`),
      ].join(';\n');
      let results: pg.QueryResult | pg.QueryResult[];
      try {
        results = (await client.query(text)) as pg.QueryResult | pg.QueryResult[];
      } catch (err) {
        unsure.add(client);
        throw err;
      }
      for (const s of statements) kept.add(s.name);
      preparedOn.set(client, kept);
      const list = Array.isArray(results) ? results : [results];
      return list.slice(list.length - statements.length).map((r) => r.rows);
    },
  });
}

/** A string as an SQL literal. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
