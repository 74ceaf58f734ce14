// MySQL-only behaviour: DDL applied step by step with resumable progress, DML-only tasks atomic,
// and a task whose process died mid-statement left for a person to resolve.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import mysql from 'mysql2/promise';
import { isDbchangeError } from '../../../src/errors.js';
import { openTarget } from '../../../src/targets/index.js';
import type { Target } from '../../../src/targets/types.js';
import { freshMysql, type FreshDatabase } from '../../support/db.js';
import { applyAndKillAt } from './support/child.js';
import { lines, recordedTask, shapes, type RecordedTask } from './support/task.js';

describe('mysql target', () => {
  let db: FreshDatabase;
  let target: Target;
  const count = (table: string) =>
    target.withConnection(async (q) => Number((await q<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n));
  const tables = async () =>
    (
      await target.withConnection((q) =>
        q<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()'),
      )
    ).map((r) => r.t);

  /** Apply `task` in a child process killed while statement `index` runs, then end the dead session as the server would. */
  async function killedAt(task: RecordedTask, index: number): Promise<void> {
    const { events: _events, onLog: _onLog, ...wire } = task;
    await applyAndKillAt('mysql', db.url, wire, index);
    // MariaDB notices a vanished client only every few seconds; end its session now.
    const admin = await mysql.createConnection(db.url);
    try {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'SELECT SLEEP(30)%'",
      );
      for (const r of rows) await admin.query(`KILL ${Number(r.ID)}`).catch(() => undefined);
    } finally {
      await admin.end();
    }
  }

  before(async () => {
    db = await freshMysql('targets_mysql');
    target = openTarget('mysql', db.url);
    await target.withConnection(async (q) => {
      await q('CREATE TABLE crash_flag (x int)');
      await q('INSERT INTO crash_flag VALUES (1)');
    });
  });
  after(async () => {
    await target.close();
    await db.drop();
  });

  test('a failed attempt resumes at the failed statement and skips those already applied', async () => {
    const statements = lines(
      'CREATE TABLE r1 (id int)',
      'INSERT INTO r1 VALUES (1)',
      'INSERT INTO r_missing VALUES (1)',
      'CREATE TABLE r2 (id int)',
    );
    const first = await target.apply(recordedTask('resume', statements));
    assert.equal(first.status, 'failed');
    assert.equal(first.status === 'failed' && first.statementIndex, 2);
    assert.deepEqual(first.status === 'failed' && [first.applied, first.rolledBack], [2, false]);
    assert.equal(first.status === 'failed' && first.error.code, 'ER_NO_SUCH_TABLE');
    const state = await target.ledgerState('resume');
    assert.equal(state.state === 'failed' && state.statementsDone, 2);

    await target.withConnection((q) => q('CREATE TABLE r_missing (id int)'));
    const again = recordedTask('resume', statements);
    assert.equal((await target.apply(again)).status, 'done');
    assert.deepEqual(shapes(again.events), [
      { kind: 'statement-skipped', index: 0, reason: 'applied in an earlier attempt' },
      { kind: 'statement-skipped', index: 1, reason: 'applied in an earlier attempt' },
      { kind: 'statement-start', index: 2, line: 3 },
      { kind: 'statement-done', index: 2, rowsAffected: 1 },
      { kind: 'statement-start', index: 3, line: 4 },
      { kind: 'statement-done', index: 3, rowsAffected: null },
    ]);
    assert.equal(await count('r1'), 1, 'the INSERT of the first attempt ran once');
    assert.ok((await tables()).includes('r2'));
  });

  test('a retry of edited SQL skips the applied statements that are unchanged at their position and runs the rest', async () => {
    const first = recordedTask(
      'edited',
      lines(
        'CREATE TABLE e1 (id int)',
        'CREATE TABLE e2 (id int)',
        'CREATE TABLE e3 (id int)',
        'INSERT INTO e_missing VALUES (1)',
      ),
      { checksum: 'revision-1' },
    );
    assert.equal((await target.apply(first)).status, 'failed');
    // Edited after the failure: statement 2 changed, statement 4 fixed; 1 and 3 are unchanged and applied.
    const edited = recordedTask(
      'edited',
      lines(
        'CREATE TABLE e1 (id int)',
        'CREATE TABLE e2b (id int)',
        'CREATE TABLE e3 (id int)',
        'INSERT INTO e1 VALUES (1)',
      ),
      { checksum: 'revision-2' },
    );
    assert.equal((await target.apply(edited)).status, 'done');
    assert.deepEqual(shapes(edited.events), [
      { kind: 'statement-skipped', index: 0, reason: 'applied in an earlier attempt' },
      { kind: 'statement-start', index: 1, line: 2 },
      { kind: 'statement-done', index: 1, rowsAffected: null },
      { kind: 'statement-skipped', index: 2, reason: 'applied in an earlier attempt and unchanged since' },
      { kind: 'statement-start', index: 3, line: 4 },
      { kind: 'statement-done', index: 3, rowsAffected: 1 },
    ]);
    assert.equal(await count('e1'), 1);
    assert.ok((await tables()).includes('e2b'));
  });

  test('a DML-only task runs in one transaction: a failure leaves none of its rows', async () => {
    await target.withConnection((q) => q('CREATE TABLE dml_t (id int PRIMARY KEY)'));
    const statements = lines(
      'INSERT INTO dml_t VALUES (1)',
      'UPDATE dml_t SET id = 2 WHERE id = 1',
      'INSERT INTO dml_t VALUES (2)',
    );
    const outcome = await target.apply(recordedTask('dml', statements, { migrationType: 'dml' }));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.status === 'failed' && outcome.error.code, 'ER_DUP_ENTRY');
    assert.equal(await count('dml_t'), 0);
    const state = await target.ledgerState('dml');
    assert.equal(state.state === 'failed' && state.statementsDone, 0);
  });

  test('a task whose process died mid-statement needs attention, naming the statement and how to resolve it', async () => {
    const task = recordedTask(
      'killed-done',
      lines('CREATE TABLE k1 (id int)', 'SELECT SLEEP(30) FROM crash_flag', 'CREATE TABLE k2 (id int)'),
    );
    await killedAt(task, 1);
    const state = await target.ledgerState('killed-done');
    assert.equal(state.state === 'running' && state.statementsDone, 1);

    const outcome = await target.apply(recordedTask('killed-done', task.statements));
    assert.equal(outcome.status, 'needs-attention');
    const reason = outcome.status === 'needs-attention' ? outcome.reason : '';
    assert.match(reason, /statement 2 of 3 \(line 2\) may or may not have been applied/);
    assert.match(reason, /resolveLedger\('killed-done', 'done'\)/);
    assert.ok(!(await tables()).includes('k2'), 'nothing after the interrupted statement ran');

    await target.resolveLedger('killed-done', 'done');
    const after = recordedTask('killed-done', task.statements);
    assert.equal((await target.apply(after)).status, 'already-applied');
    assert.deepEqual(after.events, []);
  });

  test('an interrupted task resolved as failed resumes at the interrupted statement', async () => {
    const task = recordedTask(
      'killed-failed',
      lines('CREATE TABLE f1 (id int)', 'SELECT SLEEP(30) FROM crash_flag', 'CREATE TABLE f2 (id int)'),
    );
    await killedAt(task, 1);
    await target.resolveLedger('killed-failed', 'failed');
    await target.withConnection((q) => q('DELETE FROM crash_flag'));
    const resumed = recordedTask('killed-failed', task.statements);
    assert.equal((await target.apply(resumed)).status, 'done');
    assert.deepEqual(shapes(resumed.events).slice(0, 2), [
      { kind: 'statement-skipped', index: 0, reason: 'applied in an earlier attempt' },
      { kind: 'statement-start', index: 1, line: 2 },
    ]);
    assert.ok((await tables()).includes('f2'));
    await target.withConnection((q) => q('INSERT INTO crash_flag VALUES (1)'));
  });

  test('a log callback that throws between statements stops the task, and the ledger keeps its exact progress', async () => {
    const statements = lines('CREATE TABLE cb1 (id int)', 'CREATE TABLE cb2 (id int)', 'CREATE TABLE cb3 (id int)');
    const task = recordedTask('callback', statements);
    const onLog = task.onLog;
    task.onLog = async (event) => {
      await onLog(event);
      if (event.kind === 'statement-done' && event.index === 1) throw new Error('thread gone');
    };
    await assert.rejects(target.apply(task), /thread gone/);
    const state = await target.ledgerState('callback');
    assert.equal(state.state === 'failed' && state.statementsDone, 2);
    const resumed = recordedTask('callback', statements);
    assert.equal((await target.apply(resumed)).status, 'done');
    assert.deepEqual(
      resumed.events.filter((e) => e.kind === 'statement-skipped').map((e) => e.index),
      [0, 1],
    );
  });

  test('resolving a task that is not interrupted is refused', async () => {
    await assert.rejects(target.resolveLedger('no-such-task', 'done'), (err) => {
      assert.ok(isDbchangeError(err, 'dbchange_invalid_transition'));
      assert.match(err.message, /no interrupted attempt/);
      return true;
    });
  });
});
