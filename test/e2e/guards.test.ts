// Statement guards, live progress and lock watch through Slack's wire format on the real servers:
// a test session holds a lock, the task waits, the thread names the holder; a releaser cancels
// the statement (nothing applied) while a non-releaser is refused; a lock timeout says what timed
// out and who held the lock, and Retry succeeds once the lock is free; a 200-statement task keeps
// one progress message, edited in place within the rate.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { freshDatabase, freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeMessage, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton } from '../support/driver.js';
import { query, tableExists } from '../support/sql.js';
import type { Engine } from '../../src/domain/engine.js';

const ENGINES: Engine[] = ['postgres', 'mysql'];
const APP: Record<Engine, string> = { postgres: 'app_pg', mysql: 'app_my' };
/** The progress message is edited at most this often (DEFAULT_TASK_WATCH.progressEveryMs). */
const PROGRESS_EVERY_MS = 5_000;

/** A session of its own holding a lock on `table` in an open transaction, until released. */
async function holdLock(db: FreshDatabase, table: string): Promise<{ pid: string; release(): Promise<void> }> {
  if (db.engine === 'postgres') {
    const c = new pg.Client({ connectionString: db.url, application_name: 'report-job' });
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

async function columnExists(db: FreshDatabase, table: string, column: string): Promise<boolean> {
  const rows =
    db.engine === 'postgres'
      ? await query(db, 'SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2', [
          table,
          column,
        ])
      : await query(
          db,
          'SELECT 1 FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?',
          [table, column],
        );
  return rows.length > 0;
}

describe('statement guards, live progress and lock watch', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let slack: SlackDriver;
  const targets = {} as Record<Engine, FreshDatabase>;

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes', isMember: true });
    for (const id of ['U_DEV', 'U_REL', 'U_OTHER']) fake.setUser(id, { tz: 'UTC', name: id.toLowerCase() });
    store = await freshPostgres('e2e_guards_store');
    for (const engine of ENGINES) targets[engine] = await freshDatabase(engine, `e2e_guards_${engine}`);
    const config = `channel: ${CHANNEL}
environments:
  - id: prod
    releasers: [U_REL]
    rollout: manual
    timeouts: { lock: 8 seconds, statement: 10 minutes }
    lockWatch: 1 second
    # The tests make their lock holders' tables directly on the targets: drift they mean to make.
    holdOnDrift: false
databases:
${ENGINES.map((e) => `  - { name: ${APP[e]}, environment: prod, engine: ${e}, url: "${targets[e].url}" }`).join('\n')}
`;
    bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
    slack = new SlackDriver(fake, bot.url);
  });

  after(async () => {
    await bot?.kill('SIGTERM');
    await fake?.close();
    for (const db of Object.values(targets)) await db.drop();
    await store?.drop();
  });

  /** Submit a change as the developer and release it as the releaser (acknowledging findings if any). */
  async function submitAndRelease(engine: Engine, title: string, sql: string): Promise<FakeMessage> {
    const { res } = await slack.submit('U_DEV', { title, target: APP[engine], sql });
    assert.equal(res.status, 200, res.body);
    let msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_rollout'));
    if (hasButton(msg, 'issue_rollout_anyway')) {
      await slack.click('U_REL', msg, 'issue_rollout_anyway', { selectedOptions: [{ value: 'yes' }] });
      msg = await slack.waitForMessage(title, (m) => /chose to roll out anyway/.test(JSON.stringify(m.blocks)));
    }
    await slack.click('U_REL', msg, 'issue_rollout');
    return slack.waitForIssue(title);
  }

  /** The thread reply of `issue` that is a lock-wait notice still asking (it has the two buttons). */
  async function openNotice(issue: FakeMessage): Promise<FakeMessage> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = fake
        .messages(CHANNEL)
        .find((m) => m.thread_ts === issue.ts && hasButton(m, 'task_cancel_statement'));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no lock-wait notice; thread:\n${slack.thread(issue).join('\n')}\nbot log:\n${bot.output().slice(-6000)}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  test('a releaser stops a running task with Cancel run on the issue message: the task fails cleanly and Retry is offered', async () => {
    const db = targets.postgres;
    const title = 'A long data fix on postgres';
    const issue = await submitAndRelease(
      'postgres',
      title,
      'CREATE TABLE long_fix (id int PRIMARY KEY);\nSELECT pg_sleep(600);',
    );
    const running = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_stop_run'));
    // The statement is running once the thread says so (the progress message names it).
    await slack.waitForThread(issue, (l) => l.some((t) => /statement 2 of 2 running/.test(t)), 60_000);
    await slack.click('U_REL', running, 'issue_stop_run');
    const lines = await slack.waitForThread(issue, (l) => l.some((t) => /task failed/.test(t)), 60_000);
    assert.ok(
      lines.some((t) => /<@U_REL> stopped the rollout to prod/.test(t)),
      lines.join('\n'),
    );
    const failed = lines.find((t) => /task failed/.test(t))!;
    assert.match(failed, /statement 2 of 2 was cancelled by <@U_REL>/);
    assert.match(failed, /rolled back/);
    assert.equal(await tableExists(db, 'long_fix'), false);
    assert.ok(hasButton(await slack.waitForMessage(title, (m) => hasButton(m, 'issue_retry')), 'issue_retry'));
  });

  for (const engine of ENGINES) {
    test(`${engine}: the thread names who holds the lock; a non-releaser is refused, the releaser's Cancel my statement fails the task cleanly`, async () => {
      const db = targets[engine];
      await query(db, 'CREATE TABLE held (id int PRIMARY KEY)');
      await query(db, 'INSERT INTO held VALUES (1)');
      const holder = await holdLock(db, 'held');
      try {
        const title = `Add a column to held on ${engine}`;
        const issue = await submitAndRelease(
          engine,
          title,
          'ALTER TABLE held ADD COLUMN note varchar(20);\nCREATE TABLE after_held (id int PRIMARY KEY);',
        );
        const notice = await openNotice(issue);
        const text = notice.text ?? '';
        assert.match(text, /statement 1 of 2 has waited/);
        assert.match(text, new RegExp(`held by pid ${holder.pid}\\b`), text);
        if (engine === 'postgres') assert.match(text, /application report-job/);
        // The channel reads it: the holder's query text is not there, only its kind.
        assert.doesNotMatch(text, /IN ACCESS EXCLUSIVE MODE|FOR UPDATE/);

        // Someone who may not release prod: refused, and the task goes on waiting.
        const since = fake.calls.length;
        await slack.click('U_DEV', notice, 'task_cancel_statement');
        assert.match(
          await slack.ephemeralFor('U_DEV', since),
          /only a releaser of prod or an admin can stop its rollout/,
        );
        const running = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_stop_run'));
        const since2 = fake.calls.length;
        await slack.click('U_OTHER', running, 'issue_stop_run');
        assert.match(await slack.ephemeralFor('U_OTHER', since2), /only a releaser of prod/);
        assert.ok(hasButton((await openNotice(issue)) as FakeMessage, 'task_keep_waiting'));

        await slack.click('U_REL', notice, 'task_cancel_statement');
        const lines = await slack.waitForThread(issue, (l) => l.some((t) => /task failed/.test(t)));
        const failed = lines.find((t) => /task failed/.test(t))!;
        assert.match(failed, /statement 1 of 2 was cancelled by <@U_REL>/);
        if (engine === 'postgres') assert.match(failed, /rolled back/);
        // The notice says how it ended and asks no more.
        const settled = fake.messages(CHANNEL).find((m) => m.ts === notice.ts)!;
        assert.match(settled.text ?? '', /<@U_REL> cancelled the statement/);
        assert.equal(hasButton(settled, 'task_cancel_statement'), false);
        // Nothing was applied.
        assert.equal(await columnExists(db, 'held', 'note'), false);
        assert.equal(await tableExists(db, 'after_held'), false);
      } finally {
        await holder.release();
      }
    });

    test(`${engine}: a lock timeout says what timed out and who held the lock; Retry after the lock is free succeeds`, async () => {
      const db = targets[engine];
      await query(db, 'CREATE TABLE busy (id int PRIMARY KEY)');
      await query(db, 'INSERT INTO busy VALUES (1)');
      const holder = await holdLock(db, 'busy');
      const title = `Add a column to busy on ${engine}`;
      let issue: FakeMessage;
      try {
        issue = await submitAndRelease(engine, title, 'ALTER TABLE busy ADD COLUMN flag int;');
        const notice = await openNotice(issue);
        // Keep waiting: the notice stops asking; the lock timeout still ends the wait.
        await slack.click('U_REL', notice, 'task_keep_waiting');
        const kept = await slack.waitForThread(issue, (l) => l.some((t) => /chose to keep waiting/.test(t)));
        assert.ok(
          kept.some((t) => /<@U_REL> chose to keep waiting; the lock timeout \(8\.0 s\) still ends the wait/.test(t)),
        );
        const lines = await slack.waitForThread(issue, (l) => l.some((t) => /task failed/.test(t)), 60_000);
        const failed = lines.find((t) => /task failed/.test(t))!;
        assert.match(failed, /lock timeout after 8\.0 s on statement 1 of 1/, failed);
        assert.match(failed, new RegExp(`held by pid ${holder.pid}\\b`), failed);
        assert.match(failed, /press Retry/);
      } finally {
        await holder.release();
      }
      assert.equal(await columnExists(db, 'busy', 'flag'), false);
      const retryable = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_retry'));
      await slack.click('U_REL', retryable, 'issue_retry');
      await slack.waitForThread(issue, (l) => l.some((t) => /task done/.test(t)), 60_000);
      assert.equal(await columnExists(db, 'busy', 'flag'), true);
    });

    test(`${engine}: a 200-statement task keeps one progress message, edited in place at most every ${PROGRESS_EVERY_MS / 1000} s`, async () => {
      const sleep = engine === 'postgres' ? 'SELECT pg_sleep(0.03);' : 'DO SLEEP(0.03);';
      const sql = [
        'CREATE TABLE progress_t (id int PRIMARY KEY);',
        ...Array.from({ length: 199 }, (_, i) => (i % 2 ? sleep : `INSERT INTO progress_t (id) VALUES (${i});`)),
      ].join('\n');
      const title = `Two hundred statements on ${engine}`;
      const issue = await submitAndRelease(engine, title, sql);
      await slack.waitForThread(issue, (l) => l.some((t) => /task done/.test(t)), 120_000);
      const progress = fake
        .messages(CHANNEL)
        .filter((m) => m.thread_ts === issue.ts && /statements? (done|running)|task started/.test(m.text ?? ''));
      assert.equal(
        progress.length,
        1,
        `one progress message, edited in place; thread:\n${slack.thread(issue).join('\n')}`,
      );
      const message = progress[0]!;
      assert.match(message.text ?? '', /200 of 200 statements done in [^,]+, \d+ rows/);
      const post = fake.calls.find((c) => c.method === 'chat.postMessage' && c.response?.ts === message.ts)!;
      const edits = fake.callsOf('chat.update').filter((c) => c.args.ts === message.ts);
      assert.equal(edits.length, message.updates);
      assert.ok(edits.length >= 1, 'the final state is always sent');
      // Within the rate: one edit per interval over the task's span, and the final one (never one per statement).
      const span = edits.at(-1)!.at - post.at;
      assert.ok(
        edits.length <= 2 + Math.floor(span / PROGRESS_EVERY_MS),
        `${edits.length} edits over ${span} ms: more than one every ${PROGRESS_EVERY_MS} ms`,
      );
      assert.ok(edits.length < 200 / 10, `${edits.length} edits for 200 statements`);
    });
  }
});
