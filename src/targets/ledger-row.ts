/**
 * One row of `dbchange_ledger`: one attempt at one task. The row that decides a task's state is
 * its `done` row if it has one, otherwise its latest attempt (see `DECISIVE_ORDER` in each
 * engine's ledger-sql), so a late `failed` row can never hide a `done` one.
 */
import { createHash } from 'node:crypto';
import { DbchangeError, ErrorCode, unreachable } from '../errors.js';
import type { LedgerState, TaskStatement } from './types.js';

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
  /**
   * A checksum per statement of the attempt, in order (null in rows written before there was
   * one): with `statementsDone` it tells which statements are applied, so a retry of edited SQL
   * can skip those that are unchanged at the same position.
   */
  statementChecksums: string[] | null;
}

/** The checksum of each statement, as stored in `statement_checksums`. */
export function statementChecksums(statements: readonly TaskStatement[]): string[] {
  return statements.map((s) => createHash('sha256').update(s.sql.trim()).digest('hex').slice(0, 16));
}

/** `statement_checksums` as stored: space-separated. */
export function checksumsText(checksums: string[] | null): string | null {
  return checksums ? checksums.join(' ') : null;
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
    default:
      return unreachable(row.status, 'ledger status');
  }
}

/** A raw database row (snake_case columns) as a LedgerRow. */
export function ledgerRowFrom(raw: Record<string, unknown>): LedgerRow {
  const status = String(raw.status);
  if (!(LEDGER_STATUSES as readonly string[]).includes(status)) {
    throw new DbchangeError(
      ErrorCode.TargetFailed,
      `dbchange_ledger holds an unknown status "${status}" for task ${String(raw.task_id)}; a newer dbchange may have written it, so run that version or fix the row`,
    );
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
    statementChecksums:
      typeof raw.statement_checksums === 'string' && raw.statement_checksums !== ''
        ? raw.statement_checksums.split(' ')
        : null,
  };
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}
