// Stopping the bot (a deploy's SIGTERM) loses nothing Slack was told "ok" for: new requests are
// turned away for Slack to send again, the ones already acknowledged are carried out, and only
// then does the process exit, with 0.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { SIGNING_SECRET, startBotProcess, type BotProcess, waitForOutput } from '../support/bot-process.js';
import { CHANNEL, hasButton, SlackDriver } from '../support/driver.js';
import { sendToBot, signRequest, slashCommandBody } from '../support/slack-requests.js';

/** A signed request to /slack/events as HTTP/1.1 text, to write onto a socket by hand. */
function rawRequest(body: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    host: '127.0.0.1',
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
    ...signRequest(SIGNING_SECRET, body),
    ...headers,
  };
  const head = Object.entries(all).map(([k, v]) => `${k}: ${v}`);
  return `POST /slack/events HTTP/1.1\r\n${head.join('\r\n')}\r\n\r\n${body}`;
}

/** Everything the bot writes on `socket` until it has written `pattern`, or closed it. */
function readUntil(socket: Socket, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; got:\n${got}`)), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(got);
    };
    const onData = (d: Buffer) => {
      got += d.toString();
      if (pattern.test(got)) done();
    };
    socket.on('data', onData);
    socket.once('close', done);
  });
}

describe('stopping the bot', () => {
  let fake: FakeSlack;
  let store: FreshDatabase;
  let target: FreshDatabase;
  const bots: BotProcess[] = [];
  let config: string;

  const start = async () => {
    const bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
    bots.push(bot);
    return bot;
  };

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    fake.setUser('U_DEV', { name: 'dev' });
    // The approvers are a user group: the bot lists its members (once) before it handles a request.
    fake.setUserGroup('S_DBAS', ['U_DBA']);
    store = await freshPostgres('e2e_stop_store');
    target = await freshPostgres('e2e_stop_target');
    config = `channel: ${CHANNEL}
environments:
  - id: prod
    approvers: [S_DBAS]
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: app, environment: prod, engine: postgres, url: "${target.url}" }
`;
  });

  after(async () => {
    for (const bot of bots) await bot.kill('SIGKILL');
    await fake?.close();
    await target?.drop();
    await store?.drop();
  });

  test('an Approve click acknowledged just before SIGTERM is recorded and shown, and the bot exits 0', async () => {
    const title = 'Add an index before a deploy';
    const first = await start();
    const slack = new SlackDriver(fake, first.url);
    const { res } = await slack.submit('U_DEV', {
      title,
      target: 'app',
      sql: 'CREATE TABLE audit (id INT PRIMARY KEY);',
    });
    assert.equal(res.status, 200, res.body);
    await slack.waitForIssue(title);
    const msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_approve'));
    assert.deepEqual(await first.kill('SIGTERM'), { code: 0, signal: null });

    // A fresh process knows no group members yet: the click's handling waits for Slack, which holds the call.
    const bot = await start();
    slack.botUrl = bot.url;
    const listing = fake.hold('usergroups.users.list');
    await slack.click('U_DBA', msg, 'issue_approve');
    await listing.arrived;

    const exited = bot.kill('SIGTERM');
    await waitForOutput(bot, /stopping/);

    // A request arriving now is turned away (503, or no connection at all), so Slack sends it again later.
    const late = await sendToBot(
      bot.url,
      slashCommandBody({
        text: 'help',
        userId: 'U_DEV',
        channelId: CHANNEL,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
      { secret: SIGNING_SECRET },
    ).then(
      (r) => String(r.status),
      (err: NodeJS.ErrnoException) => err.code ?? String(err),
    );
    assert.match(late, /^(503|ECONNREFUSED|ECONNRESET)$/);
    assert.equal(
      fake.callsOf('chat.update').some((c) => /approvals 1\/1/.test(JSON.stringify(c.args.blocks))),
      false,
      'the approval was shown before Slack answered',
    );

    // Slack answers: the click is carried out before the process ends, with 0.
    listing.release();
    assert.deepEqual(await exited, { code: 0, signal: null }, bot.output().slice(-3000));
    await slack.waitForMessage(title, (m) => /approvals 1\/1 \(<@U_DBA>/.test(JSON.stringify(m.blocks)), 5_000);
    assert.doesNotMatch(bot.output(), /still being handled/);

    // The approval is in the store: a bot started again on it shows the issue as approved.
    const again = await start();
    slack.botUrl = again.url;
    const id = /#(\d+)/.exec(msg.text ?? '')?.[1];
    assert.ok(id, msg.text);
    assert.match(await slack.commandReply('U_DEV', `status ${id}`), /\*prod\*: [a-z_-]+, approved by <@U_DBA>/);
    assert.deepEqual(await again.kill('SIGTERM'), { code: 0, signal: null });
  });

  test('a request whose body is still arriving when SIGTERM comes is answered; the next one on its connection gets 503', async () => {
    const bot = await start();
    // A /dbchange list whose body is still on its way when the signal comes: the bot has seen its
    // headers (it said 100 Continue), so it was taken in before the stop and is answered.
    const responseUrl = fake.responseUrl({ channel: CHANNEL, user: 'U_DEV' });
    const list = rawRequest(
      slashCommandBody({
        text: 'list',
        userId: 'U_DEV',
        channelId: CHANNEL,
        triggerId: fake.issueTriggerId(),
        responseUrl,
      }),
      { expect: '100-continue' },
    );
    const socket = connect(bot.port, '127.0.0.1');
    const continued = readUntil(socket, /100 Continue\r\n\r\n/);
    socket.write(list.slice(0, -10));
    assert.match(await continued, /^HTTP\/1\.1 100 Continue/);

    const exited = bot.kill('SIGTERM');
    await waitForOutput(bot, /stopping/);
    // The rest of that body, and right behind it on the same connection a new request: the first
    // is answered 200, the new one 503, so that Slack sends it again later.
    const answers = readUntil(socket, /HTTP\/1\.1 503/);
    socket.write(
      list.slice(-10) +
        rawRequest(
          slashCommandBody({
            text: 'list',
            userId: 'U_DEV',
            channelId: CHANNEL,
            triggerId: fake.issueTriggerId(),
            responseUrl: fake.responseUrl(),
          }),
        ),
    );

    const written = await answers;
    assert.match(written, /^HTTP\/1\.1 200 OK\r\n[\s\S]*HTTP\/1\.1 503 Service Unavailable\r\n/, written);
    socket.destroy();
    const listed = await fake.waitFor('response_url', (c) => c.args.url === new URL(responseUrl).pathname, 5_000);
    assert.match(String(listed.args.text), /Add an index before a deploy/);
    assert.deepEqual(await exited, { code: 0, signal: null }, bot.output().slice(-3000));
  });
});
