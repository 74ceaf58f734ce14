// `/dbchange drift <db>` and `/dbchange baseline <db>`: compare the live schema with the last
// recorded snapshot, or record the live schema as the new truth.
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config/model.js';
import { lineDiff } from '../domain/text-diff.js';
import { snapshotKey } from '../rollout/executor.js';
import { snapshotOf } from '../rollout/snapshot.js';
import type { SchemaCommands } from '../slack/command.js';
import type { Store } from '../store/types.js';
import type { Target } from '../targets/types.js';
import type { ChangeService } from './service.js';

export interface DriftResult {
  drifted: boolean;
  /** Unified-diff lines from the recorded schema to the live one. */
  diff: string[];
  live: string;
  recorded: string | null;
}

/** Compare a database's live schema with its last snapshot. */
export async function checkDrift(
  store: Store,
  target: Target,
  db: DatabaseConfig,
  logger: Logger,
): Promise<DriftResult> {
  const snap = await snapshotOf(target, logger);
  if (snap === null)
    throw new Error(`cannot read the schema of ${db.name} (${db.environment}); check that the database is reachable`);
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
): Promise<string> {
  const snap = await snapshotOf(target, logger);
  if (snap === null)
    throw new Error(`cannot read the schema of ${db.name} (${db.environment}); check that the database is reachable`);
  const live = snap.sdl;
  const previous = await store.latestSnapshot(snapshotKey(db));
  const id = randomUUID();
  await store.recordMigration({
    id,
    database: db.name,
    environment: db.environment,
    engine: db.engine,
    issueId: '',
    taskId: id,
    type: 'baseline',
    version: `baseline-${now.toISOString()}`,
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
  return live;
}

export function driftText(db: DatabaseConfig, result: DriftResult): string {
  const name = `\`${db.name}\` (${db.environment})`;
  if (result.recorded === null)
    return `${name} has no recorded schema yet: \`/dbchange baseline ${db.name}@${db.environment}\` records the live one as the baseline.`;
  if (!result.drifted) return `:white_check_mark: ${name}: no drift; the live schema matches the last recorded one.`;
  const shown = result.diff.slice(0, 60).join('\n');
  return `:warning: ${name} has drifted from its last recorded schema:\n\`\`\`${shown.slice(0, 2500)}${result.diff.length > 60 ? '\n…' : ''}\`\`\`\nIf the change was intended, \`/dbchange baseline ${db.name}@${db.environment}\` records it as the new baseline.`;
}

export function schemaCommands(deps: {
  service: ChangeService;
  store: Store;
  targetFor: (db: DatabaseConfig) => Target;
  logger: Logger;
  now: () => Date;
}): SchemaCommands {
  return {
    async drift(db) {
      return driftText(db, await checkDrift(deps.store, deps.targetFor(db), db, deps.logger));
    },
    async baseline(db, user) {
      await recordBaseline(deps.store, deps.targetFor(db), db, user, deps.now(), deps.logger);
      return `:white_check_mark: recorded the live schema of \`${db.name}\` (${db.environment}) as the new baseline.`;
    },
  };
}
