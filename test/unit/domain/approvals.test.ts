// Approvals you can trust: each records the SQL revision and its sha256; an edit voids them and
// names whose; `approvalExpires` makes a stale approval stop counting until it is renewed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseConfig } from '../../../src/config/load.js';
import { periodText } from '../../../src/domain/approvals.js';
import type { Issue } from '../../../src/domain/issue.js';
import type { Refusal } from '../../../src/domain/refusal.js';
import {
  approve,
  type Decision,
  editSql,
  rolloutNow,
  schedule,
  scheduledRunDue,
} from '../../../src/domain/transitions.js';
import { waitingFor } from '../../../src/domain/waiting.js';
import { issueFixture } from '../../support/issue-fixture.js';

const config = parseConfig(
  `channel: C_CHANGES
environments:
  - id: staging
    approvers: [U_DBA, U_DBA2]
    releasers: [U_REL]
    rollout: manual
    approvalExpires: 7 days
  - id: prod
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: app, environment: staging, engine: postgres, url: "postgres://h/app_staging" }
  - { name: app, environment: prod, engine: postgres, url: "postgres://h/app_prod" }
`,
  'approvals.yaml',
  {},
);
const now = new Date('2026-11-22T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => ({ config, now: new Date(now.getTime() + days * DAY) });

function newIssue(): Issue {
  return issueFixture(config, 'app', now, { id: '4', revision: 3 });
}

function ok(d: Decision): Extract<Decision, { ok: true }> {
  assert.equal(d.ok, true, d.ok ? '' : d.message);
  return d as Extract<Decision, { ok: true }>;
}
function refusal(d: Decision): Refusal {
  assert.equal(d.ok, false, 'expected a refusal');
  return d as Refusal;
}

describe('approvals', () => {
  test('an approval records the revision and the sha256 of the SQL it approved, and the event carries them', () => {
    const issue = newIssue();
    const d = ok(approve(issue, 'U_DBA', at(0)));
    const sha = createHash('sha256').update(issue.sql).digest('hex');
    assert.deepEqual(d.issue.stages[0]!.approvals, [{ user: 'U_DBA', at: now, revision: 3, checksum: sha }]);
    assert.deepEqual(d.event, {
      kind: 'approved',
      by: 'U_DBA',
      environment: 'staging',
      approvalsLeft: 0,
      revision: 3,
      checksum: sha,
    });
    // The reminder is due when the approval stops counting.
    assert.deepEqual(d.effects, [
      { kind: 'approval-expiry', stageIndex: 0, user: 'U_DBA', at: new Date(now.getTime() + 7 * DAY) },
    ]);
  });

  test('an environment without approvalExpires asks for no reminder', () => {
    const issue = { ...newIssue(), stages: newIssue().stages.slice(1) };
    assert.deepEqual(ok(approve(issue, 'U_DBA', at(0))).effects, []);
  });

  test('an edit voids every approval and says whose', () => {
    const approved = ok(approve(newIssue(), 'U_DBA', at(0))).issue;
    const d = ok(editSql(approved, 'U_DEV', 'CREATE TABLE b (id int PRIMARY KEY);', [], at(0)));
    assert.deepEqual(d.issue.stages[0]!.approvals, []);
    assert.deepEqual(d.event && 'voided' in d.event ? d.event.voided : undefined, [
      { user: 'U_DBA', environment: 'staging' },
    ]);
  });

  test('a stale approval stops counting: release is refused with the reason until an approver approves again', () => {
    const approved = ok(approve(newIssue(), 'U_DBA', at(0))).issue;
    ok(rolloutNow(approved, 'U_REL', at(6)));
    const stale = refusal(rolloutNow(approved, 'U_REL', at(8)));
    assert.equal(stale.code, 'approval-expired');
    assert.match(stale.message, /the approval of staging is older than 7 days and must be renewed before release/);
    assert.deepEqual(stale.who, { role: 'approvers', ids: ['U_DBA'] });
    // Waiting for approval again, naming whose expired.
    assert.deepEqual(waitingFor(approved, config, at(8).now), {
      kind: 'approval',
      environment: 'staging',
      approvers: ['U_DBA', 'U_DBA2'],
      have: 0,
      need: 1,
      expired: ['U_DBA'],
      period: 7 * DAY,
    });
    // The same approver renews it, and it counts again.
    const renewed = ok(approve(approved, 'U_DBA', at(8)));
    assert.equal(renewed.event?.kind === 'approved' && renewed.event.renewed, true);
    assert.equal(renewed.issue.stages[0]!.approvals.length, 1);
    ok(rolloutNow(renewed.issue, 'U_REL', at(8)));
    // A fresh approval is not given twice.
    assert.match(refusal(approve(renewed.issue, 'U_DBA', at(8))).message, /you already approved staging/);
  });

  test('a schedule after the approval expires is refused; one that became stale by its time is held', () => {
    const approved = ok(approve(newIssue(), 'U_DBA', at(0))).issue;
    const late = refusal(schedule(approved, 'U_REL', at(8).now, at(1)));
    assert.equal(late.code, 'approval-expired');
    assert.match(late.message, /expires before then \(approvals count for 7 days\)/);
    const when = at(5).now;
    const scheduled = ok(schedule(approved, 'U_REL', when, at(1))).issue;
    // The approval went stale anyway (the job ran late): the stage waits for a renewal.
    const held = ok(scheduledRunDue(scheduled, 0, when, at(9)));
    assert.equal(held.issue.status, 'open');
    assert.equal(held.issue.schedule, undefined);
    assert.deepEqual(held.effects, []);
    assert.deepEqual(held.event, {
      kind: 'schedule-held',
      environment: 'staging',
      by: 'U_REL',
      why: 'approval-expired',
      approvers: ['U_DBA'],
    });
    assert.equal(ok(scheduledRunDue(scheduled, 0, when, at(5))).issue.status, 'running');
  });

  test('periods read as the config writes them', () => {
    assert.equal(periodText(7 * DAY), '7 days');
    assert.equal(periodText(3_600_000), '1 hour');
    assert.equal(periodText(3000), '3 seconds');
  });
});
