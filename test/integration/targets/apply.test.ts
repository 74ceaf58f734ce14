// The Target contract on both engines, each in a fresh database.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { ENGINES, type Engine } from '../../../src/domain/engine.js';
import { openTarget } from '../../../src/targets/index.js';
import type { Target, TaskStatement } from '../../../src/targets/types.js';
import { freshDatabase, type FreshDatabase } from '../../support/db.js';
import { lines, recordedTask, shapes } from './support/task.js';

const SLEEP: Record<Engine, string> = { postgres: 'SELECT pg_sleep(0.3)', mysql: 'SELECT SLEEP(0.3)' };

/** A script whose third statement starts mid-line and fails at a known place. */
const FAILING: Record<Engine, { statements: TaskStatement[]; line: number; column: number }> = {
  // SELECT 1; SELECT id,      <- line 2; statement 3 starts at column 11
  //        nope               <- line 3; "nope" at column 8
  //   FROM pos_t
  postgres: {
    statements: [
      { sql: 'CREATE TABLE pos_t (id int)', line: 1 },
      { sql: 'SELECT 1', line: 2, column: 1 },
      { sql: 'SELECT id,\n       nope\n  FROM pos_t', line: 2, column: 11 },
    ],
    line: 3,
    column: 8,
  },
  // SELECT 1; CREATE TABLE pos_u (   <- line 2
  //   id int,
  //   name varchar(10) NOT NUL       <- line 4; "NUL" at column 24
  // )
  mysql: {
    statements: [
      { sql: 'CREATE TABLE pos_t (id int)', line: 1 },
      { sql: 'SELECT 1', line: 2, column: 1 },
      { sql: 'CREATE TABLE pos_u (\n  id int,\n  name varchar(10) NOT NUL\n)', line: 2, column: 11 },
    ],
    line: 4,
    column: 24,
  },
};

for (const engine of ENGINES) {
  describe(`${engine} target`, () => {
    let db: FreshDatabase;
    let target: Target;
    const count = (table: string) =>
      target.withConnection(async (q) => Number((await q<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n));

    before(async () => {
      db = await freshDatabase(engine, `targets_${engine}`);
      target = openTarget(engine, db.url);
    });
    after(async () => {
      await target.close();
      await db.drop();
    });

    test('a successful task runs its statements in order and logs each with its row count', async () => {
      const task = recordedTask(
        'ok-1',
        lines(
          'CREATE TABLE items (id int, name varchar(20))',
          "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')",
          "UPDATE items SET name = 'z' WHERE id > 1",
        ),
      );
      const outcome = await target.apply(task);
      assert.equal(outcome.status, 'done');
      assert.deepEqual(shapes(task.events), [
        { kind: 'statement-start', index: 0, line: 1 },
        { kind: 'statement-done', index: 0, rowsAffected: null },
        { kind: 'statement-start', index: 1, line: 2 },
        { kind: 'statement-done', index: 1, rowsAffected: 3 },
        { kind: 'statement-start', index: 2, line: 3 },
        { kind: 'statement-done', index: 2, rowsAffected: 2 },
      ]);
      for (const e of task.events) {
        assert.equal('total' in e && e.total, 3);
        if (e.kind === 'statement-done') assert.ok(e.durationMs >= 0);
      }
      assert.equal(await count('items'), 3);
      const state = await target.ledgerState('ok-1');
      assert.equal(state.state, 'done');
    });

    test('a statement error returns failed with the message, code and line/column in the submitted script', async () => {
      const { statements, line, column } = FAILING[engine];
      const task = recordedTask('fail-pos', statements);
      const outcome = await target.apply(task);
      assert.equal(outcome.status, 'failed');
      assert.ok(outcome.status === 'failed');
      assert.equal(outcome.statementIndex, 2);
      // PostgreSQL ran the task in one transaction and rolled it back; MySQL's DDL stayed.
      assert.deepEqual([outcome.applied, outcome.rolledBack], engine === 'postgres' ? [0, true] : [2, false]);
      assert.equal(outcome.error.code, engine === 'postgres' ? '42703' : 'ER_PARSE_ERROR');
      assert.match(outcome.error.message, engine === 'postgres' ? /column "nope" does not exist/ : /near 'NUL/);
      assert.equal(outcome.error.line, line);
      assert.equal(outcome.error.column, column);
      const failed = task.events.at(-1);
      assert.equal(failed?.kind, 'statement-failed');
      assert.deepEqual(failed.kind === 'statement-failed' && failed.error, outcome.error);
      const state = await target.ledgerState('fail-pos');
      assert.equal(state.state, 'failed');
      assert.match(
        state.state === 'failed' ? state.error : '',
        new RegExp(`statement 3 at line ${line}, column ${column}`),
      );
    });

    test('re-applying a done task returns already-applied and runs nothing', async () => {
      await target.withConnection((q) => q('CREATE TABLE hits (n int)'));
      const first = recordedTask('once', lines('INSERT INTO hits VALUES (1)', 'INSERT INTO hits VALUES (2)'));
      assert.equal((await target.apply(first)).status, 'done');
      const again = recordedTask('once', first.statements);
      const outcome = await target.apply(again);
      assert.equal(outcome.status, 'already-applied');
      assert.ok(outcome.status === 'already-applied' && outcome.appliedAt instanceof Date);
      assert.ok(Math.abs(outcome.appliedAt.getTime() - Date.now()) < 60_000, 'appliedAt is the time it was applied');
      assert.deepEqual(again.events, []);
      assert.equal(await count('hits'), 2);
    });

    test('two targets applying the same task at the same time run it once', async () => {
      const other = openTarget(engine, db.url);
      try {
        const statements = lines('CREATE TABLE conc (id int)', 'INSERT INTO conc VALUES (1)', SLEEP[engine]);
        const outcomes = await Promise.all([
          target.apply(recordedTask('conc', statements)),
          other.apply(recordedTask('conc', statements)),
        ]);
        assert.deepEqual(outcomes.map((o) => o.status).sort(), ['already-applied', 'done']);
        assert.equal(await count('conc'), 1);
      } finally {
        await other.close();
      }
    });

    test('a task never applied has no ledger state', async () => {
      assert.deepEqual(await target.ledgerState('never-seen'), { state: 'absent' });
    });

    test('sessions lists another connection to the database and not its own', async () => {
      if (engine === 'postgres') {
        const probe = new pg.Client({ connectionString: db.url, application_name: 'sessions-probe' });
        await probe.connect();
        try {
          const pid = String((await probe.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
          const sessions = await target.sessions();
          const mine = sessions.find((s) => s.pid === pid);
          assert.equal(mine?.application, 'sessions-probe');
          assert.equal(mine?.user, 'postgres');
          assert.ok(
            sessions.every((s) => (s.query !== null ? !s.query.includes('pg_stat_activity') : true)),
            'its own query is not listed',
          );
        } finally {
          await probe.end();
        }
      } else {
        const probe = await mysql.createConnection(db.url);
        try {
          const [rows] = await probe.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
          const sessions = await target.sessions();
          const mine = sessions.find((s) => s.pid === String(rows[0]!.id));
          assert.equal(mine?.user, 'root');
          assert.ok(mine?.startedAt instanceof Date);
          assert.ok(
            sessions.every((s) => !(s.query ?? '').includes('PROCESSLIST')),
            'its own query is not listed',
          );
        } finally {
          await probe.end();
        }
      }
    });

    test("withConnection runs parameterised queries in the engine's placeholder style", async () => {
      const sql = engine === 'postgres' ? 'SELECT $1::int + $2::int AS sum' : 'SELECT ? + ? AS sum';
      const rows = await target.withConnection((q) => q<{ sum: number | string }>(sql, [2, 3]));
      assert.equal(Number(rows[0]!.sum), 5);
    });
  });
}
