// A bot process killed mid-task on PostgreSQL: the transaction dies with it, and the next apply
// runs the task from the start, so every statement takes effect exactly once.
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { openTarget } from '../../../src/targets/index.js';
import type { Target } from '../../../src/targets/types.js';
import { freshPostgres, type FreshDatabase } from '../../support/db.js';
import { applyAndKillAt } from './support/child.js';
import { lines, recordedTask } from './support/task.js';

let db: FreshDatabase;
let target: Target;

before(async () => {
  db = await freshPostgres('targets_pg_crash');
  target = openTarget('postgres', db.url);
  await target.withConnection(async (q) => {
    await q('CREATE TABLE hits (what text)');
    // While crash_flag has a row, statement 2 sleeps 30 s: long enough to be killed in.
    await q('CREATE TABLE crash_flag (x int)');
    await q('INSERT INTO crash_flag VALUES (1)');
  });
});
after(async () => {
  await target.close();
  await db.drop();
});

test('a task whose process was killed mid-statement is applied exactly once by the next apply', async () => {
  const task = recordedTask(
    'crash',
    lines(
      "INSERT INTO hits VALUES ('before')",
      'SELECT pg_sleep(30) FROM crash_flag',
      "INSERT INTO hits VALUES ('after')",
    ),
  );
  const { events: _events, onLog: _onLog, ...wire } = task;
  await applyAndKillAt('postgres', db.url, wire, 1);

  // The dead process's transaction is still open on the server until the server notices.
  const during = await target.withConnection((q) => q<{ what: string }>('SELECT what FROM hits'));
  assert.deepEqual(during, [], 'nothing of the killed attempt is visible');
  await target.withConnection((q) => q('DELETE FROM crash_flag'));

  const started = Date.now();
  const outcome = await target.apply(task);
  assert.equal(outcome.status, 'done');
  // The server drops the orphaned session within seconds (client_connection_check_interval),
  // not after the 30 s sleep.
  assert.ok(Date.now() - started < 20_000, `the retry waited ${Date.now() - started} ms for the dead session`);
  const rows = await target.withConnection((q) => q<{ what: string }>('SELECT what FROM hits ORDER BY what'));
  assert.deepEqual(
    rows.map((r) => r.what),
    ['after', 'before'],
  );
  assert.equal((await target.apply(recordedTask('crash', task.statements))).status, 'already-applied');
});

test('a task that cannot run in a transaction and was killed mid-statement needs attention until a person resolves it', async () => {
  await target.withConnection((q) => q('INSERT INTO crash_flag VALUES (1)'));
  const task = recordedTask(
    'crash-stepwise',
    lines(
      'CREATE INDEX CONCURRENTLY hits_what ON hits (what)',
      'SELECT pg_sleep(30) FROM crash_flag',
      'CREATE TABLE after_crash (id int)',
    ),
  );
  const { events: _events, onLog: _onLog, ...wire } = task;
  await applyAndKillAt('postgres', db.url, wire, 1);

  const outcome = await target.apply(recordedTask('crash-stepwise', task.statements));
  assert.equal(outcome.status, 'needs-attention');
  assert.match(
    outcome.status === 'needs-attention' ? outcome.reason : '',
    /statement 2 of 3 \(line 2\) may or may not have been applied/,
  );
  const exists = async () =>
    (await target.withConnection((q) => q<{ r: string | null }>("SELECT to_regclass('after_crash')::text AS r")))[0]!
      .r !== null;
  assert.equal(await exists(), false);

  await target.resolveLedger('crash-stepwise', 'failed');
  await target.withConnection((q) => q('DELETE FROM crash_flag'));
  const resumed = recordedTask('crash-stepwise', task.statements);
  assert.equal((await target.apply(resumed)).status, 'done');
  assert.equal(resumed.events[0]?.kind, 'statement-skipped');
  assert.equal(await exists(), true);
});
