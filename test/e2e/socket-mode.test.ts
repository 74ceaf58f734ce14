// Socket Mode (SLACK_APP_TOKEN set): the bot opens a WebSocket with apps.connections.open and
// takes every request as an envelope it acknowledges over the socket. The same change workflow
// as over HTTP, driven the way Slack drives it there, and a stop that loses nothing acknowledged.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, type BotProcess, waitForOutput } from '../support/bot-process.js';
import { CHANNEL, hasButton, SlackDriver } from '../support/driver.js';
import { tableExists } from '../support/sql.js';

describe('Socket Mode', () => {
  let fake: FakeSlack;
  let dev: FreshDatabase;
  let prod: FreshDatabase;
  let store: FreshDatabase;
  let config: string;
  const bots: BotProcess[] = [];

  const start = async () => {
    const connections = fake.socket.connections;
    const bot = await startBotProcess({
      config,
      slackApiUrl: fake.url,
      botToken: fake.token,
      storeUrl: store.url,
      env: { SLACK_APP_TOKEN: fake.socket.appToken },
    });
    bots.push(bot);
    await fake.socket.connected({ after: connections });
    return bot;
  };

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    for (const u of ['U_DEV', 'U_DBA', 'U_DBA2', 'U_REL', 'U_OUT']) fake.setUser(u, { tz: 'Europe/Berlin' });
    // Approvers may be a user group: a bot process reads its members from Slack before deciding.
    fake.setUserGroup('S_DBAS', ['U_DBA2']);
    dev = await freshPostgres('e2e_sock_dev');
    prod = await freshPostgres('e2e_sock_prod');
    store = await freshPostgres('e2e_sock_store');
    config = `channel: ${CHANNEL}
environments:
  - id: dev
    rollout: automatic
  - id: prod
    approvers: [U_DBA, S_DBAS]
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: app, environment: dev, engine: postgres, url: "${dev.url}" }
  - { name: app, environment: prod, engine: postgres, url: "${prod.url}" }
`;
  });

  after(async () => {
    for (const bot of bots) await bot.kill('SIGKILL');
    await fake?.close();
    for (const db of [dev, prod, store]) await db?.drop();
  });

  test('a change goes dev → prod with every request over the socket, refusals and modal errors included', async () => {
    const bot = await start();
    assert.match(bot.output(), /"mode":"socket"|mode.*socket/);
    const opened = fake.callsOf('apps.connections.open');
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.response.ok, true, JSON.stringify(opened[0]!.response));
    const slack = new SlackDriver(fake, bot.url, 'socket');

    // A subcommand's reply is the ack's payload.
    assert.match(await slack.commandReply('U_DEV', 'help'), /history/);

    // A modal error comes back in the submission's ack, and nothing is created.
    const posts = fake.callsOf('chat.postMessage').length;
    const bad = await slack.submit('U_DEV', { title: 'No SQL', target: 'app', sql: '' });
    assert.equal(bad.res.json?.response_action, 'errors', bad.res.body);
    assert.equal(fake.callsOf('chat.postMessage').length, posts);

    const title = 'Create invoices over the socket';
    const sql = 'CREATE TABLE invoices (id INT PRIMARY KEY, total INT NOT NULL DEFAULT 0);';
    const { res } = await slack.submit('U_DEV', { title, target: 'app', sql });
    assert.equal(res.status, 200);
    assert.equal(res.json, undefined, res.body);
    await slack.waitForIssue(title);
    let msg = await slack.waitForMessage(
      title,
      (m) => /:white_check_mark: \*dev\*/.test(JSON.stringify(m.blocks)) && hasButton(m, 'issue_approve'),
      30_000,
    );
    assert.equal(await tableExists(dev, 'invoices'), true);

    // Someone who is not an approver is told so, to them alone, and nothing changes.
    const since = fake.calls.length;
    await slack.click('U_OUT', msg, 'issue_approve');
    assert.match(await slack.ephemeralFor('U_OUT', since), /not an approver for prod/);

    await slack.click('U_DBA', msg, 'issue_approve');
    msg = await slack.waitForMessage(title, (m) => /approvals 1\/1/.test(JSON.stringify(m.blocks)));
    await slack.click('U_REL', msg, 'issue_rollout');
    msg = await slack.waitForMessage(title, (m) => /— done/.test(m.text ?? ''), 30_000);
    assert.equal(await tableExists(prod, 'invoices'), true);
    const thread = await slack.waitForThread(msg, (l) => l.some((t) => /prod done/.test(t)));
    assert.ok(
      thread.some((t) => /<@U_REL> started the rollout to prod/.test(t)),
      thread.join('\n'),
    );
    assert.deepEqual(await bot.kill('SIGTERM'), { code: 0, signal: null });
  });

  test('an Approve click taken in just before SIGTERM is carried out before the process exits 0', async () => {
    const first = await start();
    const slack = new SlackDriver(fake, first.url, 'socket');
    const title = 'Add a column before a deploy';
    await slack.submit('U_DEV', { title, target: 'app', sql: 'CREATE TABLE refunds (id INT PRIMARY KEY);' });
    await slack.waitForIssue(title);
    const msg = await slack.waitForMessage(
      title,
      (m) => /:white_check_mark: \*dev\*/.test(JSON.stringify(m.blocks)) && hasButton(m, 'issue_approve'),
      30_000,
    );

    // The click's update of the issue message waits for Slack; meanwhile the bot is told to stop.
    const update = fake.hold('chat.update', (args) => /approvals 1\/1/.test(JSON.stringify(args.blocks)));
    await slack.click('U_DBA', msg, 'issue_approve');
    await update.arrived;
    const exited = first.kill('SIGTERM');
    await waitForOutput(first, /stopping/);
    const shown = () => /approvals 1\/1 \(<@U_DBA>/.test(JSON.stringify(slack.issueMessage(title)?.blocks));
    assert.equal(shown(), false, 'the approval was shown before Slack answered');

    // Slack answers: the rest of the click's work (the message update) is done before the process ends.
    update.release();
    assert.deepEqual(await exited, { code: 0, signal: null }, first.output().slice(-3000));
    assert.equal(shown(), true, JSON.stringify(slack.issueMessage(title)?.blocks).slice(0, 1500));
    // And what it told the thread went out before the bot did.
    assert.ok(
      slack.thread(msg).some((t) => /approved revision/.test(t)),
      slack.thread(msg).join('\n'),
    );
    assert.doesNotMatch(first.output(), /still being handled/);

    // The approval was recorded: a bot started again on the store shows it.
    const again = await start();
    const id = /#(\d+)/.exec(msg.text ?? '')?.[1];
    const status = await new SlackDriver(fake, again.url, 'socket').commandReply('U_DEV', `status ${id}`);
    assert.match(status, /U_DBA/, status);
    assert.deepEqual(await again.kill('SIGTERM'), { code: 0, signal: null });
  });

  test('a click is acknowledged as it arrives, while the bot still reads a user group from Slack', async () => {
    const first = await start();
    const title = 'Index the refunds';
    await new SlackDriver(fake, first.url, 'socket').submit('U_DEV', {
      title,
      target: 'app',
      sql: 'CREATE TABLE refund_notes (id INT PRIMARY KEY);',
    });
    const slack = new SlackDriver(fake, first.url, 'socket');
    await slack.waitForIssue(title);
    const msg = await slack.waitForMessage(
      title,
      (m) => /:white_check_mark: \*dev\*/.test(JSON.stringify(m.blocks)) && hasButton(m, 'issue_approve'),
      30_000,
    );
    assert.deepEqual(await first.kill('SIGTERM'), { code: 0, signal: null });

    // A fresh process knows no group members yet; Slack is slow to list them. The click's ack comes anyway.
    const second = await start();
    const listing = fake.hold('usergroups.users.list');
    const { res } = await slack.click('U_DBA2', msg, 'issue_approve');
    assert.equal(res.status, 200);
    assert.ok(res.ms < 1000, `the ack took ${res.ms} ms`);
    await listing.arrived;
    listing.release();
    await slack.waitForMessage(title, (m) => /approvals 1\/1 \(<@U_DBA2>/.test(JSON.stringify(m.blocks)), 15_000);
    assert.deepEqual(await second.kill('SIGTERM'), { code: 0, signal: null });
  });
});
