/**
 * Runs one stage of an issue (DESIGN §2):
 * - tasks on the same database run one after another, and a failed task does not stop the
 *   tasks after it; tasks on different databases run concurrently, at most `concurrency` at once;
 * - each task is applied through its target's ledger, so a job re-run after a crash never
 *   applies a statement twice (see src/targets/types.ts);
 * - every statement's outcome goes to the issue's thread and the task log; every attempt is
 *   recorded in the history with the schema before and after.
 * When all tasks have ended the stage is settled by the state machine (`stageFinished`), which
 * may start the next, automatic, stage.
 *
 * When the bot's store cannot be reached, the run waits it out rather than failing: the target's
 * work goes on (its log lines are kept and written once the store answers), every write to the
 * store waits until the store is back, and the thread is told when the store was lost, when it
 * came back and which tasks continued or were re-run.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { type Config, type DatabaseConfig, findDatabase } from '../config/model.js';
import type { IssueEvent, TaskRef } from '../domain/events.js';
import { type Issue, issueVersion, type Stage, type Task } from '../domain/issue.js';
import { waveEnded, waveResults } from '../domain/wave-transitions.js';
import { betweenWaves, onLastWave, planWaves, startedDatabases, waveTasks } from '../domain/waves.js';
import { failureAftermath, formatDuration, formatEvent } from '../domain/task-log.js';
import { environmentOf, holdForLiveReview, isAcknowledged, stageFinished } from '../domain/transitions.js';
import { ErrorCode, isDbchangeError, messageOf, unreachable } from '../errors.js';
import { splitStatements } from '../sql/split.js';
import type { Store, TaskLogEntry } from '../store/types.js';
import type { ApplyOutcome, Target, TaskLogEvent } from '../targets/types.js';
import { heldByDrift, reconsiderDriftHolds } from './drift-hold.js';
import type { LiveReviewer, Outage, StoreOutages } from './ports.js';
import { liveFindings } from './live-review.js';
import type { ChangeService } from './service.js';
import { type Snapshot, snapshotFrom, snapshotKey, snapshotOf } from './snapshot.js';
import type { RunningTasks } from './running-tasks.js';
import { DEFAULT_TASK_WATCH, type TaskWatchSettings, watchTask } from './task-watch.js';

export interface RunStageDeps {
  config: Config;
  store: Store;
  /** Saves task progress and settles the stage (the app's own issue writer). */
  service: ChangeService;
  targetFor: (db: DatabaseConfig) => Target;
  /** Review rules that need the live database, run before a stage's first attempt. */
  liveReviewer?: LiveReviewer;
  now: () => Date;
  logger: Logger;
  /** For state-based issues: the DDL that brings a database to the desired SDL now. */
  ddlFor?: (db: DatabaseConfig, sdl: string) => Promise<string>;
  /** Called while a long task runs, so the queue keeps its lock on the job. */
  heartbeat?: () => Promise<void>;
  /** The tasks running in this process, so a person can stop one. */
  running: RunningTasks;
  /** Progress message and lock watch settings (defaults: DEFAULT_TASK_WATCH). */
  taskWatch?: TaskWatchSettings;
  /** The store's availability; without it a lost store fails the task like any other error of the bot. */
  outages?: StoreOutages;
}

/** How often the job's lock is renewed while a run waits for the store. */
const BEAT_WHILE_WAITING_MS = 10_000;

/** Which tasks of this run lived through which outage of the store, for the thread. */
class OutageNotes {
  private readonly outages = new Map<number, { outage: Outage; tasks: Map<string, TaskNote> }>();

  add(outage: Outage | undefined, task: TaskNote | undefined): void {
    if (!outage) return;
    const key = outage.lostAt.getTime();
    const entry = this.outages.get(key) ?? { outage, tasks: new Map<string, TaskNote>() };
    this.outages.set(key, entry);
    if (task && !entry.tasks.has(task.id)) entry.tasks.set(task.id, task);
  }

  events(): IssueEvent[] {
    return [...this.outages.values()].map(({ outage, tasks }) => ({
      kind: 'store-outage',
      lostAt: outage.lostAt,
      resumedAt: outage.resumedAt,
      tasks: [...tasks.values()].map(({ task, resumed }) => ({ task, resumed })),
    }));
  }
}

interface TaskNote {
  id: string;
  task: TaskRef;
  resumed: 'continued' | 're-run';
}

function isStoreUnavailable(deps: RunStageDeps, e: unknown): boolean {
  return deps.outages !== undefined && isDbchangeError(e, ErrorCode.StoreUnavailable);
}

/** Wait until the store answers again, renewing the job's lock meanwhile. */
async function waitForStore(deps: RunStageDeps): Promise<Outage | undefined> {
  const beat = setInterval(() => void deps.heartbeat?.().catch(() => undefined), BEAT_WHILE_WAITING_MS);
  try {
    return await deps.outages?.untilAvailable();
  } finally {
    clearInterval(beat);
  }
}

/** Run a step that needs the store; when the store is unavailable, wait for it and run the step again. */
async function patiently<T>(
  deps: RunStageDeps,
  notes: OutageNotes,
  step: () => Promise<T>,
  task?: TaskNote,
): Promise<T> {
  for (;;) {
    try {
      return await step();
    } catch (e) {
      if (!isStoreUnavailable(deps, e)) throw e;
      notes.add(await waitForStore(deps), task);
      await deps.heartbeat?.().catch(() => undefined);
    }
  }
}

/** How often a running task tells the queue it is alive (its job lock lasts a minute). */
const HEARTBEAT_MS = 5000;
/**
 * A task's statement lines reach the thread (and the store) in batches, at most one a second:
 * Slack allows about one message a second per channel, and the posts' work stays off the
 * statements' path. A batch that renders longer than one Slack message is posted as several
 * (see the notifier); the rest of a batch is posted when the task ends.
 */
const LOG_POST_EVERY_MS = 1000;

/** When this process first ran a stage (on the app's clock): a task finished before then was finished by an earlier process. */
let firstRunAt: number | undefined;
/** Stages (issue/index) this process has run: it tells an earlier process's finished tasks once. */
const resumedHere = new Set<string>();

/** Run the tasks of `stageIndex` that have not ended, then settle the stage. */
export async function runStage(given: RunStageDeps, issueId: string, stageIndex: number): Promise<void> {
  // The queue's lock on the stage's job lasts a minute: every task and statement may beat, at most one in HEARTBEAT_MS goes out.
  const deps = { ...given, heartbeat: given.heartbeat && throttled(given.heartbeat, HEARTBEAT_MS) };
  const notes = new OutageNotes();
  const issue = await patiently(deps, notes, () => deps.store.getIssue(issueId));
  if (!issue) return;
  const stage = issue.stages[stageIndex];
  // A stale or duplicate job: the stage is not (or no longer) running.
  if (stage?.status !== 'running') return;

  // Between waves nothing runs: Continue (or the wave delay) queues the stage again.
  if (betweenWaves(stage)) return;
  if (await heldByDrift(deps, issue, stageIndex)) return;
  if (await heldByLiveReview(deps, notes, issue, stageIndex)) return;

  // A task still marked running was cut off by an earlier run; when that run lost the store
  // (in this process's life), this one re-runs it, and the ledger skips what was applied.
  const last = deps.outages?.last;
  for (const task of stage.tasks) {
    if (last && task.status === 'running' && task.startedAt && task.startedAt <= last.lostAt)
      notes.add(last, { id: task.id, task: taskRef(task, stage.environment), resumed: 're-run' });
  }

  // Resumed by a later process: the tasks an earlier one finished may never have reached the
  // thread (it died with them queued for Slack's pace), so this one tells them, once.
  // Only the running wave's: the thread told the end of an earlier wave.
  firstRunAt ??= deps.now().getTime();
  if (!resumedHere.has(`${issue.id}/${stageIndex}`)) {
    resumedHere.add(`${issue.id}/${stageIndex}`);
    for (const task of stage.waves ? waveTasks(stage, stage.waves.current) : stage.tasks) {
      if (task.status !== 'done' || !task.finishedAt || task.finishedAt.getTime() >= firstRunAt) continue;
      const durationMs = task.startedAt ? task.finishedAt.getTime() - task.startedAt.getTime() : 0;
      await deps.service.threadSafe(issue, {
        kind: 'task-done',
        task: taskRef(task, stage.environment),
        durationMs,
        beforeRestart: true,
      });
    }
  }

  const started = startedDatabases(await patiently(deps, notes, () => withWavePlan(deps, issue, stageIndex)));
  const byDatabase = new Map<string, Task[]>();
  for (const task of stage.tasks) {
    if (task.status !== 'pending' && task.status !== 'running') continue;
    if (started && !started.has(task.database)) continue;
    const list = byDatabase.get(task.database) ?? [];
    list.push(task);
    byDatabase.set(task.database, list);
  }
  const lanes = [...byDatabase.values()];
  const concurrency = Math.max(1, deps.config.rolloutConcurrency);
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++]!;
      let known: Snapshot | undefined;
      for (const task of lane) {
        try {
          // The schema after one task is the schema before the next on the same database.
          known = await runTask(deps, notes, issue, stageIndex, task, known);
        } catch (err) {
          // The bot's own failure (store, Slack): the task is marked failed so the stage can
          // settle and a person can Retry; the target's ledger still decides what was applied.
          deps.logger.error({ err, issue: issue.id, task: task.id }, 'task failed inside the bot');
          known = undefined;
          const error = `dbchange could not finish this task: ${messageOf(err)}`;
          await patiently(deps, notes, () =>
            deps.service.save(issue, (i) =>
              updateTask(i, stageIndex, task.id, (t) =>
                t.status === 'running' || t.status === 'pending'
                  ? { ...t, status: 'failed', error, finishedAt: deps.now() }
                  : t,
              ),
            ),
          ).catch((e: unknown) => deps.logger.error({ err: e }, 'could not record the task failure'));
          await deps.service.threadSafe(issue, {
            kind: 'task-bot-failure',
            task: taskRef(task, stage.environment),
            error,
          });
        }
        // Short tasks beat too: a stage over many databases outlasts the job's lock.
        await deps
          .heartbeat?.()
          .catch((err: unknown) => deps.logger.warn({ err }, 'could not renew the stage job lock'));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, worker));
  for (const event of notes.events()) await deps.service.threadSafe(issue, event);

  await patiently(deps, notes, () => tellLastWave(deps, issueId, stageIndex));
  // The thread has told every task's end (and the wave's) before the stage is settled and the
  // message says so: a bot that dies before that leaves the stage running, and the next one tells again.
  await deps.service.threadSent(issue);
  const settled = await patiently(deps, notes, () =>
    deps.service.mutate(issueId, (current) => {
      const s = current.stages[stageIndex];
      if (s?.status !== 'running') return { ok: false, code: 'wrong-state', message: 'stage already settled' };
      const inPlay = startedDatabases(s);
      if (
        s.tasks.some((t) => (t.status === 'pending' || t.status === 'running') && (!inPlay || inPlay.has(t.database)))
      )
        return { ok: false, code: 'wrong-state', message: 'tasks still running' };
      // A wave ended and more are to come: the stage waits for Continue (or the wave delay).
      if (!onLastWave(s)) return waveEnded(current, stageIndex, { config: deps.config, now: deps.now() });
      const { issue: settled, effects, held } = stageFinished(current, stageIndex, deps.config, deps.now());
      const environment = s.environment;
      const failed = settled.stages[stageIndex]!.status === 'failed';
      return {
        ok: true,
        issue: settled,
        effects,
        event: { kind: failed ? 'stage-failed' : 'stage-done', environment },
        // The next stage is automatic but frozen: the thread says until when.
        ...(held ? { more: [held] } : {}),
      };
    }),
  );
  // A revert change brought a drifted database back: the stages its drift held may go on.
  const revert = issue.driftRevert;
  if (settled.kind === 'done' && revert)
    await reconsiderDriftHolds(deps, new Set([`${revert.database}@${revert.environment}`]));
}

function taskRef(task: Task, environment: string): TaskRef {
  return { database: task.database, environment, name: task.name };
}

/** The last wave of a stage in waves ended: its per-database results go to the thread, as every wave's do. */
async function tellLastWave(deps: RunStageDeps, issueId: string, stageIndex: number): Promise<void> {
  const issue = await deps.store.getIssue(issueId);
  const stage = issue?.stages[stageIndex];
  if (!issue || stage?.status !== 'running' || !stage.waves || !onLastWave(stage)) return;
  if (stage.tasks.some((t) => t.status === 'pending' || t.status === 'running')) return;
  await deps.service.threadSafe(issue, {
    kind: 'wave-done',
    environment: stage.environment,
    wave: stage.waves.current + 1,
    waves: stage.waves.plan.length,
    results: waveResults(stage, stage.waves.current),
    next: 'none',
  });
}

/**
 * An environment with `waves`: on the stage's first run its databases are split into waves
 * (domain/waves.ts), stored, and only the first wave runs. Returns the stage as stored.
 */
async function withWavePlan(deps: RunStageDeps, issue: Issue, stageIndex: number): Promise<Stage> {
  const stage = issue.stages[stageIndex]!;
  if (stage.waves) return stage;
  const plan = planWaves(environmentOf(deps.config, stage).waves, stage);
  if (!plan) return stage;
  const saved = await deps.service.save(issue, (i) => ({
    ...i,
    stages: i.stages.map((s, k) => (k === stageIndex && !s.waves ? { ...s, waves: plan } : s)),
  }));
  return saved.stages[stageIndex]!;
}

/**
 * Before a stage's first run, the rules that need the live database (dry runs, row estimates,
 * walk-through) check each task's SQL against its target. Problems hold the stage unless
 * someone already chose "Roll out anyway". Retries and re-runs after a crash skip this.
 */
async function heldByLiveReview(
  deps: RunStageDeps,
  notes: OutageNotes,
  issue: Issue,
  stageIndex: number,
): Promise<boolean> {
  const stage = issue.stages[stageIndex]!;
  if (isAcknowledged(issue, stageIndex)) return false;
  if (stage.tasks.some((t) => t.status !== 'pending' || t.attempt > 0)) return false;
  const findings = await liveFindings(deps, issue, stageIndex);
  if (findings.length === 0) return false;
  const held = await patiently(deps, notes, () =>
    deps.service.mutate(issue.id, (current) => holdForLiveReview(current, stageIndex, findings)),
  );
  return held.kind === 'done';
}

/** `beat` at most every `ms`; the first one `ms` after this is made (the job's lock was just taken, to run it). */
function throttled(beat: () => Promise<void>, ms: number): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < ms) return;
    last = Date.now();
    await beat();
  };
}

function updateTask(issue: Issue, stageIndex: number, taskId: string, change: (t: Task) => Task): Issue {
  return {
    ...issue,
    stages: issue.stages.map((s, i) =>
      i !== stageIndex ? s : { ...s, tasks: s.tasks.map((t) => (t.id === taskId ? change(t) : t)) },
    ),
  };
}

/** Run one task; returns the schema it left when it introspected it afresh (for the next task). */
async function runTask(
  deps: RunStageDeps,
  notes: OutageNotes,
  issue: Issue,
  stageIndex: number,
  task: Task,
  known?: Snapshot,
): Promise<Snapshot | undefined> {
  const stage = issue.stages[stageIndex]!;
  const db = findDatabase(deps.config, task.database, stage.environment);
  const startedAt = deps.now();
  const note: TaskNote = { id: task.id, task: taskRef(task, stage.environment), resumed: 'continued' };
  // Every write to the store waits out an outage of it.
  const service = {
    save: (i: Issue, change: (i: Issue) => Issue) => patiently(deps, notes, () => deps.service.save(i, change), note),
    threadSafe: (i: Issue, event: IssueEvent) => deps.service.threadSafe(i, event),
  };
  const store = {
    recordMigration: (r: Parameters<Store['recordMigration']>[0]) =>
      patiently(deps, notes, () => deps.store.recordMigration(r), note),
    saveSnapshot: (snap: Parameters<Store['saveSnapshot']>[0]) =>
      patiently(deps, notes, () => deps.store.saveSnapshot(snap), note),
  };
  // Statement lines are kept and written in batches (see onLog); other lines at once, after them.
  // Lines that could not be written while the store was away stay in `lines`, in order.
  const lines: TaskLogEntry[] = [];
  let keptThroughOutage = false;
  const line = (text: string, level: 'info' | 'error') =>
    lines.push({ issueId: issue.id, taskId: task.id, at: deps.now(), level, text });
  const writeLines = async () => {
    const batch = lines.splice(0);
    try {
      await deps.store.appendTaskLogs(batch);
    } catch (e) {
      if (isStoreUnavailable(deps, e)) {
        lines.unshift(...batch);
        keptThroughOutage = true;
      }
      throw e;
    }
  };
  const log = async (text: string, level: 'info' | 'error' = 'info') => {
    line(text, level);
    if (keptThroughOutage) notes.add(await waitForStore(deps), note);
    await patiently(deps, notes, writeLines, note);
    keptThroughOutage = false;
  };
  const ref = note.task;
  const tell = (event: IssueEvent) => service.threadSafe(issue, event);

  if (!db) {
    const error = `database ${task.database} is no longer in the config for ${stage.environment}`;
    await log(error, 'error');
    await service.save(issue, (i) =>
      updateTask(i, stageIndex, task.id, (t) => ({ ...t, status: 'failed', error, finishedAt: deps.now() })),
    );
    await tell({ kind: 'task-not-started', task: ref, error, cause: 'not-configured' });
    return;
  }

  const attempt = task.attempt + 1;
  await service.save(issue, (i) =>
    updateTask(i, stageIndex, task.id, (t) => ({ ...t, status: 'running', attempt, startedAt, error: undefined })),
  );
  let sql = task.sql ?? issue.sql;
  if (issue.changeType === 'sdl' && issue.desiredSdl && !task.sql && deps.ddlFor) {
    // Declarative: the DDL is generated again now, against this database as it is.
    try {
      sql = await deps.ddlFor(db, issue.desiredSdl);
    } catch (e) {
      const error = `cannot generate the DDL for the desired schema: ${messageOf(e)}`;
      await log(error, 'error');
      await service.save(issue, (i) =>
        updateTask(i, stageIndex, task.id, (t) => ({ ...t, status: 'failed', error, finishedAt: deps.now() })),
      );
      await tell({ kind: 'task-not-started', task: ref, error, cause: 'no-ddl' });
      return;
    }
    if (!sql.trim()) {
      await log('already in the desired schema; nothing to run');
      await service.save(issue, (i) =>
        updateTask(i, stageIndex, task.id, (t) => ({ ...t, status: 'done', sql: '', finishedAt: deps.now() })),
      );
      await tell({ kind: 'task-in-desired-schema', task: ref });
      return;
    }
    // Keep what was generated on the task: a re-run after a crash must run the same statements.
    const generated = sql;
    await service.save(issue, (i) => updateTask(i, stageIndex, task.id, (t) => ({ ...t, sql: generated })));
    await tell({ kind: 'ddl-generated', task: ref, sql });
  }
  const version = task.version ?? (issue.source.kind === 'git' ? issue.source.version : issueVersion(issue.id));
  const statements = splitStatements(sql, db.engine).map((s) => ({ sql: s.sql, line: s.line, column: s.column }));
  await log(`started attempt ${attempt}: ${statements.length} statement(s)`);
  // The progress message (the "task started" reply, edited in place), the guards, the lock watch.
  const watch = await watchTask(
    { service: deps.service, running: deps.running, settings: deps.taskWatch ?? DEFAULT_TASK_WATCH },
    issue,
    task,
    ref,
    environmentOf(deps.config, stage),
    statements.length,
  );

  const target = deps.targetFor(db);
  const checksum = createHash('sha256').update(sql).digest('hex');
  const entries: { event: TaskLogEvent; sql?: string }[] = [];
  // A statement costs its own round trip and nothing more: its log lines and thread entries are
  // written in batches, in order, while the next statements run (`flushed` is awaited after them).
  let flushed = Promise.resolve();
  const flush = () => {
    const batch = entries.splice(0);
    flushed = flushed.then(async () => {
      // While the store is away the lines stay kept and the target's work goes on.
      await writeLines().catch((err: unknown) => {
        if (!isStoreUnavailable(deps, err))
          deps.logger.error({ err, issue: issue.id, task: task.id }, 'could not write the task log');
      });
      if (batch.length > 0) await tell({ kind: 'task-log', task: ref, entries: batch });
    });
  };
  let flushedAt = Date.now();
  const onLog = async (event: TaskLogEvent) => {
    watch.onLog(event);
    line(formatEvent(event), event.kind === 'statement-failed' ? 'error' : 'info');
    if (event.kind === 'statement-start') return;
    entries.push({ event, sql: statements[event.index]?.sql });
    if (Date.now() - flushedAt >= LOG_POST_EVERY_MS) {
      flushedAt = Date.now();
      flush();
    }
    await deps.heartbeat?.();
  };

  let before: Snapshot | null = null;
  // The schema the task left, read on its own connection once it is done (the engine may not).
  let left: Snapshot | null | undefined;
  let outcome: ApplyOutcome;
  // A statement may run up to the statement timeout (an hour by default): the queue's lock is
  // kept while it runs, not only between statements, so no other run picks the job up meanwhile.
  // deps.heartbeat is throttled (see runStage): beats from statements and from here share one pace.
  const beating = setInterval(() => {
    deps
      .heartbeat?.()
      .catch((err: unknown) => deps.logger.warn({ err, issue: issue.id }, 'could not renew the job lock'));
  }, HEARTBEAT_MS);
  beating.unref();
  try {
    before = known ?? (await snapshotOf(target, deps.logger));
    outcome = await target.apply({
      taskId: task.id,
      issueId: issue.id,
      version,
      migrationType: issue.changeType === 'dml' ? 'dml' : 'ddl',
      checksum,
      statements,
      onLog,
      ...watch.input,
      afterDone: async (query) => {
        left = await snapshotFrom(target.engine, query, deps.logger);
      },
    });
  } catch (e) {
    // apply() reports SQL errors as outcomes; a throw means the database could not be reached.
    outcome = { status: 'failed', error: { message: messageOf(e) }, statementIndex: -1 };
  }
  clearInterval(beating);
  const stopped = await watch.finish(outcome);
  flush();
  await flushed;
  const after = outcome.status !== 'done' ? before : left !== undefined ? left : await snapshotOf(target, deps.logger);
  const finishedAt = deps.now();

  const status: Task['status'] =
    outcome.status === 'done' || outcome.status === 'already-applied'
      ? 'done'
      : outcome.status === 'failed'
        ? 'failed'
        : 'needs-attention';
  const error =
    outcome.status === 'failed'
      ? outcome.error.message
      : outcome.status === 'needs-attention'
        ? outcome.reason
        : undefined;
  // The issue as this save stored it: who approved the stage and released it, without reading it again.
  const current = await service.save(issue, (i) =>
    updateTask(i, stageIndex, task.id, (t) => ({ ...t, status, error, finishedAt })),
  );

  if (outcome.status !== 'already-applied') {
    const approvers = current.stages[stageIndex]?.approvals.map((a) => a.user) ?? [];
    await store.recordMigration({
      id: `${task.id}#${attempt}`,
      database: db.name,
      environment: db.environment,
      engine: db.engine,
      issueId: issue.id,
      taskId: task.id,
      type: issue.changeType === 'dml' ? 'dml' : 'ddl',
      version,
      sql,
      checksum,
      approvers,
      releaser: current.stages[stageIndex]?.releasedBy ?? 'automatic',
      startedAt,
      finishedAt,
      status: status === 'done' ? 'done' : status === 'failed' ? 'failed' : 'needs-attention',
      error,
      schemaBefore: before?.sdl ?? null,
      schemaAfter: after?.sdl ?? null,
      modelBefore: before?.model,
      modelAfter: after?.model,
    });
    if (status === 'done' && after !== null) {
      await store.saveSnapshot({
        database: snapshotKey(db),
        takenAt: finishedAt,
        sdl: after.sdl,
        source: `${task.id}#${attempt}`,
      });
    }
  }

  const durationMs = finishedAt.getTime() - startedAt.getTime();
  switch (outcome.status) {
    case 'done':
      await log(`done in ${formatDuration(durationMs)}`);
      await tell({ kind: 'task-done', task: ref, durationMs });
      break;
    case 'already-applied':
      await log('already applied earlier; nothing was run again');
      await tell({ kind: 'task-already-applied', task: ref, appliedAt: outcome.appliedAt });
      break;
    case 'failed': {
      // What the failed attempt left behind: nothing (rolled back), or the statements before it.
      const aftermath = failureAftermath(outcome, db.engine);
      await log(`failed: ${outcome.error.message}${aftermath ? ` ${aftermath}` : ''}`, 'error');
      await tell({
        kind: 'task-failed',
        task: ref,
        durationMs,
        error: outcome.error.message,
        aftermath,
        ...(stopped ? { stopped } : {}),
      });
      break;
    }
    case 'needs-attention':
      await log(`needs attention: ${outcome.reason}`, 'error');
      await tell({ kind: 'task-needs-attention', task: ref, reason: outcome.reason });
      break;
    default:
      unreachable(outcome, 'apply outcome');
  }
  return outcome.status === 'done' ? (after ?? undefined) : undefined;
}
