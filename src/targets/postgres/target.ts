/** A PostgreSQL target: the Target contract over one small `pg` pool. */
import { hostname } from 'node:os';
import type pg from 'pg';
import { isDbchangeError } from '../../errors.js';
import { ledgerRowFrom, toLedgerState } from '../ledger-row.js';
import { defaultAppliedBy, targetError } from '../target-error.js';
import type { Target } from '../types.js';
import { applyPostgres } from './apply.js';
import { acquire, createPgPool, pgQuery } from './connect.js';
import * as sql from './ledger-sql.js';
import { resolvePg } from './resolve.js';
import { pgSessions } from './sessions.js';
import { CANCEL_TASK } from './guards.js';

/** Open (lazily) a PostgreSQL target at `url`. */
export function createPostgresTarget(url: string, opts: { applicationName?: string } = {}): Target {
  const pool = createPgPool(url, opts.applicationName ?? 'dbchange');
  let closed: Promise<void> | undefined;

  async function withClient<T>(doing: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await acquire(pool, url);
    try {
      return await fn(client);
    } catch (err) {
      throw isDbchangeError(err)
        ? err
        : targetError(url, doing, err, 'Check that the database is reachable and retry.');
    } finally {
      client.release();
    }
  }

  return {
    engine: 'postgres',
    apply: (input) => applyPostgres(pool, url, input, input.appliedBy ?? defaultAppliedBy(hostname(), process.pid)),
    ledgerState: (taskId) =>
      withClient(`Reading the ledger of task ${taskId}`, async (client) => {
        try {
          const { rows } = await client.query(sql.SELECT_DECISIVE, [taskId]);
          return toLedgerState(rows[0] ? ledgerRowFrom(rows[0]) : undefined);
        } catch (err) {
          // No ledger table yet: nothing was ever applied here.
          if ((err as { code?: string }).code === '42P01') return { state: 'absent' as const };
          throw err;
        }
      }),
    resolveLedger: (taskId, outcome) =>
      withClient(`Resolving task ${taskId}`, (client) => resolvePg(client, url, taskId, outcome)),
    sessions: () => withClient('Listing sessions', pgSessions),
    cancelTask: (taskId) =>
      withClient(`Cancelling task ${taskId}`, async (client) => {
        const { rows } = await client.query(CANCEL_TASK, [sql.LOCK_CLASS, taskId]);
        return rows.some((r) => r.cancelled === true);
      }),
    async withConnection(fn) {
      const client = await acquire(pool, url);
      let broken: Error | undefined;
      try {
        // A read (catalog sizes, EXPLAIN, introspection) never queues for long behind someone's lock:
        // it fails, and its caller counts the database as unread instead of hanging with it.
        await client.query(sql.SET_READ_LOCK_TIMEOUT);
        return await fn(pgQuery(client));
      } finally {
        await client.query('RESET lock_timeout').catch((e: Error) => {
          broken = e;
        });
        client.release(broken);
      }
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
