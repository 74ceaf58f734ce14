import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { decide } from '../../../src/targets/ledger-decision.js';
import { statementChecksums, type LedgerRow } from '../../../src/targets/ledger-row.js';
import { taskLockName } from '../../../src/targets/mysql/lock-name.js';

const input = {
  taskId: 'task-7',
  checksum: 'abc',
  statements: [
    { sql: 'CREATE TABLE a (id int)', line: 1 },
    { sql: 'CREATE TABLE b (id int)', line: 3 },
    { sql: 'CREATE TABLE c (id int)', line: 5 },
  ],
};
const STARTED = new Date('2026-11-22T02:00:00Z');
const row = (over: Partial<LedgerRow>): LedgerRow => ({
  taskId: 'task-7',
  attempt: 1,
  issueId: 'i',
  version: 'v',
  migrationType: 'ddl',
  checksum: 'abc',
  status: 'running',
  statementsDone: 0,
  error: null,
  startedAt: STARTED,
  finishedAt: null,
  appliedBy: 'dbchange@bot-1:42',
  statementChecksums: null,
  ...over,
});

test('a task with no ledger row runs from its first statement as attempt 1', () => {
  assert.deepEqual(decide(undefined, input), { action: 'run', from: 0, attempt: 1 });
});

test('a done task is already applied, at the time it finished', () => {
  const finishedAt = new Date('2026-11-22T02:05:00Z');
  assert.deepEqual(decide(row({ status: 'done', statementsDone: 3, finishedAt }), input), {
    action: 'already-applied',
    appliedAt: finishedAt,
  });
});

test('a failed attempt resumes at the failed statement as the next attempt', () => {
  assert.deepEqual(decide(row({ status: 'failed', attempt: 2, statementsDone: 1 }), input), {
    action: 'run',
    from: 1,
    attempt: 3,
  });
});

test('a running row needs attention, naming the uncertain statement, its line, who ran it and both resolutions', () => {
  const d = decide(row({ status: 'running', statementsDone: 1 }), input);
  assert.equal(d.action, 'needs-attention');
  const reason = d.action === 'needs-attention' ? d.reason : '';
  assert.match(reason, /statement 2 of 3 \(line 3\) may or may not have been applied/);
  assert.match(reason, /Statement 1 was applied/);
  assert.match(reason, /dbchange@bot-1:42/);
  assert.match(reason, /resolveLedger\('task-7', 'done'\)/);
  assert.match(reason, /resolveLedger\('task-7', 'failed'\)/);
});

test('a failed attempt of an old ledger (no statement checksums) needs attention when the SQL has changed since', () => {
  const d = decide(row({ status: 'failed', statementsDone: 2, checksum: 'old' }), input);
  assert.equal(d.action, 'needs-attention');
  assert.match(d.action === 'needs-attention' ? d.reason : '', /SQL has changed/);
});

test('a failed attempt that applied nothing reruns even when the SQL has changed', () => {
  assert.deepEqual(decide(row({ status: 'failed', statementsDone: 0, checksum: 'old' }), input), {
    action: 'run',
    from: 0,
    attempt: 2,
  });
});

test('after an edit, applied statements unchanged at their position are skipped and the rest runs', () => {
  const earlier = [
    { sql: 'CREATE TABLE a (id int)', line: 1 },
    { sql: 'CREATE TABLE x (id int)', line: 2 },
    { sql: 'CREATE TABLE c (id int)', line: 3 },
    { sql: 'CREATE TABLE d (id nope)', line: 4 },
  ];
  const failed = row({
    status: 'failed',
    statementsDone: 3,
    checksum: 'old',
    statementChecksums: statementChecksums(earlier),
  });
  // a: applied and unchanged → skipped; x → b changed → runs; c: applied and unchanged → skipped; d fixed → runs.
  const edited = {
    ...input,
    statements: [...input.statements, { sql: 'CREATE TABLE d (id int)', line: 7 }],
  };
  assert.deepEqual(decide(failed, edited), { action: 'run', from: 1, attempt: 2, skip: [2] });
});

test('after an edit that kept every applied statement, the retry resumes after them', () => {
  const earlier = [...input.statements.slice(0, 2), { sql: 'CREATE TABLE c (id nope)', line: 5 }];
  const failed = row({
    status: 'failed',
    statementsDone: 2,
    checksum: 'old',
    statementChecksums: statementChecksums(earlier),
  });
  assert.deepEqual(decide(failed, input), { action: 'run', from: 2, attempt: 2 });
});

test('task lock names stay within the 64 characters GET_LOCK allows and stay distinct', () => {
  assert.equal(taskLockName('task-7'), 'dbchange:task-7');
  const a = taskLockName('x'.repeat(100));
  const b = taskLockName(`${'x'.repeat(99)}y`);
  assert.ok(a.length <= 64 && b.length <= 64);
  assert.notEqual(a, b);
});
