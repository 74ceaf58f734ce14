// The use cases that only read: an issue and its task log, the open issues, a database's
// history and sessions, and the DDL a desired schema would generate now.
import { type DatabaseConfig, findDatabase } from '../config/model.js';
import type { Issue } from '../domain/issue.js';
import { maySeeQueries } from '../domain/permissions.js';
import { currentStageIndex } from '../domain/transitions.js';
import { messageOf } from '../errors.js';
import type { AppContext } from './context.js';
import {
  type ActiveSession,
  type Actor,
  done,
  type MigrationRecord,
  type NotFound,
  notFound,
  type Result,
  refused,
  type TaskLogEntry,
} from './results.js';

/** The databases a `<db>` argument names: `app` (every environment) or `app@prod`. */
export function resolveDatabases(app: AppContext, arg: string): DatabaseConfig[] | NotFound {
  const [name, env] = arg.split('@');
  const dbs = app.config.databases.filter((d) => d.name === name && (!env || d.environment === env));
  if (dbs.length === 0) return notFound('database', arg, [...new Set(app.config.databases.map((d) => d.name))]);
  return dbs;
}

/** One issue as stored (for read-only views: full SQL, findings, schema views). */
export async function issue(app: AppContext, input: { issueId: string }): Promise<Result<{ issue: Issue }>> {
  const found = await app.store.getIssue(input.issueId);
  return found ? done({ issue: found }) : notFound('issue', input.issueId);
}

/** Where an issue stands, with its latest task log. */
export async function status(
  app: AppContext,
  input: { actor: Actor; issueId: string },
): Promise<Result<{ issue: Issue; logs: TaskLogEntry[] }>> {
  const found = await app.store.getIssue(input.issueId);
  if (!found) return notFound('issue', input.issueId);
  return done({ issue: found, logs: await app.store.listTaskLogs(found.id) });
}

/** Open, scheduled, running and failed issues. */
export async function list(app: AppContext, _input: { actor: Actor }): Promise<Result<{ issues: Issue[] }>> {
  return done({
    issues: await app.store.listIssues({ statuses: ['open', 'scheduled', 'running', 'failed'], limit: 30 }),
  });
}

/**
 * Migrations applied to a database (in every environment, or one: `app@prod`), newest first.
 * Anyone may see what ran where and by whom; the error text (it may quote the SQL) only those
 * who may see the environment's queries.
 */
export async function history(
  app: AppContext,
  input: { actor: Actor; database: string },
): Promise<Result<{ records: MigrationRecord[]; git: Record<string, GitOrigin> }>> {
  const dbs = resolveDatabases(app, input.database);
  if (!Array.isArray(dbs)) return dbs;
  const records = (await app.store.listMigrations(dbs[0]!.name, 20))
    .filter((r) => dbs.some((d) => d.environment === r.environment))
    .map((r) =>
      r.error && !maySeeQueries(input.actor.user, r.environment, app.config, app.directory)
        ? { ...r, error: 'failed (the error text is shown to approvers, releasers and admins)' }
        : r,
    );
  // Versions that came from git: the file and the commit, by `environment#version`; `pending`
  // ones too, as their issue may already have run before the poller linked it.
  const git: Record<string, GitOrigin> = {};
  for (const v of await app.store.listGitVersions({ database: dbs[0]!.name }))
    if (v.status !== 'held' && v.status !== 'skipped')
      git[`${v.environment}#${v.version}`] = { path: v.path, commit: v.commit };
  return done({ records, git });
}

/** Where a migration version came from in git. */
export interface GitOrigin {
  path: string;
  commit: string;
}

/**
 * Active sessions of a database, per environment. The query text only for the environment's
 * approvers, releasers and admins (it may hold literals and secrets); others get the sessions
 * and their states without it.
 */
export async function sessions(
  app: AppContext,
  input: { actor: Actor; database: string },
): Promise<Result<{ databases: { database: DatabaseConfig; sessions: ActiveSession[]; queriesHidden: boolean }[] }>> {
  const dbs = resolveDatabases(app, input.database);
  if (!Array.isArray(dbs)) return dbs;
  const out: { database: DatabaseConfig; sessions: ActiveSession[]; queriesHidden: boolean }[] = [];
  for (const db of dbs) {
    const all = await app.targetFor(db).sessions();
    const queriesHidden = !maySeeQueries(input.actor.user, db.environment, app.config, app.directory);
    out.push({ database: db, sessions: queriesHidden ? all.map((s) => ({ ...s, query: null })) : all, queriesHidden });
  }
  return done({ databases: out });
}

/** The DDL a state-based issue would run now on its next stage's first database. */
export async function generatedDdl(
  app: AppContext,
  input: { actor: Actor; issueId: string },
): Promise<Result<{ database: DatabaseConfig; ddl: string }>> {
  const found = await app.store.getIssue(input.issueId);
  if (!found) return notFound('issue', input.issueId);
  const stage = found.stages[Math.max(0, currentStageIndex(found))];
  const task = stage?.tasks[0];
  const db = task && findDatabase(app.config, task.database, stage.environment);
  if (!db || !app.planner || !found.desiredSdl)
    return refused('unavailable', 'this issue has no desired schema to compare with');
  try {
    return done({ database: db, ddl: await app.planner.ddlFor(db, found.desiredSdl) });
  } catch (err) {
    return refused('target-failed', messageOf(err));
  }
}
