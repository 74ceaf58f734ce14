/**
 * Drift holds a stage. In an environment with `holdOnDrift` (by default only the last one,
 * production), a released stage whose target database has unresolved drift — its live schema
 * differs from the last one dbchange recorded, the comparison the drift check makes — does not
 * run: it waits again, held, with the drift shown, until someone who may baseline there records
 * a baseline or a revert change brings the schema back. Then the hold is lifted and the stage
 * proceeds as its policy says: a stage that had been released (Roll out now, a schedule that
 * came due, automatic) runs at once, unless its SQL was edited meanwhile; automatic stages start
 * by themselves as usual.
 *
 *   running (released, nothing started) ──drift found──▶ waiting + driftHold   (Roll out now, Schedule refused)
 *   waiting + driftHold ──drift resolved──▶ running (released again) | waiting (edited, or not released)
 *
 * Only a stage's first run is held: a retry or a restart mid-stage is not, since its own earlier
 * attempt may be what changed the live schema. A revert change of a drift is never held by it.
 */
import type { Config } from '../config/model.js';
import type { Issue, Stage } from './issue.js';
import { refuse } from './refusal.js';
import { approvalsMet } from './approvals.js';
import { type Decision, type Effect, environmentOf, heldByFindings, startAutomatic } from './transitions.js';

/** Why a stage waits although it was released: drift on these databases (see the header). */
export interface DriftHold {
  databases: string[];
  /** Who had released the stage; it runs again for them once the hold is lifted. */
  releasedBy: string;
  /** The SQL revision that was released; an edit since means a new release is needed. */
  revision: number;
}

/** What a revert change reverts: the drift of one database in one environment. */
export interface DriftRevertRef {
  database: string;
  environment: string;
}

function withStage(issue: Issue, index: number, stage: Stage): Issue {
  return { ...issue, stages: issue.stages.map((s, i) => (i === index ? stage : s)) };
}

/** Drift was found on `databases` just before a released stage ran: nothing ran, and the stage is held. */
export function holdForDrift(
  issue: Issue,
  stageIndex: number,
  drifts: { database: string; diff: string[] }[],
): Decision {
  const stage = issue.stages[stageIndex];
  if (stage?.status !== 'running') return refuse('wrong-state', 'the stage is not running');
  if (stage.tasks.some((t) => t.status !== 'pending'))
    return refuse('wrong-state', 'tasks of the stage already started');
  const held = withStage({ ...issue, status: 'open' }, stageIndex, {
    ...stage,
    status: 'waiting',
    releasedBy: undefined,
    driftHold: {
      databases: drifts.map((d) => d.database),
      releasedBy: stage.releasedBy ?? 'automatic',
      revision: issue.revision,
    },
  });
  return {
    ok: true,
    issue: held,
    effects: [],
    event: { kind: 'held-by-drift', environment: stage.environment, drifts },
  };
}

/**
 * Some of the databases that held stage `stageIndex` match their record again (a baseline, a
 * revert): the hold goes on for `databases` (those still drifted), so the message shows what is left to resolve.
 */
export function reviseDriftHold(issue: Issue, stageIndex: number, databases: string[]): Decision {
  const stage = issue.stages[stageIndex];
  const hold = stage?.driftHold;
  if (!stage || !hold || issue.status !== 'open') return refuse('nothing-to-do', 'the stage is not held by drift');
  if (databases.length === 0) return refuse('invalid', 'a hold on no database is lifted, not revised');
  if (databases.length === hold.databases.length && databases.every((d) => hold.databases.includes(d)))
    return refuse('nothing-to-do', 'the hold names these databases already');
  return {
    ok: true,
    issue: withStage(issue, stageIndex, { ...stage, driftHold: { ...hold, databases } }),
    effects: [],
  };
}

/** The drift that held stage `stageIndex` is resolved: lift the hold, and run the stage again if it had been released. */
export function liftDriftHold(issue: Issue, stageIndex: number, config: Config, now: Date): Decision {
  const stage = issue.stages[stageIndex];
  const hold = stage?.driftHold;
  if (!stage || !hold || issue.status !== 'open') return refuse('nothing-to-do', 'the stage is not held by drift');
  const env = environmentOf(config, stage);
  const lifted = withStage(issue, stageIndex, { ...stage, driftHold: undefined });
  const release =
    hold.revision === issue.revision &&
    stage.status === 'waiting' &&
    approvalsMet(stage, env, now) &&
    !heldByFindings(lifted, stageIndex) &&
    issue.stages.slice(0, stageIndex).every((s) => s.status === 'done');
  let next = lifted;
  let effects: Effect[] = [];
  if (release) {
    next = withStage({ ...lifted, status: 'running', schedule: undefined }, stageIndex, {
      ...lifted.stages[stageIndex]!,
      status: 'running',
      releasedBy: hold.releasedBy,
    });
    effects = [{ kind: 'run-stage', stageIndex }];
  } else ({ issue: next, effects } = startAutomatic(lifted, config, now));
  return {
    ok: true,
    issue: next,
    effects,
    event: { kind: 'drift-hold-lifted', environment: stage.environment, resumed: effects.length > 0 },
  };
}
