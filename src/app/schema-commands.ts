// Drift and baseline: compare the live schema with the last recorded snapshot, or record the
// live schema as the new truth (approvers or releasers of that environment only), which is also
// written to the LATEST file of the watched git repositories.
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config/model.js';
import { mayBaseline, maySeeQueries } from '../domain/permissions.js';
import { lineDiff } from '../domain/text-diff.js';
import { DbchangeError, ErrorCode } from '../errors.js';
import type { Store } from '../store/types.js';
import type { Target } from '../targets/types.js';
import type { AppContext } from './context.js';
import type { LatestWritten } from './ports.js';
import { reconsiderDriftHolds } from './drift-hold.js';
import { resolveDatabases } from './queries.js';
import { type Actor, done, type Result, refused } from './results.js';
import { snapshotKey, snapshotOf } from './snapshot.js';

export interface DriftResult {
  drifted: boolean;
  /** Unified-diff lines from the recorded schema to the live one. */
  diff: string[];
  live: string;
  recorded: string | null;
  /** The diff was left out: the person may not see this environment's schema text. */
  hidden?: number;
}

function unreadable(db: DatabaseConfig): DbchangeError {
  return new DbchangeError(
    ErrorCode.TargetFailed,
    `cannot read the schema of ${db.name} (${db.environment}); check that the database is reachable`,
  );
}

/** Compare a database's live schema with its last snapshot. */
export async function checkDrift(
  store: Store,
  target: Target,
  db: DatabaseConfig,
  logger: Logger,
): Promise<DriftResult> {
  const snap = await snapshotOf(target, logger);
  if (snap === null) throw unreadable(db);
  const live = snap.sdl;
  const last = await store.latestSnapshot(snapshotKey(db));
  if (!last) return { drifted: false, diff: [], live, recorded: null };
  const diff = lineDiff(last.sdl, live);
  return { drifted: diff.length > 0, diff, live, recorded: last.sdl };
}

/** Record the live schema as a baseline migration and snapshot. */
export async function recordBaseline(
  store: Store,
  target: Target,
  db: DatabaseConfig,
  user: string,
  now: Date,
  logger: Logger,
): Promise<{ live: string; version: string }> {
  const snap = await snapshotOf(target, logger);
  if (snap === null) throw unreadable(db);
  const live = snap.sdl;
  const previous = await store.latestSnapshot(snapshotKey(db));
  const id = randomUUID();
  const version = `baseline-${now.toISOString()}`;
  await store.recordMigration({
    id,
    database: db.name,
    environment: db.environment,
    engine: db.engine,
    issueId: '',
    taskId: id,
    type: 'baseline',
    version,
    sql: live,
    checksum: createHash('sha256').update(live).digest('hex'),
    approvers: [],
    releaser: user,
    startedAt: now,
    finishedAt: now,
    status: 'done',
    schemaBefore: previous?.sdl ?? null,
    schemaAfter: live,
    modelAfter: snap.model,
  });
  await store.saveSnapshot({ database: snapshotKey(db), takenAt: now, sdl: live, source: 'baseline' });
  return { live, version };
}

/**
 * A baseline written to the LATEST file of each watched repository (commit and push as the bot);
 * each pushed commit is recorded with the baseline's version, so history shows the file and commit.
 */
async function baselineToGit(
  app: AppContext,
  db: DatabaseConfig,
  baseline: { live: string; version: string },
  user: string,
): Promise<LatestWritten[]> {
  if (!app.gitops) return [];
  const message = `dbchange: baseline of ${db.name}@${db.environment}\n\nThe live schema, recorded as the new baseline from Slack by ${user}.`;
  const written = await app.gitops.writeLatest(db, baseline.live, message);
  for (const w of written) {
    if (w.kind === 'failed')
      app.logger.warn(
        { repo: w.url, reason: w.reason },
        'gitops: the baseline could not be written to the LATEST file',
      );
    if (w.kind !== 'pushed') continue;
    await app.store.takeGitVersion({
      repo: w.repo,
      database: db.name,
      environment: db.environment,
      version: baseline.version,
      path: w.path,
      blob: '',
      commit: w.commit,
      status: 'baseline',
      writtenBack: true,
      createdAt: app.now(),
    });
  }
  return written;
}

/** Drift of a database (`app`, every environment; `app@prod`, one), checked now. */
export async function drift(
  app: AppContext,
  input: { actor: Actor; database: string },
): Promise<Result<{ reports: { database: DatabaseConfig; result: DriftResult }[] }>> {
  const dbs = resolveDatabases(app, input.database);
  if (!Array.isArray(dbs)) return dbs;
  const reports: { database: DatabaseConfig; result: DriftResult }[] = [];
  for (const db of dbs) {
    const result = await checkDrift(app.store, app.targetFor(db), db, app.logger);
    // The schema text (defaults, comments, view bodies) only for who may see the environment's queries.
    const visible = maySeeQueries(input.actor.user, db.environment, app.config, app.directory);
    const changed = result.diff.filter((l) => /^[+-](?![+-])/.test(l)).length;
    reports.push({
      database: db,
      result: visible ? result : { ...result, diff: [], live: '', recorded: result.recorded && '', hidden: changed },
    });
  }
  return done({ reports });
}

/** Record the live schema of a database as its new baseline, in every environment named; all or nothing on permission. */
export async function baseline(
  app: AppContext,
  input: { actor: Actor; database: string },
): Promise<Result<{ recorded: DatabaseConfig[]; git: { database: DatabaseConfig; written: LatestWritten[] }[] }>> {
  const dbs = resolveDatabases(app, input.database);
  if (!Array.isArray(dbs)) return dbs;
  const refusedEnvs = [
    ...new Set(
      dbs
        .filter((db) => !mayBaseline(input.actor.user, db.environment, app.config, app.directory))
        .map((d) => d.environment),
    ),
  ];
  if (refusedEnvs.length)
    return refused(
      'not-allowed',
      `only approvers or releasers of ${refusedEnvs.join(', ')}, or admins, can record a baseline there; nothing was recorded`,
    );
  const git: { database: DatabaseConfig; written: LatestWritten[] }[] = [];
  for (const db of dbs) {
    const recorded = await recordBaseline(app.store, app.targetFor(db), db, input.actor.user, app.now(), app.logger);
    const written = await baselineToGit(app, db, recorded, input.actor.user);
    if (written.length) git.push({ database: db, written });
  }
  // The live schema is the truth now: stages its drift held may go on.
  await reconsiderDriftHolds(app, new Set(dbs.map(snapshotKey)));
  return done({ recorded: dbs, git });
}
