// Statement guards on both engines, each in a fresh database: a task queued behind another
// session's lock times out, is watched (who holds the lock), and can be cancelled, by its signal
// or from another connection; a statement that runs too long hits the statement timeout.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { ENGINES, type Engine } from '../../../src/domain/engine.js';
import { openTarget } from '../../../src/targets/index.js';
import type { LockWait, Target } from '../../../src/targets/types.js';
import { freshDatabase, type FreshDatabase } from '../../support/db.js';
import { query, tableExists } from '../../support/sql.js';
import { lines, recordedTask } from './support/task.js';

const GENEROUS = { lockTimeoutMs: 60_000, statementTimeoutMs: 600_000 };

/** A session of its own holding a lock on `table` until released: LOCK TABLE / SELECT … FOR UPDATE in a transaction. */
async function holdLock(db: FreshDatabase, table: string): Promise<{ pid: string; release(): Promise<void> }> {
  if (db.engine === 'postgres') {
    const c = new pg.Client({ connectionString: db.url, application_name: 'lock-holder' });
    await c.connect();
    const { rows } = await c.query('SELECT pg_backend_pid()::text AS pid');
    await c.query('BEGIN');
    await c.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    return {
      pid: rows[0].pid,
      release: async () => {
        await c.query('ROLLBACK');
        await c.end();
      },
    };
  }
  const c = await mysql.createConnection(db.url);
  await c.query('START TRANSACTION');
  await c.query(`SELECT * FROM ${table} FOR UPDATE`);
  return {
    pid: String(c.threadId),
    release: async () => {
      await c.query('ROLLBACK');
      await c.end();
    },
  };
}

const SLEEP: Record<Engine, string> = { postgres: 'SELECT pg_sleep(30)', mysql: 'SELECT SLEEP(30)' };

for (const engine of ENGINES) {
  describe(`${engine} statement guards`, () => {
    let db: FreshDatabase;
    let target: Target;
    let n = 0;
    const nextTask = () => `guard-${engine}-${++n}`;

    before(async () => {
      db = await freshDatabase(engine, `guards_${engine}`);
      target = openTarget(engine, db.url);
      await query(db, 'CREATE TABLE held (id int PRIMARY KEY)');
      await query(db, 'INSERT INTO held VALUES (1)');
    });
    after(async () => {
      await target.close();
      await db.drop();
    });

    test('a statement queued behind a held lock fails with a lock timeout, and the watch names the holder', async () => {
      const holder = await holdLock(db, 'held');
      const waits: LockWait[] = [];
      try {
        const task = recordedTask(
          nextTask(),
          lines('CREATE TABLE before_lock (id int)', 'ALTER TABLE held ADD COLUMN x int'),
          {
            guards: { lockTimeoutMs: 2_000, statementTimeoutMs: 600_000 },
            watch: { afterMs: 300, everyMs: 300, onWait: (w) => void waits.push(w) },
          },
        );
        const outcome = await target.apply(task);
        assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
        assert.ok(outcome.status === 'failed');
        assert.equal(outcome.error.guard, 'lock-timeout', JSON.stringify(outcome.error));
        assert.equal(outcome.statementIndex, 1);
        assert.ok(waits.length > 0, 'the watch saw the wait');
        const holders = waits.at(-1)!.holders;
        assert.ok(
          holders.some((h) => h.pid === holder.pid),
          `holder ${holder.pid} named in ${JSON.stringify(holders)}`,
        );
        // No query text leaves the target: only the kind of the holder's statement.
        assert.ok(holders.every((h) => !('query' in h)));
        if (engine === 'postgres') {
          assert.equal(holders[0]!.application, 'lock-holder');
          assert.equal(holders[0]!.statementKind, 'LOCK');
          // One transaction: the first statement was rolled back with the second.
          assert.equal(await tableExists(db, 'before_lock'), false);
        }
      } finally {
        await holder.release();
      }
      // After the lock is released, the same task runs again and succeeds.
      const again = await target.apply(
        recordedTask(
          `guard-${engine}-${n}`,
          lines('CREATE TABLE before_lock (id int)', 'ALTER TABLE held ADD COLUMN x int'),
          {
            guards: GENEROUS,
          },
        ),
      );
      assert.equal(again.status, 'done', JSON.stringify(again));
    });

    test('aborting the signal cancels the waiting statement: the task fails cleanly', async () => {
      const holder = await holdLock(db, 'held');
      const stop = new AbortController();
      try {
        const task = recordedTask(
          nextTask(),
          lines('CREATE TABLE cancelled_t (id int)', 'ALTER TABLE held ADD COLUMN y int'),
          {
            guards: GENEROUS,
            signal: stop.signal,
            watch: { afterMs: 200, everyMs: 200, onWait: () => stop.abort() },
          },
        );
        const outcome = await target.apply(task);
        assert.ok(outcome.status === 'failed', JSON.stringify(outcome));
        assert.equal(outcome.error.guard, 'cancelled', JSON.stringify(outcome.error));
        assert.equal(outcome.statementIndex, 1);
        if (engine === 'postgres') assert.equal(await tableExists(db, 'cancelled_t'), false);
        const ledger = await target.ledgerState(task.taskId);
        assert.equal(ledger.state, 'failed');
      } finally {
        await holder.release();
      }
    });

    test('another connection cancels a running task by its id; an idle id cancels nothing', async () => {
      assert.equal(await target.cancelTask('nobody-runs-this'), false);
      const other = openTarget(engine, db.url);
      try {
        const taskId = nextTask();
        const task = recordedTask(taskId, lines(SLEEP[engine]), { guards: GENEROUS });
        const applying = target.apply(task);
        // Cancel once the server runs the statement (a cancel before it starts would find nothing to stop).
        while (!(await other.sessions()).some((s) => /sleep\(30\)/i.test(s.query ?? ''))) {
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal(await other.cancelTask(taskId), true);
        const outcome = await applying;
        assert.ok(outcome.status === 'failed', JSON.stringify(outcome));
        assert.equal(outcome.error.guard, 'cancelled', JSON.stringify(outcome.error));
      } finally {
        await other.close();
      }
    });

    test('a statement running longer than the statement timeout is stopped by it', async () => {
      const task = recordedTask(nextTask(), lines(SLEEP[engine]), {
        guards: { lockTimeoutMs: 10_000, statementTimeoutMs: 500 },
      });
      const outcome = await target.apply(task);
      assert.ok(outcome.status === 'failed', JSON.stringify(outcome));
      assert.equal(outcome.error.guard, 'statement-timeout', JSON.stringify(outcome.error));
    });
  });
}
