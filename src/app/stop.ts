// Stopping a running task: Cancel on the issue message (every running task of the stage) or
// Cancel my statement on a lock-wait notice (that task), and Keep waiting on the notice. Only
// whoever may release the stage, or an admin (domain/permissions.ts mayStopRun).
import { findDatabase } from '../config/model.js';
import { tasksToStop } from '../domain/transitions.js';
import { messageOf } from '../errors.js';
import { type AppContext, decisionCtx } from './context.js';
import { type Actor, done, fromRefusal, notFound, type Result, refused } from './results.js';

export interface StopInput {
  actor: Actor;
  issueId: string;
  /** One task (a lock-wait notice); all running tasks of the stage when absent. */
  taskId?: string;
}

/**
 * Cancel the statement each task is running and start no other: the task fails cleanly (a
 * PostgreSQL transaction rolls back) and Retry runs it again. A task running in another bot
 * process is cancelled through its database (the session holding the task's lock).
 */
export async function stopRun(app: AppContext, input: StopInput): Promise<Result<{ stopped: number }>> {
  const issue = await app.store.getIssue(input.issueId);
  if (!issue) return notFound('issue', input.issueId);
  const found = tasksToStop(issue, input.actor.user, decisionCtx(app), input.taskId);
  if (!found.ok) return fromRefusal(found);
  let stopped = 0;
  for (const task of found.tasks) {
    if (app.running.stop(task.id, input.actor.user)) {
      stopped++;
      continue;
    }
    const db = findDatabase(app.config, task.database, found.environment);
    if (!db) continue;
    try {
      if (await app.targetFor(db).cancelTask(task.id)) stopped++;
    } catch (err) {
      return refused(
        'target-failed',
        `could not cancel the statement on ${db.name} (${db.environment}): ${messageOf(err)}`,
      );
    }
  }
  if (stopped === 0) return refused('wrong-state', `no statement of #${issue.id} is running right now`);
  await app.service.threadSafe(issue, {
    kind: 'stop-requested',
    by: input.actor.user,
    environment: found.environment,
    tasks: stopped,
  });
  return done({ stopped });
}

/** Keep waiting for a lock: the notice loses its buttons; the lock timeout still ends the wait. */
export async function keepWaiting(app: AppContext, input: StopInput & { taskId: string }): Promise<Result<object>> {
  const issue = await app.store.getIssue(input.issueId);
  if (!issue) return notFound('issue', input.issueId);
  const found = tasksToStop(issue, input.actor.user, decisionCtx(app), input.taskId);
  if (!found.ok) return fromRefusal(found);
  switch (app.running.keepWaiting(input.taskId, input.actor.user)) {
    case 'done':
      return done({});
    case 'not-waiting':
      return refused('wrong-state', 'that statement is no longer waiting for a lock');
    case 'not-here':
      return refused('unavailable', 'that task runs in another bot process; its lock timeout still ends the wait');
  }
}
