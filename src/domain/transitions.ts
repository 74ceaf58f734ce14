/**
 * The change issue state machine. Pure: an issue, an actor and the config in; the next issue
 * and the effects to carry out (run or schedule a stage) out, or a refusal that says why.
 *
 * Issue status:
 *   open ──Schedule──▶ scheduled ──Cancel──▶ open        (SQL may be edited again)
 *   scheduled ──Reschedule──▶ scheduled                  (another time; the same checks as Schedule)
 *   open ──Roll out now / automatic──▶ running ──▶ open (next stage waits) | done | failed
 *   scheduled ──time comes──▶ running
 *   failed ──Retry──▶ running
 *   failed ──Edit SQL──▶ failed                           (no stage done yet: review again,
 *                                                          approvals reset; Retry runs it)
 *   open ──Reject──▶ rejected ──Edit SQL──▶ open          (review and approvals start over)
 *   open ──Cancel──▶ canceled                             (final)
 *
 * The *current stage* is the first stage that is not done. It may run when:
 *   - every stage before it is done (a stage is done only when all its tasks are done or skipped;
 *     a failed task stops the pipeline and the issue offers Retry),
 *   - it has its environment's required approvals (distinct approvers, never the creator), each
 *     for the current SQL revision and, where the environment sets `approvalExpires`, not older
 *     than that (a stale approval is renewed by approving again),
 *   - review found nothing, or someone allowed to release checked "Roll out anyway".
 * Then `automatic` environments run at once; `manual` ones wait for a releaser's Roll out now or
 * Schedule; `scheduled` ones only take Schedule. A scheduled issue is pending: nothing runs it or
 * edits it until Cancel.
 *
 * What ran is what runs next: once a stage has ended done, the SQL is frozen; a follow-up change
 * (a new issue, linked both ways) is how it is amended.
 */
import { unreachable } from '../errors.js';
import { type Config, DEFAULT_GUARDS, type EnvironmentConfig } from '../config/model.js';
import type { IssueEvent } from './events.js';
import {
  approvalOf,
  approvalsMet,
  expiresAt,
  freshApprovals,
  isFresh,
  periodText,
  staleApprovals,
} from './approvals.js';
import { findingKey, type Issue, type ReviewFinding, type Stage, type Task } from './issue.js';
import { frozenAt, utcText } from './freeze.js';
import { isWithinWindow } from './maintenance-window.js';
import { betweenWaves, onLastWave } from './waves.js';
import {
  type Directory,
  mayAcknowledge,
  mayApprove,
  mayCancel,
  mayChangeSchedule,
  mayEdit,
  mayReject,
  mayRelease,
  mayResolve,
  mayRetry,
  mayStopRun,
  releasersOf,
} from './permissions.js';
import { type Refusal, refuse } from './refusal.js';

export type Effect =
  | { kind: 'run-stage'; stageIndex: number }
  /** `preflightAt`: when the environment's pre-flight check is posted (at − before, never before now). */
  | { kind: 'schedule-stage'; stageIndex: number; at: Date; preflightAt?: Date }
  | { kind: 'cancel-schedule' }
  /** An approval stops counting at `at` (approvalExpires): say so then. */
  | { kind: 'approval-expiry'; stageIndex: number; user: string; at: Date }
  /** waveDelay: start wave `wave` (0-based) of a stage at `at`, unless it was halted or continued by then. */
  | { kind: 'continue-waves-at'; stageIndex: number; wave: number; at: Date };

/** The next issue and what to carry out, with what happened; or a refusal that changes nothing. */
export type Decision = { ok: true; issue: Issue; effects: Effect[]; event?: IssueEvent; more?: IssueEvent[] } | Refusal;

export interface Ctx {
  config: Config;
  now: Date;
  directory?: Directory;
}

/** Index of the first stage that is not done, or -1 when all are. */
export function currentStageIndex(issue: Issue): number {
  return issue.stages.findIndex((s) => s.status !== 'done');
}

export function environmentOf(config: Config, stage: Stage): EnvironmentConfig {
  const env = config.environments.find((e) => e.id === stage.environment);
  // Environments removed from the config after an issue was planned behave like a manual one with no approvers.
  return (
    env ?? {
      id: stage.environment,
      approvers: [],
      requiredApprovals: 0,
      releasers: [],
      rollout: 'manual',
      ...DEFAULT_GUARDS,
    }
  );
}

/** True when review found anything that needs an explicit "Roll out anyway". */
export function needsRolloutAnyway(findings: ReviewFinding[]): boolean {
  return findings.some((f) => f.level === 'ERROR' || f.level === 'WARNING');
}

/** The findings were acknowledged for stage `i` at the issue's current SQL revision. */
export function isAcknowledged(issue: Issue, i: number): boolean {
  const a = issue.rolloutAnyway;
  return a !== undefined && a.stageIndex === i && a.revision === issue.revision;
}

/** Stage `i` may not start yet: review found something and nobody acknowledged it for this stage and revision. */
export function heldByFindings(issue: Issue, i: number): boolean {
  return needsRolloutAnyway(issue.findings) && !isAcknowledged(issue, i);
}

/** Why the SQL can no longer change (a stage has ended done), or undefined while it may. */
export function frozenReason(issue: Issue): string | undefined {
  const ran = issue.stages.filter((s) => s.status === 'done').map((s) => s.environment);
  if (ran.length === 0) return undefined;
  return `${ran.join(', ')} already ran revision ${issue.revision}, and what ran is what runs next: the SQL is frozen. Use "Follow-up change" to amend it in a new change.`;
}

function withStage(issue: Issue, index: number, stage: Stage): Issue {
  return { ...issue, stages: issue.stages.map((s, i) => (i === index ? stage : s)) };
}

/** The stage that may run now without anyone clicking, if any (automatic environments). */
export function automaticRun(issue: Issue, config: Config, now: Date): Effect[] {
  if (issue.status !== 'open') return [];
  const i = currentStageIndex(issue);
  if (i < 0) return [];
  const stage = issue.stages[i]!;
  const env = environmentOf(config, stage);
  if (stage.status !== 'waiting' || env.rollout !== 'automatic') return [];
  if (!approvalsMet(stage, env, now) || stage.driftHold) return [];
  if (heldByFindings(issue, i)) return [];
  return [{ kind: 'run-stage', stageIndex: i }];
}

function releaseStage(issue: Issue, i: number, by: string): Issue {
  const stage = issue.stages[i]!;
  return withStage({ ...issue, status: 'running', schedule: undefined }, i, {
    ...stage,
    status: 'running',
    releasedBy: by,
  });
}

/** The schedule-stage effect of stage `i` at `at`, with its pre-flight check where `env` has one. */
function scheduleEffect(env: EnvironmentConfig, stageIndex: number, at: Date, now: Date): Effect {
  const before = env.preflight?.beforeMs;
  if (before === undefined) return { kind: 'schedule-stage', stageIndex, at };
  return {
    kind: 'schedule-stage',
    stageIndex,
    at,
    preflightAt: new Date(Math.max(now.getTime(), at.getTime() - before)),
  };
}

/**
 * Stage `i` is due now; inside a freeze window it is held instead: scheduled for the end of the
 * window (released by `by`), when it runs by itself. Undefined when `env` is not frozen now.
 */
function freezeHold(
  issue: Issue,
  i: number,
  by: string,
  env: EnvironmentConfig,
  now: Date,
): { issue: Issue; effects: Effect[]; event: IssueEvent } | undefined {
  const frozen = frozenAt(env.freeze, now);
  if (!frozen) return undefined;
  const { until, window } = frozen;
  return {
    issue: {
      ...issue,
      status: 'scheduled',
      schedule: { at: until, by, stageIndex: i, freeze: { reason: window.reason } },
    },
    effects: [scheduleEffect(env, i, until, now)],
    event: { kind: 'held-by-freeze', environment: env.id, reason: window.reason, until, by },
  };
}

/**
 * The effects of `automaticRun`, applied: the stage is marked running, released by 'automatic';
 * inside a freeze window it is held until the window ends instead (`held` says so).
 */
export function startAutomatic(
  issue: Issue,
  config: Config,
  now: Date,
): { issue: Issue; effects: Effect[]; held?: IssueEvent } {
  const effects = automaticRun(issue, config, now);
  const run = effects.find((e) => e.kind === 'run-stage');
  if (run?.kind !== 'run-stage') return { issue, effects: [] };
  const hold = freezeHold(
    issue,
    run.stageIndex,
    'automatic',
    environmentOf(config, issue.stages[run.stageIndex]!),
    now,
  );
  if (hold) return { issue: hold.issue, effects: hold.effects, held: hold.event };
  return { issue: releaseStage(issue, run.stageIndex, 'automatic'), effects };
}

/** A freeze hold of an automatic stage, told after the decision's own event. */
function heldToo(held: IssueEvent | undefined): { more?: IssueEvent[] } {
  return held ? { more: [held] } : {};
}

/**
 * Approve the current stage, recording the SQL revision and its checksum. A repeated click by
 * the same approver changes nothing, unless their approval expired: then it is renewed.
 */
export function approve(issue: Issue, user: string, ctx: Ctx): Decision {
  if (
    issue.status !== 'open' &&
    issue.status !== 'scheduled' &&
    issue.status !== 'running' &&
    issue.status !== 'failed'
  )
    return refuse('wrong-state', `issue #${issue.id} is ${issue.status}; there is nothing to approve`);
  // Only the current stage is approved: a double click must never spill over into the next stage.
  const i = currentStageIndex(issue);
  if (i < 0) return refuse('nothing-to-do', `issue #${issue.id} is rolled out everywhere`);
  const stage = issue.stages[i]!;
  const env = environmentOf(ctx.config, stage);
  // A failed stage whose SQL was edited needs its approvals again before Retry.
  if (stage.status !== 'waiting' && !(stage.status === 'failed' && issue.status === 'failed'))
    return refuse('wrong-state', `${env.id} is ${stage.status}; approvals for the next stage open when it ends`);
  if (env.requiredApprovals === 0) return refuse('nothing-to-do', `${env.id} needs no approval`);
  if (!mayApprove(user, env, ctx.directory)) {
    return refuse('not-allowed', `you are not an approver for ${env.id}`, { role: 'approvers', ids: env.approvers });
  }
  if (user === issue.creator)
    return refuse('not-allowed', 'you created this change, so you cannot approve it; ask another approver');
  const mine = stage.approvals.find((a) => a.user === user);
  if (mine && isFresh(mine, env, ctx.now)) return refuse('nothing-to-do', `you already approved ${env.id}`);
  if (approvalsMet(stage, env, ctx.now)) return refuse('nothing-to-do', `${env.id} already has the approvals it needs`);
  const approval = approvalOf(issue, user, ctx.now);
  const approvals = [...stage.approvals.filter((a) => a.user !== user), approval];
  const approved = withStage(issue, i, { ...stage, approvals });
  const { issue: next, effects, held } = startAutomatic(approved, ctx.config, ctx.now);
  const end = expiresAt(approval, env);
  if (end) effects.push({ kind: 'approval-expiry', stageIndex: i, user, at: end });
  const left = env.requiredApprovals - freshApprovals({ ...stage, approvals }, env, ctx.now).length;
  return {
    ok: true,
    issue: next,
    effects,
    event: {
      kind: 'approved',
      by: user,
      environment: env.id,
      approvalsLeft: Math.max(0, left),
      revision: issue.revision,
      checksum: approval.checksum!,
      ...(mine ? { renewed: true } : {}),
    },
    ...heldToo(held),
  };
}

/** Why the stage's approvals do not count at `at` when they are stale (approvalExpires), else undefined. */
function expiredApprovals(stage: Stage, env: EnvironmentConfig, at: Date, now: Date): Refusal | undefined {
  if (env.approvalExpiresMs === undefined || approvalsMet(stage, env, at)) return undefined;
  const stale = staleApprovals(stage, env, at).map((a) => a.user);
  // Simply too few approvals: that is needs-approval's to say.
  if (stale.length === 0) return undefined;
  const later = at.getTime() > now.getTime() && approvalsMet(stage, env, now);
  const period = env.approvalExpiresMs;
  return refuse(
    'approval-expired',
    later
      ? `the approval of ${env.id} expires before then (approvals count for ${periodText(period)}): renew it first, or pick an earlier time`
      : `the approval of ${env.id} is older than ${periodText(period)} and must be renewed before release: an approver approves again`,
    { role: 'approvers', ids: stale.length > 0 ? stale : env.approvers },
  );
}

/** Reject: an approver of the current stage stops the issue; the creator may edit and resubmit. */
export function reject(issue: Issue, user: string, ctx: Ctx): Decision {
  if (issue.status !== 'open' && issue.status !== 'scheduled')
    return refuse('wrong-state', `issue #${issue.id} is ${issue.status}; it cannot be rejected now`);
  const i = currentStageIndex(issue);
  const env = environmentOf(ctx.config, issue.stages[i]!);
  if (!mayReject(user, env, ctx.directory))
    return refuse('not-allowed', `only an approver of ${env.id} can reject it there`, {
      role: 'approvers',
      ids: env.approvers,
    });
  const effects: Effect[] = issue.status === 'scheduled' ? [{ kind: 'cancel-schedule' }] : [];
  return {
    ok: true,
    issue: { ...issue, status: 'rejected', schedule: undefined },
    effects,
    event: { kind: 'rejected', by: user, environment: env.id },
  };
}

/** May `user` release the current stage now (or, for a schedule, at `at`)? */
function releaseCheck(
  issue: Issue,
  user: string,
  ctx: Ctx,
  at: Date = ctx.now,
): { i: number; env: EnvironmentConfig } | Refusal {
  if (issue.status === 'scheduled')
    return refuse('wrong-state', `issue #${issue.id} is scheduled; cancel the schedule first`);
  if (issue.status !== 'open')
    return refuse('wrong-state', `issue #${issue.id} is ${issue.status}; there is nothing to roll out`);
  const i = currentStageIndex(issue);
  if (i < 0) return refuse('nothing-to-do', `issue #${issue.id} is already rolled out everywhere`);
  const stage = issue.stages[i]!;
  const env = environmentOf(ctx.config, stage);
  if (!mayRelease(user, issue, env, ctx.directory)) {
    return env.releasers.length === 0
      ? refuse('not-allowed', `only the creator can release ${env.id}`)
      : refuse('not-allowed', `you are not a releaser for ${env.id}`, { role: 'releasers', ids: env.releasers });
  }
  const expired = expiredApprovals(stage, env, at, ctx.now);
  if (expired) return expired;
  if (!approvalsMet(stage, env, ctx.now)) {
    return refuse(
      'needs-approval',
      `${env.id} needs ${env.requiredApprovals - freshApprovals(stage, env, ctx.now).length} more approval(s) before it can roll out`,
    );
  }
  if (stage.driftHold)
    return refuse(
      'held-by-drift',
      `${env.id} is held: the live schema of ${stage.driftHold.databases.join(', ')} drifted from the recorded one; it runs once the drift is baselined or reverted`,
    );
  if (heldByFindings(issue, i)) {
    return refuse(
      'needs-acknowledgement',
      `review found problems: ${env.id} needs "Roll out anyway" ticked for this revision by someone who may release it`,
    );
  }
  return { i, env };
}

/** Roll out the current stage now (releasers of manual environments). */
export function rolloutNow(issue: Issue, user: string, ctx: Ctx): Decision {
  const check = releaseCheck(issue, user, ctx);
  if ('ok' in check) return check;
  if (check.env.rollout === 'scheduled')
    return refuse('wrong-state', `${check.env.id} rolls out only at a scheduled time; use Schedule`);
  const hold = freezeHold(issue, check.i, user, check.env, ctx.now);
  if (hold) return { ok: true, ...hold };
  return {
    ok: true,
    issue: releaseStage(issue, check.i, user),
    effects: [{ kind: 'run-stage', stageIndex: check.i }],
    event: { kind: 'rollout-started', by: user, environment: check.env.id },
  };
}

/** Why a stage of `env` may not be scheduled at `at`, or undefined when it may. */
function scheduleTimeProblem(env: EnvironmentConfig, at: Date, ctx: Ctx): Refusal | undefined {
  if (at.getTime() <= ctx.now.getTime()) return refuse('not-in-future', 'pick a time in the future');
  const frozen = frozenAt(env.freeze, at);
  if (frozen)
    return refuse(
      'frozen',
      `${env.id} is frozen from ${utcText(frozen.window.from)} to ${utcText(frozen.window.to)}: ${frozen.window.reason}. Pick a time after ${utcText(frozen.until)}.`,
    );
  const window = env.maintenanceWindow;
  if (window && !isWithinWindow(at, window)) {
    return refuse(
      'outside-window',
      `${env.id} rolls out only in its maintenance window ${window.start}–${window.end} ${window.timezone}${window.days ? ` on ${window.days.join(', ')}` : ''}`,
    );
  }
  return undefined;
}

/** Schedule the current stage at `at` (must be in the future, and in the maintenance window if one is set). */
export function schedule(issue: Issue, user: string, at: Date, ctx: Ctx): Decision {
  const check = releaseCheck(issue, user, ctx, at);
  if ('ok' in check) return check;
  const problem = scheduleTimeProblem(check.env, at, ctx);
  if (problem) return problem;
  return {
    ok: true,
    issue: { ...issue, status: 'scheduled', schedule: { at, by: user, stageIndex: check.i } },
    effects: [scheduleEffect(check.env, check.i, at, ctx.now)],
    event: { kind: 'scheduled', by: user, environment: check.env.id, at },
  };
}

/**
 * Move a schedule to another time (whoever scheduled it, a releaser of the stage, or an admin);
 * the new time is checked as Schedule checks it. Who scheduled it stays the releaser of record.
 */
export function reschedule(issue: Issue, user: string, at: Date, ctx: Ctx): Decision {
  const current = issue.schedule;
  if (issue.status !== 'scheduled' || !current)
    return refuse('wrong-state', `issue #${issue.id} is not scheduled (it is ${issue.status}); use Schedule instead`);
  const env = environmentOf(ctx.config, issue.stages[current.stageIndex]!);
  if (!mayChangeSchedule(user, issue, env, ctx.config, ctx.directory))
    return refuse(
      'not-allowed',
      `only a releaser of ${env.id}, whoever scheduled it, or an admin can move this schedule`,
      env.releasers.length > 0 ? { role: 'releasers', ids: env.releasers } : undefined,
    );
  const problem =
    scheduleTimeProblem(env, at, ctx) ?? expiredApprovals(issue.stages[current.stageIndex]!, env, at, ctx.now);
  if (problem) return problem;
  return {
    ok: true,
    // A new time gets its own pre-flight check; a freeze hold moved by a person is a plain schedule.
    issue: { ...issue, schedule: { at, by: current.by, stageIndex: current.stageIndex, movedBy: user } },
    effects: [scheduleEffect(env, current.stageIndex, at, ctx.now)],
    event: { kind: 'rescheduled', by: user, environment: env.id, at, from: current.at },
  };
}

/**
 * The scheduled time has come: release the stage if the schedule still stands. Approvals that
 * went stale meanwhile hold it instead: the issue is open again, waiting for them to be renewed.
 */
export function scheduledRunDue(issue: Issue, stageIndex: number, at: Date, ctx: Ctx): Decision {
  if (issue.status !== 'scheduled' || !issue.schedule) return refuse('wrong-state', 'the schedule was cancelled');
  if (issue.schedule.stageIndex !== stageIndex || issue.schedule.at.getTime() !== at.getTime())
    return refuse('stale', 'the schedule was changed');
  const stage = issue.stages[stageIndex]!;
  const env = environmentOf(ctx.config, stage);
  if (!approvalsMet(stage, env, ctx.now))
    return {
      ok: true,
      issue: { ...issue, status: 'open', schedule: undefined },
      effects: [],
      event: {
        kind: 'schedule-held',
        environment: env.id,
        by: issue.schedule.by,
        why: 'approval-expired',
        approvers: staleApprovals(stage, env, ctx.now).map((a) => a.user),
      },
    };
  // Due inside a freeze window (one added or moved since it was scheduled): held until it ends.
  const hold = freezeHold(issue, stageIndex, issue.schedule.by, env, ctx.now);
  if (hold) return { ok: true, ...hold };
  const confirmedBy = issue.schedule.preflight?.confirmedBy;
  if (env.preflight && !confirmedBy && env.preflight.require)
    return {
      ok: true,
      issue: { ...issue, status: 'open', schedule: undefined },
      effects: [],
      event: { kind: 'schedule-held', environment: env.id, by: issue.schedule.by, why: 'unconfirmed', approvers: [] },
    };
  return {
    ok: true,
    issue: releaseStage(issue, stageIndex, issue.schedule.by),
    effects: [{ kind: 'run-stage', stageIndex }],
    event: {
      kind: 'scheduled-run-started',
      environment: env.id,
      ...(issue.schedule.freeze ? { freeze: issue.schedule.freeze.reason } : {}),
      ...(confirmedBy ? { confirmedBy } : env.preflight ? { unconfirmed: true } : {}),
    },
  };
}

/** The pre-flight time of a schedule has come: the check is posted (once) with the live findings. */
export function preflightDue(
  issue: Issue,
  stageIndex: number,
  at: Date,
  findings: ReviewFinding[],
  ctx: Ctx,
): Decision {
  const s = issue.schedule;
  if (issue.status !== 'scheduled' || !s || s.stageIndex !== stageIndex || s.at.getTime() !== at.getTime())
    return refuse('stale', 'the schedule was changed');
  const env = environmentOf(ctx.config, issue.stages[stageIndex]!);
  if (!env.preflight) return refuse('nothing-to-do', `${env.id} has no pre-flight check`);
  if (s.preflight?.posted) return refuse('nothing-to-do', 'the pre-flight check was posted already');
  return {
    ok: true,
    issue: { ...issue, schedule: { ...s, preflight: { posted: true, findings: findings.length } } },
    effects: [],
    event: {
      kind: 'preflight',
      issueId: issue.id,
      revision: issue.revision,
      environment: env.id,
      at,
      releaser: s.by,
      require: env.preflight.require,
      findings,
    },
  };
}

/** Why a pre-flight check's buttons do nothing once its schedule no longer stands. */
export const STALE_PREFLIGHT =
  'this pre-flight check is for a schedule that no longer stands (it was moved, cancelled, held or has run); the issue message shows what can be done now';

/**
 * Confirm a pre-flight check: the stage scheduled for `at` runs then (as mayChangeSchedule decides
 * who). The confirmation was given with the check's findings in view, so it acknowledges them
 * ("Roll out anyway" for the stage and revision) where the person may: the live review just
 * before the start does not hold the stage again for them. The creator's confirmation does not.
 */
export function confirmPreflight(issue: Issue, user: string, at: Date, ctx: Ctx): Decision {
  const s = issue.schedule;
  if (issue.status !== 'scheduled' || !s || s.at.getTime() !== at.getTime()) return refuse('stale', STALE_PREFLIGHT);
  const env = environmentOf(ctx.config, issue.stages[s.stageIndex]!);
  if (!mayChangeSchedule(user, issue, env, ctx.config, ctx.directory))
    return refuse(
      'not-allowed',
      `only a releaser of ${env.id}, whoever scheduled it, or an admin can confirm this rollout`,
      env.releasers.length > 0 ? { role: 'releasers', ids: env.releasers } : undefined,
    );
  if (s.preflight?.confirmedBy) return refuse('nothing-to-do', 'this rollout was confirmed already');
  const found = s.preflight?.findings ?? 0;
  const acknowledges = found > 0 && mayAcknowledge(user, issue, env, ctx.config, ctx.directory);
  return {
    ok: true,
    issue: {
      ...issue,
      schedule: { ...s, preflight: { ...s.preflight, posted: true, confirmedBy: user } },
      ...(acknowledges
        ? { rolloutAnyway: { user, at: ctx.now, stageIndex: s.stageIndex, revision: issue.revision } }
        : {}),
    },
    effects: [],
    event: {
      kind: 'preflight-confirmed',
      by: user,
      environment: env.id,
      at,
      ...(found > 0 ? (acknowledges ? { acknowledged: found } : { unacknowledged: found }) : {}),
    },
  };
}

/** Cancel: a scheduled rollout goes back to open; an open issue is closed for good. */
export function cancel(issue: Issue, user: string, ctx: Ctx): Decision {
  const i = issue.status === 'scheduled' && issue.schedule ? issue.schedule.stageIndex : currentStageIndex(issue);
  const stage = issue.stages[i] ?? issue.stages[issue.stages.length - 1]!;
  const env = environmentOf(ctx.config, stage);
  if (!mayCancel(user, issue, env, ctx.config, ctx.directory))
    return refuse(
      'not-allowed',
      issue.status === 'scheduled'
        ? `only a releaser of ${env.id}, whoever scheduled it, or an admin can cancel this schedule`
        : `only the creator, a releaser of ${env.id} or an admin can cancel this change`,
    );
  if (issue.status === 'scheduled') {
    return {
      ok: true,
      issue: { ...issue, status: 'open', schedule: undefined },
      effects: [{ kind: 'cancel-schedule' }],
      event: { kind: 'schedule-cancelled', by: user },
    };
  }
  // Between waves (or halted) nothing runs: the change may be cancelled, and the rest stay untouched.
  const pausedWaves = issue.status === 'running' && issue.stages.some((s) => s.status === 'running' && betweenWaves(s));
  if (issue.status === 'open' || issue.status === 'rejected' || issue.status === 'failed' || pausedWaves) {
    return {
      ok: true,
      issue: { ...issue, status: 'canceled' },
      effects: [],
      event: { kind: 'cancelled', by: user },
    };
  }
  return refuse('wrong-state', `issue #${issue.id} is ${issue.status}; it cannot be cancelled now`);
}

/**
 * Edit the SQL (the creator, or an admin; not while scheduled or running, and never once a stage
 * has ended done: what ran is what runs next). Review starts over and every approval is
 * dropped, since approvers approved the old SQL. After a failure the issue stays failed with
 * the new revision, and Retry runs it on the failed stage.
 */
export function editSql(issue: Issue, user: string, sql: string, findings: ReviewFinding[], ctx: Ctx): Decision {
  if (!mayEdit(user, issue, ctx.config, ctx.directory))
    return refuse('not-allowed', 'only the creator (or an admin) can edit the SQL');
  if (issue.status === 'scheduled')
    return refuse('wrong-state', 'the rollout is scheduled; cancel it before editing the SQL');
  const frozen = frozenReason(issue);
  if (frozen) return refuse('wrong-state', frozen);
  if (issue.status !== 'open' && issue.status !== 'rejected' && issue.status !== 'failed')
    return refuse('wrong-state', `issue #${issue.id} is ${issue.status}; its SQL cannot be edited now`);
  if (issue.stages.some((s) => s.status === 'running'))
    return refuse('wrong-state', 'part of this change is rolling out; wait for it to end before editing');
  // Tasks that finished keep the SQL they ran (a failed stage may have some); every approval goes.
  const voided = issue.stages.flatMap((s) => s.approvals.map((a) => ({ user: a.user, environment: s.environment })));
  const stages = issue.stages.map((s) => ({
    ...s,
    approvals: [],
    tasks: s.tasks.map((t) => (t.status === 'done' ? { ...t, sql: t.sql ?? issue.sql } : t)),
  }));
  const edited: Issue = {
    ...issue,
    sql,
    findings,
    revision: issue.revision + 1,
    status: issue.status === 'failed' ? 'failed' : 'open',
    stages,
    rolloutAnyway: undefined,
  };
  if (edited.status === 'failed') {
    const failed = edited.stages.find((s) => s.status === 'failed')!;
    const env = environmentOf(ctx.config, failed);
    return {
      ok: true,
      issue: edited,
      effects: [],
      event: {
        kind: 'edited',
        by: user,
        revision: edited.revision,
        voided,
        retry: { environment: env.id, approvals: env.requiredApprovals },
      },
    };
  }
  const { issue: next, effects, held } = startAutomatic(edited, ctx.config, ctx.now);
  return {
    ok: true,
    issue: next,
    effects,
    event: { kind: 'edited', by: user, revision: edited.revision, voided },
    ...heldToo(held),
  };
}

/** Set or clear the explicit "Roll out anyway" acknowledgement of review findings. */
export function setRolloutAnyway(issue: Issue, user: string, checked: boolean, ctx: Ctx): Decision {
  if (issue.status !== 'open' && issue.status !== 'failed')
    return refuse('wrong-state', `issue #${issue.id} is ${issue.status}; nothing to acknowledge now`);
  const i = currentStageIndex(issue);
  if (i < 0) return refuse('nothing-to-do', 'nothing is left to roll out');
  const env = environmentOf(ctx.config, issue.stages[i]!);
  if (user === issue.creator)
    return refuse(
      'not-allowed',
      `you created this change, so someone else who may release ${env.id} must decide to roll out despite review findings`,
    );
  if (!mayAcknowledge(user, issue, env, ctx.config, ctx.directory))
    return refuse(
      'not-allowed',
      `only a releaser of ${env.id} (its approvers where it names no releasers) or an admin can decide to roll out despite review findings`,
    );
  const acked: Issue = {
    ...issue,
    rolloutAnyway: checked ? { user, at: ctx.now, stageIndex: i, revision: issue.revision } : undefined,
  };
  const {
    issue: next,
    effects,
    held,
  } = checked ? startAutomatic(acked, ctx.config, ctx.now) : { issue: acked, effects: [], held: undefined };
  return {
    ok: true,
    issue: next,
    effects,
    event: { kind: 'rollout-anyway', by: user, checked },
    ...heldToo(held),
  };
}

/** Retry the failed tasks of the failed stage. */
export function retry(issue: Issue, user: string, ctx: Ctx): Decision {
  if (issue.status !== 'failed')
    return refuse('wrong-state', `issue #${issue.id} is ${issue.status}; only a failed rollout can be retried`);
  const i = issue.stages.findIndex((s) => s.status === 'failed');
  if (i < 0) return refuse('nothing-to-do', 'no stage failed');
  const stage = issue.stages[i]!;
  const env = environmentOf(ctx.config, stage);
  if (!mayRetry(user, issue, env, ctx.directory))
    return refuse('not-allowed', `only a releaser of ${env.id} can retry`);
  const frozen = frozenAt(env.freeze, ctx.now);
  if (frozen)
    return refuse(
      'frozen',
      `${env.id} is frozen until ${utcText(frozen.until)}: ${frozen.window.reason}. Retry after that.`,
    );
  if (stage.tasks.some((t) => t.status === 'needs-attention')) {
    return refuse(
      'wrong-state',
      'a task needs attention: it was interrupted and may be half applied; check the database and resolve it first',
    );
  }
  // After an edit the failed stage needs its approvals (and any acknowledgement) again.
  const expired = expiredApprovals(stage, env, ctx.now, ctx.now);
  if (expired) return expired;
  if (!approvalsMet(stage, env, ctx.now))
    return refuse(
      'needs-approval',
      `${env.id} needs ${env.requiredApprovals - freshApprovals(stage, env, ctx.now).length} more approval(s) of revision ${issue.revision} before it can be retried`,
      { role: 'approvers', ids: env.approvers },
    );
  if (heldByFindings(issue, i))
    return refuse(
      'needs-acknowledgement',
      `review found problems in this revision: ${env.id} needs "Roll out anyway" ticked by someone who may release it`,
    );
  const tasks = stage.tasks.map((t) =>
    t.status === 'failed' ? { ...t, status: 'pending' as const, error: undefined } : t,
  );
  const next = withStage({ ...issue, status: 'running' }, i, { ...stage, status: 'running', tasks, releasedBy: user });
  return {
    ok: true,
    issue: next,
    effects: [{ kind: 'run-stage', stageIndex: i }],
    event: { kind: 'retried', by: user, environment: env.id, revision: issue.revision },
  };
}

/**
 * Review against the live database found problems just before a released stage ran: nothing
 * ran; the stage waits again with the findings shown, until someone allowed to release ticks
 * "Roll out anyway" and releases it again (automatic stages then start by themselves).
 */
export function holdForLiveReview(issue: Issue, stageIndex: number, findings: ReviewFinding[]): Decision {
  const stage = issue.stages[stageIndex];
  if (stage?.status !== 'running') return refuse('wrong-state', 'the stage is not running');
  if (stage.tasks.some((t) => t.status !== 'pending'))
    return refuse('wrong-state', 'tasks of the stage already started');
  const known = new Set(issue.findings.map(findingKey));
  const merged = [...issue.findings, ...findings.filter((f) => !known.has(findingKey(f)))].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
  const held = withStage({ ...issue, status: 'open', findings: merged }, stageIndex, {
    ...stage,
    status: 'waiting',
    releasedBy: undefined,
  });
  return {
    ok: true,
    issue: held,
    effects: [],
    event: { kind: 'held-by-live-review', environment: stage.environment, findings: findings.length },
  };
}

/**
 * A person checked a task that needs attention (interrupted mid-way where the change could not
 * be atomic) and says whether it was applied. Applied: the task is done and the stage settles
 * again; not applied: the task is failed, and Retry resumes it where it stopped.
 */
export function resolveAttention(issue: Issue, user: string, taskId: string, applied: boolean, ctx: Ctx): Decision {
  const i = issue.stages.findIndex((s) => s.tasks.some((t) => t.id === taskId));
  if (i < 0) return refuse('invalid', 'that task is not part of this issue');
  const stage = issue.stages[i]!;
  const task = stage.tasks.find((t) => t.id === taskId)!;
  if (task.status !== 'needs-attention')
    return refuse('nothing-to-do', `the task on ${task.database} does not need attention (it is ${task.status})`);
  const env = environmentOf(ctx.config, stage);
  if (!mayResolve(user, issue, env, ctx.config, ctx.directory))
    return refuse('not-allowed', `only a releaser of ${env.id} or an admin can resolve this task`);
  const tasks = stage.tasks.map((t) =>
    t.id === taskId
      ? { ...t, status: applied ? ('done' as const) : ('failed' as const), error: applied ? undefined : t.error }
      : t,
  );
  const updated = withStage(issue, i, { ...stage, tasks });
  const event: IssueEvent = {
    kind: 'attention-resolved',
    by: user,
    task: { database: task.database, environment: env.id },
    applied,
  };
  if (stage.status === 'failed' && tasks.every((t) => t.status === 'done' || t.status === 'skipped')) {
    const { issue: next, effects, held } = stageFinished({ ...updated, status: 'running' }, i, ctx.config, ctx.now);
    return { ok: true, issue: next, effects, event, ...heldToo(held) };
  }
  return { ok: true, issue: updated, effects: [], event };
}

/**
 * A stage's tasks have all ended: settle the stage and the issue, and start the next stage
 * at once when it is automatic and ready.
 */
export function stageFinished(
  issue: Issue,
  stageIndex: number,
  config: Config,
  now: Date,
): { issue: Issue; effects: Effect[]; held?: IssueEvent } {
  const stage = issue.stages[stageIndex]!;
  const ok = stage.tasks.every((t) => t.status === 'done' || t.status === 'skipped');
  const settled = withStage(issue, stageIndex, { ...stage, status: ok ? 'done' : 'failed' });
  if (!ok) return { issue: { ...settled, status: 'failed' }, effects: [] };
  if (stageIndex === issue.stages.length - 1) return { issue: { ...settled, status: 'done' }, effects: [] };
  return startAutomatic({ ...settled, status: 'open' }, config, now);
}

/**
 * Which running tasks `user` may stop (all of the running stage's, or the one `taskId` names):
 * whoever may release that stage, or an admin. Stopping changes no state here: the task ends
 * failed when its statement is cancelled, and the stage settles as usual.
 */
export function tasksToStop(
  issue: Issue,
  user: string,
  ctx: Ctx,
  taskId?: string,
): { ok: true; stageIndex: number; environment: string; tasks: Task[] } | Refusal {
  const stageIndex = issue.stages.findIndex((s) =>
    taskId ? s.tasks.some((t) => t.id === taskId) : s.status === 'running',
  );
  const stage = issue.stages[stageIndex];
  if (!stage || issue.status !== 'running' || stage.status !== 'running')
    return refuse('wrong-state', `issue #${issue.id} is not running${taskId ? ' that task' : ''} now`);
  const env = environmentOf(ctx.config, stage);
  if (!mayStopRun(user, issue, env, ctx.config, ctx.directory))
    return refuse('not-allowed', `only a releaser of ${env.id} or an admin can stop its rollout`, {
      role: 'releasers',
      ids: releasersOf(issue, env),
    });
  const tasks = stage.tasks.filter((t) => t.status === 'running' && (!taskId || t.id === taskId));
  if (tasks.length === 0)
    return refuse('wrong-state', `no task of #${issue.id} is running${taskId ? ' there' : ''} now`);
  return { ok: true, stageIndex, environment: env.id, tasks };
}

export type IssueAction =
  | 'approve'
  | 'reject'
  | 'rollout'
  | 'schedule'
  | 'reschedule'
  | 'cancel'
  | 'edit'
  | 'retry'
  | 'rollout-anyway'
  | 'follow-up'
  | 'continue-waves'
  | 'halt-waves'
  | 'stop';

/**
 * What a person could do next, for rendering buttons (authorisation is checked again on click).
 * `now` judges whether approvals are still fresh (approvalExpires); without it they all count.
 */
export function availableActions(issue: Issue, config: Config, now?: Date): Set<IssueAction> {
  const fresh = (stage: Stage, env: EnvironmentConfig) =>
    now ? freshApprovals(stage, env, now).length : stage.approvals.length;
  const out = new Set<IssueAction>();
  const i = currentStageIndex(issue);
  const stage = i >= 0 ? issue.stages[i] : undefined;
  const env = stage ? environmentOf(config, stage) : undefined;
  const frozen = frozenReason(issue) !== undefined;
  switch (issue.status) {
    case 'open': {
      if (stage && env && stage.status === 'waiting') {
        if (fresh(stage, env) < env.requiredApprovals) out.add('approve');
        if (env.requiredApprovals > 0) out.add('reject');
        if (env.rollout !== 'automatic' && !stage.driftHold) {
          if (env.rollout === 'manual') out.add('rollout');
          out.add('schedule');
        }
        if (needsRolloutAnyway(issue.findings)) out.add('rollout-anyway');
      }
      if (!frozen && issue.stages.every((s) => s.status === 'waiting')) out.add('edit');
      out.add('cancel');
      break;
    }
    case 'scheduled':
      out.add('reschedule');
      out.add('cancel');
      break;
    case 'rejected':
      if (!frozen) out.add('edit');
      out.add('cancel');
      break;
    case 'failed':
      // An edited failed stage needs its approvals (and an acknowledgement of findings) again.
      if (stage && env && stage.status === 'failed' && fresh(stage, env) < env.requiredApprovals) out.add('approve');
      if (needsRolloutAnyway(issue.findings)) out.add('rollout-anyway');
      out.add('retry');
      if (!frozen) out.add('edit');
      out.add('cancel');
      break;
    case 'running': {
      const waved = issue.stages.find((s) => s.status === 'running' && s.waves);
      if (waved?.waves) {
        if (waved.waves.status !== 'running') out.add('continue-waves');
        if (waved.waves.status !== 'halted' && !onLastWave(waved)) out.add('halt-waves');
        if (betweenWaves(waved)) out.add('cancel');
      }
      // While a statement runs: Cancel run (its releasers; checked on click).
      if (issue.stages.some((s) => s.status === 'running' && s.tasks.some((t) => t.status === 'running')))
        out.add('stop');
      break;
    }
    case 'done':
    case 'canceled':
      break;
    default:
      return unreachable(issue.status, 'issue status');
  }
  if (frozen) out.add('follow-up');
  return out;
}
