import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/load.js';
import { holdForDrift, liftDriftHold, reviseDriftHold } from '../../../src/domain/drift-hold.js';
import type { Issue } from '../../../src/domain/issue.js';
import { approve, availableActions, type Decision, rolloutNow } from '../../../src/domain/transitions.js';
import { waitingFor } from '../../../src/domain/waiting.js';
import { issueFixture } from '../../support/issue-fixture.js';

const config = parseConfig(
  `channel: C_CHANGES
admins: [U_DBA]
environments:
  - id: staging
    approvers: [U_APP]
    rollout: automatic
    holdOnDrift: true
  - id: prod
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: app, environment: staging, engine: postgres, url: "postgres://h/s" }
  - { name: app, environment: prod, engine: postgres, url: "postgres://h/p" }
`,
  'test.yaml',
  {},
);
const now = new Date('2026-11-22T12:00:00Z');
const ctx = { config, now };
const drift = [{ database: 'app', diff: ['+ CREATE TABLE sneaky (id integer);'] }];

function ok(d: Decision): Extract<Decision, { ok: true }> {
  assert.ok(d.ok, d.ok ? '' : d.message);
  return d;
}

/** An issue whose staging stage is done and whose prod stage was released by U_REL. */
function releasedToProd(): Issue {
  const issue = issueFixture(config, 'app', now, { sql: 'CREATE TABLE t (id int PRIMARY KEY)', status: 'running' });
  const stages = [...issue.stages];
  stages[0] = { ...stages[0]!, status: 'done', tasks: stages[0]!.tasks.map((t) => ({ ...t, status: 'done' })) };
  stages[1] = { ...stages[1]!, status: 'running', releasedBy: 'U_REL' };
  return { ...issue, stages };
}

describe('drift holds a stage', () => {
  test('a held stage waits, offers no release, refuses Roll out now, and names the admins', () => {
    const held = ok(holdForDrift(releasedToProd(), 1, drift));
    assert.equal(held.issue.status, 'open');
    assert.equal(held.issue.stages[1]!.status, 'waiting');
    assert.deepEqual(held.issue.stages[1]!.driftHold, { databases: ['app'], releasedBy: 'U_REL', revision: 1 });
    assert.deepEqual(held.event, { kind: 'held-by-drift', environment: 'prod', drifts: drift });
    assert.ok(!availableActions(held.issue, config).has('rollout'));
    const again = rolloutNow(held.issue, 'U_REL', ctx);
    assert.equal(!again.ok && again.code, 'held-by-drift');
    assert.deepEqual(waitingFor(held.issue, config), {
      kind: 'drift',
      environment: 'prod',
      databases: ['app'],
      deciders: ['U_DBA'],
    });
  });

  test('lifting the hold runs the stage again for whoever had released it', () => {
    const held = ok(holdForDrift(releasedToProd(), 1, drift)).issue;
    const lifted = ok(liftDriftHold(held, 1, config, now));
    assert.equal(lifted.issue.status, 'running');
    assert.equal(lifted.issue.stages[1]!.releasedBy, 'U_REL');
    assert.equal(lifted.issue.stages[1]!.driftHold, undefined);
    assert.deepEqual(lifted.effects, [{ kind: 'run-stage', stageIndex: 1 }]);
  });

  test('after an edit the lifted stage waits for a new release instead of running', () => {
    const held = ok(holdForDrift(releasedToProd(), 1, drift)).issue;
    const lifted = ok(liftDriftHold({ ...held, revision: 2 }, 1, config, now));
    assert.equal(lifted.issue.status, 'open');
    assert.deepEqual(lifted.effects, []);
    assert.equal(lifted.event?.kind === 'drift-hold-lifted' && lifted.event.resumed, false);
  });

  test('a held automatic stage does not start on approval, and starts by itself once lifted', () => {
    const fresh = issueFixture(config, 'app', now, { sql: 'CREATE TABLE t (id int PRIMARY KEY)' });
    const staging = { ...fresh.stages[0]!, status: 'running' as const, releasedBy: 'automatic' };
    const held = ok(holdForDrift({ ...fresh, stages: [staging, fresh.stages[1]!] }, 0, drift)).issue;
    const approved = ok(approve(held, 'U_APP', ctx));
    assert.deepEqual(approved.effects, []);
    const lifted = ok(liftDriftHold(approved.issue, 0, config, now));
    assert.deepEqual(lifted.effects, [{ kind: 'run-stage', stageIndex: 0 }]);
  });

  test('a hold names only the databases still drifted, keeps who released it, and stays a hold', () => {
    const two = [...drift, { database: 'app2', diff: ['- CREATE TABLE gone (id integer);'] }];
    const held = ok(holdForDrift(releasedToProd(), 1, two)).issue;
    const revised = ok(reviseDriftHold(held, 1, ['app2']));
    assert.deepEqual(revised.issue.stages[1]!.driftHold, { databases: ['app2'], releasedBy: 'U_REL', revision: 1 });
    assert.equal(revised.issue.stages[1]!.status, 'waiting');
    assert.deepEqual(revised.effects, []);
    assert.equal(revised.event, undefined);
    const same = reviseDriftHold(revised.issue, 1, ['app2']);
    assert.equal(!same.ok && same.code, 'nothing-to-do');
    const none = reviseDriftHold(revised.issue, 1, []);
    assert.equal(!none.ok && none.code, 'invalid');
    const unheld = reviseDriftHold(releasedToProd(), 1, ['app']);
    assert.equal(!unheld.ok && unheld.code, 'nothing-to-do');
  });
});
