/**
 * The change issue: what a person asked for and where it stands.
 *
 * An issue carries its whole plan (stages → tasks) in one document, so every transition is a
 * pure function from one issue value to the next (see `transitions.ts`) and is saved with a
 * compare-and-set on `version`: two clicks racing on the same issue cannot both win.
 */
import type { Engine } from './engine.js';
import type { StageWaves } from './waves.js';
import type { DriftHold, DriftRevertRef } from './drift-hold.js';
import type { BlastRadius } from './blast-radius.js';

export const CHANGE_TYPES = ['ddl', 'dml', 'sdl'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const ISSUE_STATUSES = ['open', 'scheduled', 'running', 'done', 'failed', 'canceled', 'rejected'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

export const STAGE_STATUSES = ['waiting', 'running', 'done', 'failed'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

export const TASK_STATUSES = ['pending', 'running', 'done', 'failed', 'needs-attention', 'skipped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface ReviewFinding {
  rule: string;
  level: 'ERROR' | 'WARNING';
  line: number;
  column: number;
  statement: string;
  message: string;
}

/** One rule's finding at one position with one message, whatever its level. */
export function findingPlace(f: ReviewFinding): string {
  return `${f.rule}|${f.line}|${f.column}|${f.message}`;
}

/** Two findings are the same when this key is: one rule, level and position, one message. */
export function findingKey(f: ReviewFinding): string {
  return `${f.level}|${findingPlace(f)}`;
}

/** An approval of one stage: who, when, and which SQL (revision and its sha256; see approvals.ts). */
export interface Approval {
  user: string;
  at: Date;
  /** Absent on approvals recorded before revisions were kept with them. */
  revision?: number;
  checksum?: string;
}

export interface Task {
  id: string;
  database: string;
  engine: Engine;
  /** A task's own SQL and version (GitOps: one task per migration file); else the issue's. */
  sql?: string;
  version?: string;
  name?: string;
  status: TaskStatus;
  attempt: number;
  startedAt?: Date;
  finishedAt?: Date;
  error?: string;
}

export interface Stage {
  environment: string;
  status: StageStatus;
  approvals: Approval[];
  tasks: Task[];
  /** Who released the stage (Roll out now, Schedule, or 'automatic'). */
  releasedBy?: string;
  /** An environment with `waves`: how the stage's databases are split and which wave is where (see waves.ts). */
  waves?: StageWaves;
  /** Released, but unresolved drift on a target database holds it (see drift-hold.ts). */
  driftHold?: DriftHold;
}

/** A commit a GitOps change came from; `url` links to it on GitHub or GitLab. */
export interface GitCommitRef {
  sha: string;
  author: string;
  /** First line of the message. */
  subject: string;
  url?: string;
}

/** One migration file of a GitOps change: its path, VERSION and the commit that brought it. */
export interface GitFileRef {
  path: string;
  version: string;
  commit: string;
}

/**
 * Where an issue came from. From git: the repository, the (last) commit, the first file and
 * its version, and every file and commit when there are several.
 */
export type IssueSource =
  | { kind: 'slack' }
  | {
      kind: 'git';
      commit: string;
      path: string;
      version: string;
      repo?: string;
      files?: GitFileRef[];
      commits?: GitCommitRef[];
    };

export interface SlackRef {
  channel: string;
  ts: string;
}

export interface Issue {
  id: string;
  /** Optimistic concurrency: incremented on every save. */
  version: number;
  title: string;
  description: string;
  labels: string[];
  timing: string;
  creator: string;
  /** Database name or group name from the config, as the user chose it. */
  target: string;
  changeType: ChangeType;
  sql: string;
  /**
   * State-based changes (changeType 'sdl'): the desired schema as submitted, and the SDL diff
   * from the live schema at submission. `sql` then holds the DDL generated at that moment; each
   * task generates its DDL again just before it runs.
   */
  desiredSdl?: string;
  schemaChange?: string;
  /** Incremented when the SQL is edited; approvals belong to one revision. */
  revision: number;
  status: IssueStatus;
  source: IssueSource;
  findings: ReviewFinding[];
  /** Measured on the live targets when the SQL was submitted or edited (see blast-radius.ts). */
  blastRadius?: BlastRadius;
  /**
   * "Roll out anyway": someone allowed to release acknowledged the review findings for one stage
   * and one SQL revision; it counts for nothing else (see `isAcknowledged` in transitions).
   */
  rolloutAnyway?: { user: string; at: Date; stageIndex?: number; revision?: number };
  /** `by`: who scheduled it (the releaser named when it runs); `movedBy`: who last moved it to `at`. */
  schedule?: {
    at: Date;
    by: string;
    stageIndex: number;
    movedBy?: string;
    /** The stage fell due inside a freeze window (domain/freeze.ts) and runs at `at`, when it ends. */
    freeze?: { reason: string };
    /** The pre-flight check before `at` was posted (with how many problems it found), and who confirmed it. */
    preflight?: { posted: boolean; confirmedBy?: string; findings?: number };
  };
  stages: Stage[];
  slack?: SlackRef;
  /** The issue this one amends ("Follow-up to #N"), and the follow-ups opened from this one. */
  followUpOf?: string;
  followUps?: string[];
  /** A change opened to revert the drift of one database: never held by that drift. */
  driftRevert?: DriftRevertRef;
  createdAt: Date;
  updatedAt: Date;
}

export type NewIssue = Omit<Issue, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/** The ledger version of a change that came from Slack (a change from git carries its file's VERSION). */
export function issueVersion(issueId: string): string {
  return `issue-${issueId}`;
}
