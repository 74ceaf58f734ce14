// Drift holds a stage (the rules: src/domain/drift-hold.ts): the check just before a released
// stage runs, lifting holds once the drift is resolved (after a baseline, a revert change, or
// at each periodic drift check), and opening a revert change of a drift.
import { randomUUID } from 'node:crypto';
import { findDatabase } from '../config/model.js';
import { holdForDrift, liftDriftHold, reviseDriftHold } from '../domain/drift-hold.js';
import type { Issue } from '../domain/issue.js';
import { mayBaseline } from '../domain/permissions.js';
import { environmentOf } from '../domain/transitions.js';
import { messageOf } from '../errors.js';
import { measureBlastRadius } from './blast-radius.js';
import type { AppContext } from './context.js';
import { busyDatabases } from './drift-job.js';
import { resolveDatabases } from './queries.js';
import { type Actor, done, type Result, refused } from './results.js';
import { checkDrift } from './schema-commands.js';
import { snapshotKey } from './snapshot.js';

type DriftDeps = Pick<AppContext, 'config' | 'store' | 'service' | 'targetFor' | 'logger' | 'now'>;

interface DriftNow {
  /** Databases whose live schema differs from the last recorded one, with the diff. */
  drifted: { database: string; diff: string[] }[];
  /** Databases that could not be told now: unreachable, or being changed by another rollout. */
  unknown: string[];
}

/** The drift of the stage's databases now. */
async function driftOfStage(deps: DriftDeps, issue: Issue, stageIndex: number): Promise<DriftNow> {
  const stage = issue.stages[stageIndex]!;
  const busy = await busyDatabases(deps.store, issue.id);
  const out: DriftNow = { drifted: [], unknown: [] };
  for (const name of [...new Set(stage.tasks.map((t) => t.database))]) {
    const db = findDatabase(deps.config, name, stage.environment);
    if (!db) continue;
    if (issue.driftRevert?.database === db.name && issue.driftRevert.environment === db.environment) continue;
    if (busy.has(snapshotKey(db))) {
      out.unknown.push(db.name);
      continue;
    }
    try {
      const result = await checkDrift(deps.store, deps.targetFor(db), db, deps.logger);
      if (result.drifted) out.drifted.push({ database: db.name, diff: result.diff });
    } catch (err) {
      deps.logger.warn({ err: messageOf(err), database: db.name }, 'drift could not be checked');
      out.unknown.push(db.name);
    }
  }
  return out;
}

/** Before a stage's first run in an environment with holdOnDrift: unresolved drift holds it. True when held. */
export async function heldByDrift(deps: DriftDeps, issue: Issue, stageIndex: number): Promise<boolean> {
  const stage = issue.stages[stageIndex]!;
  if (!environmentOf(deps.config, stage).holdOnDrift) return false;
  if (stage.tasks.some((t) => t.status !== 'pending' || t.attempt > 0)) return false;
  // What cannot be told (unreachable, busy) does not hold: an unreachable database fails its task with the reason.
  const drifts = (await driftOfStage(deps, issue, stageIndex)).drifted;
  if (drifts.length === 0) return false;
  const held = await deps.service.mutate(issue.id, (current) => holdForDrift(current, stageIndex, drifts));
  return held.kind === 'done';
}

/**
 * Lift the holds whose drift is resolved (the live schema matches the recorded one again);
 * `databases` (`name@environment`) limits it to holds on those. Never throws for one issue.
 */
export async function reconsiderDriftHolds(deps: DriftDeps, databases?: Set<string>): Promise<void> {
  for (const issue of await deps.store.listIssues({ statuses: ['open'] })) {
    for (const [i, stage] of issue.stages.entries()) {
      const hold = stage.driftHold;
      if (!hold) continue;
      if (databases && !hold.databases.some((d) => databases.has(`${d}@${stage.environment}`))) continue;
      try {
        // Lifted only when every database is known to match its record again; until then the hold
        // names the databases still drifted (and those that cannot be told now, if it named them).
        const now = await driftOfStage(deps, issue, i);
        if (now.drifted.length === 0 && now.unknown.length === 0) {
          await deps.service.mutate(issue.id, (current) => liftDriftHold(current, i, deps.config, deps.now()));
          continue;
        }
        const left = [...now.drifted.map((d) => d.database), ...now.unknown.filter((d) => hold.databases.includes(d))];
        if (left.length > 0) await deps.service.mutate(issue.id, (current) => reviseDriftHold(current, i, left));
      } catch (err) {
        deps.logger.error({ err, issue: issue.id }, 'could not reconsider a drift hold');
      }
    }
  }
}

/**
 * Open a revert change of a database's drift (`app@prod`): DDL from the live schema back to the
 * recorded one, as a change of that environment only, which the drift does not hold. Who may
 * record a baseline there may open it (the same decision about the same drift).
 */
export async function openDriftRevert(
  app: AppContext,
  input: { actor: Actor; database: string },
): Promise<Result<{ issue: Issue }>> {
  const dbs = resolveDatabases(app, input.database);
  if (!Array.isArray(dbs)) return dbs;
  const db = dbs[0]!;
  if (dbs.length > 1)
    return refused('invalid', `name one environment of ${db.name}, like ${db.name}@${db.environment}`);
  if (!mayBaseline(input.actor.user, db.environment, app.config, app.directory))
    return refused(
      'not-allowed',
      `only approvers or releasers of ${db.environment}, or admins, decide about drift there; nothing was opened`,
    );
  if (!app.planner) return refused('unavailable', 'revert changes need the schema engine, which this bot does not run');
  const recorded = await app.store.latestSnapshot(snapshotKey(db));
  if (!recorded)
    return refused('nothing-to-do', `dbchange has recorded no schema of ${db.name} (${db.environment}) yet`);
  let ddl: string;
  try {
    ddl = await app.planner.ddlFor(db, recorded.sdl);
  } catch (err) {
    return refused('target-failed', `cannot compute the revert of ${db.name} (${db.environment}): ${messageOf(err)}`);
  }
  if (!ddl.trim()) return refused('nothing-to-do', `${db.name} (${db.environment}) has not drifted; nothing to revert`);
  const stages = app.config.environments.some((e) => e.id === db.environment)
    ? [
        {
          environment: db.environment,
          status: 'waiting' as const,
          approvals: [],
          tasks: [{ id: randomUUID(), database: db.name, engine: db.engine, status: 'pending' as const, attempt: 0 }],
        },
      ]
    : [];
  const issue = await app.service.create(
    {
      title: `Revert the drift of ${db.name} (${db.environment})`,
      target: db.name,
      changeType: 'ddl',
      sql: ddl,
      description: `Brings ${db.name} (${db.environment}) back to the schema dbchange recorded on ${recorded.takenAt.toISOString()}.`,
      labels: ['drift-revert'],
    },
    input.actor.user,
    { kind: 'slack' },
    {
      stages,
      driftRevert: { database: db.name, environment: db.environment },
      blastRadius: await measureBlastRadius(app, [db], ddl),
    },
  );
  for (const held of await app.store.listIssues({ statuses: ['open'] }))
    if (held.stages.some((s) => s.environment === db.environment && s.driftHold?.databases.includes(db.name)))
      await app.service.threadSafe(held, {
        kind: 'drift-revert-opened',
        by: input.actor.user,
        issueId: issue.id,
        database: db.name,
        environment: db.environment,
      });
  return done({ issue });
}
