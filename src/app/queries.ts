// The use cases that only read: an issue and its task log, the open issues, a database's
// history and sessions, and the DDL a desired schema would generate now.
import { type DatabaseConfig, findDatabase } from '../config/model.js';
import type { Issue } from '../domain/issue.js';
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

/** Migrations applied to a database (in every environment, or one: `app@prod`), newest first. */
export async function history(
  app: AppContext,
  input: { actor: Actor; database: string },
): Promise<Result<{ records: MigrationRecord[]; git: Record<string, GitOrigin> }>> {
  const dbs = resolveDatabases(app, input.database);
  if (!Array.isArray(dbs)) return dbs;
  const records = (await app.store.listMigrations(dbs[0]!.name, 20)).filter((r) =>
    dbs.some((d) => d.environment === r.environment),
  );
  // Versions that came from git: the file and the commit, by `environment#version`.
  const git: Record<string, GitOrigin> = {};
  for (const v of await app.store.listGitVersions({ database: dbs[0]!.name }))
    if (v.status === 'issued') git[`${v.environment}#${v.version}`] = { path: v.path, commit: v.commit };
  return done({ records, git });
}

/** Where a migration version came from in git. */
export interface GitOrigin {
  path: string;
  commit: string;
}

/** Active sessions of a database, per environment. */
export async function sessions(
  app: AppContext,
  input: { actor: Actor; database: string },
): Promise<Result<{ databases: { database: DatabaseConfig; sessions: ActiveSession[] }[] }>> {
  const dbs = resolveDatabases(app, input.database);
  if (!Array.isArray(dbs)) return dbs;
  const out: { database: DatabaseConfig; sessions: ActiveSession[] }[] = [];
  for (const db of dbs) out.push({ database: db, sessions: await app.targetFor(db).sessions() });
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
