/**
 * One row of `dbchange_ledger`: one attempt at one task. The row that decides a task's state is
 * its `done` row if it has one, otherwise its latest attempt (see `DECISIVE_ORDER` in each
 * engine's ledger-sql), so a late `failed` row can never hide a `done` one.
 */
import type { LedgerState } from './types.js';

export const LEDGER_TABLE = 'dbchange_ledger';

export const LEDGER_STATUSES = ['running', 'done', 'failed'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

export interface LedgerRow {
  taskId: string;
  attempt: number;
  issueId: string;
  version: string;
  migrationType: string;
  checksum: string;
  status: LedgerStatus;
  statementsDone: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  appliedBy: string;
}

/** What the ledger says about a task, from its decisive row. */
export function toLedgerState(row: LedgerRow | undefined): LedgerState {
  if (!row) return { state: 'absent' };
  switch (row.status) {
    case 'done':
      return { state: 'done', appliedAt: row.finishedAt ?? row.startedAt };
    case 'running':
      return { state: 'running', statementsDone: row.statementsDone, startedAt: row.startedAt };
    case 'failed':
      return { state: 'failed', statementsDone: row.statementsDone, error: row.error ?? '' };
    default: {
      const never: never = row.status;
      throw new Error(`unknown ledger status ${String(never)}`);
    }
  }
}

/** A raw database row (snake_case columns) as a LedgerRow. */
export function ledgerRowFrom(raw: Record<string, unknown>): LedgerRow {
  const status = String(raw.status);
  if (!(LEDGER_STATUSES as readonly string[]).includes(status)) {
    throw new Error(`dbchange_ledger holds an unknown status "${status}" for task ${String(raw.task_id)}`);
  }
  return {
    taskId: String(raw.task_id),
    attempt: Number(raw.attempt),
    issueId: String(raw.issue_id),
    version: String(raw.version),
    migrationType: String(raw.migration_type),
    checksum: String(raw.checksum),
    status: status as LedgerStatus,
    statementsDone: Number(raw.statements_done),
    error: raw.error == null ? null : String(raw.error),
    startedAt: toDate(raw.started_at),
    finishedAt: raw.finished_at == null ? null : toDate(raw.finished_at),
    appliedBy: String(raw.applied_by),
  };
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}
