/**
 * The git door's use cases: a migration group (the files of one poll for one database, in
 * VERSION order) or a changed LATEST file becomes a change issue through the same service as a
 * change from Slack, so review, approval and the environments' rollout policies apply alike.
 * The poller (src/gitops/poller.ts) decides what to open; this opens it.
 */
import { randomUUID } from 'node:crypto';
import type { Config, DatabaseConfig } from '../config/model.js';
import type { ChangeType, GitCommitRef, Issue, IssueSource, ReviewFinding, Stage } from '../domain/issue.js';
import type { PlannedMigration } from '../gitops/poll-plan.js';
import { DbchangeError, ErrorCode } from '../errors.js';
import { mayDecideHeldMigration } from '../domain/permissions.js';
import { splitStatements } from '../sql/split.js';
import type { GitVersion } from '../store/types.js';
import type { AppContext } from './context.js';
import { measureBlastRadius } from './blast-radius.js';
import { type Actor, done, type Result, refused } from './results.js';

/** Who git changes are by in the issue: not a Slack user, so nobody is kept from approving as its creator. */
export const GIT_CREATOR = 'gitops';

export interface MigrationWithSql extends PlannedMigration {
  sql: string;
}

const DML_START = /^(insert|update|delete|merge|replace|copy|with\b[\s\S]*\b(insert|update|delete)\b)/i;

/** DML when every statement changes data; else DDL. For templates without {{TYPE}}. */
export function inferType(sql: string): 'ddl' | 'dml' {
  const statements = splitStatements(sql, 'postgres');
  return statements.length > 0 && statements.every((s) => DML_START.test(s.sql)) ? 'dml' : 'ddl';
}

/** The change type of a migration file: its TYPE, or what its statements are. */
export function migrationKind(m: MigrationWithSql): 'ddl' | 'dml' | 'baseline' {
  return m.file.typeInferred ? inferType(m.sql) : m.file.type;
}

function commitRefs(migrations: MigrationWithSql[], linkFor: (sha: string) => string | undefined): GitCommitRef[] {
  const seen = new Map<string, GitCommitRef>();
  for (const m of migrations) {
    if (seen.has(m.commit.sha)) continue;
    const url = linkFor(m.commit.sha);
    seen.set(m.commit.sha, {
      sha: m.commit.sha,
      author: m.commit.author,
      subject: m.commit.subject,
      ...(url ? { url } : {}),
    });
  }
  return [...seen.values()];
}

/** The databases a git change's stages run on, for its blast radius. */
function stageDatabases(config: Config, stages: Stage[]): DatabaseConfig[] {
  return stages.flatMap((stage) =>
    config.databases.filter(
      (d) => d.environment === stage.environment && stage.tasks.some((t) => t.database === d.name),
    ),
  );
}

/**
 * Open one issue for migrations of one database and one kind: a stage per environment (config
 * order) with one task per file, in the order given (VERSION order), named by DESCRIPTION.
 */
export async function openMigrationChange(
  app: AppContext,
  input: {
    repo: string;
    dbName: string;
    kind: 'ddl' | 'dml';
    migrations: MigrationWithSql[];
    linkFor: (sha: string) => string | undefined;
  },
): Promise<Issue> {
  const { config, service } = app;
  const { migrations, dbName } = input;
  const stages: Stage[] = [];
  for (const env of config.environments) {
    const db = config.databases.find((d) => d.name === dbName && d.environment === env.id);
    if (!db) continue;
    const tasks = migrations
      .filter((m) => m.targets.some((t) => t.environment === env.id))
      .map((m) => ({
        id: randomUUID(),
        database: dbName,
        engine: db.engine,
        sql: m.sql,
        version: m.file.version,
        name: m.file.description ?? m.file.version,
        status: 'pending' as const,
        attempt: 0,
      }));
    if (tasks.length) stages.push({ environment: env.id, status: 'waiting', approvals: [], tasks });
  }
  const first = migrations[0]!;
  const last = migrations.at(-1)!;
  const title =
    migrations.length === 1
      ? `${dbName} ${first.file.version}: ${first.file.description ?? first.file.path.split('/').at(-1)}`
      : `${dbName} ${first.file.version}…${last.file.version}: ${migrations.length} migrations`;
  // One script to show, with each file under a comment naming it; each file is reviewed on its
  // own (files are separate migrations), its findings' lines shifted to where it starts.
  const parts = migrations.map((m) => (migrations.length === 1 ? m.sql : `-- ${m.file.path}\n${m.sql.trim()}\n`));
  const sql = parts.join('\n');
  const findings: ReviewFinding[] = [];
  let line = 0;
  parts.forEach((part, i) => {
    const shift = line + (migrations.length === 1 ? 0 : 1);
    for (const f of service.review(dbName, migrations[i]!.sql)) findings.push({ ...f, line: f.line + shift });
    line += part.split('\n').length;
  });
  const source: IssueSource = {
    kind: 'git',
    repo: input.repo,
    commit: last.commit.sha,
    path: first.file.path,
    version: first.file.version,
    files: migrations.map((m) => ({ path: m.file.path, version: m.file.version, commit: m.commit.sha })),
    commits: commitRefs(migrations, input.linkFor),
  };
  const changeType: ChangeType = input.kind;
  return service.create(
    {
      title: title.slice(0, 150),
      target: dbName,
      changeType,
      sql,
      description: migrations.map((m) => m.file.path).join('\n'),
    },
    GIT_CREATOR,
    source,
    { stages, findings, blastRadius: await measureBlastRadius(app, stageDatabases(config, stages), sql) },
  );
}

/**
 * A changed LATEST file: the difference between it and the live schema of its database (in
 * its environment, when the path names one) becomes a state-based issue; none when equal.
 */
export async function openStateChange(
  app: AppContext,
  input: {
    repo: string;
    dbName: string;
    envId?: string;
    path: string;
    sdl: string;
    commit: GitCommitRef;
  },
): Promise<{ issue: Issue } | { unchanged: true }> {
  const { config, service, planner } = app;
  if (!planner)
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      'state-based changes are not available in this bot: changeType: state needs a schema planner',
    );
  const plan = await planner.plan(input.dbName, input.sdl, input.envId);
  if (plan.kind === 'unchanged') return { unchanged: true };
  const stages: Stage[] = [];
  for (const env of config.environments) {
    if (input.envId && env.id !== input.envId) continue;
    const db = config.databases.find((d) => d.name === input.dbName && d.environment === env.id);
    if (!db) continue;
    stages.push({
      environment: env.id,
      status: 'waiting',
      approvals: [],
      tasks: [{ id: randomUUID(), database: db.name, engine: db.engine, status: 'pending', attempt: 0 }],
    });
  }
  const source: IssueSource = {
    kind: 'git',
    repo: input.repo,
    commit: input.commit.sha,
    path: input.path,
    version: input.commit.sha.slice(0, 12),
    files: [{ path: input.path, version: input.commit.sha.slice(0, 12), commit: input.commit.sha }],
    commits: [input.commit],
  };
  const issue = await service.create(
    {
      title:
        `${input.dbName}${input.envId ? `@${input.envId}` : ''}: desired schema from ${input.path.split('/').at(-1)}`.slice(
          0,
          150,
        ),
      target: input.dbName,
      changeType: 'sdl',
      sql: plan.ddl,
      description: input.commit.subject,
    },
    GIT_CREATOR,
    source,
    {
      desiredSdl: input.sdl,
      schemaChange: plan.schemaChange,
      stages,
      blastRadius: await measureBlastRadius(app, stageDatabases(config, stages), plan.ddl),
    },
  );
  return { issue };
}

/**
 * An admin's decision on a migration file held because its VERSION is lower than one already
 * applied to its database: apply it anyway (its version goes back to the poller as pending, and a
 * poll is asked for at once, which opens its change issue as for any new file), or skip it (it
 * stays taken, so it is never asked about again). Only a version still held can be decided.
 */
export async function decideHeldMigration(
  app: AppContext,
  input: { actor: Actor; repo: string; database: string; environment: string; version: string; apply: boolean },
): Promise<Result<{ version: GitVersion; applied: boolean }>> {
  const { actor, repo, database, environment, version, apply } = input;
  const what = `version ${version} of ${database} (${environment})`;
  if (!mayDecideHeldMigration(actor.user, app.config, app.directory))
    return refused('not-allowed', `only admins can apply or skip a held migration; ${what} stays held`);
  const held = (await app.store.listGitVersions({ repo, database, environment })).find((v) => v.version === version);
  if (!held) return refused('stale', `${what} is not held by the git poller (any more); nothing changed`);
  if (held.status !== 'held')
    return refused('stale', `${what} was already decided (it is ${held.status} now); nothing changed`);
  const change = apply ? { status: 'pending' as const, writtenBack: false } : { status: 'skipped' as const };
  if (!(await app.store.updateGitVersion(held, change, 'held')))
    return refused('stale', `${what} was decided by someone else at the same moment; nothing changed`);
  app.logger.info({ repo, database, environment, version, by: actor.user, apply }, 'gitops: held migration decided');
  if (apply)
    await app.gitops
      ?.pollNow(repo)
      .catch((err: unknown) =>
        app.logger.error({ err, repo }, 'could not ask for a poll; the next scheduled poll opens the issue'),
      );
  return done({ version: { ...held, ...change }, applied: apply });
}

/**
 * A change from git whose opening a crash interrupted (the issue was saved, but maybe not posted
 * or started): finish it. Posting and starting are idempotent, so a finished opening is left as is.
 */
export async function resumeGitChange(app: AppContext, issueId: string): Promise<Issue | null> {
  const issue = await app.store.getIssue(issueId);
  if (issue?.source.kind !== 'git') return issue;
  return app.service.announce(issue);
}
