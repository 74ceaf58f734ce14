// PostgreSQL-only behaviour: atomic tasks, and tasks that cannot run in a transaction block.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import pg from 'pg';
import { openTarget } from '../../../src/targets/index.js';
import type { Target } from '../../../src/targets/types.js';
import { freshPostgres, type FreshDatabase } from '../../support/db.js';
import { lines, recordedTask, shapes } from './support/task.js';

describe('postgres target transactions', () => {
  let db: FreshDatabase;
  let target: Target;
  const exists = async (relation: string) =>
    (await target.withConnection((q) => q<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [relation])))[0]!
      .r !== null;

  before(async () => {
    db = await freshPostgres('targets_pg');
    target = openTarget('postgres', db.url);
  });
  after(async () => {
    await target.close();
    await db.drop();
  });

  test('a failed task leaves nothing applied, and a retry runs it from the first statement', async () => {
    await target.withConnection((q) => q('CREATE TABLE gate (ok int)'));
    const statements = lines(
      'CREATE TABLE atomic_t (id int)',
      'INSERT INTO atomic_t VALUES (1)',
      'INSERT INTO atomic_t SELECT 1 / count(*) FROM gate',
    );
    const first = await target.apply(recordedTask('atomic', statements));
    assert.equal(first.status, 'failed');
    assert.equal(first.status === 'failed' && first.error.code, '22012');
    assert.equal(await exists('atomic_t'), false, 'the table created by statement 1 was rolled back');
    assert.deepEqual(await target.ledgerState('atomic').then((s) => s.state === 'failed' && s.statementsDone), 0);

    await target.withConnection((q) => q('INSERT INTO gate VALUES (1)'));
    const retry = recordedTask('atomic', statements);
    assert.equal((await target.apply(retry)).status, 'done');
    assert.ok(
      !retry.events.some((e) => e.kind === 'statement-skipped'),
      'nothing is skipped after a rolled-back attempt',
    );
    const rows = await target.withConnection((q) => q<{ n: string }>('SELECT count(*) AS n FROM atomic_t'));
    assert.equal(Number(rows[0]!.n), 2);
  });

  test('a task with CREATE INDEX CONCURRENTLY runs outside a transaction and resumes where it failed', async () => {
    const statements = lines(
      'CREATE TABLE conc_src (id int)',
      'CREATE INDEX CONCURRENTLY conc_missing_id ON conc_missing (id)',
      'CREATE INDEX CONCURRENTLY conc_src_id ON conc_src (id)',
    );
    const first = await target.apply(recordedTask('concurrently', statements));
    assert.equal(first.status, 'failed');
    assert.equal(first.status === 'failed' && first.statementIndex, 1);
    assert.deepEqual(first.status === 'failed' && [first.applied, first.rolledBack], [1, false]);
    // Not atomic: statement 1 committed on its own, and the ledger knows it.
    assert.equal(await exists('conc_src'), true);
    assert.deepEqual(await target.ledgerState('concurrently').then((s) => s.state === 'failed' && s.statementsDone), 1);

    await target.withConnection((q) => q('CREATE TABLE conc_missing (id int)'));
    const resumed = recordedTask('concurrently', statements);
    assert.equal((await target.apply(resumed)).status, 'done');
    assert.deepEqual(shapes(resumed.events), [
      { kind: 'statement-skipped', index: 0, reason: 'applied in an earlier attempt' },
      { kind: 'statement-start', index: 1, line: 2 },
      { kind: 'statement-done', index: 1, rowsAffected: null },
      { kind: 'statement-start', index: 2, line: 3 },
      { kind: 'statement-done', index: 2, rowsAffected: null },
    ]);
    assert.equal(await exists('conc_src_id'), true);
    assert.equal(await exists('conc_missing_id'), true);
  });

  test('a task that changes search_path still records itself in the ledger and leaves the pool unaffected', async () => {
    await target.withConnection((q) => q('CREATE SCHEMA other'));
    const task = recordedTask('search-path', lines('SET search_path TO other', 'CREATE TABLE in_other (id int)'));
    assert.equal((await target.apply(task)).status, 'done');
    assert.equal(await exists('other.in_other'), true);
    assert.equal((await target.ledgerState('search-path')).state, 'done');
    for (let i = 0; i < 4; i++) {
      const rows = await target.withConnection((q) => q<{ p: string }>("SELECT current_setting('search_path') AS p"));
      assert.equal(rows[0]!.p, '"$user", public');
    }
  });

  test('reads after a done task run on its connection with the session it set reset, and not after a failed one', async () => {
    await target.withConnection((q) => q('CREATE ROLE dbchange_reader_t NOLOGIN').catch(() => undefined));
    await target.withConnection((q) => q('CREATE SCHEMA IF NOT EXISTS other'));
    // The role the task ends in still writes the ledger row.
    await target.withConnection((q) => q('GRANT ALL ON public.dbchange_ledger TO dbchange_reader_t'));
    const seen: { path: string; role: string; timeout: string; table: string | null }[] = [];
    const task = {
      ...recordedTask(
        'after-done',
        lines(
          'SET search_path TO other',
          "SET statement_timeout = '7s'",
          'CREATE TABLE after_done_t (id int)',
          'SET ROLE dbchange_reader_t',
        ),
      ),
      afterDone: async (q: Parameters<NonNullable<Parameters<Target['apply']>[0]['afterDone']>>[0]) => {
        const [row] = await q<{ path: string; role: string; timeout: string; table: string | null }>(
          `SELECT current_setting('search_path') AS path, current_user AS role,
                  current_setting('statement_timeout') AS timeout, to_regclass('other.after_done_t')::text AS table`,
        );
        seen.push(row!);
      },
    };
    assert.equal((await target.apply(task)).status, 'done');
    assert.deepEqual(seen, [{ path: '"$user", public', role: 'postgres', timeout: '0', table: 'other.after_done_t' }]);

    const failing = { ...recordedTask('after-failed', lines('SELECT 1 / 0')), afterDone: task.afterDone };
    assert.equal((await target.apply(failing)).status, 'failed');
    assert.equal(seen.length, 1);
  });

  test('a task does not wait for another session that has the ledger in use, once the ledger is complete', async () => {
    assert.equal(
      (await target.apply(recordedTask('ledger-first', lines('CREATE TABLE ledger_first_t (id int)')))).status,
      'done',
    );
    // Another session's open transaction writes the ledger (as a task of another bot process does).
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('LOCK TABLE public.dbchange_ledger IN ROW EXCLUSIVE MODE');
      const task = recordedTask('ledger-busy', lines('CREATE TABLE ledger_busy_t (id int)'), {
        guards: { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 },
      });
      assert.equal((await target.apply(task)).status, 'done');
      assert.equal(await exists('ledger_busy_t'), true);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
    }
  });
});
