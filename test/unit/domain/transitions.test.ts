import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/load.js';
import type { Issue } from '../../../src/domain/issue.js';
import { issueFixture } from '../../support/issue-fixture.js';
import type { Refusal, RefusalCode } from '../../../src/domain/refusal.js';
import {
  approve,
  availableActions,
  cancel,
  editSql,
  reject,
  resolveAttention,
  retry,
  rolloutNow,
  schedule,
  scheduledRunDue,
  setRolloutAnyway,
  stageFinished,
  startAutomatic,
  type Decision,
} from '../../../src/domain/transitions.js';

const config = parseConfig(
  `channel: C_CHANGES
admins: [U_ADMIN]
environments:
  - id: dev
    rollout: automatic
  - id: staging
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
  - id: prod
    approvers: [U_DBA, U_DBA2]
    requiredApprovals: 1
    releasers: [U_REL]
    rollout: manual
    maintenanceWindow: { timezone: Europe/Berlin, start: "22:00", end: "06:00" }
databases:
  - { name: app, environment: dev, engine: postgres, url: "postgres://h/app_dev" }
  - { name: app, environment: staging, engine: postgres, url: "postgres://h/app_staging" }
  - { name: app, environment: prod, engine: postgres, url: "postgres://h/app_prod" }
`,
  'test.yaml',
  {},
);

const now = new Date('2026-11-22T12:00:00Z');
const ctx = { config, now };

function newIssue(over: Partial<Issue> = {}): Issue {
  return issueFixture(config, 'app', now, { sql: 'CREATE TABLE a (id int primary key)', ...over });
}

function ok(d: Decision): Extract<Decision, { ok: true }> {
  assert.equal(d.ok, true, d.ok ? '' : d.message);
  return d as Extract<Decision, { ok: true }>;
}
function refused(d: Decision, pattern: RegExp, code?: RefusalCode): void {
  assert.equal(d.ok, false);
  const r = d as Refusal;
  assert.match(r.message, pattern);
  if (code) assert.equal(r.code, code);
}

/** Mark stage i done, as the executor would after all tasks succeeded. */
function finishStage(issue: Issue, i: number): Issue {
  const running = {
    ...issue,
    stages: issue.stages.map((s, k) =>
      k === i
        ? { ...s, status: 'running' as const, tasks: s.tasks.map((t) => ({ ...t, status: 'done' as const })) }
        : s,
    ),
  };
  return stageFinished(running, i, config, now).issue;
}

describe('issue state machine', () => {
  test('a plan has one stage per environment in config order', () => {
    assert.deepEqual(
      newIssue().stages.map((s) => s.environment),
      ['dev', 'staging', 'prod'],
    );
  });

  test('an automatic stage with no approvers starts as soon as the issue exists', () => {
    const { issue, effects } = startAutomatic(newIssue(), config, now);
    assert.deepEqual(effects, [{ kind: 'run-stage', stageIndex: 0 }]);
    assert.equal(issue.status, 'running');
    assert.equal(issue.stages[0]!.releasedBy, 'automatic');
  });

  test('review findings hold the automatic stage until someone checks roll out anyway', () => {
    const flagged = newIssue({
      findings: [{ rule: 'table.require-pk', level: 'WARNING', line: 1, column: 1, statement: 's', message: 'm' }],
    });
    assert.deepEqual(startAutomatic(flagged, config, now).effects, []);
    refused(setRolloutAnyway(flagged, 'U_OTHER', true, ctx), /only a releaser of dev/);
    refused(setRolloutAnyway(flagged, 'U_DEV', true, ctx), /you created this change/);
    const acked = ok(setRolloutAnyway(flagged, 'U_ADMIN', true, ctx));
    assert.deepEqual(acked.effects, [{ kind: 'run-stage', stageIndex: 0 }]);
  });

  test('after dev, staging waits for an approver and then a releaser', () => {
    const afterDev = finishStage(newIssue(), 0);
    assert.equal(afterDev.status, 'open');
    refused(rolloutNow(afterDev, 'U_REL', ctx), /needs 1 more approval/, 'needs-approval');
    refused(approve(afterDev, 'U_REL', ctx), /not an approver for staging/, 'not-allowed');
    const approved = ok(approve(afterDev, 'U_DBA', ctx));
    assert.deepEqual(approved.effects, []);
    refused(rolloutNow(approved.issue, 'U_DBA', ctx), /not a releaser for staging/);
    const released = ok(rolloutNow(approved.issue, 'U_REL', ctx));
    assert.deepEqual(released.effects, [{ kind: 'run-stage', stageIndex: 1 }]);
    assert.equal(released.issue.stages[1]!.status, 'running');
  });

  test('the creator never approves their own change', () => {
    const afterDev = finishStage(newIssue({ creator: 'U_DBA' }), 0);
    refused(approve(afterDev, 'U_DBA', ctx), /you created this change/);
  });

  test('a double click on Approve neither counts twice nor approves the next stage', () => {
    const afterDev = finishStage(newIssue(), 0);
    const once = ok(approve(afterDev, 'U_DBA', ctx)).issue;
    refused(approve(once, 'U_DBA', ctx), /already approved staging/);
    assert.equal(once.stages[2]!.approvals.length, 0);
  });

  test('approval cannot be given to a stage that is still running', () => {
    const running = startAutomatic(newIssue(), config, now).issue;
    refused(approve(running, 'U_DBA', ctx), /dev is running/);
  });

  test('a failed task fails the stage and the issue, and only Retry moves it on', () => {
    const running = startAutomatic(newIssue(), config, now).issue;
    const failedTasks = {
      ...running,
      stages: running.stages.map((s, i) =>
        i === 0 ? { ...s, tasks: s.tasks.map((t) => ({ ...t, status: 'failed' as const, error: 'boom' })) } : s,
      ),
    };
    const { issue: failed, effects } = stageFinished(failedTasks, 0, config, now);
    assert.equal(failed.status, 'failed');
    assert.deepEqual(effects, []);
    assert.deepEqual([...availableActions(failed, config)].sort(), ['cancel', 'edit', 'retry']);
    refused(retry(failed, 'U_OTHER', ctx), /only a releaser of dev/);
    const again = ok(retry(failed, 'U_DEV', ctx));
    assert.equal(again.issue.stages[0]!.tasks[0]!.status, 'pending');
    assert.deepEqual(again.effects, [{ kind: 'run-stage', stageIndex: 0 }]);
  });

  test('a task that needs attention is not retried blindly', () => {
    const running = startAutomatic(newIssue(), config, now).issue;
    const broken = {
      ...running,
      stages: running.stages.map((s, i) =>
        i === 0 ? { ...s, tasks: s.tasks.map((t) => ({ ...t, status: 'needs-attention' as const })) } : s,
      ),
    };
    const failed = stageFinished(broken, 0, config, now).issue;
    refused(retry(failed, 'U_DEV', ctx), /needs attention/);
  });

  test('a releaser resolves a task that needs attention: applied settles the stage, not applied allows Retry', () => {
    const running = startAutomatic(newIssue(), config, now).issue;
    const taskId = running.stages[0]!.tasks[0]!.id;
    const broken = {
      ...running,
      stages: running.stages.map((s, i) =>
        i === 0
          ? { ...s, tasks: s.tasks.map((t) => ({ ...t, status: 'needs-attention' as const, error: 'interrupted' })) }
          : s,
      ),
    };
    const failed = stageFinished(broken, 0, config, now).issue;
    refused(resolveAttention(failed, 'U_OTHER', taskId, true, ctx), /only a releaser of dev/);
    const applied = ok(resolveAttention(failed, 'U_DEV', taskId, true, ctx)).issue;
    assert.equal(applied.stages[0]!.status, 'done');
    assert.equal(applied.status, 'open');
    const notApplied = ok(resolveAttention(failed, 'U_DEV', taskId, false, ctx)).issue;
    assert.equal(notApplied.stages[0]!.tasks[0]!.status, 'failed');
    ok(retry(notApplied, 'U_DEV', ctx));
    refused(resolveAttention(applied, 'U_DEV', taskId, true, ctx), /does not need attention/);
  });

  test('a scheduled issue cannot be rolled out or edited until the schedule is cancelled', () => {
    const afterDev = finishStage(newIssue(), 0);
    const approved = ok(approve(afterDev, 'U_DBA', ctx)).issue;
    refused(schedule(approved, 'U_REL', new Date(now.getTime() - 1000), ctx), /in the future/, 'not-in-future');
    const at = new Date(now.getTime() + 3600_000);
    const scheduled = ok(schedule(approved, 'U_REL', at, ctx));
    assert.deepEqual(scheduled.effects, [{ kind: 'schedule-stage', stageIndex: 1, at }]);
    refused(rolloutNow(scheduled.issue, 'U_REL', ctx), /scheduled; cancel the schedule first/);
    refused(editSql(scheduled.issue, 'U_DEV', 'SELECT 1', [], ctx), /cancel it before editing/);
    refused(cancel(scheduled.issue, 'U_DEV', ctx), /only a releaser of staging, whoever scheduled it, or an admin/);
    const cancelled = ok(cancel(scheduled.issue, 'U_REL', ctx));
    assert.equal(cancelled.issue.status, 'open');
    assert.deepEqual(cancelled.effects, [{ kind: 'cancel-schedule' }]);
    // The schedule job fires after the cancel: nothing runs.
    refused(scheduledRunDue(cancelled.issue, 1, at, ctx), /cancelled/);
  });

  test('the scheduled time releases the stage that was scheduled', () => {
    const afterDev = finishStage(newIssue(), 0);
    const approved = ok(approve(afterDev, 'U_DBA', ctx)).issue;
    const at = new Date(now.getTime() + 3600_000);
    const scheduled = ok(schedule(approved, 'U_REL', at, ctx)).issue;
    const due = ok(scheduledRunDue(scheduled, 1, at, { ...ctx, now: at }));
    assert.equal(due.issue.stages[1]!.releasedBy, 'U_REL');
    assert.deepEqual(due.effects, [{ kind: 'run-stage', stageIndex: 1 }]);
  });

  test('editing the SQL resets approvals and review, and only the creator may do it', () => {
    const issue = newIssue({
      stages: newIssue().stages.map((s, i) => (i === 1 ? { ...s, approvals: [{ user: 'U_DBA', at: now }] } : s)),
    });
    refused(editSql(issue, 'U_DBA', 'SELECT 2', [], ctx), /only the creator/);
    const edited = ok(
      editSql(
        { ...issue, stages: issue.stages.map((s) => ({ ...s, status: 'waiting' as const })) },
        'U_DEV',
        'SELECT 2',
        [],
        ctx,
      ),
    );
    assert.equal(edited.issue.revision, 2);
    assert.ok(edited.issue.stages.every((s) => s.approvals.length === 0));
  });

  test('once a stage has ended done the SQL is frozen: Edit is refused with the reason and Follow-up is offered', () => {
    const afterDev = finishStage(newIssue(), 0);
    refused(
      editSql(afterDev, 'U_DEV', 'SELECT 2', [], ctx),
      /dev already ran revision 1, and what ran is what runs next: the SQL is frozen\. Use "Follow-up change"/,
    );
    const can = availableActions(afterDev, config);
    assert.equal(can.has('edit'), false);
    assert.equal(can.has('follow-up'), true);
    assert.equal(availableActions(newIssue(), config).has('follow-up'), false);
    const running = startAutomatic(newIssue(), config, now).issue;
    refused(editSql(running, 'U_DEV', 'SELECT 2', [], ctx), /rolling out|is running/);
  });

  test('after a failure the creator edits in place: the issue stays failed, approvals reset, Retry runs the new revision', () => {
    const staged = { ...newIssue(), stages: newIssue().stages.slice(1) }; // staging (1 approval) first
    let issue = ok(approve(staged, 'U_DBA', ctx)).issue;
    issue = ok(rolloutNow(issue, 'U_REL', ctx)).issue;
    const failedTasks = {
      ...issue,
      stages: issue.stages.map((s, i) =>
        i === 0 ? { ...s, tasks: s.tasks.map((t) => ({ ...t, status: 'failed' as const, error: 'boom' })) } : s,
      ),
    };
    const failed = stageFinished(failedTasks, 0, config, now).issue;
    refused(editSql(failed, 'U_DBA', 'SELECT 2', [], ctx), /only the creator \(or an admin\)/);
    const edited = ok(editSql(failed, 'U_DEV', 'SELECT 2', [], ctx));
    assert.equal(edited.issue.status, 'failed');
    assert.equal(edited.issue.revision, 2);
    assert.deepEqual(
      edited.issue.stages.map((s) => s.approvals),
      [[], []],
    );
    assert.deepEqual(edited.effects, []);
    assert.deepEqual(edited.event, {
      kind: 'edited',
      by: 'U_DEV',
      revision: 2,
      // The thread names whose approvals the edit voided.
      voided: [{ user: 'U_DBA', environment: 'staging' }],
      retry: { environment: 'staging', approvals: 1 },
    });
    assert.deepEqual([...availableActions(edited.issue, config)].sort(), ['approve', 'cancel', 'edit', 'retry']);
    refused(
      retry(edited.issue, 'U_REL', ctx),
      /staging needs 1 more approval\(s\) of revision 2 before it can be retried/,
    );
    const approved = ok(approve(edited.issue, 'U_DBA', ctx)).issue;
    assert.equal(approved.status, 'failed');
    const retried = ok(retry(approved, 'U_REL', ctx));
    assert.deepEqual(retried.effects, [{ kind: 'run-stage', stageIndex: 0 }]);
    assert.deepEqual(retried.event, { kind: 'retried', by: 'U_REL', environment: 'staging', revision: 2 });
  });

  test('an admin may edit a failed change; review findings of the new revision need an acknowledgement before Retry', () => {
    const adminConfig = { ...config, admins: ['U_ADMIN'] };
    const actx = { config: adminConfig, now };
    const running = startAutomatic(newIssue(), config, now).issue;
    const failed = stageFinished(
      {
        ...running,
        stages: running.stages.map((s, i) =>
          i === 0 ? { ...s, tasks: s.tasks.map((t) => ({ ...t, status: 'failed' as const })) } : s,
        ),
      },
      0,
      config,
      now,
    ).issue;
    const finding = { rule: 'r', level: 'WARNING' as const, line: 1, column: 1, statement: 'x', message: 'm' };
    const edited = ok(editSql(failed, 'U_ADMIN', 'SELECT 2', [finding], actx)).issue;
    refused(retry(edited, 'U_DEV', actx), /Roll out anyway/);
    refused(setRolloutAnyway(edited, 'U_DEV', true, actx), /you created this change/);
    const acked = ok(setRolloutAnyway(edited, 'U_ADMIN', true, actx)).issue;
    ok(retry(acked, 'U_DEV', actx));
  });

  test("prod can only be scheduled inside its maintenance window, in the window's own time zone", () => {
    let issue = finishStage(newIssue(), 0);
    issue = ok(approve(issue, 'U_DBA', ctx)).issue;
    issue = finishStage(ok(rolloutNow(issue, 'U_REL', ctx)).issue, 1);
    issue = ok(approve(issue, 'U_DBA2', ctx)).issue;
    refused(
      schedule(issue, 'U_REL', new Date('2026-11-22T15:00:00Z'), ctx),
      /maintenance window 22:00–06:00 Europe\/Berlin/,
      'outside-window',
    );
    ok(schedule(issue, 'U_REL', new Date('2026-11-22T22:30:00Z'), ctx));
  });

  test('rejecting needs an approver and ends the issue until the creator edits it', () => {
    const afterDev = finishStage(newIssue(), 0);
    refused(reject(afterDev, 'U_DEV', ctx), /only an approver of staging/);
    const rejected = ok(reject(afterDev, 'U_DBA', ctx)).issue;
    assert.equal(rejected.status, 'rejected');
    // dev already ran: the SQL is frozen, so a follow-up change amends it.
    assert.deepEqual([...availableActions(rejected, config)].sort(), ['cancel', 'follow-up']);
    const early = ok(
      reject(ok(approve({ ...newIssue(), stages: newIssue().stages.slice(1) }, 'U_DBA', ctx)).issue, 'U_DBA', ctx),
    ).issue;
    assert.deepEqual([...availableActions(early, config)].sort(), ['cancel', 'edit']);
  });

  test('the last stage finishing completes the issue', () => {
    let issue = newIssue();
    for (let i = 0; i < 3; i++) issue = finishStage(issue, i);
    assert.equal(issue.status, 'done');
    assert.deepEqual([...availableActions(issue, config)], ['follow-up']);
  });
});
