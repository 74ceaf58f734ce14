/**
 * Step-by-step apply, for statements that commit on their own (MySQL DDL, PostgreSQL statements
 * that refuse a transaction block). The ledger row is committed `running` before the first
 * statement and `statements_done` advances after each one, so at any moment the ledger knows
 * every statement that finished; only the one in flight is uncertain.
 * - statement error: row → `failed`, statements_done = index of the failed statement;
 * - anything else between statements (a log callback threw): row → `failed` with the exact
 *   count, then rethrow;
 * - anything else while a statement runs (connection lost): the row stays `running`, which the
 *   next attempt reports as `needs-attention`; rethrow.
 * The caller holds the task lock for the whole call.
 */
import type { ApplyConnection } from './apply-connection.js';
import { ledgerErrorText, newLedgerRow } from './apply-connection.js';
import { LoopInterrupted, runStatements } from './run-statements.js';
import type { ApplyOutcome, ApplyTaskInput } from './types.js';
import { messageOf } from '../errors.js';

/** Apply `input` from statement `from`, recording progress after every statement. */
export async function runStepwise(
  conn: ApplyConnection,
  input: ApplyTaskInput,
  plan: { from: number; attempt: number; appliedBy: string; skip?: number[] },
  now: () => number = () => performance.now(),
): Promise<ApplyOutcome> {
  const started = now();
  const { taskId } = input;
  await conn.ledger.insert(newLedgerRow(input, plan, 'running', plan.from, null));
  try {
    const result = await runStatements(
      conn,
      input,
      plan.from,
      (i) => conn.ledger.progress(taskId, plan.attempt, i + 1),
      now,
      plan.skip,
    );
    if (!result.ok) {
      await conn.ledger.finish(
        taskId,
        plan.attempt,
        'failed',
        result.index,
        ledgerErrorText(result.index, result.error),
      );
      return {
        status: 'failed',
        error: result.error,
        statementIndex: result.index,
        applied: result.index,
        rolledBack: false,
      };
    }
    await conn.ledger.finish(taskId, plan.attempt, 'done', input.statements.length, null);
    return { status: 'done', durationMs: now() - started };
  } catch (err) {
    if (err instanceof LoopInterrupted && !err.inFlight) {
      const why = `interrupted after statement ${err.applied} of ${input.statements.length}: ${messageOf(err.cause)}`;
      await conn.ledger.finish(taskId, plan.attempt, 'failed', err.applied, why).catch(() => undefined);
    }
    throw err instanceof LoopInterrupted ? err.cause : err;
  }
}
