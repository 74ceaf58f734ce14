// Thread events and refusals as Slack text: the exact words, people as mentions, user text escaped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IssueEvent } from '../../../src/domain/events.js';
import { eventText, eventTexts, MESSAGE_TEXT_MAX, refusalText } from '../../../src/slack/views/events.js';

const task = { database: 'app', environment: 'dev' };

describe('thread events', () => {
  const cases: [string, IssueEvent, string][] = [
    [
      'an approval with more to come',
      { kind: 'approved', by: 'U1', environment: 'prod', approvalsLeft: 2 },
      '<@U1> approved prod (2 more approvals needed)',
    ],
    ['the last approval', { kind: 'approved', by: 'U1', environment: 'prod', approvalsLeft: 0 }, '<@U1> approved prod'],
    [
      'an edit before anything ran',
      { kind: 'edited', by: 'U1', revision: 3 },
      '<@U1> edited the SQL (revision 3); review ran again and approvals were reset.',
    ],
    [
      'an edit after a failure says what Retry will do',
      { kind: 'edited', by: 'U1', revision: 2, retry: { environment: 'staging', approvals: 1 } },
      '<@U1> edited the SQL (revision 2); review ran again and approvals were reset. Retry runs revision 2 on staging once staging is approved again: statements applied earlier and unchanged at the same position are skipped.',
    ],
    [
      'a follow-up links back from the original',
      { kind: 'follow-up-opened', by: 'U1', issueId: '12' },
      '<@U1> opened a follow-up change: #12',
    ],
    [
      'a PostgreSQL failure says the transaction was rolled back',
      {
        kind: 'task-failed',
        task,
        durationMs: 20,
        error: 'duplicate key',
        aftermath: 'The transaction was rolled back: nothing of this attempt remains in the database.',
      },
      ':x: *app (dev)*: task failed after 20 ms: duplicate key\nThe transaction was rolled back: nothing of this attempt remains in the database.',
    ],
    [
      'a schedule names its time in Slack date syntax',
      { kind: 'scheduled', by: 'U1', environment: 'prod', at: new Date('2026-12-02T21:30:00Z') },
      '<@U1> scheduled the rollout to prod for <!date^1796247000^{date_short_pretty} at {time}|2026-12-02 21:30:00 UTC>',
    ],
    [
      'a stage that failed',
      { kind: 'stage-failed', environment: 'dev' },
      ':x: dev failed; fix the cause and press Retry',
    ],
    [
      'a task name from a migration file is escaped',
      { kind: 'task-started', task: { ...task, name: 'add <b> & co' }, statements: 2 },
      ':arrow_forward: *app (dev) add &lt;b&gt; &amp; co*: task started, 2 statement(s)',
    ],
    [
      'a statement log line carries the start of its SQL, escaped, without backticks',
      {
        kind: 'task-log',
        task,
        entries: [
          {
            event: { kind: 'statement-done', index: 0, total: 1, durationMs: 12, rowsAffected: 3 },
            sql: 'UPDATE t SET a = `x` WHERE b < 2',
          },
        ],
      },
      "*app (dev)*\nstatement 1/1 done in 12 ms, 3 rows affected — `UPDATE t SET a = 'x' WHERE b &lt; 2`",
    ],
    [
      'a database error is escaped',
      { kind: 'task-failed', task, durationMs: 1500, error: 'syntax error at or near "<"' },
      ':x: *app (dev)*: task failed after 1.5 s: syntax error at or near "&lt;"',
    ],
    [
      'the progress message of a running task: statement n of N, elapsed, rows so far',
      {
        kind: 'task-progress',
        task,
        progress: { finished: 41, total: 200, running: 42, elapsedMs: 5200, rows: 80, state: 'running' },
      },
      ':arrow_forward: *app (dev)*: statement 42 of 200 running, 5.2 s elapsed, 80 rows so far',
    ],
    [
      'the progress message of a finished task',
      { kind: 'task-progress', task, progress: { finished: 200, total: 200, elapsedMs: 8100, rows: 1, state: 'done' } },
      ':white_check_mark: *app (dev)*: 200 of 200 statements done in 8.1 s, 1 row',
    ],
    [
      'a lock timeout says what timed out, on which statement, and who held the lock, without its query',
      {
        kind: 'task-failed',
        task,
        durationMs: 10_200,
        error: 'canceling statement due to lock timeout',
        stopped: {
          guard: 'lock-timeout',
          statement: 3,
          total: 5,
          limitMs: 10_000,
          wait: {
            lock: 'AccessExclusiveLock on accounts',
            waitedMs: 9_500,
            holders: [
              {
                pid: '4242',
                user: 'app',
                application: 'psql',
                client: '10.0.0.1',
                state: 'idle in transaction',
                heldForMs: 125_000,
                statementKind: 'UPDATE',
              },
            ],
          },
        },
      },
      ':x: *app (dev)*: task failed after 10.2 s: lock timeout after 10.0 s on statement 3 of 5: it waited for AccessExclusiveLock on accounts, held by pid 4242 (user app, application psql, idle in transaction for 2 min 5 s, last statement UPDATE) (canceling statement due to lock timeout). Once the lock is free, press Retry.',
    ],
    [
      'a cancelled statement names who cancelled it',
      {
        kind: 'task-failed',
        task,
        durationMs: 4000,
        error: 'canceling statement due to user request',
        stopped: { guard: 'cancelled', statement: 2, total: 2, by: 'U_REL' },
      },
      ':x: *app (dev)*: task failed after 4.0 s: statement 2 of 2 was cancelled by <@U_REL> (canceling statement due to user request). Retry runs it again.',
    ],
    [
      'a settled lock-wait notice says how it ended',
      {
        kind: 'lock-wait',
        task,
        issueId: '7',
        taskId: 't1',
        statement: 1,
        total: 1,
        lockTimeoutMs: 10_000,
        wait: { lock: 'a row lock', waitedMs: 3_100, holders: [] },
        outcome: { kind: 'keep-waiting', by: 'U_REL' },
      },
      ':lock: *app (dev)*: statement 1 of 1 has waited 3.1 s for a row lock, held by a session the database does not name.\n<@U_REL> chose to keep waiting; the lock timeout (10.0 s) still ends the wait.',
    ],
    [
      'generated DDL cannot close its code block early',
      { kind: 'ddl-generated', task, sql: 'SELECT 1 -- ```' },
      '*app (dev)*: generated DDL\n```SELECT 1 -- `\u200b`````',
    ],
    [
      'a store outage says when the store was lost and came back, and what each task did',
      {
        kind: 'store-outage',
        lostAt: new Date('2026-03-01T10:00:05Z'),
        resumedAt: new Date('2026-03-01T10:00:27Z'),
        tasks: [
          { task, resumed: 'continued' },
          { task: { database: 'a<b', environment: 'dev' }, resumed: 're-run' },
        ],
      },
      ':electric_plug: the bot lost its store at <!date^1772359205^{time_secs}|10:00:05 UTC> and resumed at <!date^1772359227^{time_secs}|10:00:27 UTC>; task app (dev) continued; task a&lt;b (dev) was re-run (the ledger skipped what was already applied)',
    ],
  ];
  for (const [name, event, text] of cases) test(name, () => assert.equal(eventText(event), text));
});

describe('refusals', () => {
  test('the people who could do it instead are named as mentions, user groups included', () => {
    assert.equal(
      refusalText({
        kind: 'refused',
        code: 'not-allowed',
        message: 'you are not an approver for prod',
        who: { role: 'approvers', ids: ['U1', 'S2'] },
      }),
      ':no_entry_sign: you are not an approver for prod; approvers: <@U1>, <!subteam^S2>',
    );
  });
  test('a failure of the target reads as an error, and its message is escaped', () => {
    assert.equal(
      refusalText({ kind: 'refused', code: 'target-failed', message: 'could not reach <db>' }),
      ':x: could not reach &lt;db&gt;',
    );
  });
  test('a store that cannot be reached says nothing was changed and when to try again', () => {
    assert.equal(
      refusalText({ kind: 'refused', code: 'store-unavailable', message: 'store down' }),
      ":warning: The bot's store is unavailable right now; nothing was changed. Try again in a minute.",
    );
  });
  test('an unknown database names the known ones', () => {
    assert.equal(
      refusalText({ kind: 'not-found', what: 'database', id: 'nope', known: ['app', 'billing'] }),
      ':no_entry_sign: unknown database `nope`; known: app, billing',
    );
  });
});

describe('a batch of statement lines in the thread', () => {
  const batch = (n: number, sql: string): IssueEvent => ({
    kind: 'task-log',
    task,
    entries: Array.from({ length: n }, (_, i) => ({
      event: { kind: 'statement-done', index: i, total: n, durationMs: 1, rowsAffected: 1 },
      sql,
    })),
  });
  test('a batch that fits one message is posted as one', () => {
    const event = batch(100, 'CREATE TABLE t (id int PRIMARY KEY, note text)');
    assert.deepEqual(eventTexts(event), [eventText(event)]);
  });
  test('a longer batch is split between lines: every line arrives whole, in order, each message under the limit', () => {
    // Escaping makes each line long: 80 characters of `<` become 320 of `&lt;`.
    const event = batch(300, '<'.repeat(200));
    const texts = eventTexts(event);
    assert.ok(texts.length > 1, `expected several messages, got ${texts.length}`);
    for (const text of texts) {
      assert.ok(text.length <= MESSAGE_TEXT_MAX, `a message of ${text.length} characters`);
      assert.ok(text.startsWith('*app (dev)*\n'), 'each message names its task');
    }
    const lines = texts.flatMap((t) => t.split('\n').slice(1));
    assert.deepEqual(lines, eventText(event).split('\n').slice(1));
  });
});
