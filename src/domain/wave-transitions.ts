/**
 * The state machine of a stage rolled out in waves (the states are described in ./waves.ts).
 * Pure: an issue, an actor and the config in; the next issue, its effects and the event out, or
 * a refusal that says why.
 */
import type { IssueEvent, WaveResult } from './events.js';
import type { Issue, Stage } from './issue.js';
import { mayRelease } from './permissions.js';
import { refuse } from './refusal.js';
import { type Ctx, type Decision, type Effect, environmentOf } from './transitions.js';
import { type StageWaves, waveTasks } from './waves.js';

function withWaves(issue: Issue, index: number, waves: StageWaves): Issue {
  return { ...issue, stages: issue.stages.map((s, i) => (i === index ? { ...s, waves } : s)) };
}

/** The running stage that rolls out in waves, with its index. */
function waveStage(issue: Issue): { i: number; stage: Stage & { waves: StageWaves } } | undefined {
  const i = issue.stages.findIndex((s) => s.status === 'running' && s.waves);
  const stage = issue.stages[i];
  return stage?.waves ? { i, stage: stage as Stage & { waves: StageWaves } } : undefined;
}

/** Per-database results of wave `index`: the database and how its tasks ended. */
export function waveResults(stage: Stage, index: number): WaveResult[] {
  const byDb = new Map<string, WaveResult>();
  for (const t of waveTasks(stage, index)) {
    const prev = byDb.get(t.database);
    // A database with several tasks shows its worst outcome.
    if (!prev || prev.status === 'done' || prev.status === 'skipped')
      byDb.set(t.database, { database: t.database, status: t.status });
  }
  return [...byDb.values()];
}

/**
 * The tasks of the current wave have all ended and more waves are to come: the stage waits for
 * Continue. With `waveDelayMs` and no failure in the wave, the next wave is due by itself then.
 */
export function waveEnded(issue: Issue, stageIndex: number, ctx: Ctx): Decision {
  const stage = issue.stages[stageIndex];
  const waves = stage?.waves;
  if (stage?.status !== 'running' || !waves) return refuse('wrong-state', 'the stage does not roll out in waves');
  if (waves.current >= waves.plan.length - 1) return refuse('wrong-state', 'the last wave ended');
  const env = environmentOf(ctx.config, stage);
  const results = waveResults(stage, waves.current);
  const failed = results.some((r) => r.status !== 'done' && r.status !== 'skipped');
  const halted = waves.status === 'halted';
  const continueAt =
    !halted && !failed && env.waveDelayMs !== undefined ? new Date(ctx.now.getTime() + env.waveDelayMs) : undefined;
  const next: StageWaves = { ...waves, status: halted ? 'halted' : 'waiting', continueAt };
  const effects: Effect[] = continueAt
    ? [{ kind: 'continue-waves-at', stageIndex, wave: waves.current + 1, at: continueAt }]
    : [];
  return {
    ok: true,
    issue: withWaves(issue, stageIndex, next),
    effects,
    event: {
      kind: 'wave-done',
      environment: env.id,
      wave: waves.current + 1,
      waves: waves.plan.length,
      results,
      next: halted ? 'halted' : continueAt ? 'automatic' : 'continue',
      ...(continueAt ? { continueAt } : {}),
    },
  };
}

function startNext(issue: Issue, i: number, waves: StageWaves, by: string): Decision {
  const stage = issue.stages[i]!;
  const wave = waves.current + 1;
  return {
    ok: true,
    issue: withWaves(issue, i, { plan: waves.plan, current: wave, status: 'running' }),
    effects: [{ kind: 'run-stage', stageIndex: i }],
    event: {
      kind: 'wave-started',
      by,
      environment: stage.environment,
      wave: wave + 1,
      waves: waves.plan.length,
      databases: waves.plan[wave]!.length,
    },
  };
}

/** Continue: start the next wave (whoever may release the stage), also after a Halt. */
export function continueWaves(issue: Issue, user: string, ctx: Ctx): Decision {
  const found = waveStage(issue);
  if (issue.status !== 'running' || !found)
    return refuse('wrong-state', `issue #${issue.id} is not between waves; there is nothing to continue`);
  const { i, stage } = found;
  const env = environmentOf(ctx.config, stage);
  if (!mayRelease(user, issue, env, ctx.directory))
    return env.releasers.length === 0
      ? refuse('not-allowed', `only the creator can continue the rollout of ${env.id}`)
      : refuse('not-allowed', `you are not a releaser for ${env.id}, so you cannot continue its rollout`, {
          role: 'releasers',
          ids: env.releasers,
        });
  if (stage.waves.status === 'running')
    return refuse('wrong-state', `wave ${stage.waves.current + 1} of ${env.id} is still running; wait for it to end`);
  return startNext(issue, i, stage.waves, user);
}

/** The waveDelay after a wave without failure has passed: start the next wave unless someone halted or continued. */
export function waveDelayDue(issue: Issue, stageIndex: number, wave: number): Decision {
  const stage = issue.stages[stageIndex];
  const waves = stage?.waves;
  if (issue.status !== 'running' || stage?.status !== 'running' || !waves)
    return refuse('wrong-state', 'the stage is no longer rolling out');
  if (waves.status !== 'waiting' || waves.current + 1 !== wave)
    return refuse('stale', 'the rollout was halted or continued meanwhile');
  return startNext(issue, stageIndex, waves, 'automatic');
}

/** Halt: no further wave starts (a running wave ends first); the rest stay pending until Continue or Cancel. */
export function haltWaves(issue: Issue, user: string, ctx: Ctx): Decision {
  const found = waveStage(issue);
  if (issue.status !== 'running' || !found)
    return refuse('wrong-state', `issue #${issue.id} is not rolling out in waves; there is nothing to halt`);
  const { i, stage } = found;
  const env = environmentOf(ctx.config, stage);
  if (!mayRelease(user, issue, env, ctx.directory))
    return refuse('not-allowed', `you are not a releaser for ${env.id}, so you cannot halt its rollout`, {
      role: 'releasers',
      ids: env.releasers,
    });
  if (stage.waves.status === 'halted') return refuse('nothing-to-do', `the rollout of ${env.id} is already halted`);
  if (stage.waves.current >= stage.waves.plan.length - 1)
    return refuse('nothing-to-do', `the last wave of ${env.id} is running; nothing is left to halt`);
  const pending = stage.waves.plan.slice(stage.waves.current + 1).flat().length;
  const event: IssueEvent = {
    kind: 'waves-halted',
    by: user,
    environment: env.id,
    pending,
    running: stage.waves.status === 'running',
  };
  return {
    ok: true,
    issue: withWaves(issue, i, {
      plan: stage.waves.plan,
      current: stage.waves.current,
      status: 'halted',
      haltedBy: user,
    }),
    effects: [],
    event,
  };
}
