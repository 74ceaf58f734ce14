/**
 * Waves: an environment may roll a stage out over its databases in waves
 * (`waves: [1, 10%, rest]`), so a change meets one database, then a few, before it meets all.
 *
 * Splitting (`splitWaves`): the stage's databases, in config order, are cut into consecutive
 * waves. An entry is a count (`3`), a percentage of all the stage's databases (`10%`: rounded
 * up, so every percentage takes at least one), or `rest` (everything left; only as the last
 * entry). A wave never takes more than is left, waves left empty are dropped, and databases the
 * entries do not reach form one last wave. [1, 10%, rest] over 20 → 1, 2, 17; over 5 → 1, 1, 3;
 * over 1 → 1 (one wave: the stage runs as any other).
 *
 * State of a stage with more than one wave (`Stage.waves`):
 *   running ──the wave ends, more to come──▶ waiting
 *   waiting ──Continue (who may release the stage), or waveDelay after a wave without failure──▶ running (next wave)
 *   running | waiting ──Halt──▶ halted        (the running wave ends; nothing more starts)
 *   halted ──Continue──▶ running (next wave)
 *   waiting | halted ──Cancel──▶ the issue is cancelled; the rest stay pending, never applied
 *   the last wave ends ──▶ the stage settles as any stage does (done, or failed and Retry)
 * Within a wave, tasks run as in any stage: concurrently across databases, bounded by
 * `rollout.concurrency`.
 */
import type { Stage, Task } from './issue.js';

/** One entry of an environment's `waves`. */
export type WaveSize = number | `${number}%` | 'rest';

export interface StageWaves {
  /** The database names of each wave, in order. */
  plan: string[][];
  /** The wave running now, or the last one that ran. */
  current: number;
  status: 'running' | 'waiting' | 'halted';
  /** With waveDelay: when the next wave starts by itself (the last one ended without a failure). */
  continueAt?: Date;
  /** Who halted the rollout. */
  haltedBy?: string;
}

/** The sizes of the waves for `total` databases (see the header for the rounding rules). */
export function splitWaves(sizes: readonly WaveSize[], total: number): number[] {
  const out: number[] = [];
  let left = total;
  for (const size of sizes) {
    if (left <= 0) break;
    const want =
      size === 'rest'
        ? left
        : typeof size === 'number'
          ? size
          : Math.max(1, Math.ceil((Number.parseFloat(size) / 100) * total));
    const take = Math.min(left, Math.max(0, Math.floor(want)));
    if (take === 0) continue;
    out.push(take);
    left -= take;
  }
  if (left > 0) out.push(left);
  return out;
}

/** The stage's databases (in task order) cut into waves; undefined when there would be only one wave. */
export function planWaves(sizes: readonly WaveSize[] | undefined, stage: Stage): StageWaves | undefined {
  if (!sizes?.length) return undefined;
  const databases = [...new Set(stage.tasks.map((t) => t.database))];
  const split = splitWaves(sizes, databases.length);
  if (split.length < 2) return undefined;
  const plan: string[][] = [];
  let from = 0;
  for (const n of split) {
    plan.push(databases.slice(from, from + n));
    from += n;
  }
  return { plan, current: 0, status: 'running' };
}

/** The databases a stage may run on now: all of them, or those of the waves started so far. */
export function startedDatabases(stage: Stage): Set<string> | undefined {
  const w = stage.waves;
  if (!w) return undefined;
  return new Set(w.plan.slice(0, w.current + 1).flat());
}

/** The tasks of wave `index`. */
export function waveTasks(stage: Stage, index: number): Task[] {
  const dbs = new Set(stage.waves?.plan[index] ?? []);
  return stage.tasks.filter((t) => dbs.has(t.database));
}

/** True when the stage's waves wait between waves (Continue, Halt or the delay decide what comes next). */
export function betweenWaves(stage: Stage): boolean {
  return stage.waves !== undefined && stage.waves.status !== 'running';
}

/** True when the wave that ran last was the stage's last wave. */
export function onLastWave(stage: Stage): boolean {
  return !stage.waves || stage.waves.current >= stage.waves.plan.length - 1;
}
