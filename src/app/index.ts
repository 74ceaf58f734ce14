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
import * as driftHold from './drift-hold.js';
import { reconsiderDriftHolds } from './drift-hold.js';
import type {
  GitopsPort,
  IssueNotifier,
  LiveReviewer,
  Reviewer,
  RolloutQueue,
  StoreOutages,
  TableMeasurer,
} from './ports.js';
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
import { type Refused, refused } from './results.js';
import { ErrorCode as Codes, isDbchangeError } from '../errors.js';

export type { DriftReport } from './drift-job.js';
export type {
  GitopsPort,
  IssueNotifier,
  LatestWritten,
  LiveReviewer,
  Outage,
  Reviewer,
  RolloutQueue,
  StoreOutages,
  TableMeasurer,
} from './ports.js';
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
export { expiresAt, isFresh, periodText } from '../domain/approvals.js';

export interface AppDeps {
  config: Config;
  store: Store;
  queue: RolloutQueue;
  notifier: IssueNotifier;
  reviewer: Reviewer;
  liveReviewer?: LiveReviewer;
  measureTables?: TableMeasurer;
  planner?: StatePlanner;
  gitops?: GitopsPort;
  targetFor: (db: DatabaseConfig) => Target;
  directory: Directory;
  now: () => Date;
  logger: Logger;
  /** Progress message and lock watch settings (defaults: DEFAULT_TASK_WATCH); the bench turns them off. */
  taskWatch?: TaskWatchSettings;
  /** The store's availability: a running stage waits an outage out. */
  outages?: StoreOutages;
}

type Bound<F> = F extends (app: AppContext, ...rest: infer A) => infer R ? (...rest: A) => R : never;
function bind<F extends (app: AppContext, ...rest: never[]) => unknown>(ctx: AppContext, f: F): Bound<F> {
  return ((...rest: never[]) => f(ctx, ...rest)) as Bound<F>;
}

/**
 * A use case a person starts: when the store cannot be reached it is refused (nothing was saved,
 * since the store is where everything is saved), and the person is told to try again.
 */
function door<F extends (app: AppContext, ...rest: never[]) => Promise<unknown>>(
  ctx: AppContext,
  f: F,
): (...rest: Parameters<Bound<F>>) => Promise<Awaited<ReturnType<F>> | Refused> {
  const bound = bind(ctx, f) as (...rest: Parameters<Bound<F>>) => Promise<Awaited<ReturnType<F>>>;
  return async (...rest) => {
    try {
      return await bound(...rest);
    } catch (e) {
      if (!isDbchangeError(e, Codes.StoreUnavailable)) throw e;
      return refused(
        'store-unavailable',
        "the bot's store is unavailable right now; nothing was changed. Try again in a minute.",
      );
    }
  };
}

/** Every use case, bound to its dependencies. */
export function createApplication(deps: AppDeps) {
  const service = new ChangeService(deps);
  const ctx: AppContext = { ...deps, service, running: new RunningTasks() };
  return {
    /** The validated config, for rendering (database names, the channel, environments). */
    config: deps.config,
    validate: bind(ctx, submit.validate),
    submit: door(ctx, submit.submit),
    rollback: door(ctx, submit.rollback),
    followUp: door(ctx, submit.followUp),
    approve: door(ctx, decisions.approve),
    reject: door(ctx, decisions.reject),
    rolloutNow: door(ctx, decisions.rolloutNow),
    prepareSchedule: door(ctx, decisions.prepareSchedule),
    schedule: door(ctx, decisions.schedule),
    reschedule: door(ctx, decisions.reschedule),
    cancel: door(ctx, decisions.cancel),
    cancelSchedule: door(ctx, decisions.cancelSchedule),
    confirmPreflight: door(ctx, decisions.confirmPreflight),
    retry: door(ctx, decisions.retry),
    acknowledgeReview: door(ctx, decisions.acknowledgeReview),
    resolveAttention: door(ctx, decisions.resolveAttention),
    continueWaves: door(ctx, waves.continueWaves),
    haltWaves: door(ctx, waves.haltWaves),
    prepareEdit: door(ctx, decisions.prepareEdit),
    edit: door(ctx, decisions.edit),
    stopRun: door(ctx, stop.stopRun),
    keepWaiting: door(ctx, stop.keepWaiting),
    issue: door(ctx, queries.issue),
    status: door(ctx, queries.status),
    list: door(ctx, queries.list),
    history: door(ctx, queries.history),
    sessions: door(ctx, queries.sessions),
    generatedDdl: door(ctx, queries.generatedDdl),
    drift: door(ctx, schemaCommands.drift),
    baseline: door(ctx, schemaCommands.baseline),
    openDriftRevert: door(ctx, driftHold.openDriftRevert),
    // For the job queue:
    /** Run a released stage (the queue's job); `heartbeat` keeps the job's lock while tasks run. */
    runStage: (issueId: string, stageIndex: number, heartbeat?: () => Promise<void>) =>
      runStage({ ...ctx, heartbeat, ddlFor: deps.planner?.ddlFor }, issueId, stageIndex),
    scheduledStageDue: bind(ctx, decisions.scheduledStageDue),
    approvalExpired: bind(ctx, decisions.approvalExpired),
    preflightDue: bind(ctx, decisions.preflightDue),
    waveDelayDue: bind(ctx, waves.waveDelayDue),
    /** Check every database for drift; returns the drifts not reported before. */
    driftCheck: async (): Promise<DriftReport[]> => {
      const reports = await driftCheck(ctx);
      // A drift may have gone away by other means (reverted by hand): lift the holds it caused.
      await reconsiderDriftHolds(ctx);
      return reports;
    },
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
