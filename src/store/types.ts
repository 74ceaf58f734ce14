/**
 * The bot's own state, behind one contract with several implementations (SQL on `pg` for
 * PostgreSQL and the embedded PGlite, MongoDB). Every implementation passes the same contract
 * tests (test/integration/store/contract.ts).
 */
import type { Engine } from '../domain/engine.js';
import type { Issue, NewIssue } from '../domain/issue.js';

export interface TaskLogEntry {
  issueId: string;
  taskId: string;
  /** Monotonic per store; orders entries written in the same millisecond. */
  seq?: number;
  at: Date;
  level: 'info' | 'error';
  text: string;
}

/** One applied (or attempted) migration on one database: the history users query. */
export interface MigrationRecord {
  id: string;
  database: string;
  environment: string;
  engine: Engine;
  issueId: string;
  taskId: string;
  type: 'ddl' | 'dml' | 'baseline';
  version: string;
  sql: string;
  checksum: string;
  approvers: string[];
  releaser: string;
  startedAt: Date;
  finishedAt: Date;
  status: 'done' | 'failed' | 'needs-attention';
  error?: string;
  /** Canonical SDL dumps; null when introspection was not possible. */
  schemaBefore: string | null;
  schemaAfter: string | null;
  /** The introspected models behind those dumps (plain JSON), used to generate rollbacks. */
  modelBefore?: unknown;
  modelAfter?: unknown;
}

export interface SchemaSnapshot {
  database: string;
  takenAt: Date;
  /** Canonical SDL text of the schema. */
  sdl: string;
  /** What produced it: a migration record id, 'baseline', or 'drift-check'. */
  source: string;
}

/**
 * A migration file's VERSION taken on one database by the GitOps poller: an issue was (or is
 * being) opened for it, or it is held for an admin. The key is (repo, database, environment,
 * version); taking a key twice fails, so a file never opens two issues, whatever restarts.
 */
export interface GitVersion {
  /** The repository key (URL and branch). */
  repo: string;
  database: string;
  environment: string;
  version: string;
  path: string;
  /** Git blob id of the file: its checksum. */
  blob: string;
  commit: string;
  /**
   * `pending`: taken, its issue not yet linked (a crash in between is repaired on the next poll);
   * `held`: lower than a version already applied, waiting for an admin (who applies or skips it);
   * `skipped`: an admin chose not to apply it (never asked again); `baseline`: a baseline recorded
   * from Slack and written to the LATEST file (history only: it orders nothing).
   */
  status: 'pending' | 'issued' | 'held' | 'skipped' | 'baseline';
  issueId?: string;
  /** True once the LATEST schema was written back after it (or nothing is to be written). */
  writtenBack: boolean;
  createdAt: Date;
}

export interface GitVersionQuery {
  repo?: string;
  database?: string;
  environment?: string;
  /** Only versions whose write-back is still to do. */
  pendingWriteBack?: boolean;
}

export interface IssueQuery {
  statuses?: Issue['status'][];
  limit?: number;
}

export class StoreConflictError extends Error {
  constructor(readonly issueId: string) {
    super(`issue ${issueId} was changed by someone else at the same moment; try again`);
    this.name = 'StoreConflictError';
  }
}

export interface Store {
  /** Create tables/collections and indexes if missing. Idempotent. */
  migrate(): Promise<void>;
  /** Resolves when the store answers a trivial request; for noticing that it is back after an outage. */
  ping(): Promise<void>;
  /** Insert a new issue with the next short numeric id ("1", "2", …), version 1. */
  createIssue(issue: NewIssue, now: Date): Promise<Issue>;
  getIssue(id: string): Promise<Issue | null>;
  /**
   * Save `next` only if the stored version still equals `next.version`; the saved issue has
   * version + 1 and updatedAt = now. Throws StoreConflictError otherwise.
   */
  saveIssue(next: Issue, now: Date): Promise<Issue>;
  /** Newest first. */
  listIssues(query?: IssueQuery): Promise<Issue[]>;

  /** Append lines in one write (a task's statement log comes in batches), in their order. */
  appendTaskLogs(entries: readonly TaskLogEntry[]): Promise<void>;
  /** Oldest first. */
  listTaskLogs(issueId: string, taskId?: string): Promise<TaskLogEntry[]>;

  recordMigration(record: MigrationRecord): Promise<void>;
  /** Newest first. */
  listMigrations(database: string, limit?: number): Promise<MigrationRecord[]>;

  saveSnapshot(snapshot: SchemaSnapshot): Promise<void>;
  latestSnapshot(database: string): Promise<SchemaSnapshot | null>;

  /**
   * Returns true the first time a key is claimed, false ever after: de-duplicates Slack
   * retries and reports (e.g. one drift message per distinct drift).
   */
  claimOnce(key: string, now: Date): Promise<boolean>;

  getCursor(key: string): Promise<string | null>;
  setCursor(key: string, value: string): Promise<void>;

  /** Take a version for a database: true the first time, false when it was already taken (nothing changes). */
  takeGitVersion(version: GitVersion): Promise<boolean>;
  /**
   * Change a taken version's status, issue or write-back flag; with `fromStatus`, only while it
   * still has that status (compare-and-set). True when a version was changed.
   */
  updateGitVersion(
    key: Pick<GitVersion, 'repo' | 'database' | 'environment' | 'version'>,
    change: Partial<Pick<GitVersion, 'status' | 'issueId' | 'writtenBack'>>,
    fromStatus?: GitVersion['status'],
  ): Promise<boolean>;
  /** Taken versions, oldest first. */
  listGitVersions(query: GitVersionQuery): Promise<GitVersion[]>;

  close(): Promise<void>;
}
