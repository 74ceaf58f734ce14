// The periodic drift check: every configured database's live schema against its last recorded
// snapshot. Each distinct drift is posted once (a claim on the database and the live schema's
// hash), so a drift nobody baselines is not repeated every hour. A database a stage is changing
// right now is skipped: between a task's change and its recorded snapshot the live schema is
// ahead of the record, which is not drift.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config, DatabaseConfig } from '../config/model.js';
import { snapshotKey } from './snapshot.js';
import type { Store } from '../store/types.js';
import type { Target } from '../targets/types.js';
import { checkDrift } from './schema-commands.js';
import { betweenWaves } from '../domain/waves.js';

export interface DriftReport {
  database: DatabaseConfig;
  diff: string[];
}

/** The databases (`name@environment`) a running stage may be changing now, except those of issue `except`. */
export async function busyDatabases(store: Store, except?: string): Promise<Set<string>> {
  const busy = new Set<string>();
  for (const issue of await store.listIssues({ statuses: ['running'] })) {
    if (issue.id === except) continue;
    // A stage between waves changes nothing until Continue: its databases can be checked.
    for (const stage of issue.stages.filter((s) => s.status === 'running' && !betweenWaves(s)))
      for (const task of stage.tasks) busy.add(`${task.database}@${stage.environment}`);
  }
  return busy;
}

/** Check every database; returns the drifts not reported before. Never throws for one database. */
export async function driftCheck(deps: {
  config: Config;
  store: Store;
  targetFor: (db: DatabaseConfig) => Target;
  logger: Logger;
  now: () => Date;
}): Promise<DriftReport[]> {
  const reports: DriftReport[] = [];
  const busy = await busyDatabases(deps.store);
  for (const db of deps.config.databases) {
    if (busy.has(snapshotKey(db))) continue;
    try {
      const result = await checkDrift(deps.store, deps.targetFor(db), db, deps.logger);
      if (result.recorded === null) {
        // First sight of this database: its schema now is what later checks compare with.
        await deps.store.saveSnapshot({
          database: snapshotKey(db),
          takenAt: deps.now(),
          sdl: result.live,
          source: 'first-seen',
        });
        continue;
      }
      if (!result.drifted) continue;
      const hash = createHash('sha256').update(result.live).digest('hex');
      if (await deps.store.claimOnce(`drift:${snapshotKey(db)}:${hash}`, deps.now()))
        reports.push({ database: db, diff: result.diff });
    } catch (err) {
      deps.logger.warn({ err, database: db.name, environment: db.environment }, 'drift check failed for a database');
    }
  }
  return reports;
}
