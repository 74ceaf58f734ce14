// Declarative changes, drift, baseline and rollback, driven through Slack's wire format on both engines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsOf, query } from '../support/sql.js';
import { freshDatabase, freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { outputCount, startBotProcess, type BotProcess, waitForOutput } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton } from '../support/driver.js';
import type { Engine } from '../../src/domain/engine.js';

const exec = (db: FreshDatabase, sql: string) => query(db, sql);

for (const engine of ['postgres', 'mysql'] as Engine[]) {
  describe(`schema workflows on ${engine}`, () => {
    let fake: FakeSlack;
    let bot: BotProcess;
    let store: FreshDatabase;
    let dev: FreshDatabase;
    let slack: SlackDriver;

    before(async () => {
      fake = await startFakeSlack();
      fake.setChannel(CHANNEL, { name: 'db-changes' });
      fake.setUser('U_DEV', { tz: 'UTC' });
      fake.setUser('U_DBA', { tz: 'UTC' });
      store = await freshPostgres('schema_store');
      dev = await freshDatabase(engine, 'schema_dev');
      await exec(dev, 'CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NOT NULL)');
      const config = `channel: ${CHANNEL}
environments:
  - id: dev
    approvers: [U_DBA]
    releasers: [U_DBA]
    rollout: automatic
databases:
  - { name: app, environment: dev, engine: ${engine}, url: "${dev.url}" }
schema:
  driftInterval: 2 seconds
`;
      bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
      slack = new SlackDriver(fake, bot.url);
    });

    after(async () => {
      await bot?.kill('SIGTERM');
      await fake?.close();
      await dev?.drop();
      await store?.drop();
    });

    test('a desired schema equal to the live one opens no issue and says so', async () => {
      const since = fake.calls.length;
      await slack.submit('U_DEV', {
        title: 'Nothing to do',
        target: 'app',
        changeType: 'sdl',
        sql: 'CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NOT NULL);',
      });
      assert.match(await slack.ephemeralFor('U_DEV', since, 20_000), /already has; no issue was opened/);
      assert.equal(slack.issueMessage('Nothing to do'), undefined);
    });

    test('a desired schema opens an issue with only the difference, and applying it reaches the desired state', async () => {
      const title = 'Add a name column declaratively';
      await slack.submit('U_DEV', {
        title,
        target: 'app',
        changeType: 'sdl',
        sql: 'CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NOT NULL, name varchar(100));',
      });
      let msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_view_generated_ddl'), 20_000);
      const blocks = JSON.stringify(msg.blocks);
      assert.match(blocks, /Schema change/);
      assert.match(blocks, /\+ .*name/);
      await slack.click('U_DBA', msg, 'issue_approve');
      msg = await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), 30_000);
      assert.deepEqual(await columnsOf(dev, 'users'), ['id', 'email', 'name']);
      const thread = slack.thread(msg);
      assert.ok(
        thread.some((t) => /generated DDL/.test(t) && /name/.test(t)),
        thread.join('\n'),
      );

      // Rollback: a new issue with the DDL back to the schema before.
      assert.ok(hasButton(msg, 'issue_rollback'));
      await slack.click('U_DEV', msg, 'issue_rollback');
      const rollback = await slack.waitForIssue(`Rollback of #`, 20_000);
      assert.match(JSON.stringify(rollback.blocks), /DROP COLUMN/i);
    });

    test('the periodic check posts a drift once, and its Baseline button records the live schema', async () => {
      await exec(dev, 'CREATE TABLE drifted (id int PRIMARY KEY)');
      const post = await fake.waitFor(
        'chat.postMessage',
        (c) => c.response.ok && /Schema drift on app \(dev\)/.test(String(c.args.text)),
        20_000,
      );
      const report = fake.messages(CHANNEL).find((m) => m.ts === post.response.ts)!;
      assert.match(JSON.stringify(report.blocks), /\+ .*drifted/);
      // The same drift is not posted again at the next checks: wait for two more checks to end.
      const checks = outputCount(bot, /drift check done/);
      await waitForOutput(bot, /drift check done/, checks + 2);
      assert.equal(
        fake.callsOf('chat.postMessage').filter((c) => /Schema drift on app/.test(String(c.args.text))).length,
        1,
      );
      const since = fake.calls.length;
      await slack.click('U_DEV', report, 'drift_baseline');
      assert.match(await slack.ephemeralFor('U_DEV', since), /only approvers or releasers of dev/);
      await slack.click('U_DBA', report, 'drift_baseline');
      await fake.waitFor(
        'chat.postMessage',
        (c) => c.args.thread_ts === report.ts && /recorded the live schema/.test(String(c.args.text)),
        20_000,
      );
      assert.match(await slack.commandReply('U_DEV', 'drift app'), /no drift/);
    });

    test('a change made outside dbchange shows in /dbchange drift, and /dbchange baseline records it', async () => {
      await exec(dev, 'CREATE TABLE sneaky (id int PRIMARY KEY)');
      // Someone with no role in dev learns that it drifted, not the schema text.
      const told = await slack.commandReply('U_DEV', 'drift app');
      assert.match(told, /has drifted .*changed line.*shown to approvers, releasers and admins of dev/);
      assert.doesNotMatch(told, /sneaky/);
      const drift = await slack.commandReply('U_DBA', 'drift app');
      assert.match(drift, /has drifted/);
      assert.match(drift, /\+ .*sneaky/);
      assert.match(
        await slack.commandReply('U_DEV', 'baseline app'),
        /only approvers or releasers of dev, or admins, can record a baseline/,
      );
      const baseline = await slack.commandReply('U_DBA', 'baseline app');
      assert.match(baseline, /recorded the live schema/);
      assert.match(await slack.commandReply('U_DEV', 'drift app'), /no drift/);
      assert.match(await slack.commandReply('U_DEV', 'history app'), /BASELINE/);
    });

    test('a desired schema that adds a column, an index and a foreign key passes review and rolls out without "roll out anyway"', async () => {
      // The live schema is what the tests above left: users (with name), drifted and sneaky.
      await exec(dev, "INSERT INTO users (id, email) VALUES (1, 'a@example.com')");
      const title = 'Teams for users, declaratively';
      await slack.submit('U_DEV', {
        title,
        target: 'app',
        changeType: 'sdl',
        sql: `CREATE TABLE teams (id int PRIMARY KEY, title varchar(100) NOT NULL);
CREATE TABLE users (
  id int PRIMARY KEY,
  email varchar(200) NOT NULL,
  name varchar(100),
  team_id int,
  CONSTRAINT users_team FOREIGN KEY (team_id) REFERENCES teams (id)
);
CREATE INDEX users_team_id ON users (team_id);
CREATE TABLE drifted (id int PRIMARY KEY);
CREATE TABLE sneaky (id int PRIMARY KEY);`,
      });
      let msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_view_generated_ddl'), 20_000);
      assert.match(JSON.stringify(msg.blocks), /Review passed/);
      assert.ok(!hasButton(msg, 'issue_rollout_anyway'));
      await slack.click('U_DBA', msg, 'issue_approve');
      msg = await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), 30_000);
      assert.deepEqual(await columnsOf(dev, 'users'), ['id', 'email', 'name', 'team_id']);
      assert.deepEqual(await columnsOf(dev, 'teams'), ['id', 'title']);
    });
  });
}
