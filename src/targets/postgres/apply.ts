/**
 * Applying a task on PostgreSQL. On one dedicated connection:
 *   1. take the task's session advisory lock (a concurrent apply of the same task waits here,
 *      then finds the ledger `done`);
 *   2. read the ledger and decide (../ledger-decision.ts);
 *   3. run the statements and the ledger row in one transaction (../run-atomic.ts), or, when a
 *      statement cannot run in a transaction block (./non-transactional.ts), step by step with
 *      a `running` row (../run-stepwise.ts);
 *   4. the task's lock and statement timeouts are set once it holds its lock, and its statements
 *      are watched for lock waits from a second connection (../statement-watch.ts);
 *   5. unlock, and close the connection rather than return it to the pool, so session state a
 *      task may set (SET, search_path, roles) never leaks into later work.
 */
import type pg from 'pg';
import type { ApplyConnection } from '../apply-connection.js';
import { decide } from '../ledger-decision.js';
import { runAtomic } from '../run-atomic.js';
import { runStepwise } from '../run-stepwise.js';
import { applyError } from '../target-error.js';
import type { ApplyOutcome, ApplyTaskInput } from '../types.js';
import { acquire, pgQuery } from './connect.js';
import { pgStatementError } from './errors.js';
import { ensureLedger, pgLedger } from './ledger.js';
import * as sql from './ledger-sql.js';
import { runsInOneTransaction } from './non-transactional.js';
import { CANCEL_BACKEND, pgBlocked, setPgGuards } from './guards.js';
import { watchedConnection } from '../statement-watch.js';
import { unreachable } from '../../errors.js';

/** Apply one task exactly once on the pool's database. */
export async function applyPostgres(
  pool: pg.Pool,
  url: string,
  input: ApplyTaskInput,
  appliedBy: string,
): Promise<ApplyOutcome> {
  const client = await acquire(pool, url);
  let locked = false;
  try {
    const { version, ledgerReady } = await openTask(client);
    if (!ledgerReady) await ensureLedger(client);
    await client.query(sql.LOCK_TASK, [sql.LOCK_CLASS, input.taskId]);
    locked = true;
    const ledger = pgLedger(client);
    const decision = decide(await ledger.decisive(input.taskId), input);
    switch (decision.action) {
      case 'already-applied':
        return { status: 'already-applied', appliedAt: decision.appliedAt };
      case 'needs-attention':
        return { status: 'needs-attention', reason: decision.reason };
      case 'run': {
        // Set after the task lock: waiting for another process applying the same task is not a lock timeout.
        const watched = Boolean(input.watch || input.signal);
        const pid = input.guards || watched ? await setPgGuards(client, input.guards) : undefined;
        const conn = guarded(pool, url, client, input, pid);
        const plan = { from: decision.from, attempt: decision.attempt, appliedBy, skip: decision.skip };
        // Applied statements after `from` are skipped one by one, which only the step-by-step ledger can record.
        const stepwise = Boolean(decision.skip?.length) || !runsInOneTransaction(input.statements, version);
        const outcome = await (stepwise ? runStepwise : runAtomic)(conn, input, plan);
        if (outcome.status === 'done' && input.afterDone) await readAfterDone(client, input.afterDone);
        return outcome;
      }
      default:
        return unreachable(decision, 'ledger decision');
    }
  } catch (err) {
    throw applyError(url, input.taskId, err);
  } finally {
    if (locked) await client.query(sql.UNLOCK_TASK, [sql.LOCK_CLASS, input.taskId]).catch(() => undefined);
    client.release(true);
  }
}

/** The task's connection, watched and cancellable from a second connection of the pool when the input asks (`pid`: its backend). */
function guarded(pool: pg.Pool, url: string, client: pg.ClientBase, input: ApplyTaskInput, pid: number | undefined) {
  const conn = pgApplyConnection(client);
  if ((!input.watch && !input.signal) || pid === undefined) return conn;
  const onSecond = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const second = await acquire(pool, url);
    try {
      return await fn(second);
    } finally {
      second.release();
    }
  };
  return watchedConnection(conn, input, {
    blocked: () => onSecond((c) => pgBlocked(c, pid)),
    cancel: () => onSecond(async (c) => void (await c.query(CANCEL_BACKEND, [pid]))),
  });
}

/**
 * The caller's reads after a done task, on the task's connection (warm: a fresh one would cost
 * a connection and a cold catalog cache): what the task set for its session (role, search_path,
 * timeouts) is reset first, so it cannot shape what is read. A failure here leaves the caller
 * to read on a connection of its own; the task is done either way.
 */
async function readAfterDone(client: pg.ClientBase, read: NonNullable<ApplyTaskInput['afterDone']>): Promise<void> {
  try {
    await client.query(`SET SESSION AUTHORIZATION DEFAULT; RESET ALL; ${sql.SET_READ_LOCK_TIMEOUT}`);
  } catch {
    return;
  }
  await read(pgQuery(client));
}

/** The task's first round trip: server version, client check, and whether the ledger needs creating or upgrading. */
async function openTask(client: pg.ClientBase): Promise<{ version: number; ledgerReady: boolean }> {
  const { rows } = await client.query<{ version: number; ledger_ready: boolean }>(sql.OPEN_TASK);
  return { version: Number(rows[0]?.version ?? 0), ledgerReady: rows[0]?.ledger_ready === true };
}

function pgApplyConnection(client: pg.ClientBase): ApplyConnection {
  return {
    async run(text) {
      // No parameters: the simple query protocol, as psql sends a script's statements.
      const result = await client.query(text);
      return typeof result.rowCount === 'number' ? result.rowCount : null;
    },
    statementError: pgStatementError,
    begin: async () => void (await client.query('BEGIN')),
    commit: async () => void (await client.query('COMMIT')),
    rollback: async () => void (await client.query('ROLLBACK')),
    ledger: pgLedger(client),
  };
}
