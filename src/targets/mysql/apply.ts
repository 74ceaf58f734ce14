/**
 * Applying a task on MySQL/MariaDB. On one dedicated connection:
 *   1. GET_LOCK('dbchange:<task>'), held for the whole attempt (a concurrent apply of the same
 *      task waits, then finds the ledger `done`); the lock dies with the connection;
 *   2. read the ledger and decide (../ledger-decision.ts): `running` → needs-attention,
 *      `failed` → resume at statements_done;
 *   3. DML-only tasks run in one transaction with their ledger row (../run-atomic.ts); anything
 *      else step by step with a `running` row advanced after each statement (../run-stepwise.ts),
 *      because DDL commits implicitly;
 *   4. the task's timeouts are set once it holds its lock, and its statements are watched for
 *      lock waits from a second connection (./guards.ts, ../statement-watch.ts);
 *   5. release the lock and close the connection, so session state a task may set (USE, SET)
 *      never leaks into later work.
 */
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { DbchangeError, ErrorCode } from '../../errors.js';
import type { ApplyConnection } from '../apply-connection.js';
import { decide } from '../ledger-decision.js';
import { redactUrl } from '../../redact.js';
import { runAtomic } from '../run-atomic.js';
import { runStepwise } from '../run-stepwise.js';
import { applyError } from '../target-error.js';
import type { ApplyOutcome, ApplyTaskInput } from '../types.js';
import { acquire } from './connect.js';
import { isDml, isDmlOnly } from './dml-only.js';
import { mysqlStatementError } from './errors.js';
import { ensureLedger, mysqlLedger } from './ledger.js';
import { CURRENT_DATABASE, GET_LOCK, ledgerSql, RELEASE_LOCK } from './ledger-sql.js';
import { taskLockName } from './lock-name.js';
import { KILL_QUERY, mysqlBlocked, setMysqlGuards } from './guards.js';
import { watchedConnection } from '../statement-watch.js';
import { unreachable } from '../../errors.js';

/** How long an apply waits for another process applying the same task. */
export const LOCK_WAIT_SECONDS = 24 * 60 * 60;

/** Apply one task exactly once on the pool's database. */
export async function applyMysql(
  pool: Pool,
  url: string,
  input: ApplyTaskInput,
  appliedBy: string,
): Promise<ApplyOutcome> {
  const conn = await acquire(pool, url);
  const lock = taskLockName(input.taskId);
  let locked = false;
  try {
    const sql = ledgerSql(await currentDatabase(conn, url));
    await ensureLedger(conn, sql);
    const [got] = await conn.query<RowDataPacket[]>(GET_LOCK, [lock, LOCK_WAIT_SECONDS]);
    if (Number(got[0]?.locked) !== 1) {
      throw new DbchangeError(
        ErrorCode.TargetFailed,
        `Task ${input.taskId} on ${redactUrl(url)} has been held by another process for ${LOCK_WAIT_SECONDS} s (lock '${lock}'). ` +
          'Find that session in the processlist, and retry once it has finished.',
      );
    }
    locked = true;
    const ledger = mysqlLedger(conn, sql);
    const decision = decide(await ledger.decisive(input.taskId), input);
    switch (decision.action) {
      case 'already-applied':
        return { status: 'already-applied', appliedAt: decision.appliedAt };
      case 'needs-attention':
        return { status: 'needs-attention', reason: decision.reason };
      case 'run': {
        const plan = { from: decision.from, attempt: decision.attempt, appliedBy, skip: decision.skip };
        // Applied statements after `from` are skipped one by one, which only the step-by-step ledger can record.
        const run = isDmlOnly(input.statements) && !decision.skip?.length ? runAtomic : runStepwise;
        // Set after the task lock: waiting for another process applying the same task is no lock timeout.
        if (input.guards) await setMysqlGuards(conn, input.guards);
        return await run(guarded(pool, url, conn, mysqlApplyConnection(conn, ledger), input), input, plan);
      }
      default:
        return unreachable(decision, 'ledger decision');
    }
  } catch (err) {
    throw applyError(url, input.taskId, err);
  } finally {
    if (locked) await conn.query(RELEASE_LOCK, [lock]).catch(() => undefined);
    conn.destroy();
  }
}

/** `applying` watched and cancellable from a second connection of the pool, when the input asks. */
function guarded(
  pool: Pool,
  url: string,
  conn: PoolConnection,
  applying: ApplyConnection,
  input: ApplyTaskInput,
): ApplyConnection {
  const id = conn.threadId;
  const onSecond = async <T>(fn: (c: PoolConnection) => Promise<T>): Promise<T> => {
    const second = await acquire(pool, url);
    try {
      return await fn(second);
    } finally {
      second.release();
    }
  };
  return watchedConnection(applying, input, {
    blocked: () => onSecond((c) => mysqlBlocked(c, id)),
    cancel: () => onSecond(async (c) => void (await c.query(KILL_QUERY, [id]))),
  });
}

/** The connection's database; the ledger lives there, so the URL must name one. */
export async function currentDatabase(conn: PoolConnection, url: string): Promise<string> {
  const [rows] = await conn.query<RowDataPacket[]>(CURRENT_DATABASE);
  const db = rows[0]?.db;
  if (typeof db !== 'string' || db === '') {
    throw new DbchangeError(
      ErrorCode.ConfigInvalid,
      `${redactUrl(url)} names no database. Add the database name to the databases[].url path, e.g. mysql://user@host:3306/app.`,
    );
  }
  return db;
}

function mysqlApplyConnection(conn: PoolConnection, ledger: ApplyConnection['ledger']): ApplyConnection {
  return {
    async run(text) {
      // `query` without values: the text goes as is (no placeholder substitution, DDL allowed).
      const [result] = await conn.query(text);
      if (Array.isArray(result)) return result.length;
      const header = result as ResultSetHeader;
      // DDL reports 0 affected rows; that is "no count", not "changed nothing".
      return isDml(text) || header.affectedRows > 0 ? header.affectedRows : null;
    },
    statementError: mysqlStatementError,
    begin: async () => void (await conn.query('START TRANSACTION')),
    commit: async () => void (await conn.query('COMMIT')),
    rollback: async () => void (await conn.query('ROLLBACK')),
    ledger,
  };
}
