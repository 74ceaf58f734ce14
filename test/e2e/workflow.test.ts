// The whole change workflow, driven only through Slack's wire format: the real bot process,
// signed requests into /slack/events, a fake Web API, and real PostgreSQL and MariaDB targets;
// once on each store: PostgreSQL, the embedded PGlite and MongoDB (the jongodb server).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { query, tableExists } from '../support/sql.js';
import { freshDatabase, freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, type BotProcess, waitForOutput } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton, linesOf } from '../support/driver.js';
import { sendToBot, slashCommandBody } from '../support/slack-requests.js';
import type { Engine } from '../../src/domain/engine.js';
import { startMongo, type MongoServer } from '../support/mongo.js';

const ENGINES: Engine[] = ['postgres', 'mysql'];

const STORES = ['postgres', 'embedded', 'mongodb'] as const;

for (const storeKind of STORES)
  describe(`the change workflow through Slack (${storeKind} store)`, () => {
    let fake: FakeSlack;
    let bot: BotProcess;
    let store: FreshDatabase | undefined;
    let mongo: MongoServer | undefined;
    let slack: SlackDriver;
    const targets: Record<string, FreshDatabase> = {};

    before(async () => {
      fake = await startFakeSlack();
      fake.setChannel(CHANNEL, { name: 'db-changes' });
      fake.setChannel('C_TEAM', { name: 'team' });
      fake.setUser('U_DEV', { tz: 'Europe/Berlin', name: 'dev' });
      fake.setUser('U_DBA', { tz: 'America/New_York', name: 'dba' });
      fake.setUser('U_DBA2', { tz: 'Asia/Tokyo', name: 'dba2' });
      fake.setUser('U_REL', { tz: 'Europe/London', name: 'rel' });
      fake.setUser('U_GROUPIE', { tz: 'UTC', name: 'groupie' });
      fake.setUserGroup('S_DBAS', ['U_GROUPIE']);
      let storeUrl: string | undefined;
      if (storeKind === 'postgres') {
        store = await freshPostgres('e2e_store');
        storeUrl = store.url;
      } else if (storeKind === 'mongodb') {
        mongo = await startMongo();
        storeUrl = mongo.freshUrl('e2e_store');
      }
      for (const engine of ENGINES) {
        for (const env of ['dev', 'staging', 'prod'])
          targets[`${engine}_${env}`] = await freshDatabase(engine, `e2e_${env}`);
      }
      targets.shard1 = await freshPostgres('e2e_shard1');
      targets.shard2 = await freshPostgres('e2e_shard2');
      const dbs = ENGINES.flatMap((engine) =>
        ['dev', 'staging', 'prod'].map(
          (env) =>
            `  - name: app_${engine === 'postgres' ? 'pg' : 'my'}\n    environment: ${env}\n    engine: ${engine}\n    url: ${targets[`${engine}_${env}`]!.url}`,
        ),
      );
      const config = `channel: ${CHANNEL}
environments:
  - id: dev
    rollout: automatic
  - id: staging
    approvers: [U_DBA, S_DBAS]
    releasers: [U_REL]
    rollout: manual
  - id: prod
    approvers: [U_DBA, U_DBA2]
    requiredApprovals: 1
    releasers: [U_REL]
    rollout: manual
databases:
${dbs.join('\n')}
  - name: unreachable
    environment: dev
    engine: postgres
    url: postgres://postgres:supersecret-pw@127.0.0.1:1/nowhere
  - name: shard1
    environment: dev
    engine: postgres
    url: ${targets.shard1.url}
    group: shards
  - name: shard2
    environment: dev
    engine: postgres
    url: ${targets.shard2.url}
    group: shards
`;
      bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl });
      slack = new SlackDriver(fake, bot.url);
    });

    after(async () => {
      await bot?.kill('SIGTERM');
      await fake?.close();
      for (const db of Object.values(targets)) await db.drop();
      await store?.drop();
      await mongo?.stop();
    });

    for (const engine of ENGINES) {
      const app = engine === 'postgres' ? 'app_pg' : 'app_my';
      test(`a change to ${engine} goes dev → staging → prod with approvals, releases and a log in the thread`, async () => {
        const title = `Create accounts table on ${engine}`;
        const sql =
          "CREATE TABLE accounts (\n  id INT PRIMARY KEY,\n  email VARCHAR(200) NOT NULL\n);\nINSERT INTO accounts (id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com');";
        const { res } = await slack.submit('U_DEV', { title, target: app, sql });
        assert.equal(res.status, 200);
        const posted = await slack.waitForIssue(title);
        assert.match(JSON.stringify(posted.blocks), /Review passed|review passed/i);

        // dev is automatic and needs no approval: it runs at once.
        let msg = await slack.waitForMessage(
          title,
          (m) => /staging/.test(JSON.stringify(m.blocks)) && hasButton(m, 'issue_approve'),
        );
        const devThread = await slack.waitForThread(msg, (l) => l.some((t) => /task done/.test(t)));
        assert.ok(
          devThread.some((t) => /statement 2\/2 done .*2 rows affected/.test(t)),
          devThread.join('\n'),
        );
        assert.equal(await tableExists(targets[`${engine}_dev`]!, 'accounts'), true);
        assert.equal(await tableExists(targets[`${engine}_staging`]!, 'accounts'), false);

        // staging: the releaser cannot roll out before the approval.
        const since = fake.calls.length;
        await slack.click('U_REL', msg, 'issue_rollout');
        assert.match(await slack.ephemeralFor('U_REL', since), /approval/);
        await slack.click('U_DBA', msg, 'issue_approve');
        msg = await slack.waitForMessage(title, (m) => /approvals 1\/1/.test(JSON.stringify(m.blocks)));
        await slack.click('U_REL', msg, 'issue_rollout');
        msg = await slack.waitForMessage(
          title,
          (m) =>
            /prod/.test(JSON.stringify(m.blocks)) && /:white_check_mark: \*staging\*/.test(JSON.stringify(m.blocks)),
        );
        assert.equal(await tableExists(targets[`${engine}_staging`]!, 'accounts'), true);
        assert.equal(await tableExists(targets[`${engine}_prod`]!, 'accounts'), false);
        // The thread reads in the order things happened: who started staging, then its task's log.
        const lines = await slack.waitForThread(msg, (l) => l.some((t) => /staging done/.test(t)));
        const startedAt = lines.findIndex((t) => /<@U_REL> started the rollout to staging/.test(t));
        const stagingTask = lines.findIndex((t) => /\(staging\)\*: task done/.test(t));
        assert.ok(startedAt >= 0 && startedAt < stagingTask, lines.join('\n'));

        // prod: one of two approvers is enough.
        await slack.click('U_DBA2', msg, 'issue_approve');
        msg = await slack.waitForMessage(title, (m) =>
          /approvals 1\/1 \(<@U_DBA2> revision 1, sha256 [0-9a-f]{8}…\)/.test(JSON.stringify(m.blocks)),
        );
        await slack.click('U_REL', msg, 'issue_rollout');
        msg = await slack.waitForMessage(title, (m) => /:white_check_mark: done/.test(JSON.stringify(m.blocks)));
        assert.equal(await tableExists(targets[`${engine}_prod`]!, 'accounts'), true);
        assert.equal(hasButton(msg, 'issue_approve'), false);

        const history = await slack.commandReply('U_DEV', `history ${app}`);
        for (const env of ['dev', 'staging', 'prod']) assert.match(history, new RegExp(`\\*${env}\\* DDL`));
      });
    }

    test('a request with a forged signature is refused and changes nothing', async () => {
      const before = fake.calls.length;
      const body = slashCommandBody({
        text: 'list',
        userId: 'U_DEV',
        channelId: CHANNEL,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      });
      const res = await sendToBot(bot.url, body, { secret: 'not-the-secret' });
      assert.equal(res.status, 401);
      const stale = await sendToBot(bot.url, body, {
        secret: 'e2e-signing-secret-0123456789abcdef',
        timestampSec: Math.floor(Date.now() / 1000) - 600,
      });
      assert.equal(stale.status, 401);
      // A signed request after them is answered: had the refused ones done anything, it would show before this answer.
      await slack.commandReply('U_DEV', 'help');
      assert.deepEqual(
        fake.calls.slice(before).map((c) => c.method),
        [],
      );
    });

    test('someone who is not an approver, or the creator, clicking Approve is told why and nothing changes', async () => {
      const title = 'Add a table that needs approval';
      await slack.submit('U_DBA', {
        title,
        target: 'app_pg',
        sql: 'CREATE TABLE approvals_demo (id int PRIMARY KEY);',
      });
      const msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_approve'));
      // dev has settled (its last message update comes before this thread line).
      await slack.waitForThread(msg, (l) => l.some((t) => /dev done/.test(t)));
      const updatesBefore = slack.issueMessage(title)!.updates;
      let since = fake.calls.length;
      await slack.click('U_REL', msg, 'issue_approve');
      assert.match(await slack.ephemeralFor('U_REL', since), /not an approver for staging/);
      since = fake.calls.length;
      await slack.click('U_DBA', msg, 'issue_approve');
      // Each refusal is told after the decision, and a refusal saves and updates nothing.
      assert.match(await slack.ephemeralFor('U_DBA', since), /you created this change/);
      const now = slack.issueMessage(title)!;
      assert.equal(now.updates, updatesBefore);
      assert.match(JSON.stringify(now.blocks), /approvals 0\/1/);
    });

    test('a member of an approver user group can approve', async () => {
      const title = 'Approved by a group member';
      await slack.submit('U_DEV', { title, target: 'app_pg', sql: 'CREATE TABLE group_demo (id int PRIMARY KEY);' });
      const msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_approve'));
      await slack.click('U_GROUPIE', msg, 'issue_approve');
      await slack.waitForMessage(title, (m) =>
        /approvals 1\/1 \(<@U_GROUPIE> revision 1, sha256 [0-9a-f]{8}…\)/.test(JSON.stringify(m.blocks)),
      );
    });

    test('a failing task does not block the task on the other database of the group', async () => {
      const title = 'Backfill shards';
      // shard1 already has a table t whose second column needs a value, so the INSERT fails there.
      await query(targets.shard1!, 'CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL)');
      await slack.submit('U_DEV', {
        title,
        target: 'shards',
        changeType: 'dml',
        sql: 'CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY);\nINSERT INTO t (id) VALUES (1);',
      });
      const msg = await slack.waitForMessage(title, (m) => /failed|done/.test(m.text ?? ''), 30_000);
      const thread = linesOf(
        await slack.waitForThread(msg, (l) => linesOf(l).filter((t) => /task (done|failed)/.test(t)).length >= 2),
      );
      assert.ok(
        thread.some((t) => /shard2 .*task done/.test(t)),
        thread.join('\n'),
      );
      assert.ok(
        thread.some((t) => /shard1 .*task failed.*name/.test(t)),
        thread.join('\n'),
      );
      const failed = await slack.waitForMessage(title, (m) => /Retry/.test(JSON.stringify(m.blocks)));
      assert.match(JSON.stringify(failed.blocks), /:x: failed/);

      // Fix the cause on shard1 and retry: only the failed task runs again; shard2 keeps one row.
      await query(targets.shard1!, "ALTER TABLE t ALTER COLUMN name SET DEFAULT 'n'");
      await slack.click('U_DEV', failed, 'issue_retry');
      await slack.waitForMessage(title, (m) => /— done/.test(m.text ?? ''));
      assert.deepEqual(await query(targets.shard1!, 'SELECT id FROM t'), [{ id: 1 }]);
      assert.deepEqual(await query(targets.shard2!, 'SELECT id FROM t'), [{ id: 1 }]);
    });

    test('a database that cannot be reached fails its task with a reason, and its password appears in no message and no log line', async () => {
      const title = 'Change on an unreachable database';
      await slack.submit('U_DEV', { title, target: 'unreachable', sql: 'CREATE TABLE x (id int PRIMARY KEY);' });
      const msg = await slack.waitForMessage(title, (m) => /failed/.test(m.text ?? ''), 30_000);
      const thread = await slack.waitForThread(msg, (l) => l.some((t) => /task failed/.test(t)));
      assert.ok(
        thread.some((t) => /127\.0\.0\.1:1/.test(t) && /databases\[\]\.url|config/.test(t)),
        thread.join('\n'),
      );
      assert.doesNotMatch(JSON.stringify(fake.calls), /supersecret-pw/);
      assert.doesNotMatch(bot.output(), /supersecret-pw/);
      assert.match(await slack.commandReply('U_DEV', 'sessions unreachable'), /failed|cannot|could not/i);
      assert.doesNotMatch(JSON.stringify(fake.calls), /supersecret-pw/);
    });

    test('help, list, status and an unknown subcommand answer the person who asked', async () => {
      const help = await slack.commandReply('U_DEV', 'help');
      for (const sub of ['status <issue>', 'list', 'history <db>', 'drift <db>', 'baseline <db>', 'sessions <db>'])
        assert.ok(help.includes(`/dbchange ${sub}`), help);
      assert.match(await slack.commandReply('U_DEV', 'list'), /Open changes|No open changes/);
      const status = await slack.commandReply('U_DEV', 'status 1');
      assert.match(status, /\*#1 /);
      assert.match(status, /\*dev\*: done/);
      assert.match(await slack.commandReply('U_DEV', 'status 9999'), /there is no issue #9999/);
      assert.match(await slack.commandReply('U_DEV', 'history nope'), /unknown database `nope`/);
      assert.match(await slack.commandReply('U_DEV', 'frobnicate'), /unknown subcommand `frobnicate`/);
    });

    test('a change submitted from another channel is posted in the changes channel, and its creator is told where', async () => {
      const title = 'Submitted from the team channel';
      const since = fake.calls.length;
      await slack.submit(
        'U_DEV',
        { title, target: 'app_pg', sql: 'CREATE TABLE elsewhere (id int PRIMARY KEY);' },
        { channel: 'C_TEAM' },
      );
      await slack.waitForIssue(title);
      const told = await fake.waitFor(
        'chat.postEphemeral',
        (c) => c.args.channel === 'C_TEAM' && c.args.user === 'U_DEV' && fake.calls.indexOf(c) >= since,
      );
      assert.match(String(told.args.text), /is in <#C_CHANGES>/);
    });

    test('a Slack retry of the same submission creates one issue, not two', async () => {
      const title = 'Retried submission';
      await slack.submit(
        'U_DEV',
        { title, target: 'app_pg', sql: 'CREATE TABLE retried (id int PRIMARY KEY);' },
        { retryNum: 1 },
      );
      await slack.waitForIssue(title);
      // The bot says when it has dropped the second delivery; only then can a second issue be ruled out.
      await waitForOutput(bot, /duplicate submission ignored/);
      const posts = fake
        .callsOf('chat.postMessage')
        .filter((c) => !c.args.thread_ts && String(c.args.text).includes(title));
      assert.equal(posts.length, 1);
    });

    test('an unknown database and empty SQL come back as errors inside the modal', async () => {
      const { res } = await slack.submit('U_DEV', { title: 'x', target: 'nope', sql: '   ' });
      assert.equal(res.status, 200);
      assert.equal(res.json?.response_action, 'errors');
      assert.match(res.json.errors.target, /Unknown database "nope"/);
      assert.match(res.json.errors.sql, /Enter the SQL/);
    });
  });
