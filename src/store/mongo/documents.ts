/**
 * The shapes the Mongo store keeps, one per collection. BSON has a date type, so Dates are
 * stored as they are; string ids are the `_id` so lookups and uniqueness use the primary key.
 */
import type { Issue } from '../../domain/issue.js';
import type { GitVersion, MigrationRecord, SchemaSnapshot, TaskLogEntry } from '../types.js';

export const COLLECTIONS = {
  issues: 'issues',
  counters: 'counters',
  taskLogs: 'task_logs',
  migrations: 'migrations',
  snapshots: 'snapshots',
  claims: 'claims',
  cursors: 'cursors',
  gitVersions: 'git_versions',
} as const;

export type IssueDoc = Omit<Issue, 'id'> & { _id: string; seq: number };
export interface CounterDoc {
  _id: string;
  seq: number;
}
export type TaskLogDoc = Omit<TaskLogEntry, 'seq'> & { seq: number };
export type MigrationDoc = Omit<MigrationRecord, 'id'> & { _id: string; seq: number };
export type SnapshotDoc = SchemaSnapshot & { seq: number };
export interface ClaimDoc {
  _id: string;
  at: Date;
}
export interface CursorDoc {
  _id: string;
  value: string;
}

/**
 * A deep copy without `undefined` properties: what a document looks like after a round trip
 * through the database (the collections are opened with ignoreUndefined), so a value returned
 * by a write equals the same value read back.
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutUndefined(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
    return out as T;
  }
  return value;
}

/** `_id` joins the key's parts with NUL, which no part can contain. */
export type GitVersionDoc = GitVersion & { _id: string; seq: number };

export function gitVersionId(v: Pick<GitVersion, 'repo' | 'database' | 'environment' | 'version'>): string {
  return [v.repo, v.database, v.environment, v.version].join('\u0000');
}
