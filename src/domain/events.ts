/**
 * What happened to an issue, as data. The state machine and the application return these;
 * the Slack side (src/slack/views/events.ts) is the one place that turns them into text.
 */
import type { TaskLogEvent } from '../targets/types.js';
import type { TaskStatus } from './issue.js';

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
  | { kind: 'approved'; by: string; environment: string; approvalsLeft: number }
  | { kind: 'rejected'; by: string; environment: string }
  | { kind: 'rollout-started'; by: string; environment: string }
  | { kind: 'scheduled'; by: string; environment: string; at: Date }
  | { kind: 'rescheduled'; by: string; environment: string; at: Date; from: Date }
  | { kind: 'scheduled-run-started'; environment: string }
  | { kind: 'schedule-cancelled'; by: string }
  | { kind: 'cancelled'; by: string }
  /** `retry`: the edit was after a failure; Retry runs the new revision on that stage (after `approvals` more). */
  | { kind: 'edited'; by: string; revision: number; retry?: { environment: string; approvals: number } }
  | { kind: 'follow-up-opened'; by: string; issueId: string }
  | { kind: 'rollout-anyway'; by: string; checked: boolean }
  | { kind: 'retried'; by: string; environment: string; revision?: number }
  | { kind: 'held-by-live-review'; environment: string; findings: number }
  | { kind: 'attention-resolved'; by: string; task: TaskRef; applied: boolean }
  | { kind: 'stage-done'; environment: string }
  | { kind: 'stage-failed'; environment: string }
  | { kind: 'rollback-generated'; by: string; issueId: string }
  | { kind: 'task-started'; task: TaskRef; statements: number }
  | { kind: 'task-log'; task: TaskRef; entries: { event: TaskLogEvent; sql?: string }[] }
  | { kind: 'ddl-generated'; task: TaskRef; sql: string }
  | { kind: 'task-done'; task: TaskRef; durationMs: number }
  | { kind: 'task-already-applied'; task: TaskRef; appliedAt: Date }
  /** `aftermath`: what the failed attempt left in the database, in plain words (empty when unknown). */
  | { kind: 'task-failed'; task: TaskRef; durationMs: number; error: string; aftermath?: string }
  | { kind: 'task-needs-attention'; task: TaskRef; reason: string }
  | { kind: 'task-not-started'; task: TaskRef; error: string; cause: 'not-configured' | 'no-ddl' }
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
  | { kind: 'waves-halted'; by: string; environment: string; pending: number; running: boolean };
