// Thread events and refusals as Slack text: the exact words, people as mentions, user text escaped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IssueEvent } from '../../../src/domain/events.js';
import { eventText, refusalText } from '../../../src/slack/views/events.js';

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
      'an edit after a stage ran',
      { kind: 'edited', by: 'U1', revision: 3, kept: ['dev'], keptRevision: 2 },
      '<@U1> edited the SQL (revision 3); review ran again and approvals were reset. dev already ran revision 2 and keeps it; the new SQL applies to the stages still to come.',
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
      'generated DDL cannot close its code block early',
      { kind: 'ddl-generated', task, sql: 'SELECT 1 -- ```' },
      '*app (dev)*: generated DDL\n```SELECT 1 -- `\u200b`````',
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
  test('an unknown database names the known ones', () => {
    assert.equal(
      refusalText({ kind: 'not-found', what: 'database', id: 'nope', known: ['app', 'billing'] }),
      ':no_entry_sign: unknown database `nope`; known: app, billing',
    );
  });
});
