/**
 * What to do with a task given its decisive ledger row. Pure.
 * - no row: run from the first statement;
 * - `done`: already applied, run nothing;
 * - `running`: a process died mid-task (or is still running it without holding the task lock,
 *   which cannot happen): a person must look, so `needs-attention`;
 * - `failed`: a clean failure; resume at `statements_done` (0 when the attempt was rolled
 *   back). When statements were applied and the SQL has changed since (edited after the
 *   failure), the statement checksums tell which applied statements are unchanged at the same
 *   position: those are skipped, everything else runs. Without checksums (an old ledger row) a
 *   person must look.
 */
import { statementChecksums, type LedgerRow } from './ledger-row.js';
import type { ApplyTaskInput } from './types.js';
import { unreachable } from '../errors.js';

export type LedgerDecision =
  /** Statements before `from`, and those listed in `skip`, are applied already and are not run. */
  | { action: 'run'; from: number; attempt: number; skip?: number[] }
  | { action: 'already-applied'; appliedAt: Date }
  | { action: 'needs-attention'; reason: string };

/** Decide how to apply `input` given what the ledger holds for it. */
export function decide(
  row: LedgerRow | undefined,
  input: Pick<ApplyTaskInput, 'taskId' | 'checksum' | 'statements'>,
): LedgerDecision {
  if (!row) return { action: 'run', from: 0, attempt: 1 };
  const total = input.statements.length;
  switch (row.status) {
    case 'done':
      return { action: 'already-applied', appliedAt: row.finishedAt ?? row.startedAt };
    case 'running':
      return { action: 'needs-attention', reason: interruptedReason(row, input) };
    case 'failed':
      if (row.statementsDone > 0 && (row.checksum !== input.checksum || row.statementsDone > total)) {
        if (row.statementChecksums) return skipUnchanged(row, row.statementChecksums, input);
        return {
          action: 'needs-attention',
          reason:
            `Task ${input.taskId} failed earlier after ${row.statementsDone} statement(s) had been applied, ` +
            `and its SQL has changed since (checksum ${row.checksum} → ${input.checksum}), so dbchange cannot ` +
            `tell which of the new statements are already applied. Submit only the statements still to run as a new task, ` +
            `or mark this one resolved with resolveLedger('${input.taskId}', 'done').`,
        };
      }
      return { action: 'run', from: row.statementsDone, attempt: row.attempt + 1 };
    default:
      return unreachable(row.status, 'ledger status');
  }
}

/** Run the edited SQL, skipping the applied statements that are unchanged at their position. */
function skipUnchanged(row: LedgerRow, applied: string[], input: Pick<ApplyTaskInput, 'statements'>): LedgerDecision {
  const now = statementChecksums(input.statements);
  const unchanged = now.map((c, i) => i < row.statementsDone && applied[i] === c);
  const from = unchanged.indexOf(false) < 0 ? now.length : unchanged.indexOf(false);
  const skip = unchanged.flatMap((u, i) => (u && i > from ? [i] : []));
  return { action: 'run', from, attempt: row.attempt + 1, ...(skip.length ? { skip } : {}) };
}

function interruptedReason(row: LedgerRow, input: Pick<ApplyTaskInput, 'taskId' | 'statements'>): string {
  const total = input.statements.length;
  const k = row.statementsDone; // 0-based index of the statement that was in flight
  const stmt = input.statements[k];
  const where = stmt ? ` (line ${stmt.line})` : '';
  const before =
    k === 0
      ? 'No earlier statement was applied'
      : k === 1
        ? 'Statement 1 was applied'
        : `Statements 1–${k} were applied`;
  return (
    `Task ${input.taskId} was interrupted at ${row.startedAt.toISOString()} by ${row.appliedBy} (attempt ${row.attempt}): ` +
    `statement ${k + 1} of ${total}${where} may or may not have been applied. ${before}. ` +
    `Check the database, then either finish the task by hand and mark it done with resolveLedger('${input.taskId}', 'done'), ` +
    `or undo any partial effect of statement ${k + 1} and mark it failed with resolveLedger('${input.taskId}', 'failed') ` +
    `so the next rollout resumes at statement ${k + 1}.`
  );
}
