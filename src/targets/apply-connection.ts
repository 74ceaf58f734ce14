/**
 * What the shared apply algorithms (run-atomic, run-stepwise) need from one engine connection
 * that already holds the task's lock. Each engine implements it in its own `apply.ts`.
 */
import { statementChecksums, type LedgerRow } from './ledger-row.js';
import type { ApplyTaskInput, StatementError, TaskStatement } from './types.js';

/** A ledger row as inserted: the database sets its timestamps. */
export type NewLedgerRow = Omit<LedgerRow, 'startedAt' | 'finishedAt'>;

/** The ledger row of one attempt at `input`. */
export function newLedgerRow(
  input: ApplyTaskInput,
  plan: { attempt: number; appliedBy: string },
  status: NewLedgerRow['status'],
  statementsDone: number,
  error: string | null,
): NewLedgerRow {
  return {
    taskId: input.taskId,
    attempt: plan.attempt,
    issueId: input.issueId,
    version: input.version,
    migrationType: input.migrationType,
    checksum: input.checksum,
    status,
    statementsDone,
    error,
    appliedBy: plan.appliedBy,
    statementChecksums: statementChecksums(input.statements),
  };
}

export interface LedgerOps {
  /** The row that decides the task's state (its `done` row, else its latest attempt). */
  decisive(taskId: string): Promise<LedgerRow | undefined>;
  /** Insert an attempt; `finished_at` is set unless the status is `running`. */
  insert(row: NewLedgerRow): Promise<void>;
  /** Record that `statementsDone` statements of a running attempt are applied. */
  progress(taskId: string, attempt: number, statementsDone: number): Promise<void>;
  /** Close a running attempt. */
  finish(
    taskId: string,
    attempt: number,
    status: 'done' | 'failed',
    statementsDone: number,
    error: string | null,
  ): Promise<void>;
}

export interface ApplyConnection {
  /** Run one statement of the task alone; resolves with the rows it affected, null when the engine reports no count. */
  run(sql: string): Promise<number | null>;
  /** The statement's error for a driver error, or undefined when the failure is not the statement's (connection lost). */
  statementError(err: unknown, stmt: TaskStatement): StatementError | undefined;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  readonly ledger: LedgerOps;
}

/** The text stored in the ledger's `error` column for a statement error. */
export function ledgerErrorText(index: number, error: StatementError): string {
  const code = error.code ? ` [${error.code}]` : '';
  const at =
    error.line !== undefined
      ? ` at line ${error.line}${error.column !== undefined ? `, column ${error.column}` : ''}`
      : '';
  return `statement ${index + 1}${at}${code}: ${error.message}`;
}
