// What reaches /slack/events is checked before the app sees it: odd bodies never end the
// process, timestamps must be within 5 minutes either way, and a script too big to read is
// answered in the modal with the limit, while a large script under the limit is saved. A click or
// a command whose ack says nothing is acknowledged as soon as it is verified, before the bot does
// anything with it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { SIGNING_SECRET, startBotProcess, type BotProcess, waitForOutput } from '../support/bot-process.js';
import { CHANNEL, SlackDriver } from '../support/driver.js';
import { blockActionsBody, sendToBot, slashCommandBody } from '../support/slack-requests.js';

describe('the Slack request guard', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let slack: SlackDriver;
  let target: FreshDatabase;

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    fake.setUser('U_DEV', { name: 'dev' });
    target = await freshPostgres('e2e_guard');
    const config = `channel: ${CHANNEL}
environments:
  - id: prod
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: app, environment: prod, engine: postgres, url: "${target.url}" }
`;
    bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token });
    slack = new SlackDriver(fake, bot.url);
  });

  after(async () => {
    await bot?.kill('SIGTERM');
    await fake?.close();
    await target?.drop();
  });

  test('signed bodies that are not an object (payload=null, a list, a number, JSON null) get 400 and the bot keeps answering', async () => {
    const odd: Array<{ body: string; contentType?: string }> = [
      { body: 'payload=null' },
      { body: 'payload=%5B%5D' },
      { body: 'payload=1' },
      { body: 'payload=%7Bnot json' },
      { body: 'null', contentType: 'application/json' },
    ];
    for (const { body, contentType } of odd) {
      const res = await sendToBot(bot.url, body, { secret: SIGNING_SECRET, ...(contentType ? { contentType } : {}) });
      assert.equal(res.status, 400, `${body}: ${res.status}`);
    }
    assert.match(await slack.commandReply('U_DEV', 'help'), /\/dbchange list/);
    assert.doesNotMatch(bot.output(), /TypeError/);
  });

  test('a request timestamped more than 5 minutes in the future or the past is refused; 4 minutes off is accepted', async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    const body = () =>
      slashCommandBody({
        text: 'help',
        userId: 'U_DEV',
        channelId: CHANNEL,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      });
    for (const offset of [6 * 60, -6 * 60]) {
      const res = await sendToBot(bot.url, body(), { secret: SIGNING_SECRET, timestampSec: nowSec + offset });
      assert.equal(res.status, 401, `offset ${offset} s`);
    }
    for (const offset of [4 * 60, -4 * 60]) {
      const res = await sendToBot(bot.url, body(), { secret: SIGNING_SECRET, timestampSec: nowSec + offset });
      assert.equal(res.status, 200, `offset ${offset} s`);
    }
  });

  for (const { size, lines, expected } of [
    { size: '1.2 MB', lines: 110_000, expected: /larger than 1 MB/ },
    { size: '2.7 MB (a 5 MB request)', lines: 250_000, expected: /larger than 1 MB/ },
    { size: '11 MB (more than the bot reads)', lines: 1_000_000, expected: /more than the bot reads .*at most 1 MB/ },
  ])
    test(`a ${size} script gets a field error naming the limit, and nothing is posted`, async () => {
      const since = fake.calls.length;
      const sql = `${'-- padding\n'.repeat(lines)}SELECT 1;`;
      const { res } = await slack.submit('U_DEV', { title: 'Too big', target: 'app', changeType: 'dml', sql });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json?.response_action, 'errors', res.body);
      assert.match(res.json.errors.sql, expected);
      assert.equal(fake.calls.slice(since).filter((c) => c.method === 'chat.postMessage').length, 0);
    });

  test('a 900 KB script is saved on the embedded store and shown in the issue', async () => {
    const line = "INSERT INTO audit (id, note) VALUES (1, 'a note about a row, long enough to fill a line');\n";
    const sql = line.repeat(Math.ceil(900_000 / line.length));
    const title = 'A very large data fix';
    const { res } = await slack.submit('U_DEV', { title, target: 'app', changeType: 'dml', sql });
    assert.equal(res.status, 200, res.body);
    assert.notEqual(res.json?.response_action, 'errors', res.body);
    const posted = await slack.waitForIssue(title, 60_000);
    assert.match(JSON.stringify(posted.blocks), /INSERT INTO audit/);
    assert.match(await slack.commandReply('U_DEV', 'list'), /A very large data fix/);
  });
});

describe('acknowledging on arrival', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let target: FreshDatabase;

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    fake.setUser('U_DEV', { name: 'dev' });
    // A user group among the approvers: the bot asks Slack for its members before it handles a request.
    fake.setUserGroup('S_DBAS', ['U_DBA']);
    store = await freshPostgres('e2e_ack_store');
    target = await freshPostgres('e2e_ack_target');
    const config = `channel: ${CHANNEL}
environments:
  - id: prod
    approvers: [S_DBAS]
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: app, environment: prod, engine: postgres, url: "${target.url}" }
`;
    bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
  });

  after(async () => {
    await bot?.kill('SIGTERM');
    await fake?.close();
    await target?.drop();
    await store?.drop();
  });

  const command = (text: string) =>
    slashCommandBody({
      text,
      userId: 'U_DEV',
      channelId: CHANNEL,
      triggerId: fake.issueTriggerId(),
      responseUrl: fake.responseUrl(),
    });

  test('/dbchange is acknowledged while the bot is still waiting for Slack, and the modal opens once Slack answers', async () => {
    // The first request makes the bot list the group's members; that call is held at Slack.
    const listing = fake.hold('usergroups.users.list');
    const res = await sendToBot(bot.url, command(''), { secret: SIGNING_SECRET });
    assert.equal(res.status, 200);
    assert.equal(res.body, '');
    await listing.arrived;
    assert.equal(fake.callsOf('views.open').length, 0, 'the modal opened before the group was listed');
    listing.release();
    const opened = await fake.waitFor('views.open');
    assert.equal(opened.status, 200);
    assert.equal(opened.response.ok, true, JSON.stringify(opened.response));
  });

  test('help is still answered in the ack itself', async () => {
    const res = await sendToBot(bot.url, command('help'), { secret: SIGNING_SECRET });
    assert.equal(res.status, 200);
    assert.match(res.json?.text ?? '', /\/dbchange list/);
  });

  test('a forged or stale click is refused with 401 before any ack, and changes nothing', async () => {
    const since = fake.calls.length;
    const click = () =>
      blockActionsBody({
        userId: 'U_DBA',
        actionId: 'issue_approve',
        value: '1:1',
        channelId: CHANNEL,
        messageTs: '1700000000.000100',
        triggerId: fake.issueTriggerId(),
      });
    const forged = await sendToBot(bot.url, click(), { secret: 'not-the-secret' });
    assert.equal(forged.status, 401);
    const stale = await sendToBot(bot.url, click(), {
      secret: SIGNING_SECRET,
      timestampSec: Math.floor(Date.now() / 1000) - 600,
    });
    assert.equal(stale.status, 401);
    // A signed click on a button the bot has no handler for: acknowledged, and the log says it was
    // ignored. Once that line is there, the refused clicks would have shown had they done anything.
    const unknown = blockActionsBody({
      userId: 'U_DBA',
      actionId: 'no_such_button',
      channelId: CHANNEL,
      messageTs: '1700000000.000100',
      triggerId: fake.issueTriggerId(),
    });
    const res = await sendToBot(bot.url, unknown, { secret: SIGNING_SECRET });
    assert.equal(res.status, 200);
    await waitForOutput(bot, /no handler for this Slack request.*|"action":"no_such_button".*no handler/);
    assert.match(bot.output(), /no_such_button/);
    assert.deepEqual(
      fake.calls.slice(since).map((c) => c.method),
      [],
    );
  });
});
