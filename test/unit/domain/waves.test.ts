import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/load.js';
import type { Issue, Stage } from '../../../src/domain/issue.js';
import { continueWaves, haltWaves, waveDelayDue, waveEnded } from '../../../src/domain/wave-transitions.js';
import { availableActions, cancel, type Decision } from '../../../src/domain/transitions.js';
import { planWaves, splitWaves, type WaveSize } from '../../../src/domain/waves.js';
import { issueFixture } from '../../support/issue-fixture.js';

describe('splitting a stage into waves', () => {
  const cases: Array<[WaveSize[], number, number[]]> = [
    [[1, '10%', 'rest'], 20, [1, 2, 17]],
    [[1, '10%', 'rest'], 5, [1, 1, 3]],
    [[1, '10%', 'rest'], 1, [1]],
    [[1, '10%', 'rest'], 2, [1, 1]],
    [['25%', '25%', 'rest'], 10, [3, 3, 4]],
    [['50%'], 3, [2, 1]],
    [[2, 2], 7, [2, 2, 3]],
    [[5, 'rest'], 3, [3]],
    [['rest'], 4, [4]],
    [['100%', 1], 4, [4]],
    [[1], 0, []],
  ];
  for (const [sizes, total, want] of cases)
    test(`[${sizes.join(', ')}] over ${total} databases gives waves of ${want.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(splitWaves(sizes, total), want);
    });

  test('waves follow the order of the stage’s databases, and one wave means no waves at all', () => {
    const stage = (n: number): Stage => ({
      environment: 'prod',
      status: 'running',
      approvals: [],
      tasks: Array.from({ length: n }, (_, i) => ({
        id: `t${i}`,
        database: `db${i + 1}`,
        engine: 'postgres' as const,
        status: 'pending' as const,
        attempt: 0,
      })),
    });
    assert.deepEqual(
      planWaves([1, '10%', 'rest'], stage(20))?.plan.map((w) => w.length),
      [1, 2, 17],
    );
    assert.deepEqual(planWaves([1, 'rest'], stage(3))?.plan, [['db1'], ['db2', 'db3']]);
    assert.equal(planWaves([1, 'rest'], stage(1)), undefined);
    assert.equal(planWaves(undefined, stage(5)), undefined);
  });
});

const config = parseConfig(
  `channel: C_CHANGES
admins: [U_ADMIN]
environments:
  - id: prod
    releasers: [U_REL]
    rollout: manual
    waves: [1, rest]
    waveDelay: 10 minutes
databases:
  - { name: a, environment: prod, engine: postgres, url: "postgres://h/a", group: g }
  - { name: b, environment: prod, engine: postgres, url: "postgres://h/b", group: g }
  - { name: c, environment: prod, engine: postgres, url: "postgres://h/c", group: g }
`,
  'test.yaml',
  {},
);
const now = new Date('2026-11-22T12:00:00Z');
const ctx = { config, now };

function running(firstWave: 'done' | 'failed'): Issue {
  const tasks = ['a', 'b', 'c'].map((database, i) => ({
    id: `t${i}`,
    database,
    engine: 'postgres' as const,
    status: i === 0 ? firstWave : ('pending' as const),
    attempt: i === 0 ? 1 : 0,
  }));
  return issueFixture(config, 'g', now, {
    sql: 'SELECT 1',
    status: 'running',
    stages: [
      {
        environment: 'prod',
        status: 'running',
        approvals: [],
        tasks,
        releasedBy: 'U_REL',
        waves: { plan: [['a'], ['b', 'c']], current: 0, status: 'running' },
      },
    ],
  });
}

function ok(d: Decision): Extract<Decision, { ok: true }> {
  assert.ok(d.ok, d.ok ? '' : d.message);
  return d;
}

describe('the waves state machine', () => {
  test('a wave without failure ends waiting for Continue, and the next wave is due by itself after waveDelay', () => {
    const d = ok(waveEnded(running('done'), 0, ctx));
    const w = d.issue.stages[0]!.waves!;
    assert.equal(w.status, 'waiting');
    assert.deepEqual(w.continueAt, new Date(now.getTime() + 10 * 60_000));
    assert.deepEqual(d.effects, [{ kind: 'continue-waves-at', stageIndex: 0, wave: 1, at: w.continueAt }]);
    assert.equal(d.event?.kind === 'wave-done' && d.event.next, 'automatic');
    assert.deepEqual(availableActions(d.issue, config), new Set(['continue-waves', 'halt-waves', 'cancel']));
  });

  test('a wave with a failure waits for Continue: nothing starts by itself', () => {
    const d = ok(waveEnded(running('failed'), 0, ctx));
    assert.deepEqual(d.effects, []);
    assert.equal(d.issue.stages[0]!.waves!.continueAt, undefined);
  });

  test('only a releaser continues; the delay after a halt or a continue starts nothing', () => {
    const waiting = ok(waveEnded(running('done'), 0, ctx)).issue;
    const refused = continueWaves(waiting, 'U_DEV', ctx);
    assert.equal(!refused.ok && refused.code, 'not-allowed');
    const next = ok(continueWaves(waiting, 'U_REL', ctx));
    assert.deepEqual(next.issue.stages[0]!.waves, { plan: [['a'], ['b', 'c']], current: 1, status: 'running' });
    assert.deepEqual(next.effects, [{ kind: 'run-stage', stageIndex: 0 }]);
    const late = waveDelayDue(next.issue, 0, 1);
    assert.equal(!late.ok && late.code, 'stale');
    const halted = ok(haltWaves(waiting, 'U_REL', ctx)).issue;
    const afterHalt = waveDelayDue(halted, 0, 1);
    assert.equal(!afterHalt.ok && afterHalt.code, 'stale');
    assert.ok(ok(waveDelayDue(waiting, 0, 1)).issue.stages[0]!.waves!.status === 'running');
  });

  test('a halted rollout can be continued later or cancelled, leaving the rest pending', () => {
    const halted = ok(haltWaves(ok(waveEnded(running('done'), 0, ctx)).issue, 'U_REL', ctx)).issue;
    assert.deepEqual(availableActions(halted, config), new Set(['continue-waves', 'cancel']));
    const cancelled = ok(cancel(halted, 'U_REL', ctx)).issue;
    assert.equal(cancelled.status, 'canceled');
    assert.deepEqual(
      cancelled.stages[0]!.tasks.map((t) => t.status),
      ['done', 'pending', 'pending'],
    );
    assert.equal(ok(continueWaves(halted, 'U_REL', ctx)).issue.stages[0]!.waves!.current, 1);
  });

  test('while a wave runs the change cannot be cancelled, and the last wave cannot be halted', () => {
    const first = running('done');
    assert.equal(cancel(first, 'U_REL', ctx).ok, false);
    const last = ok(continueWaves(ok(waveEnded(first, 0, ctx)).issue, 'U_REL', ctx)).issue;
    const h = haltWaves(last, 'U_REL', ctx);
    assert.equal(!h.ok && h.code, 'nothing-to-do');
  });
});
