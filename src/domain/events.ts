/**
 * What happened to an issue, as data. The state machine and the application return these;
 * the Slack side (src/slack/views/events.ts) is the one place that turns them into text.
 */

import type { ReviewFinding, TaskStatus } from './issue.js';
import type { GuardStop, LockWait, TaskLogEvent } from '../targets/types.js';

/** Where a running task stands, for its progress message (edited in place). */
export interface TaskProgress {
  /** Statements finished (done or skipped). */
  finished: number;
  total: number;
  /** 1-based statement running now, if one is. */
  running?: number;
  elapsedMs: number;
  /** Rows the finished statements affected, where the engine reported counts; null when none did. */
  rows: number | null;
  state: 'running' | 'done' | 'failed' | 'already-applied' | 'needs-attention';
}

/** How a statement that waited for a lock was left: it got the lock, someone chose, or a guard ended it. */
export type LockWaitOutcome =
  | { kind: 'got-lock'; waitedMs: number }
  | { kind: 'keep-waiting'; by: string }
  | { kind: 'cancelled'; by: string }
  | { kind: 'lock-timeout' }
  | { kind: 'ended' };

/** A guard (lock or statement timeout, a cancel) stopped statement `statement` of `total`. */
export interface GuardStopped {
  guard: GuardStop;
  statement: number;
  total: number;
  /** The limit that ran out (lock or statement timeout), for a timeout. */
  limitMs?: number;
  /** Who held the lock, as last seen while the statement waited. */
  wait?: LockWait;
  /** Who cancelled it, when a person did (from this bot process). */
  by?: string;
}

/** The task an event is about: its database, environment and (GitOps) migration name. */
export interface TaskRef {
  database: string;
  environment: string;
  name?: string;
}

/** How the databases of a wave ended. */
export interface WaveResult {
  database: string;
  status: TaskStatus;
}

export type IssueEvent =
  | { kind: 'started-automatically'; environment: string }
  /** `revision` and `checksum` (sha256 hex): the SQL approved; `renewed`: it replaces an expired approval. */
  | {
      kind: 'approved';
      by: string;
      environment: string;
      approvalsLeft: number;
      revision?: number;
      checksum?: string;
      renewed?: boolean;
    }
  /** An approval stopped counting (approvalExpires): it must be renewed before release. */
  | { kind: 'approval-expired'; user: string; environment: string; period: number }
  /** A scheduled stage did not start when its time came, and waits for a releaser again. */
  | {
      kind: 'schedule-held';
      environment: string;
      by: string;
      why: 'approval-expired' | 'unconfirmed';
      approvers: string[];
    }
  | { kind: 'rejected'; by: string; environment: string }
  | { kind: 'rollout-started'; by: string; environment: string }
  | { kind: 'scheduled'; by: string; environment: string; at: Date }
  | { kind: 'rescheduled'; by: string; environment: string; at: Date; from: Date }
  /**
   * `confirmedBy`: who confirmed its pre-flight check; `unconfirmed`: it had one and nobody
   * confirmed it; `freeze`: the reason of the freeze window it was held by, which has ended.
   */
  | {
      kind: 'scheduled-run-started';
      environment: string;
      confirmedBy?: string;
      unconfirmed?: boolean;
      freeze?: string;
    }
  /** Due inside a freeze window: held until `until` (released by `by`, or 'automatic'). */
  | { kind: 'held-by-freeze'; environment: string; reason: string; until: Date; by: string }
  /** The pre-flight check of a scheduled stage, `at` its start, with the live review's findings now. */
  | {
      kind: 'preflight';
      issueId: string;
      revision: number;
      environment: string;
      at: Date;
      releaser: string;
      require: boolean;
      findings: ReviewFinding[];
    }
  /**
   * `acknowledged`: the problems the check showed, which the confirmation acknowledged ("Roll out
   * anyway" for the stage); `unacknowledged`: those it could not (the creator confirmed).
   */
  | {
      kind: 'preflight-confirmed';
      by: string;
      environment: string;
      at: Date;
      acknowledged?: number;
      unacknowledged?: number;
    }
  | { kind: 'schedule-cancelled'; by: string }
  | { kind: 'cancelled'; by: string }
  /** `retry`: the edit was after a failure; Retry runs the new revision on that stage (after `approvals` more). */
  /** `voided`: the approvals the edit dropped, whose and for which environment. */
  | {
      kind: 'edited';
      by: string;
      revision: number;
      voided?: { user: string; environment: string }[];
      retry?: { environment: string; approvals: number };
    }
  | { kind: 'follow-up-opened'; by: string; issueId: string }
  | { kind: 'rollout-anyway'; by: string; checked: boolean }
  | { kind: 'retried'; by: string; environment: string; revision?: number }
  | { kind: 'held-by-live-review'; environment: string; findings: number }
  /** Unresolved drift held a released stage; `diff`: unified-diff lines from the recorded schema to the live one. */
  | { kind: 'held-by-drift'; environment: string; drifts: { database: string; diff: string[] }[] }
  /** `resumed`: the stage runs now (it had been released, or is automatic). */
  | { kind: 'drift-hold-lifted'; environment: string; resumed: boolean }
  | { kind: 'drift-revert-opened'; by: string; issueId: string; database: string; environment: string }
  | { kind: 'attention-resolved'; by: string; task: TaskRef; applied: boolean }
  | { kind: 'stage-done'; environment: string }
  | { kind: 'stage-failed'; environment: string }
  | { kind: 'rollback-generated'; by: string; issueId: string }
  | { kind: 'task-started'; task: TaskRef; statements: number }
  | { kind: 'task-log'; task: TaskRef; entries: { event: TaskLogEvent; sql?: string }[] }
  | { kind: 'ddl-generated'; task: TaskRef; sql: string }
  /** `beforeRestart`: told by the bot that resumed the stage, as the one that ran it may not have. */
  | { kind: 'task-done'; task: TaskRef; durationMs: number; beforeRestart?: boolean }
  | { kind: 'task-already-applied'; task: TaskRef; appliedAt: Date }
  /** `aftermath`: what the failed attempt left in the database, in plain words (empty when unknown). */
  | {
      kind: 'task-failed';
      task: TaskRef;
      durationMs: number;
      error: string;
      aftermath?: string;
      stopped?: GuardStopped;
    }
  | { kind: 'task-progress'; task: TaskRef; progress: TaskProgress }
  /** A statement has waited for a lock longer than the environment's lockWatch; `outcome` once it is settled. */
  | {
      kind: 'lock-wait';
      task: TaskRef;
      issueId: string;
      taskId: string;
      statement: number;
      total: number;
      wait: LockWait;
      lockTimeoutMs: number;
      outcome?: LockWaitOutcome;
    }
  | { kind: 'stop-requested'; by: string; environment: string; tasks: number }
  | { kind: 'task-needs-attention'; task: TaskRef; reason: string }
  | { kind: 'task-not-started'; task: TaskRef; error: string; cause: 'not-configured' | 'no-ddl' }
  /** The bot itself failed during the task (its store, Slack): the ledger knows what was applied. */
  | { kind: 'task-bot-failure'; task: TaskRef; error: string }
  | { kind: 'task-in-desired-schema'; task: TaskRef }
  /** A wave of a stage rolled out in waves ended (`wave` counts from 1); what starts the next one. */
  | {
      kind: 'wave-done';
      environment: string;
      wave: number;
      waves: number;
      results: WaveResult[];
      next: 'continue' | 'automatic' | 'halted' | 'none';
      continueAt?: Date;
    }
  | { kind: 'wave-started'; by: string; environment: string; wave: number; waves: number; databases: number }
  /** `running`: the wave that was running ends first; `pending`: databases that stay untouched. */
  | { kind: 'waves-halted'; by: string; environment: string; pending: number; running: boolean }
  /**
   * The bot could not reach its store from `lostAt` to `resumedAt` while the stage ran: each task
   * it was in the middle of either `continued` (its work went on; only its records waited) or was
   * `re-run` (the ledger skips what had been applied).
   */
  | {
      kind: 'store-outage';
      lostAt: Date;
      resumedAt: Date;
      tasks: { task: TaskRef; resumed: 'continued' | 're-run' }[];
    };
