// What reaches /slack/events is checked before the app sees it: odd bodies never end the
// process, timestamps must be within 5 minutes either way, and a script too big to read is
// answered in the modal with the limit, while a large script under the limit is saved.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { SIGNING_SECRET, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { CHANNEL, SlackDriver } from '../support/driver.js';
import { sendToBot, slashCommandBody } from '../support/slack-requests.js';

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
