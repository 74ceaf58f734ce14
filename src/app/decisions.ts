/**
 * The use cases that decide something about one issue: approve, reject, roll out now, schedule,
 * cancel, retry, "roll out anyway", resolve a task that needs attention, edit the SQL. Each takes
 * the actor and the revision they saw, and lets the state machine decide (permission and state);
 * a stale revision is refused before anything else.
 */
import { findDatabase } from '../config/model.js';
import { expiresAt } from '../domain/approvals.js';
import { refuse } from '../domain/refusal.js';
import { liveFindings } from './live-review.js';
import type { Issue } from '../domain/issue.js';
import * as sm from '../domain/transitions.js';
import { messageOf } from '../errors.js';
import { measureBlastRadius } from './blast-radius.js';
import { type AppContext, decisionCtx } from './context.js';
import { type Actor, done, fromRefusal, notFound, type Result, refused } from './results.js';

export interface IssueInput {
  actor: Actor;
  issueId: string;
  /** The SQL revision the actor saw; a newer one refuses with `stale`. */
  revision?: number;
}

type IssueResult = Promise<Result<{ issue: Issue }>>;

/** The issue as stored, unless it is gone or its SQL changed since the actor saw it. */
async function current(app: AppContext, input: IssueInput): Promise<Result<{ issue: Issue }>> {
  const issue = await app.store.getIssue(input.issueId);
  if (!issue) return notFound('issue', input.issueId);
  if (input.revision !== undefined && input.revision !== issue.revision)
    return refused('stale', `the SQL of #${issue.id} changed since this button was shown; look at the updated message`);
  return done({ issue });
}

/** Approve the current stage. */
export function approve(app: AppContext, input: IssueInput): IssueResult {
  return app.service.mutate(input.issueId, (i) => sm.approve(i, input.actor.user, decisionCtx(app)), input.revision);
}

/** Reject the change (an approver); the creator may edit and resubmit. */
export function reject(app: AppContext, input: IssueInput): IssueResult {
  return app.service.mutate(input.issueId, (i) => sm.reject(i, input.actor.user, decisionCtx(app)), input.revision);
}

/** Roll out the current stage now (a releaser of a manual environment). */
export function rolloutNow(app: AppContext, input: IssueInput): IssueResult {
  return app.service.mutate(input.issueId, (i) => sm.rolloutNow(i, input.actor.user, decisionCtx(app)), input.revision);
}

/** Schedule the current stage at `at`. */
export function schedule(app: AppContext, input: IssueInput & { at: Date }): IssueResult {
  return app.service.mutate(
    input.issueId,
    (i) => sm.schedule(i, input.actor.user, input.at, decisionCtx(app)),
    input.revision,
  );
}

/** Move a schedule to `at` (whoever scheduled it, a releaser of the stage, or an admin). */
export function reschedule(app: AppContext, input: IssueInput & { at: Date }): IssueResult {
  return app.service.mutate(
    input.issueId,
    (i) => sm.reschedule(i, input.actor.user, input.at, decisionCtx(app)),
    input.revision,
  );
}

/**
 * Before a schedule dialog opens: may the actor schedule this issue (or, when it is scheduled,
 * move its schedule) at all, any time aside? Returns the environment and its maintenance
 * window, to show in the dialog, and whether the dialog reschedules.
 */
export async function prepareSchedule(
  app: AppContext,
  input: IssueInput,
): Promise<
  Result<{
    issue: Issue;
    environment: string;
    window?: { timezone: string; start: string; end: string; days?: string[] };
    reschedule: boolean;
  }>
> {
  const found = await current(app, input);
  if (found.kind !== 'done') return found;
  const { issue } = found;
  const rescheduling = issue.status === 'scheduled' && issue.schedule !== undefined;
  // The same checks as the real decision, with a time far ahead; the window is the dialog's to show.
  const far = new Date(app.now().getTime() + 365 * 86400_000);
  const probe = rescheduling
    ? sm.reschedule(issue, input.actor.user, far, decisionCtx(app))
    : sm.schedule(issue, input.actor.user, far, decisionCtx(app));
  if (!probe.ok && probe.code !== 'outside-window') return fromRefusal(probe);
  const stage = issue.stages[rescheduling ? issue.schedule!.stageIndex : sm.currentStageIndex(issue)];
  const env = stage ? sm.environmentOf(app.config, stage) : undefined;
  return done({
    issue,
    environment: env?.id ?? 'the next stage',
    window: env?.maintenanceWindow,
    reschedule: rescheduling,
  });
}

/**
 * Cancel the schedule for `at` from its pre-flight check: only that schedule (back to open); a
 * check whose schedule was moved, cancelled, held or has run cancels nothing, least of all the change.
 */
export function cancelSchedule(app: AppContext, input: IssueInput & { at: Date }): IssueResult {
  return app.service.mutate(
    input.issueId,
    (i) =>
      i.status === 'scheduled' && i.schedule?.at.getTime() === input.at.getTime()
        ? sm.cancel(i, input.actor.user, decisionCtx(app))
        : refuse('stale', sm.STALE_PREFLIGHT),
    input.revision,
  );
}

/** Confirm the pre-flight check of the schedule for `at`: the stage runs then. */
export function confirmPreflight(app: AppContext, input: IssueInput & { at: Date }): IssueResult {
  return app.service.mutate(
    input.issueId,
    (i) => sm.confirmPreflight(i, input.actor.user, input.at, decisionCtx(app)),
    input.revision,
  );
}

/**
 * The pre-flight time of a schedule has come (the queue calls this): the live review runs now
 * against the stage's targets, and the check is posted in the thread with what it found.
 */
export async function preflightDue(app: AppContext, issueId: string, stageIndex: number, at: Date): Promise<void> {
  const issue = await app.store.getIssue(issueId);
  const probe = issue ? sm.preflightDue(issue, stageIndex, at, [], decisionCtx(app)) : undefined;
  if (!issue || !probe?.ok) return;
  const findings = await liveFindings(app, issue, stageIndex);
  await app.service.mutate(issueId, (i) => sm.preflightDue(i, stageIndex, at, findings, decisionCtx(app)));
}

/** Cancel a schedule (back to open) or the whole change. */
export function cancel(app: AppContext, input: IssueInput): IssueResult {
  return app.service.mutate(input.issueId, (i) => sm.cancel(i, input.actor.user, decisionCtx(app)), input.revision);
}

/** Retry the failed tasks of the failed stage. */
export function retry(app: AppContext, input: IssueInput): IssueResult {
  return app.service.mutate(input.issueId, (i) => sm.retry(i, input.actor.user, decisionCtx(app)), input.revision);
}

/**
 * "Roll out anyway": acknowledge the review findings (or withdraw it). A refusal refreshes the
 * issue message, so a checkbox ticked in Slack goes back to what is stored.
 */
export async function acknowledgeReview(app: AppContext, input: IssueInput & { checked: boolean }): IssueResult {
  const result = await app.service.mutate(
    input.issueId,
    (i) => sm.setRolloutAnyway(i, input.actor.user, input.checked, decisionCtx(app)),
    input.revision,
  );
  if (result.kind === 'refused') await app.service.refreshMessage(input.issueId);
  return result;
}

/**
 * A person checked a task that needs attention and says whether it was applied: the target's
 * ledger is resolved first (after the same permission check), then the issue.
 */
export async function resolveAttention(
  app: AppContext,
  input: IssueInput & { taskId: string; applied: boolean },
): IssueResult {
  const { actor, taskId, applied } = input;
  const found = await current(app, input);
  if (found.kind !== 'done') return found;
  const { issue } = found;
  const probe = sm.resolveAttention(issue, actor.user, taskId, applied, decisionCtx(app));
  if (!probe.ok) return fromRefusal(probe);
  const stage = issue.stages.find((s) => s.tasks.some((t) => t.id === taskId))!;
  const task = stage.tasks.find((t) => t.id === taskId)!;
  const db = findDatabase(app.config, task.database, stage.environment);
  if (!db) return refused('unavailable', `${task.database} is no longer configured for ${stage.environment}`);
  try {
    await app.targetFor(db).resolveLedger(taskId, applied ? 'done' : 'failed');
  } catch (err) {
    return refused('target-failed', `could not update the ledger of ${db.name} (${db.environment}): ${messageOf(err)}`);
  }
  return app.service.mutate(
    input.issueId,
    (latest) => sm.resolveAttention(latest, actor.user, taskId, applied, decisionCtx(app)),
    input.revision,
  );
}

/** Before the edit dialog opens: may the actor edit this issue's SQL now? */
export async function prepareEdit(app: AppContext, input: IssueInput): Promise<Result<{ issue: Issue }>> {
  const found = await current(app, input);
  if (found.kind !== 'done') return found;
  const { issue } = found;
  const probe = sm.editSql(issue, input.actor.user, issue.sql, issue.findings, decisionCtx(app));
  return probe.ok ? done({ issue }) : fromRefusal(probe);
}

/**
 * Edit the SQL (or, for a state-based change, the desired schema, whose DDL is generated again).
 * Review runs again and approvals reset.
 */
export async function edit(app: AppContext, input: IssueInput & { sql: string }): IssueResult {
  const { actor, sql } = input;
  if (!sql.trim()) return refused('invalid', 'Enter the SQL to run.');
  const found = await current(app, input);
  if (found.kind !== 'done') return found;
  const { issue } = found;
  let ddl = sql;
  let state: Pick<Issue, 'desiredSdl' | 'schemaChange'> = {};
  let generated = false;
  if (issue.changeType === 'sdl' && app.planner) {
    // Check before the (slow) planning, so a person who may not edit learns it at once.
    const probe = sm.editSql(issue, actor.user, sql, [], decisionCtx(app));
    if (!probe.ok) return fromRefusal(probe);
    try {
      const plan = await app.planner.plan(issue.target, sql);
      if (plan.kind === 'unchanged')
        return refused('unchanged', 'This desired schema is what the database already has; cancel the change instead.');
      ddl = plan.ddl;
      generated = true;
      state = { desiredSdl: sql, schemaChange: plan.schemaChange };
    } catch (err) {
      return refused('target-failed', messageOf(err));
    }
  }
  const findings = app.service.review(issue.target, ddl, generated);
  // The new SQL may touch other tables: measured again before the edit is saved (a refusal is checked first).
  const probe = sm.editSql(issue, actor.user, ddl, findings, decisionCtx(app));
  if (!probe.ok) return fromRefusal(probe);
  const blastRadius = await measureBlastRadius(app, issue.target, ddl);
  return app.service.mutate(
    issue.id,
    (latest) => {
      const d = sm.editSql(latest, actor.user, ddl, findings, decisionCtx(app));
      return d.ok ? { ...d, issue: { ...d.issue, ...state, blastRadius } } : d;
    },
    input.revision,
  );
}

/** The scheduled time has come (the queue calls this): release the stage if the schedule still stands. */
export function scheduledStageDue(app: AppContext, issueId: string, stageIndex: number, at: Date): IssueResult {
  return app.service.mutate(issueId, (i) => sm.scheduledRunDue(i, stageIndex, at, decisionCtx(app)));
}

/**
 * An approval's approvalExpires has passed (the queue calls this): when it is still on the
 * stage and the stage has not run, the thread says it must be renewed and the message shows it.
 */
export async function approvalExpired(
  app: AppContext,
  issueId: string,
  stageIndex: number,
  user: string,
  at: Date,
): Promise<void> {
  const issue = await app.store.getIssue(issueId);
  const stage = issue?.stages[stageIndex];
  if (!issue || !stage || stage.status === 'done' || stage.status === 'running') return;
  if (issue.status === 'canceled' || issue.status === 'rejected') return;
  const approval = stage.approvals.find((a) => a.user === user);
  const env = sm.environmentOf(app.config, stage);
  // A renewed approval has its own reminder; this one was for the approval given before.
  if (!approval || expiresAt(approval, env)?.getTime() !== at.getTime() || env.approvalExpiresMs === undefined) return;
  await app.service.refreshMessage(issueId);
  await app.service.threadSafe(issue, {
    kind: 'approval-expired',
    user,
    environment: env.id,
    period: env.approvalExpiresMs,
  });
}
