// Freeze windows and pre-flight checks in the state machine: scheduling into a window is refused
// with its reason, anything due inside one is held until it ends; a scheduled stage's pre-flight
// check is posted once, confirmed by someone who may change the schedule, and an unconfirmed
// one goes ahead or is held as the environment requires.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/load.js';
import { frozenAt, readMoment } from '../../../src/domain/freeze.js';
import type { Refusal } from '../../../src/domain/refusal.js';
import {
  confirmPreflight,
  type Decision,
  preflightDue,
  reschedule,
  rolloutNow,
  schedule,
  scheduledRunDue,
  startAutomatic,
} from '../../../src/domain/transitions.js';
import { issueFixture } from '../../support/issue-fixture.js';

const now = new Date('2026-12-20T12:00:00Z');
const config = parseConfig(
  `channel: C_CHANGES
admins: [U_ADMIN]
environments:
  - id: dev
    rollout: automatic
    freeze:
      - { from: "2026-12-20T00:00:00Z", to: "2026-12-21T00:00:00Z", reason: "Year-end freeze" }
      - { from: "2026-12-21 00:00", to: "2026-12-22 08:00", timezone: Europe/Berlin, reason: "Still frozen" }
  - id: prod
    releasers: [U_REL]
    rollout: manual
    preflight: { before: 15 minutes, require: true }
    freeze:
      - { from: "2026-12-24T00:00:00Z", to: "2026-12-27T00:00:00Z", reason: "Holidays" }
databases:
  - { name: app, environment: dev, engine: postgres, url: "postgres://h/dev" }
  - { name: app, environment: prod, engine: postgres, url: "postgres://h/prod" }
`,
  'freeze.yaml',
  {},
);
const ctx = { config, now };
const prodOnly = () => {
  const i = issueFixture(config, 'app', now);
  return { ...i, stages: i.stages.map((s, k) => (k === 0 ? { ...s, status: 'done' as const } : s)) };
};

function ok(d: Decision): Extract<Decision, { ok: true }> {
  assert.equal(d.ok, true, d.ok ? '' : d.message);
  return d as Extract<Decision, { ok: true }>;
}
function refusal(d: Decision): Refusal {
  assert.equal(d.ok, false, 'expected a refusal');
  return d as Refusal;
}

describe('freeze windows', () => {
  test('times are read with an offset, or as local times in the window time zone; a local time without one is refused', () => {
    assert.deepEqual(readMoment('2026-12-20T18:00:00+01:00'), { at: new Date('2026-12-20T17:00:00Z') });
    assert.deepEqual(readMoment('2026-12-20 18:00', 'Europe/Berlin'), { at: new Date('2026-12-20T17:00:00Z') });
    assert.match(String((readMoment('2026-12-20 18:00') as { error: string }).error), /has no time zone/);
    assert.match(String((readMoment('next friday', 'UTC') as { error: string }).error), /is not a date-time/);
  });

  test('windows that touch hold until the last one ends', () => {
    const frozen = frozenAt(config.environments[0]!.freeze, now);
    assert.equal(frozen?.window.reason, 'Year-end freeze');
    assert.deepEqual(frozen?.until, new Date('2026-12-22T07:00:00Z'));
    assert.equal(frozenAt(config.environments[0]!.freeze, new Date('2026-12-22T07:00:00Z')), undefined);
  });

  test('an automatic stage due inside a window is held as a schedule at its end, and says why', () => {
    const { issue, effects, held } = startAutomatic(issueFixture(config, 'app', now), config, now);
    assert.equal(issue.status, 'scheduled');
    assert.deepEqual(issue.schedule, {
      at: new Date('2026-12-22T07:00:00Z'),
      by: 'automatic',
      stageIndex: 0,
      freeze: { reason: 'Year-end freeze' },
    });
    assert.deepEqual(effects, [{ kind: 'schedule-stage', stageIndex: 0, at: new Date('2026-12-22T07:00:00Z') }]);
    assert.deepEqual(held, {
      kind: 'held-by-freeze',
      environment: 'dev',
      reason: 'Year-end freeze',
      until: new Date('2026-12-22T07:00:00Z'),
      by: 'automatic',
    });
  });

  test('scheduling into a window is refused with its reason; Roll out now inside one is held until it ends', () => {
    const refused = refusal(schedule(prodOnly(), 'U_REL', new Date('2026-12-25T10:00:00Z'), ctx));
    assert.equal(refused.code, 'frozen');
    assert.match(refused.message, /prod is frozen from 2026-12-24 00:00 UTC to 2026-12-27 00:00 UTC: Holidays/);
    const inside = { config, now: new Date('2026-12-25T10:00:00Z') };
    const held = ok(rolloutNow(prodOnly(), 'U_REL', inside));
    assert.equal(held.issue.status, 'scheduled');
    assert.equal(held.issue.schedule?.by, 'U_REL');
    assert.equal(held.event?.kind, 'held-by-freeze');
  });
});

describe('pre-flight checks', () => {
  const at = new Date('2026-12-20T18:00:00Z');
  const scheduled = () => ok(schedule(prodOnly(), 'U_REL', at, ctx));

  test('a schedule asks for its pre-flight check `before` ahead, never before now', () => {
    assert.deepEqual(scheduled().effects, [
      { kind: 'schedule-stage', stageIndex: 1, at, preflightAt: new Date('2026-12-20T17:45:00Z') },
    ]);
    const soon = ok(schedule(prodOnly(), 'U_REL', new Date(now.getTime() + 60_000), ctx));
    assert.deepEqual(soon.effects, [
      { kind: 'schedule-stage', stageIndex: 1, at: new Date(now.getTime() + 60_000), preflightAt: now },
    ]);
  });

  test('the check is posted once; only someone who may change the schedule confirms it; then the stage runs', () => {
    const posted = ok(preflightDue(scheduled().issue, 1, at, [], ctx));
    assert.equal(posted.event?.kind === 'preflight' && posted.event.releaser, 'U_REL');
    assert.equal(refusal(preflightDue(posted.issue, 1, at, [], ctx)).code, 'nothing-to-do');
    assert.equal(refusal(confirmPreflight(posted.issue, 'U_DEV', at, ctx)).code, 'not-allowed');
    assert.equal(refusal(confirmPreflight(posted.issue, 'U_REL', new Date(at.getTime() + 1), ctx)).code, 'stale');
    const confirmed = ok(confirmPreflight(posted.issue, 'U_ADMIN', at, ctx));
    const due = ok(scheduledRunDue(confirmed.issue, 1, at, { config, now: at }));
    assert.equal(due.issue.status, 'running');
    assert.deepEqual(due.event, { kind: 'scheduled-run-started', environment: 'prod', confirmedBy: 'U_ADMIN' });
  });

  test('confirming a check that found problems acknowledges them for the stage and revision, unless the creator confirms', () => {
    const finding = {
      rule: 'statement.affected-row-limit',
      level: 'WARNING' as const,
      line: 1,
      column: 1,
      statement: 'UPDATE t SET a = 1',
      message: 'UPDATE is estimated to touch 5000 rows, more than 1000',
    };
    const posted = ok(preflightDue(scheduled().issue, 1, at, [finding], ctx)).issue;
    const confirmed = ok(confirmPreflight(posted, 'U_REL', at, ctx));
    assert.deepEqual(confirmed.issue.rolloutAnyway, {
      user: 'U_REL',
      at: now,
      stageIndex: 1,
      revision: posted.revision,
    });
    assert.equal(confirmed.event?.kind === 'preflight-confirmed' && confirmed.event.acknowledged, 1);
    // The creator who is also a releaser confirms the time, never the findings of their own change.
    const own = ok(confirmPreflight({ ...posted, creator: 'U_REL' }, 'U_REL', at, ctx));
    assert.equal(own.issue.rolloutAnyway, undefined);
    assert.equal(own.event?.kind === 'preflight-confirmed' && own.event.unacknowledged, 1);
    // A check that found nothing acknowledges nothing.
    const clean = ok(confirmPreflight(ok(preflightDue(scheduled().issue, 1, at, [], ctx)).issue, 'U_REL', at, ctx));
    assert.equal(clean.issue.rolloutAnyway, undefined);
  });

  test('unconfirmed, a stage that requires it is held and waits for a releaser; a postponed one gets a new check', () => {
    const posted = ok(preflightDue(scheduled().issue, 1, at, [], ctx)).issue;
    const held = ok(scheduledRunDue(posted, 1, at, { config, now: at }));
    assert.equal(held.issue.status, 'open');
    assert.equal(held.event?.kind === 'schedule-held' && held.event.why, 'unconfirmed');
    const later = new Date(at.getTime() + 3600_000);
    const moved = ok(reschedule(posted, 'U_REL', later, ctx));
    assert.equal(moved.issue.schedule?.preflight, undefined);
    assert.deepEqual(moved.effects, [
      { kind: 'schedule-stage', stageIndex: 1, at: later, preflightAt: new Date(later.getTime() - 15 * 60_000) },
    ]);
  });
});
