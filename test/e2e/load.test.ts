// Load, through the real bot, the fake Slack and real PostgreSQL (loopback only, bounded, and it
// stops by itself): 50 changes submitted within a minute, and a stage over a group of 100
// databases with rollout.concurrency 10. Every task runs exactly once (one ledger row, one row
// of its own in the database), and the bot keeps answering Slack meanwhile.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, type BotProcess, SIGNING_SECRET } from '../support/bot-process.js';
import { CHANNEL, SlackDriver } from '../support/driver.js';
import { sendToBot, slashCommandBody } from '../support/slack-requests.js';

const CHANGES = 50;
const LANES = 5;
const GROUP = 100;
/** Generous: the machine may be busy with other work. */
const DONE_TIMEOUT_MS = 15 * 60_000;

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Slash commands sent one after another until stopped; every answer's HTTP status is kept. */
function keepAsking(botUrl: string, fake: FakeSlack): { stop(): Promise<number[]> } {
  const statuses: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const res = await sendToBot(
        botUrl,
        slashCommandBody({
          text: 'list',
          userId: 'U_DEV',
          channelId: CHANNEL,
          triggerId: fake.issueTriggerId(),
          responseUrl: fake.responseUrl({ channel: CHANNEL, user: 'U_DEV' }),
        }),
        { secret: SIGNING_SECRET },
      );
      statuses.push(res.status);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return statuses;
    },
  };
}

describe('the bot under load', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let app: FreshDatabase;
  let slack: SlackDriver;
  const group: FreshDatabase[] = [];

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    fake.setUser('U_DEV', { tz: 'UTC' });
    store = await freshPostgres('load_store');
    app = await freshPostgres('load_app');
    for (let i = 0; i < GROUP; i++) group.push(await freshPostgres(`load_g${i}`));
    for (const db of [app, ...group])
      await withClient(db.url, (c) => c.query('CREATE TABLE load_runs (tag text NOT NULL)'));
    const config = `channel: ${CHANNEL}
rollout:
  concurrency: 10
environments:
  - id: dev
    rollout: automatic
databases:
  - { name: app, environment: dev, engine: postgres, url: "${app.url}" }
${group.map((d, i) => `  - { name: g${i}, environment: dev, engine: postgres, url: "${d.url}", group: fleet }`).join('\n')}
`;
    bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
    slack = new SlackDriver(fake, bot.url);
  });

  after(async () => {
    await bot?.kill('SIGTERM');
    await fake?.close();
    for (const db of group) await db.drop().catch(() => {});
    await app?.drop();
    await store?.drop();
  });

  test('50 changes submitted within a minute each run exactly once, and every request meanwhile is answered', async () => {
    const asking = keepAsking(bot.url, fake);
    const titles = Array.from({ length: CHANGES }, (_, i) => `Load change ${i}`);
    const acks: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: LANES }, async () => {
        while (next < titles.length) {
          const i = next++;
          const { res } = await slack.submit('U_DEV', {
            title: titles[i]!,
            target: 'app',
            changeType: 'dml',
            sql: `INSERT INTO load_runs (tag) VALUES ('change-${i}');`,
          });
          acks.push(res.status);
        }
      }),
    );
    for (const title of titles)
      await slack.waitForMessage(title, (m) => /\bdone\b|failed/.test(m.text ?? ''), DONE_TIMEOUT_MS);
    const statuses = await asking.stop();

    assert.deepEqual(
      acks,
      titles.map(() => 200),
    );
    assert.ok(statuses.length > 0);
    assert.deepEqual(
      statuses.filter((s) => s !== 200),
      [],
    );
    for (const title of titles) assert.match(slack.issueMessage(title)?.text ?? '', /\bdone\b/, title);
    const runs = await withClient(app.url, (c) =>
      c.query<{ tag: string; n: number }>('SELECT tag, count(*)::int AS n FROM load_runs GROUP BY tag ORDER BY tag'),
    );
    assert.equal(runs.rows.length, CHANGES);
    assert.ok(
      runs.rows.every((r) => r.n === 1),
      JSON.stringify(runs.rows.filter((r) => r.n !== 1)),
    );
    const ledger = await withClient(app.url, (c) =>
      c.query<{ task_id: string; rows: number; done: number }>(
        `SELECT task_id, count(*)::int AS rows, count(*) FILTER (WHERE status = 'done')::int AS done
           FROM dbchange_ledger GROUP BY task_id`,
      ),
    );
    assert.equal(ledger.rows.length, CHANGES);
    assert.ok(
      ledger.rows.every((r) => r.rows === 1 && r.done === 1),
      JSON.stringify(ledger.rows.filter((r) => r.rows !== 1 || r.done !== 1)),
    );
  });

  test('a stage over 100 databases, 10 at a time, runs every task exactly once while the bot keeps answering', async () => {
    const asking = keepAsking(bot.url, fake);
    const title = 'Load change on the fleet';
    const { res } = await slack.submit('U_DEV', {
      title,
      target: 'fleet',
      changeType: 'dml',
      sql: "INSERT INTO load_runs (tag) VALUES ('fleet');",
    });
    assert.equal(res.status, 200);
    const msg = await slack.waitForMessage(title, (m) => /\bdone\b|failed/.test(m.text ?? ''), DONE_TIMEOUT_MS);
    const statuses = await asking.stop();
    if (!/\bdone\b/.test(msg.text ?? '')) {
      // Say why: the thread's lines about the tasks that did not end done.
      const lines = await slack.waitForThread(msg, (l) => l.some((t) => /:x: \*/.test(t)), 60_000).catch(() => []);
      const errors = bot
        .output()
        .split('\n')
        .filter((l) => /"level":(40|50)/.test(l))
        .slice(-10);
      assert.fail(
        `${msg.text}\n${errors.join('\n')}\n${lines.filter((t) => !/task done|task started|statement 1\/1 done/.test(t)).join('\n')}`,
      );
    }
    assert.ok(statuses.length > 0);
    assert.deepEqual(
      statuses.filter((s) => s !== 200),
      [],
    );
    const spans: { start: number; end: number }[] = [];
    for (const [i, db] of group.entries()) {
      const [runs, ledger] = await withClient(db.url, async (c) => [
        (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM load_runs WHERE tag = 'fleet'")).rows[0]!.n,
        (await c.query<{ status: string; started_at: Date; finished_at: Date }>('SELECT * FROM dbchange_ledger')).rows,
      ]);
      assert.equal(runs, 1, `g${i} ran the change ${runs} times`);
      assert.deepEqual(
        ledger.map((r) => r.status),
        ['done'],
        `g${i}`,
      );
      spans.push({ start: ledger[0]!.started_at.getTime(), end: ledger[0]!.finished_at.getTime() });
    }
    // Bounded: no moment had more than 10 databases being changed at once.
    const most = Math.max(...spans.map((s) => spans.filter((o) => o.start <= s.start && s.start < o.end).length));
    assert.ok(most <= 10, `${most} tasks overlapped`);
  });
});
