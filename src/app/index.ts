/**
 * The application: the one door every edge (Slack, the git poller, the job queue) comes in by.
 * One function per use case; each takes the actor and the revision they saw, checks permission
 * and staleness (the rules live in src/domain), and returns done / refused / not found. Nothing
 * here writes Slack text: results and thread events are data the edge renders.
 */
import type { Logger } from 'pino';
import type { Config, DatabaseConfig } from '../config/model.js';
import type { Directory } from '../domain/permissions.js';
import type { Store } from '../store/types.js';
import type { Target } from '../targets/types.js';
import type { AppContext } from './context.js';
import * as decisions from './decisions.js';
import * as gitops from './gitops.js';
import { type DriftReport, driftCheck } from './drift-job.js';
import type { GitopsPort, IssueNotifier, LiveReviewer, Reviewer, RolloutQueue } from './ports.js';
import * as queries from './queries.js';
import { runStage } from './run-stage.js';
import * as schemaCommands from './schema-commands.js';
import { ChangeService } from './service.js';
import type { StatePlanner } from './state-change.js';
import * as submit from './submit.js';
import * as waves from './waves.js';
import { RunningTasks } from './running-tasks.js';
import * as stop from './stop.js';
import type { TaskWatchSettings } from './task-watch.js';

export type { DriftReport } from './drift-job.js';
export type { GitopsPort, IssueNotifier, LatestWritten, LiveReviewer, Reviewer, RolloutQueue } from './ports.js';
export type * from './results.js';
export type { DriftResult } from './schema-commands.js';
export type { Submitted } from './submit.js';
export { DEFAULT_TASK_WATCH, type TaskWatchSettings } from './task-watch.js';
export type { Submission, SubmissionField } from './submission.js';
export { MAX_SQL_BYTES, parseLabels } from './submission.js';

// Pure helpers the edges render and parse with; re-exported so an edge needs nothing below this door.
export { targetNames } from '../config/model.js';
export { isValidTimeZone } from '../domain/maintenance-window.js';
export { formatDuration, formatEvent } from '../domain/task-log.js';
export { availableActions, currentStageIndex, environmentOf, isAcknowledged } from '../domain/transitions.js';
export { type Waiting, waitingFor } from '../domain/waiting.js';
export { DbchangeError, ErrorCode, messageOf, unreachable } from '../errors.js';
export { issueVersion } from '../domain/issue.js';

export interface AppDeps {
  config: Config;
  store: Store;
  queue: RolloutQueue;
  notifier: IssueNotifier;
  reviewer: Reviewer;
  liveReviewer?: LiveReviewer;
  planner?: StatePlanner;
  gitops?: GitopsPort;
  targetFor: (db: DatabaseConfig) => Target;
  directory: Directory;
  now: () => Date;
  logger: Logger;
  /** Progress message and lock watch settings (defaults: DEFAULT_TASK_WATCH); the bench turns them off. */
  taskWatch?: TaskWatchSettings;
}

type Bound<F> = F extends (app: AppContext, ...rest: infer A) => infer R ? (...rest: A) => R : never;
function bind<F extends (app: AppContext, ...rest: never[]) => unknown>(ctx: AppContext, f: F): Bound<F> {
  return ((...rest: never[]) => f(ctx, ...rest)) as Bound<F>;
}

/** Every use case, bound to its dependencies. */
export function createApplication(deps: AppDeps) {
  const service = new ChangeService(deps);
  const ctx: AppContext = { ...deps, service, running: new RunningTasks() };
  return {
    /** The validated config, for rendering (database names, the channel, environments). */
    config: deps.config,
    validate: bind(ctx, submit.validate),
    submit: bind(ctx, submit.submit),
    rollback: bind(ctx, submit.rollback),
    followUp: bind(ctx, submit.followUp),
    approve: bind(ctx, decisions.approve),
    reject: bind(ctx, decisions.reject),
    rolloutNow: bind(ctx, decisions.rolloutNow),
    prepareSchedule: bind(ctx, decisions.prepareSchedule),
    schedule: bind(ctx, decisions.schedule),
    reschedule: bind(ctx, decisions.reschedule),
    cancel: bind(ctx, decisions.cancel),
    retry: bind(ctx, decisions.retry),
    acknowledgeReview: bind(ctx, decisions.acknowledgeReview),
    resolveAttention: bind(ctx, decisions.resolveAttention),
    continueWaves: bind(ctx, waves.continueWaves),
    haltWaves: bind(ctx, waves.haltWaves),
    prepareEdit: bind(ctx, decisions.prepareEdit),
    edit: bind(ctx, decisions.edit),
    stopRun: bind(ctx, stop.stopRun),
    keepWaiting: bind(ctx, stop.keepWaiting),
    issue: bind(ctx, queries.issue),
    status: bind(ctx, queries.status),
    list: bind(ctx, queries.list),
    history: bind(ctx, queries.history),
    sessions: bind(ctx, queries.sessions),
    generatedDdl: bind(ctx, queries.generatedDdl),
    drift: bind(ctx, schemaCommands.drift),
    baseline: bind(ctx, schemaCommands.baseline),
    // For the job queue:
    /** Run a released stage (the queue's job); `heartbeat` keeps the job's lock while tasks run. */
    runStage: (issueId: string, stageIndex: number, heartbeat?: () => Promise<void>) =>
      runStage({ ...ctx, heartbeat, ddlFor: deps.planner?.ddlFor }, issueId, stageIndex),
    scheduledStageDue: bind(ctx, decisions.scheduledStageDue),
    waveDelayDue: bind(ctx, waves.waveDelayDue),
    /** Check every database for drift; returns the drifts not reported before. */
    driftCheck: (): Promise<DriftReport[]> => driftCheck(ctx),
    /** The git door: a poll's migration files for one database, or a changed LATEST file, become an issue. */
    openGitMigrationChange: bind(ctx, gitops.openMigrationChange),
    openGitStateChange: bind(ctx, gitops.openStateChange),
    /** Finish opening a change from git that a crash interrupted (post it, start what starts at once). */
    resumeGitChange: bind(ctx, gitops.resumeGitChange),
    /** An admin applies or skips a migration file held because its version is out of order. */
    decideHeldMigration: bind(ctx, gitops.decideHeldMigration),
    /** After a restart: queue again the stages that were running. */
    reconcile: () => service.reconcile(),
  };
}

/** The application as the edges see it. */
export type Application = ReturnType<typeof createApplication>;
