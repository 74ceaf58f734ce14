/**
 * What a person sees of one running task besides its log: once it has run a couple of seconds,
 * one progress message in the thread, edited in place (statement n of N, elapsed, rows so far)
 * at most every few seconds and once more with the final state; and, when a statement has
 * waited for a lock longer than the environment's `lockWatch`, one notice naming who holds it,
 * with Cancel my statement and Keep waiting for a releaser. The notice is settled (its buttons removed) when the statement gets
 * its lock, is cancelled, times out, or someone chooses to keep waiting; the lock timeout always
 * bounds the wait. The task also carries its guards (lock and statement timeouts) and a stop
 * signal (./running-tasks.ts).
 */
import type { EnvironmentConfig } from '../config/model.js';
import type { GuardStopped, IssueEvent, LockWaitOutcome, TaskProgress, TaskRef } from '../domain/events.js';
import type { Issue, Task } from '../domain/issue.js';
import type { ApplyOutcome, ApplyTaskInput, LockWait, TaskLogEvent } from '../targets/types.js';
import { EditThrottle, realClock, type ThrottleClock } from './edit-throttle.js';
import type { RunningTasks } from './running-tasks.js';
import type { ChangeService } from './service.js';

export interface TaskWatchSettings {
  /** The progress message is posted once the task has run this long; null: at the task's start. */
  progressAfterMs: number | null;
  /** The progress message is edited at most this often; null: it is posted, never edited (the log follows as always). */
  progressEveryMs: number | null;
  /** An unchanged progress message is still edited this often, so its elapsed time moves. */
  progressIdleMs: number;
  /** Once a statement is watched, it is looked at this often. */
  lockPollMs: number;
  /** False: statements are not watched for locks (no notice, and a lock timeout cannot name the holder). */
  lockWatch: boolean;
  clock: ThrottleClock;
}

export const DEFAULT_TASK_WATCH: TaskWatchSettings = {
  progressAfterMs: 2_000,
  progressEveryMs: 5_000,
  progressIdleMs: 15_000,
  lockPollMs: 1_000,
  lockWatch: true,
  clock: realClock,
};

export interface TaskWatchDeps {
  service: ChangeService;
  running: RunningTasks;
  settings: TaskWatchSettings;
}

export interface TaskWatch {
  /** What the apply needs: the guards, the lock watch, the stop signal. */
  input: Pick<ApplyTaskInput, 'guards' | 'watch' | 'signal'>;
  /** Every log event of the apply, in order. */
  onLog(event: TaskLogEvent): void;
  /** The task ended: final progress, the notice settled; returns what a guard stopped, if one did. */
  finish(outcome: ApplyOutcome): Promise<GuardStopped | undefined>;
}

interface Notice {
  statement: number;
  ref?: Promise<string | undefined>;
  wait: LockWait;
  outcome?: LockWaitOutcome;
}

/** Start watching a task of `total` statements (its progress message is posted if it runs long enough). */
export async function watchTask(
  deps: TaskWatchDeps,
  issue: Issue,
  task: Task,
  ref: TaskRef,
  env: EnvironmentConfig,
  total: number,
): Promise<TaskWatch> {
  const { service, settings } = deps;
  const clock = settings.clock;
  const started = clock.now();
  const progress: TaskProgress = { finished: 0, total, elapsedMs: 0, rows: null, state: 'running' };
  let running: number | undefined;
  /** The last lock wait seen, by 0-based statement: for a lock timeout's message. */
  let lastWait: { index: number; wait: LockWait } | undefined;
  let notice: Notice | undefined;
  const noticeEvent = (n: Notice): IssueEvent => ({
    kind: 'lock-wait',
    task: ref,
    issueId: issue.id,
    taskId: task.id,
    statement: n.statement,
    total,
    wait: n.wait,
    lockTimeoutMs: env.timeouts.lockMs,
    ...(n.outcome ? { outcome: n.outcome } : {}),
  });
  const settle = async (outcome: LockWaitOutcome) => {
    const n = notice;
    if (!n || n.outcome) return;
    n.outcome = outcome;
    const at = await n.ref;
    if (at) await service.editSafe(issue, at, noticeEvent(n));
  };

  const control = deps.running.register(task.id, (by) => {
    if (!notice || notice.outcome) return false;
    void settle({ kind: 'keep-waiting', by });
    return true;
  });

  const snapshot = (): IssueEvent => ({
    kind: 'task-progress',
    task: ref,
    progress: { ...progress, elapsedMs: clock.now() - started, ...(running !== undefined ? { running } : {}) },
  });
  // The progress message is posted once the task has run `progressAfterMs` (a task that ends
  // sooner shows only its log and its done line, so a stage over many databases does not post a
  // reply per task), and the statements never wait for it.
  let throttle: EditThrottle | undefined;
  let posted: Promise<void> | undefined;
  const postProgress = (first: IssueEvent) => {
    posted ??= service.postEditable(issue, first).then((messageRef) => {
      if (!messageRef || settings.progressEveryMs === null) return;
      throttle = new EditThrottle(
        () => service.editSafe(issue, messageRef, snapshot()),
        settings.progressEveryMs,
        clock,
        settings.progressIdleMs,
        // Just posted: its first edit is due an interval later.
        clock.now(),
      );
      if (progress.state !== 'running') return;
      throttle.changed();
    });
  };
  let cancelPost: (() => void) | undefined;
  if (settings.progressAfterMs === null) postProgress({ kind: 'task-started', task: ref, statements: total });
  else cancelPost = clock.after(settings.progressAfterMs, () => postProgress(snapshot()));

  const watchAfter = env.lockWatchMs ?? Math.max(500, env.timeouts.lockMs / 2);
  const input: TaskWatch['input'] = {
    guards: { lockTimeoutMs: env.timeouts.lockMs, statementTimeoutMs: env.timeouts.statementMs },
    signal: control.signal,
    ...(settings.lockWatch
      ? {
          watch: {
            afterMs: watchAfter,
            everyMs: settings.lockPollMs,
            onWait: (wait: LockWait) => {
              if (running === undefined) return;
              lastWait = { index: running - 1, wait };
              if (env.lockWatchMs === null || wait.waitedMs < env.lockWatchMs || notice?.statement === running) return;
              const n: Notice = { statement: running, wait };
              notice = n;
              n.ref = service.postEditable(issue, noticeEvent(n));
            },
          },
        }
      : {}),
  };

  return {
    input,
    onLog(event) {
      switch (event.kind) {
        case 'statement-start':
          running = event.index + 1;
          break;
        case 'statement-done':
          if (event.rowsAffected !== null) progress.rows = (progress.rows ?? 0) + event.rowsAffected;
          progress.finished = event.index + 1;
          running = undefined;
          if (notice?.statement === event.index + 1) void settle({ kind: 'got-lock', waitedMs: event.durationMs });
          break;
        case 'statement-skipped':
          progress.finished = event.index + 1;
          break;
        case 'statement-failed':
          running = undefined;
          break;
      }
      throttle?.changed();
    },
    async finish(outcome) {
      control.release();
      cancelPost?.();
      progress.state = outcome.status;
      running = undefined;
      // A progress message posted (or being posted) shows the final state.
      await posted;
      await throttle?.finish();
      if (outcome.status !== 'failed') {
        await settle({ kind: 'ended' });
        return undefined;
      }
      const { error, statementIndex } = outcome;
      const by = control.stoppedBy();
      await settle(
        error.guard === 'lock-timeout'
          ? { kind: 'lock-timeout' }
          : by && error.guard === 'cancelled'
            ? { kind: 'cancelled', by }
            : { kind: 'ended' },
      );
      if (!error.guard) return undefined;
      const limitMs =
        error.guard === 'lock-timeout'
          ? env.timeouts.lockMs
          : error.guard === 'statement-timeout'
            ? env.timeouts.statementMs
            : undefined;
      return {
        guard: error.guard,
        statement: statementIndex + 1,
        total,
        ...(limitMs !== undefined ? { limitMs } : {}),
        ...(lastWait && lastWait.index === statementIndex ? { wait: lastWait.wait } : {}),
        ...(by ? { by } : {}),
      };
    },
  };
}
