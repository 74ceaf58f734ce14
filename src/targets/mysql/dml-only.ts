/**
 * MySQL commits DDL implicitly, so only a task made of DML alone (INSERT, UPDATE, DELETE,
 * REPLACE) can commit atomically with its ledger row. Judged by each statement's first
 * keyword; anything else (including WITH … and SELECT) takes the step-by-step path, which is
 * always safe. DML on non-transactional tables (MyISAM) is not made atomic by this.
 */
import { wordsOf } from '../words.js';
import type { TaskStatement } from '../types.js';

const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE']);

/** Whether the statement starts with a DML verb. */
export function isDml(sql: string): boolean {
  return DML.has(wordsOf(sql, 'mysql', 1)[0] ?? '');
}

/** Whether every statement of the task is DML (and there is at least one). */
export function isDmlOnly(statements: readonly TaskStatement[]): boolean {
  return statements.length > 0 && statements.every((s) => isDml(s.sql));
}
