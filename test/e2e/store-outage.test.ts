// The bot's store goes away for about 20 s in the middle of a rollout, on each kind of store:
// PostgreSQL, the embedded store's PGlite socket server and MongoDB (the jongodb server, which
// has no change streams: the bot wakes its own job workers in process). The bot reaches
// its store through a TCP proxy in the test process, which the test cuts (every connection
// destroyed, new ones refused) and restores; the shared servers are never touched. The real bot
// process must stay up, tell people in Slack that nothing was changed, carry on by itself when
// the store answers again, apply the interrupted task exactly once and say in the thread what
// happened.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { query } from '../support/sql.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, type BotProcess, outputCount, waitForOutput } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton } from '../support/driver.js';
import { startMongo, type MongoServer } from '../support/mongo.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/store/embedded.js';

const STORES = ['postgres', 'embedded', 'mongodb'] as const;
const OUTAGE_MS = 20_000;
const UNAVAILABLE = /The bot's store is unavailable right now; nothing was changed\. Try again in a minute\./;

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

for (const storeKind of STORES)
  describe(`a store outage during a rollout (${storeKind} store)`, () => {
    let fake: FakeSlack;
    let bot: BotProcess;
    let slack: SlackDriver;
    let proxy: TcpProxy;
    let target: FreshDatabase;
    let pgStore: FreshDatabase | undefined;
    let mongo: MongoServer | undefined;
    let embedded: EmbeddedPostgres | undefined;
    let embeddedDir: string | undefined;

    before(async () => {
      fake = await startFakeSlack();
      fake.setChannel(CHANNEL, { name: 'db-changes' });
      for (const user of ['U_DEV', 'U_DBA', 'U_REL']) fake.setUser(user, { tz: 'UTC', name: user.toLowerCase() });

      let upstreamUrl: string;
      if (storeKind === 'postgres') {
        pgStore = await freshPostgres('e2e_outage_store');
        upstreamUrl = pgStore.url;
      } else if (storeKind === 'mongodb') {
        mongo = await startMongo();
        upstreamUrl = mongo.freshUrl('e2e_outage_store');
      } else {
        // The embedded store's own server (PGlite served a protocol round trip at a time), here
        // in the test process so that the proxy can stand between it and the bot.
        embeddedDir = await mkdtemp(join(tmpdir(), 'dbchange-outage-'));
        embedded = await startEmbeddedPostgres({ dataDir: join(embeddedDir, 'pgdata'), maxConnections: 40 });
        upstreamUrl = embedded.url;
      }
      proxy = await startTcpProxy(hostPort(upstreamUrl));

      target = await freshPostgres('e2e_outage_app');
      await query(target, 'CREATE TABLE outage_counter (n int NOT NULL)');
      const config = `channel: ${CHANNEL}
environments:
  - id: prod
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
databases:
  - name: app
    environment: prod
    engine: postgres
    url: ${target.url}
`;
      bot = await startBotProcess({
        config,
        slackApiUrl: fake.url,
        botToken: fake.token,
        storeUrl: proxy.through(upstreamUrl),
        env: { LOG_FORMAT: 'json' },
      });
      slack = new SlackDriver(fake, bot.url);
    });

    after(async () => {
      proxy?.restore();
      await bot?.kill('SIGTERM');
      await fake?.close();
      await proxy?.close();
      await target?.drop();
      await pgStore?.drop();
      await mongo?.stop();
      await embedded?.close();
      if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
    });

    test('the bot stays up, refuses clicks meanwhile with nothing changed, and finishes the task exactly once', async () => {
      const long = 'Count to two slowly';
      const other = 'Count to ten';
      await slack.submit('U_DEV', {
        title: long,
        target: 'app',
        changeType: 'dml',
        sql: 'INSERT INTO outage_counter (n) VALUES (1);\nSELECT pg_sleep(8);\nINSERT INTO outage_counter (n) VALUES (2);',
      });
      let msg = await slack.waitForMessage(long, (m) => hasButton(m, 'issue_approve'), 60_000);
      await slack.submit('U_DEV', {
        title: other,
        target: 'app',
        changeType: 'dml',
        sql: 'INSERT INTO outage_counter (n) VALUES (10);',
      });
      let otherMsg = await slack.waitForMessage(other, (m) => hasButton(m, 'issue_approve'), 60_000);

      await slack.click('U_DBA', msg, 'issue_approve');
      msg = await slack.waitForMessage(
        long,
        (m) => hasButton(m, 'issue_rollout') && /approvals 1\/1/.test(JSON.stringify(m.blocks)),
      );
      await slack.click('U_REL', msg, 'issue_rollout');
      // The task runs once its second statement sleeps on the target (the thread's progress message
      // may already be past "task started" when Slack first shows it).
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [row] = await query<{ n: number }>(
          target,
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'SELECT pg_sleep(8)%'",
        );
        if (row!.n > 0) break;
        if (Date.now() > deadline) throw new Error(`the task never started; thread:\n${slack.thread(msg).join('\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }

      // The store goes away while the task's statements run on the target.
      proxy.cut();
      const cutAt = Date.now();

      // A click meanwhile is answered, and changes nothing.
      const since = fake.calls.length;
      await slack.click('U_DBA', otherMsg, 'issue_approve');
      assert.match(await slack.ephemeralFor('U_DBA', since, 30_000), UNAVAILABLE);
      // So is a slash command that needs the store.
      assert.match(await slack.commandReply('U_DEV', 'list'), UNAVAILABLE);
      await waitForOutput(bot, /store is unavailable/, 1, 30_000);

      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
      proxy.restore();

      msg = await slack.waitForMessage(long, (m) => /:white_check_mark: done/.test(JSON.stringify(m.blocks)), 180_000);
      const thread = await slack.waitForThread(msg, (l) => l.some((t) => /lost its store/.test(t)), 60_000);
      assert.ok(
        thread.some((t) =>
          /the bot lost its store at <!date\^\d+\^\{time_secs\}\|[\d:]+ UTC> and resumed at <!date\^\d+\^\{time_secs\}\|[\d:]+ UTC>; task app \(prod\) (continued|was re-run)/.test(
            t,
          ),
        ),
        thread.join('\n'),
      );

      // Applied exactly once: both rows, once each, and one finished attempt in the target's ledger.
      const rows = await query<{ n: number }>(target, 'SELECT n FROM outage_counter ORDER BY n');
      assert.deepEqual(
        rows.map((r) => r.n),
        [1, 2],
      );
      const ledger = await query<{ status: string; statements_done: number }>(
        target,
        "SELECT status, statements_done FROM dbchange_ledger WHERE status = 'done'",
      );
      assert.deepEqual(ledger, [{ status: 'done', statements_done: 3 }]);

      // The click during the outage approved nothing; now it does, and the queue runs jobs again.
      otherMsg = slack.issueMessage(other)!;
      assert.equal(hasButton(otherMsg, 'issue_approve'), true);
      assert.doesNotMatch(JSON.stringify(otherMsg.blocks), /approvals 1\/1/);
      await slack.click('U_DBA', otherMsg, 'issue_approve');
      otherMsg = await slack.waitForMessage(other, (m) => /approvals 1\/1/.test(JSON.stringify(m.blocks)), 60_000);
      await slack.click('U_REL', otherMsg, 'issue_rollout');
      await slack.waitForMessage(other, (m) => /:white_check_mark: done/.test(JSON.stringify(m.blocks)), 120_000);
      const after = await query<{ n: number }>(target, 'SELECT n FROM outage_counter ORDER BY n');
      assert.deepEqual(
        after.map((r) => r.n),
        [1, 2, 10],
      );

      // Said once, not once per failed call; and nothing ended the process.
      assert.equal(outputCount(bot, /store is unavailable/), 1, bot.output().slice(-4000));
      assert.doesNotMatch(bot.output(), /Emitted 'error' event|unexpected error; stopping|Unhandled/);
    });
  });
