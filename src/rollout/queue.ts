/**
 * The rollout job queue on Agenda 6. Jobs live in the bot's store, so a scheduled rollout
 * survives a restart, and several bot processes sharing a store never run one job twice
 * (Agenda locks a job while it runs). Job kinds:
 *   dbchange.run-stage       { issueId, stageIndex }      run a released stage now
 *   dbchange.scheduled-stage { issueId, stageIndex, at }  release a stage when its time comes
 *   dbchange.wave-due        { issueId, stageIndex, wave } waveDelay passed: start the next wave unless
 *                                                         it was halted or continued meanwhile
 *   dbchange.preflight       { issueId, stageIndex, at }  the pre-flight check of a scheduled stage
 *                                                         (at − before); moved and cancelled with its schedule
 *   dbchange.approval-expiry { issueId, stageIndex, user, at } an approval stopped counting (approvalExpires):
 *                                                         the thread says so and the message shows it
 *   dbchange.drift-check     {}                           periodic drift check (when defined)
 *   dbchange.gitops-poll.<h> { repo }                     one repeating job per watched repository, at its
 *                                                         pollInterval; Agenda's lock on it means one
 *                                                         process polls a repository at a time
 * A job that was running when its process died is picked up again after its lock expires; the
 * executor and the targets' ledgers make that re-run harmless. While the store is unreachable,
 * Agenda's errors go to `onError` (never to the process), a heartbeat that cannot be saved keeps
 * the lock in this process, and a stage already running here is not started a second time.
 */
import { createHash } from 'node:crypto';
import { Agenda, type AgendaBackend, type Job, type NotificationChannel } from 'agenda';
import type { Logger } from 'pino';
import type { RolloutQueue } from '../app/ports.js';
import { isConnectionLoss, storeUnavailable } from '../store/outage.js';

export const JOB_RUN_STAGE = 'dbchange.run-stage';
export const JOB_SCHEDULED_STAGE = 'dbchange.scheduled-stage';
export const JOB_DRIFT_CHECK = 'dbchange.drift-check';
export const JOB_WAVE_DUE = 'dbchange.wave-due';
export const JOB_APPROVAL_EXPIRY = 'dbchange.approval-expiry';
export const JOB_PREFLIGHT = 'dbchange.preflight';

/** The poll job of one repository: Agenda keeps one document per name for repeating jobs. */
export function gitopsJobName(repoKey: string): string {
  return `dbchange.gitops-poll.${createHash('sha256').update(repoKey).digest('hex').slice(0, 16)}`;
}

interface StageJob {
  issueId: string;
  stageIndex: number;
  /** Which release of the stage this job runs (see RolloutQueue.runStage). */
  run?: string;
}
interface ScheduledJob extends StageJob {
  at: string;
}
interface WaveJob extends StageJob {
  wave: number;
}
interface ExpiryJob extends StageJob {
  user: string;
  at: string;
}

export interface QueueHandlers {
  runStage(issueId: string, stageIndex: number, heartbeat: () => Promise<void>): Promise<void>;
  scheduledStageDue(issueId: string, stageIndex: number, at: Date): Promise<void>;
  waveDelayDue(issueId: string, stageIndex: number, wave: number): Promise<void>;
  approvalExpired(issueId: string, stageIndex: number, user: string, at: Date): Promise<void>;
  preflightDue(issueId: string, stageIndex: number, at: Date): Promise<void>;
  driftCheck?: () => Promise<void>;
  /** Poll one repository; `touch` keeps the job's lock while a long poll runs. */
  gitopsPoll?: (repoKey: string, touch: () => Promise<void>) => Promise<void>;
}

export interface GitopsSchedule {
  repoKey: string;
  /** Agenda interval, e.g. '2 seconds'. */
  interval: string;
}

export interface StartedQueue {
  queue: RolloutQueue;
  agenda: Agenda;
  /** Poll a repository as soon as possible (a webhook arrived); the repeating job keeps its lock and interval. */
  triggerPoll(repoKey: string): Promise<void>;
  stop(): Promise<void>;
}

/** A lock shorter than Agenda's 10-minute default, kept alive by heartbeats from running tasks. */
const LOCK_LIFETIME_MS = 60_000;
const GITOPS_LOCK_MS = 20_000;

/** Define the jobs and start processing. */
export async function startQueue(opts: {
  backend: AgendaBackend;
  notificationChannel?: NotificationChannel;
  handlers: QueueHandlers;
  logger: Logger;
  name?: string;
  /** An Agenda interval, or milliseconds. */
  processEvery?: string | number;
  /** How often the drift check runs (Agenda interval, e.g. '1 hour'); none when unset. */
  driftInterval?: string;
  /** The repositories to poll, each at its own interval. */
  gitops?: GitopsSchedule[];
  /** Agenda's own errors (finding, locking or saving jobs); connection losses among them mean the store is gone. */
  onError?: (err: unknown) => void;
}): Promise<StartedQueue> {
  const agenda = new Agenda({
    backend: opts.backend,
    notificationChannel: opts.notificationChannel,
    name: opts.name ?? `dbchange-${process.pid}`,
    processEvery: opts.processEvery ?? '5 seconds',
    defaultLockLifetime: LOCK_LIFETIME_MS,
    maxConcurrency: 20,
    removeOnComplete: true,
  });
  const { handlers, logger } = opts;
  agenda.on('error', (err: unknown) => opts.onError?.(err));

  // One run of a stage at a time in this process. A stage job Agenda hands out again while it
  // still runs here (its lock could not be renewed during an outage) waits for the run in
  // progress instead of starting a second one. Another job for the same stage (a Retry, or the
  // stage queued again after a restart or an outage) waits for it too and then runs: it finds
  // what the first run left and goes on from there, instead of running the same tasks beside it.
  const runningStages = new Map<string, { release: string; run: Promise<void> }>();
  agenda.define<StageJob>(
    JOB_RUN_STAGE,
    async (job: Job<StageJob>) => {
      const { issueId, stageIndex, run: release = '' } = job.attrs.data;
      const key = `${issueId}:${stageIndex}`;
      for (let inProgress = runningStages.get(key); inProgress; inProgress = runningStages.get(key)) {
        await inProgress.run.catch(() => undefined);
        if (inProgress.release === release) return;
      }
      // The lock is renewed in memory first; a save that fails while the store is away is tried at the next beat.
      const heartbeat = () => job.touch().catch(() => undefined);
      const run = handlers.runStage(issueId, stageIndex, heartbeat);
      runningStages.set(key, { release, run });
      try {
        await run;
      } finally {
        if (runningStages.get(key)?.run === run) runningStages.delete(key);
      }
    },
    { concurrency: 10, lockLifetime: LOCK_LIFETIME_MS },
  );
  agenda.define<ScheduledJob>(
    JOB_SCHEDULED_STAGE,
    async (job: Job<ScheduledJob>) => {
      const { issueId, stageIndex, at } = job.attrs.data;
      await handlers.scheduledStageDue(issueId, stageIndex, new Date(at));
    },
    { concurrency: 5, lockLifetime: LOCK_LIFETIME_MS },
  );
  agenda.define<WaveJob>(
    JOB_WAVE_DUE,
    async (job: Job<WaveJob>) => {
      const { issueId, stageIndex, wave } = job.attrs.data;
      await handlers.waveDelayDue(issueId, stageIndex, wave);
    },
    { concurrency: 5, lockLifetime: LOCK_LIFETIME_MS },
  );
  agenda.define<ScheduledJob>(
    JOB_PREFLIGHT,
    async (job: Job<ScheduledJob>) => {
      const { issueId, stageIndex, at } = job.attrs.data;
      await handlers.preflightDue(issueId, stageIndex, new Date(at));
    },
    { concurrency: 5, lockLifetime: LOCK_LIFETIME_MS },
  );
  agenda.define<ExpiryJob>(
    JOB_APPROVAL_EXPIRY,
    async (job: Job<ExpiryJob>) => {
      const { issueId, stageIndex, user, at } = job.attrs.data;
      await handlers.approvalExpired(issueId, stageIndex, user, new Date(at));
    },
    { concurrency: 5, lockLifetime: LOCK_LIFETIME_MS },
  );
  agenda.on('fail', (err: Error, job: Job) => {
    logger.error({ err, job: job.attrs.name, data: job.attrs.data }, 'job failed');
  });

  if (handlers.driftCheck) {
    const check = handlers.driftCheck;
    agenda.define(JOB_DRIFT_CHECK, async () => check(), { concurrency: 1, lockLifetime: 10 * 60_000 });
  }

  const polls = handlers.gitopsPoll ? (opts.gitops ?? []) : [];
  for (const { repoKey } of polls) {
    const poll = handlers.gitopsPoll!;
    agenda.define<{ repo: string }>(
      gitopsJobName(repoKey),
      async (job: Job<{ repo: string }>) => poll(repoKey, async () => void (await job.touch())),
      // A short lock: after a crash another process (or the restarted one) polls again soon.
      { concurrency: 1, lockLifetime: GITOPS_LOCK_MS },
    );
  }

  await agenda.start();
  // One repeating job for all bot processes sharing the store (Agenda's `every` is a single job).
  if (handlers.driftCheck && opts.driftInterval) await agenda.every(opts.driftInterval, JOB_DRIFT_CHECK);
  for (const { repoKey, interval } of polls) await agenda.every(interval, gitopsJobName(repoKey), { repo: repoKey });

  const queue: RolloutQueue = storeErrors({
    async runStage(issueId, stageIndex, run) {
      const job = agenda.create<StageJob>(JOB_RUN_STAGE, { issueId, stageIndex, run: run ?? '' });
      // One job per stage and release: a second request for the same release re-arms the same
      // job instead of adding a parallel run. A new release (Retry) gets a job of its own: the
      // previous run's job, finishing just then, would otherwise overwrite and remove the re-armed
      // one, and the retry would never run. The executor and the ledgers make a re-run harmless.
      job.unique({ 'data.issueId': issueId, 'data.stageIndex': stageIndex, 'data.run': run ?? '' });
      job.schedule(new Date());
      await job.save();
    },
    async scheduleStage(issueId, stageIndex, at, preflightAt) {
      await agenda.cancel({ name: JOB_SCHEDULED_STAGE, data: { issueId } });
      await agenda.cancel({ name: JOB_PREFLIGHT, data: { issueId } });
      await agenda.schedule(at, JOB_SCHEDULED_STAGE, { issueId, stageIndex, at: at.toISOString() });
      if (preflightAt) await agenda.schedule(preflightAt, JOB_PREFLIGHT, { issueId, stageIndex, at: at.toISOString() });
    },
    async cancelSchedule(issueId) {
      await agenda.cancel({ name: JOB_SCHEDULED_STAGE, data: { issueId } });
      await agenda.cancel({ name: JOB_PREFLIGHT, data: { issueId } });
    },
    async approvalExpiresAt(issueId, stageIndex, user, at) {
      // One reminder per approval: a renewed approval replaces the reminder of the one before.
      await agenda.cancel({ name: JOB_APPROVAL_EXPIRY, data: { issueId, stageIndex, user } });
      await agenda.schedule(at, JOB_APPROVAL_EXPIRY, { issueId, stageIndex, user, at: at.toISOString() });
    },
    async continueWavesAt(issueId, stageIndex, wave, at) {
      // The job finds out itself whether the wave is still due (a Halt or a Continue may come first).
      await agenda.cancel({ name: JOB_WAVE_DUE, data: { issueId } });
      await agenda.schedule(at, JOB_WAVE_DUE, { issueId, stageIndex, wave });
    },
  });

  return {
    queue,
    agenda,
    async triggerPoll(repoKey) {
      const schedule = polls.find((p) => p.repoKey === repoKey);
      if (!schedule) return;
      // The same single repeating job, due now: an upsert that leaves its lock alone, so a poll
      // running elsewhere is not doubled. (A due time in the past would be ignored by the upsert.)
      const job = agenda.create(gitopsJobName(repoKey), { repo: repoKey });
      job.attrs.type = 'single';
      job.repeatEvery(schedule.interval);
      job.schedule(new Date(Date.now() + 50));
      await job.save();
    },
    async stop() {
      await agenda.stop();
    },
  };
}

/** Jobs live in the store: a job that cannot be saved for want of a connection is the store being unavailable. */
function storeErrors(queue: RolloutQueue): RolloutQueue {
  const guard =
    <A extends unknown[]>(f: (...a: A) => Promise<void>) =>
    async (...a: A): Promise<void> => {
      try {
        await f(...a);
      } catch (e) {
        if (!isConnectionLoss(e)) throw e;
        throw storeUnavailable(e);
      }
    };
  return {
    runStage: guard(queue.runStage),
    scheduleStage: guard(queue.scheduleStage),
    cancelSchedule: guard(queue.cancelSchedule),
    continueWavesAt: guard(queue.continueWavesAt),
    approvalExpiresAt: guard(queue.approvalExpiresAt),
  };
}
