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
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config/model.js';
import type { Issue, Task } from '../domain/issue.js';
import { holdForLiveReview, stageFinished } from '../domain/transitions.js';
import { splitStatements } from '../sql/split.js';
import type { ChangeService } from '../app/service.js';
import type { Store } from '../store/types.js';
import type { ApplyOutcome, Target, TaskLogEvent } from '../targets/types.js';
import { formatDuration, formatEvent } from './log-format.js';
import { snapshotOf, type Snapshot } from './snapshot.js';

export interface ExecutorDeps {
  service: ChangeService;
  store: Store;
  targetFor: (db: DatabaseConfig) => Target;
  now: () => Date;
  logger: Logger;
  /** For state-based issues: the DDL that brings a database to the desired SDL now. */
  ddlFor?: (db: DatabaseConfig, sdl: string) => Promise<string>;
  /** Called while a long task runs, so the queue keeps its lock on the job. */
  heartbeat?: () => Promise<void>;
}

/** Run the tasks of `stageIndex` that have not ended, then settle the stage. */
export async function runStage(deps: ExecutorDeps, issueId: string, stageIndex: number): Promise<void> {
  const issue = await deps.store.getIssue(issueId);
  if (!issue) return;
  const stage = issue.stages[stageIndex];
  // A stale or duplicate job: the stage is not (or no longer) running.
  if (stage?.status !== 'running') return;

  if (await heldByLiveReview(deps, issue, stageIndex)) return;

  const byDatabase = new Map<string, Task[]>();
  for (const task of stage.tasks) {
    if (task.status !== 'pending' && task.status !== 'running') continue;
    const list = byDatabase.get(task.database) ?? [];
    list.push(task);
    byDatabase.set(task.database, list);
  }
  const lanes = [...byDatabase.values()];
  const concurrency = Math.max(1, deps.service.config.rolloutConcurrency);
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++]!;
      let known: Snapshot | undefined;
      for (const task of lane) {
        try {
          // The schema after one task is the schema before the next on the same database.
          known = await runTask(deps, issue, stageIndex, task, known);
        } catch (err) {
          // The bot's own failure (store, Slack): the task is marked failed so the stage can
          // settle and a person can Retry; the target's ledger still decides what was applied.
          deps.logger.error({ err, issue: issue.id, task: task.id }, 'task failed inside the bot');
          known = undefined;
          const error = `dbchange could not finish this task: ${err instanceof Error ? err.message : String(err)}`;
          await deps.service
            .save(issue, (i) =>
              updateTask(i, stageIndex, task.id, (t) =>
                t.status === 'running' || t.status === 'pending'
                  ? { ...t, status: 'failed', error, finishedAt: deps.now() }
                  : t,
              ),
            )
            .catch((e: unknown) => deps.logger.error({ err: e }, 'could not record the task failure'));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, worker));

  await deps.service.mutate(issueId, (current) => {
    const s = current.stages[stageIndex];
    if (s?.status !== 'running') return { ok: false, reason: 'stage already settled' };
    if (s.tasks.some((t) => t.status === 'pending' || t.status === 'running'))
      return { ok: false, reason: 'tasks still running' };
    const { issue: settled, effects } = stageFinished(current, stageIndex, deps.service.config);
    const env = s.environment;
    const failed = settled.stages[stageIndex]!.status === 'failed';
    return {
      ok: true,
      issue: settled,
      effects,
      note: failed ? `:x: ${env} failed; fix the cause and press Retry` : `:white_check_mark: ${env} done`,
    };
  });
}

/**
 * Before a stage's first run, the rules that need the live database (dry runs, row estimates,
 * walk-through) check each task's SQL against its target. Problems hold the stage unless
 * someone already chose "Roll out anyway". Retries and re-runs after a crash skip this.
 */
async function heldByLiveReview(deps: ExecutorDeps, issue: Issue, stageIndex: number): Promise<boolean> {
  const live = deps.service.deps.liveReviewer;
  const stage = issue.stages[stageIndex]!;
  if (!live || issue.rolloutAnyway || issue.changeType === 'sdl') return false;
  if (stage.tasks.some((t) => t.status !== 'pending' || t.attempt > 0)) return false;
  const findings: Issue['findings'] = [];
  for (const task of stage.tasks) {
    const db = deps.service.config.databases.find(
      (d) => d.name === task.database && d.environment === stage.environment,
    );
    if (!db) continue;
    try {
      const found = await deps
        .targetFor(db)
        .withConnection((query) =>
          live({ engine: db.engine, sql: task.sql ?? issue.sql, environment: db.environment, query }),
        );
      findings.push(...found.map((f) => ({ ...f, message: `${db.name} (${db.environment}): ${f.message}` })));
    } catch (err) {
      // The database cannot be reached: the task itself will fail with the reason.
      deps.logger.warn({ err, database: db.name }, 'live review could not run');
    }
  }
  if (findings.length === 0) return false;
  const held = await deps.service.mutate(issue.id, (current) => holdForLiveReview(current, stageIndex, findings));
  return held.ok;
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
  deps: ExecutorDeps,
  issue: Issue,
  stageIndex: number,
  task: Task,
  known?: Snapshot,
): Promise<Snapshot | undefined> {
  const { service, store } = deps;
  const stage = issue.stages[stageIndex]!;
  const db = service.config.databases.find((d) => d.name === task.database && d.environment === stage.environment);
  const startedAt = deps.now();
  const log = async (text: string, level: 'info' | 'error' = 'info') => {
    await store.appendTaskLog({ issueId: issue.id, taskId: task.id, at: deps.now(), level, text });
  };
  const label = `${task.database} (${stage.environment})${task.name ? ` ${task.name}` : ''}`;

  if (!db) {
    const error = `database ${task.database} is no longer in the config for ${stage.environment}`;
    await log(error, 'error');
    await service.save(issue, (i) =>
      updateTask(i, stageIndex, task.id, (t) => ({ ...t, status: 'failed', error, finishedAt: deps.now() })),
    );
    await service.threadSafe(issue, `:x: ${label}: ${error}`);
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
      const error = `cannot generate the DDL for the desired schema: ${e instanceof Error ? e.message : String(e)}`;
      await log(error, 'error');
      await service.save(issue, (i) =>
        updateTask(i, stageIndex, task.id, (t) => ({ ...t, status: 'failed', error, finishedAt: deps.now() })),
      );
      await service.threadSafe(issue, `:x: *${label}*: ${error}`);
      return;
    }
    if (!sql.trim()) {
      await log('already in the desired schema; nothing to run');
      await service.save(issue, (i) =>
        updateTask(i, stageIndex, task.id, (t) => ({ ...t, status: 'done', sql: '', finishedAt: deps.now() })),
      );
      await service.threadSafe(issue, `:white_check_mark: *${label}*: already in the desired schema; nothing to run`);
      return;
    }
    // Keep what was generated on the task: a re-run after a crash must run the same statements.
    const generated = sql;
    await service.save(issue, (i) => updateTask(i, stageIndex, task.id, (t) => ({ ...t, sql: generated })));
    await service.threadSafe(
      issue,
      `*${label}*: generated DDL\n\`\`\`${sql.length > 2500 ? `${sql.slice(0, 2500)}…` : sql}\`\`\``,
    );
  }
  const version = task.version ?? (issue.source.kind === 'git' ? issue.source.version : `issue-${issue.id}`);
  const statements = splitStatements(sql, db.engine).map((s) => ({ sql: s.sql, line: s.line, column: s.column }));
  await log(`started attempt ${attempt}: ${statements.length} statement(s)`);
  await service.threadSafe(issue, `:arrow_forward: *${label}*: task started, ${statements.length} statement(s)`);

  const target = deps.targetFor(db);
  const checksum = createHash('sha256').update(sql).digest('hex');
  const lines: string[] = [];
  const flush = async () => {
    if (lines.length === 0) return;
    const text = `*${label}*\n${lines.splice(0).join('\n')}`;
    await service.threadSafe(issue, text);
  };
  let flushedAt = Date.now();
  const onLog = async (event: TaskLogEvent) => {
    const line = formatEvent(event);
    await log(line, event.kind === 'statement-failed' ? 'error' : 'info');
    if (event.kind === 'statement-start') return;
    const stmt = statements[event.index];
    lines.push(`${line}${stmt ? ` — \`${snippet(stmt.sql)}\`` : ''}`);
    // Batch the thread posts: Slack allows about one message per second per channel.
    if (lines.length >= 20 || Date.now() - flushedAt > 2000) {
      flushedAt = Date.now();
      await flush();
    }
    await deps.heartbeat?.();
  };

  const before = known ?? (await snapshotOf(target, deps.logger));
  let outcome: ApplyOutcome;
  try {
    outcome = await target.apply({
      taskId: task.id,
      issueId: issue.id,
      version,
      migrationType: issue.changeType === 'dml' ? 'dml' : 'ddl',
      checksum,
      statements,
      onLog,
    });
  } catch (e) {
    // apply() reports SQL errors as outcomes; a throw means the database could not be reached.
    outcome = { status: 'failed', error: { message: e instanceof Error ? e.message : String(e) }, statementIndex: -1 };
  }
  await flush();
  const after = outcome.status === 'done' ? await snapshotOf(target, deps.logger) : before;
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
  await service.save(issue, (i) => updateTask(i, stageIndex, task.id, (t) => ({ ...t, status, error, finishedAt })));

  if (outcome.status !== 'already-applied') {
    const current = await store.getIssue(issue.id);
    const approvers = current?.stages[stageIndex]?.approvals.map((a) => a.user) ?? [];
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
      releaser: current?.stages[stageIndex]?.releasedBy ?? 'automatic',
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

  const took = formatDuration(finishedAt.getTime() - startedAt.getTime());
  switch (outcome.status) {
    case 'done':
      await log(`done in ${took}`);
      await service.threadSafe(issue, `:white_check_mark: *${label}*: task done in ${took}`);
      break;
    case 'already-applied':
      await log('already applied earlier; nothing was run again');
      await service.threadSafe(
        issue,
        `:white_check_mark: *${label}*: already applied on ${outcome.appliedAt.toISOString()}; nothing was run again`,
      );
      break;
    case 'failed':
      await log(`failed: ${outcome.error.message}`, 'error');
      await service.threadSafe(issue, `:x: *${label}*: task failed after ${took}: ${outcome.error.message}`);
      break;
    case 'needs-attention':
      await log(`needs attention: ${outcome.reason}`, 'error');
      await service.threadSafe(issue, `:warning: *${label}*: task needs attention: ${outcome.reason}`);
      break;
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
  return outcome.status === 'done' ? (after ?? undefined) : undefined;
}

/** Snapshots and drift are kept per database per environment. */
export function snapshotKey(db: DatabaseConfig): string {
  return `${db.name}@${db.environment}`;
}

/** The start of a statement on one line, for thread posts. */
function snippet(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').replace(/`/g, "'");
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}
