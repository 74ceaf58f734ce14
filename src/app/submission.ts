// Validation of a change submission (from the modal, or any other door), field by field, so
// the modal can show each error under its own input.
import type { Config } from '../config/model.js';
import { databasesOf, targetNames } from '../config/model.js';
import { CHANGE_TYPES, type ChangeType } from '../domain/issue.js';

export interface Submission {
  title: string;
  target: string;
  changeType: string;
  sql: string;
  description?: string;
  labels?: string[];
  timing?: string;
}

export type SubmissionField = keyof Submission;

/** The largest script accepted from Slack (the modal's input holds 3000, files may be bigger). */
export const MAX_SQL_BYTES = 1_000_000;

/** Field → message for every problem; empty when the submission is acceptable. */
export function validateSubmission(config: Config, s: Submission): Partial<Record<SubmissionField, string>> {
  const errors: Partial<Record<SubmissionField, string>> = {};
  if (!s.title.trim()) errors.title = 'Give the change a title.';
  else if (s.title.length > 150) errors.title = 'Keep the title under 150 characters.';
  if (!s.target.trim()) errors.target = 'Choose a database.';
  else if (databasesOf(config, s.target).length === 0) {
    errors.target = `Unknown database "${s.target}". Known: ${targetNames(config).join(', ')}.`;
  }
  if (!(CHANGE_TYPES as readonly string[]).includes(s.changeType))
    errors.changeType = 'Choose DDL, DML or desired schema (SDL).';
  if (!s.sql.trim()) errors.sql = 'Enter the SQL to run, or attach it as a .sql file.';
  else if (Buffer.byteLength(s.sql) > MAX_SQL_BYTES)
    errors.sql = `The SQL is larger than ${MAX_SQL_BYTES / 1_000_000} MB; split it into several changes.`;
  else if (s.sql.includes('\u0000')) errors.sql = 'The SQL contains a NUL byte; paste it as text.';
  return errors;
}

export function asChangeType(value: string): ChangeType {
  return (CHANGE_TYPES as readonly string[]).includes(value) ? (value as ChangeType) : 'ddl';
}

/** Labels typed as "a, b c" → ['a', 'b', 'c']. */
export function parseLabels(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .map((l) => l.trim())
    .filter(Boolean);
}
