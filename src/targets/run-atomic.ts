/**
 * Atomic apply: the statements and the ledger's `done` row commit in one transaction, so a crash
 * leaves both or neither. On a statement error the transaction is rolled back and a `failed` row
 * (statements_done unchanged: nothing new was applied) is recorded afterwards, for history.
 * The caller holds the task lock for the whole call.
 */
import type { ApplyConnection, NewLedgerRow } from './apply-connection.js';
import { ledgerErrorText, newLedgerRow } from './apply-connection.js';
import { LoopInterrupted, runStatements } from './run-statements.js';
import type { ApplyOutcome, ApplyTaskInput } from './types.js';

/** Apply `input` from statement `from` in one transaction with its ledger row. */
export async function runAtomic(
  conn: ApplyConnection,
  input: ApplyTaskInput,
  plan: { from: number; attempt: number; appliedBy: string },
  now: () => number = () => performance.now(),
): Promise<ApplyOutcome> {
  const started = now();
  const row = (status: NewLedgerRow['status'], statementsDone: number, error: string | null) =>
    newLedgerRow(input, plan, status, statementsDone, error);
  await conn.begin();
  try {
    const result = await runStatements(conn, input, plan.from, undefined, now);
    if (!result.ok) {
      await conn.rollback();
      await conn.ledger.insert(row('failed', plan.from, ledgerErrorText(result.index, result.error)));
      return {
        status: 'failed',
        error: result.error,
        statementIndex: result.index,
        applied: plan.from,
        rolledBack: true,
      };
    }
    await conn.ledger.insert(row('done', input.statements.length, null));
    await conn.commit();
    return { status: 'done', durationMs: now() - started };
  } catch (err) {
    // Nothing of this attempt may survive; the connection may already be gone, which rolls back too.
    await conn.rollback().catch(() => undefined);
    throw err instanceof LoopInterrupted ? err.cause : err;
  }
}
