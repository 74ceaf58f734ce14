// The issue message and modals stay within Slack's limits however large the change is; checked
// with the same validators the fake Web API uses to refuse what Slack refuses.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/load.js';
import type { Issue, ReviewFinding } from '../../../src/domain/issue.js';
import { planStages } from '../../../src/domain/plan.js';
import { ACTION, nthAction, numberedAction } from '../../../src/slack/views/ids.js';
import { issueMessage, sqlPreview } from '../../../src/slack/views/issue-message.js';
import { editModal, infoModal, scheduleModal, sqlSections, submitModal } from '../../../src/slack/views/modals.js';
import type { IssueEvent } from '../../../src/domain/events.js';
import { eventBlocks, eventText } from '../../../src/slack/views/events.js';
import { hidePasswords, listText, sessionsText, statusText } from '../../../src/slack/views/replies.js';
import { checkMessageArgs } from '../../support/slack/message-args.js';
import { checkView } from '../../support/slack/view-args.js';

const config = parseConfig(
  `channel: C_X
environments:
  - { id: dev, rollout: automatic }
  - { id: prod, approvers: [U_A], releasers: [U_R], rollout: manual }
databases:
  - { name: app, environment: dev, engine: postgres, url: "postgres://h/a" }
  - { name: app, environment: prod, engine: postgres, url: "postgres://h/b" }
`,
  't.yaml',
  {},
);

function issue(over: Partial<Issue> = {}): Issue {
  let n = 0;
  const now = new Date('2026-11-22T10:00:00Z');
  return {
    id: '42',
    version: 1,
    title: 'T',
    description: '',
    labels: [],
    timing: '',
    creator: 'U_C',
    target: 'app',
    changeType: 'ddl',
    sql: 'SELECT 1',
    revision: 1,
    status: 'open',
    source: { kind: 'slack' },
    findings: [],
    stages: planStages(config, 'app', () => `t${++n}`),
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}

function finding(i: number, level: 'ERROR' | 'WARNING'): ReviewFinding {
  return {
    rule: 'statement.where.require.update-delete',
    level,
    line: i + 1,
    column: 1,
    statement: 'DELETE FROM t',
    message: `problem number ${i} ${'x'.repeat(200)}`,
  };
}

function accepted(args: Record<string, unknown>): void {
  const rejection = checkMessageArgs({ channel: 'C_X', ...args }, { needsChannel: true });
  assert.equal(rejection, undefined, JSON.stringify(rejection));
}

describe('Block Kit views', () => {
  test('a huge script, a long title and hundreds of findings still make a message Slack accepts', () => {
    const sql =
      Array.from({ length: 5000 }, (_, i) => `UPDATE t SET v = ${i} WHERE id = ${i}; -- ${'y'.repeat(50)}`).join('\n') +
      `\n${'z'.repeat(20_000)}`;
    const findings = [
      ...Array.from({ length: 300 }, (_, i) => finding(i, 'ERROR')),
      ...Array.from({ length: 300 }, (_, i) => finding(i, 'WARNING')),
    ];
    const m = issueMessage(
      issue({
        sql,
        findings,
        title: 'T'.repeat(500),
        description: 'd'.repeat(10_000),
        labels: Array.from({ length: 50 }, (_, i) => `label-${i}`),
        timing: 'x'.repeat(5000),
      }),
      config,
    );
    accepted(m);
    const text = JSON.stringify(m.blocks);
    assert.match(text, /Show full SQL/);
    assert.match(text, /Show all 600 findings/);
    assert.match(text, /300 errors/);
  });

  test('every button of an open issue, and the block of the roll-out-anyway checkbox, carry the issue and revision', () => {
    const m = issueMessage(issue(), config);
    accepted(m);
    const actions = m.blocks.find((b) => b.type === 'actions' && b.block_id === 'issue:42:1') as {
      elements: { action_id: string; value?: string }[];
    };
    const ids = actions.elements.map((e) => e.action_id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(actions.elements.filter((e) => e.value).every((e) => e.value === '42:1'));
  });

  test('a task that needs attention gets "was applied" / "was not applied" buttons for that task', () => {
    const base = issue({ status: 'failed' });
    const stages = base.stages.map((s, i) =>
      i === 0
        ? {
            ...s,
            status: 'failed' as const,
            tasks: s.tasks.map((t) => ({
              ...t,
              status: 'needs-attention' as const,
              error: 'interrupted at statement 2 (line 3)',
            })),
          }
        : s,
    );
    const m = issueMessage({ ...base, stages }, config);
    accepted(m);
    const text = JSON.stringify(m.blocks);
    assert.match(text, /task_resolve_applied/);
    assert.match(text, /task_resolve_not_applied/);
    assert.match(text, /"value":"42:t1"/);
    assert.match(text, /interrupted at statement 2/);
  });

  test('buttons repeated per database or task get action ids of their own, which their handlers still match', () => {
    const shops = parseConfig(
      `channel: C_X
environments:
  - { id: dev, rollout: automatic }
  - { id: prod, releasers: [U_R], rollout: manual }
databases:
  - { name: eu, environment: dev, engine: postgres, url: "postgres://h/a", group: shops }
  - { name: us, environment: dev, engine: postgres, url: "postgres://h/b", group: shops }
  - { name: eu, environment: prod, engine: postgres, url: "postgres://h/c", group: shops }
  - { name: us, environment: prod, engine: postgres, url: "postgres://h/d", group: shops }
`,
      't.yaml',
      {},
    );
    let n = 0;
    const [dev, prod] = planStages(shops, 'shops', () => `t${++n}`);
    const stages = [
      {
        ...dev!,
        status: 'done' as const,
        tasks: dev!.tasks.map((t) => ({ ...t, status: 'needs-attention' as const, error: 'interrupted' })),
      },
      { ...prod!, driftHold: { databases: ['eu', 'us'], releasedBy: 'U_R', revision: 1 } },
    ];
    const m = issueMessage(issue({ target: 'shops', stages }), shops);
    accepted(m);
    const elements = m.blocks.flatMap((b) => {
      const block = b as { elements?: { action_id?: string; value?: string }[] };
      return b.type === 'actions' ? (block.elements ?? []) : [];
    });
    const ids = elements.map((e) => e.action_id);
    assert.equal(new Set(ids).size, ids.length, ids.join(' '));
    const of = (actionId: string) =>
      elements.filter((e) => numberedAction(actionId).test(e.action_id ?? '')).map((e) => [e.action_id, e.value]);
    assert.deepEqual(of(ACTION.driftBaseline), [
      ['drift_baseline', 'eu@prod'],
      ['drift_baseline:1', 'us@prod'],
    ]);
    assert.deepEqual(of(ACTION.driftRevert), [
      ['drift_revert', 'eu@prod'],
      ['drift_revert:1', 'us@prod'],
    ]);
    assert.deepEqual(of(ACTION.resolveApplied), [
      ['task_resolve_applied', '42:t1'],
      ['task_resolve_applied:1', '42:t2'],
    ]);
    assert.deepEqual(of(ACTION.resolveNotApplied), [
      ['task_resolve_not_applied', '42:t1'],
      ['task_resolve_not_applied:1', '42:t2'],
    ]);
    // The handler's pattern takes the plain id and the numbered ones, and nothing else.
    const baseline = numberedAction(ACTION.driftBaseline);
    assert.ok(
      [nthAction(ACTION.driftBaseline, 0), nthAction(ACTION.driftBaseline, 7)].every((id) => baseline.test(id)),
    );
    for (const other of ['drift_baseline:', 'drift_baseline:x', 'drift_baselines', 'x_drift_baseline', 'drift_revert'])
      assert.equal(baseline.test(other), false, other);
  });

  test('the SQL preview keeps the first lines and says when there is more', () => {
    assert.deepEqual(sqlPreview('a\nb'), { text: 'a\nb', truncated: false });
    const long = sqlPreview(Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n'));
    assert.equal(long.truncated, true);
    assert.equal(long.text.split('\n').length, 15);
  });

  test('the full-SQL modal of a huge script fits a modal, and says where it was cut', () => {
    const sql = Array.from({ length: 20_000 }, (_, i) => `INSERT INTO t (id) VALUES (${i});`).join('\n');
    const view = infoModal('SQL of #42', sqlSections(sql));
    assert.equal(checkView(view), undefined, JSON.stringify(checkView(view)));
    assert.match(JSON.stringify(view.blocks.at(-1)), /cut here/);
  });

  test('the submit, edit, schedule and reschedule modals are valid modals', () => {
    for (const view of [
      submitModal(['app', 'shop']),
      submitModal(Array.from({ length: 150 }, (_, i) => `db${i}`)),
      editModal(issue({ sql: 'x'.repeat(5000) })),
      scheduleModal(issue(), 'prod', 'Europe/Berlin', null, new Date(), {
        window: { timezone: 'Europe/Berlin', start: '22:00', end: '06:00' },
      }),
      scheduleModal(
        issue({ status: 'scheduled', schedule: { at: new Date(), by: 'U_REL', stageIndex: 0 } }),
        'prod',
        'Europe/Berlin',
        null,
        new Date(),
        { reschedule: true },
      ),
    ]) {
      assert.equal(checkView(view), undefined, JSON.stringify(checkView(view)));
    }
  });
});

describe('session listing', () => {
  test("passwords in other sessions' SQL are hidden", () => {
    assert.equal(hidePasswords("ALTER USER app WITH PASSWORD 's3cret'"), "ALTER USER app WITH PASSWORD '***'");
    assert.equal(hidePasswords("CREATE USER 'a'@'%' IDENTIFIED BY 'pw''x'"), "CREATE USER 'a'@'%' IDENTIFIED BY '***'");
    assert.equal(hidePasswords("SET PASSWORD = 'x'"), "SET PASSWORD = '***'");
    assert.equal(hidePasswords('SELECT 1'), 'SELECT 1');
  });
});

describe('user text is escaped in every message kind', () => {
  // What a hostile user types: a channel ping, a user mention, a disguised link, a user-group ping.
  const CANARY = '<!channel> <@U123CANARY> <https://evil.example|click> <!subteam^S1CANARY>';
  const RAW = [/<!channel>/, /<@U123CANARY>/, /<https:\/\/evil/, /<!subteam\^S1CANARY>/];
  // Slack parses mentions and links in mrkdwn and in a message's top-level text, not in
  // plain_text objects or an input's initial value: those may hold the text as typed.
  const rendered = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rendered);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (o.type === 'plain_text') return null;
    return Object.fromEntries(
      Object.entries(o)
        .filter(([k]) => k !== 'initial_value')
        .map(([k, x]) => [k, rendered(x)]),
    );
  };
  const noRaw = (what: string, out: unknown) => {
    const text = typeof out === 'string' ? out : JSON.stringify(rendered(out));
    for (const re of RAW) assert.doesNotMatch(text, re, `${what} lets ${re} through: ${text.slice(0, 400)}`);
  };
  const canaryIssue = () =>
    issue({
      title: `#34 T ${CANARY}`,
      description: CANARY,
      sql: `-- ${CANARY}\nSELECT '${CANARY}';`,
      labels: [CANARY],
      timing: CANARY,
      findings: [{ rule: 'r', level: 'WARNING', line: 1, column: 1, statement: CANARY, message: CANARY }],
    });
  const task = { database: 'app', environment: 'dev', name: CANARY };

  test('the issue message: its notification text and every block', () => {
    const m = issueMessage(canaryIssue(), config);
    noRaw('the notification text', m.text);
    noRaw('the blocks', m.blocks);
    const failed = canaryIssue();
    failed.stages[0]!.tasks[0]!.error = CANARY;
    noRaw('a failed issue', issueMessage({ ...failed, status: 'failed' }, config));
  });

  test('modals: edit, full SQL and findings', () => {
    noRaw('the edit modal', editModal(canaryIssue()));
    noRaw('the SQL modal', infoModal('SQL', sqlSections(canaryIssue().sql)));
  });

  test('thread lines: every event kind with user text in it', () => {
    const events: IssueEvent[] = [
      { kind: 'task-started', task, statements: 1 },
      {
        kind: 'task-log',
        task,
        entries: [
          { event: { kind: 'statement-start', index: 1, total: 1, sql: CANARY, line: 1 }, sql: CANARY },
          {
            event: {
              kind: 'statement-skipped',
              index: 1,
              total: 1,
              reason: CANARY,
            },
          },
        ],
      },
      { kind: 'ddl-generated', task, sql: CANARY },
      { kind: 'task-failed', task, durationMs: 1, error: CANARY, aftermath: CANARY },
      { kind: 'task-needs-attention', task, reason: CANARY },
      { kind: 'task-not-started', task, error: CANARY, cause: 'not-configured' },
      { kind: 'task-bot-failure', task, error: CANARY },
      { kind: 'edited', by: 'U_C', revision: 2, retry: { environment: CANARY, approvals: 1 } },
      { kind: 'attention-resolved', by: 'U_C', task, applied: true },
      {
        kind: 'lock-wait',
        task,
        issueId: '42',
        taskId: 't1',
        statement: 1,
        total: 1,
        lockTimeoutMs: 10_000,
        wait: {
          lock: CANARY,
          waitedMs: 3000,
          holders: [
            {
              pid: CANARY,
              user: CANARY,
              application: CANARY,
              client: CANARY,
              state: CANARY,
              heldForMs: 1,
              statementKind: CANARY,
            },
          ],
        },
      },
      {
        kind: 'task-failed',
        task,
        durationMs: 1,
        error: CANARY,
        stopped: {
          guard: 'lock-timeout',
          statement: 1,
          total: 1,
          limitMs: 1,
          wait: { lock: CANARY, waitedMs: 1, holders: [] },
        },
      },
      { kind: 'task-progress', task, progress: { finished: 0, total: 1, elapsedMs: 1, rows: null, state: 'running' } },
    ];
    for (const e of events) noRaw(`the ${e.kind} line`, eventText(e));
    for (const e of events) noRaw(`the ${e.kind} blocks`, JSON.stringify(eventBlocks(e) ?? []));
  });

  test('ephemeral and command replies: status, list, history, sessions', () => {
    const i = canaryIssue();
    noRaw('status', statusText(i, [{ issueId: '42', taskId: 't1', at: new Date(), level: 'error', text: CANARY }]));
    noRaw('list', listText([i]));
    noRaw(
      'sessions',
      sessionsText(CANARY, 'dev', [
        {
          pid: '1',
          user: CANARY,
          application: CANARY,
          client: null,
          state: CANARY,
          startedAt: null,
          query: CANARY,
        },
      ]),
    );
  });
});
