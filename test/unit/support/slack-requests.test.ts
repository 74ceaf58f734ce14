// The request builders produce what Slack sends: Bolt's own verifier accepts the signatures,
// and a real Bolt app fed these requests routes them to its command, action and view handlers,
// which talk back to the fake Web API.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import {
  blockActionsBody,
  sendToBot,
  signRequest,
  slashCommandBody,
  viewSubmissionBody,
} from '../../support/slack-requests.js';

const SECRET = 'test-signing-secret';

function payloadOf(body: string): any {
  assert.match(body, /^payload=/);
  return JSON.parse(new URLSearchParams(body).get('payload')!);
}

test('signatures match the worked example in Slack request-verification docs', () => {
  const body =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
    '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
    '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  assert.deepEqual(signRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618), {
    'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    'x-slack-request-timestamp': '1531420618',
  });
});

test('signatures verify with Bolt verifySlackRequest, and not with another secret or body', () => {
  const body = 'token=x&text=hello%20world';
  const headers = signRequest(SECRET, body, 1_700_000_000);
  const verify = (secret: string, b: string) =>
    verifySlackRequest({
      signingSecret: secret,
      body: b,
      headers: { 'x-slack-signature': headers['x-slack-signature'], 'x-slack-request-timestamp': 1_700_000_000 },
      nowMilliseconds: 1_700_000_010_000,
    });
  assert.doesNotThrow(() => verify(SECRET, body));
  assert.throws(() => verify('another-secret', body));
  assert.throws(() => verify(SECRET, `${body}&x=1`));
});

test('a slash command body carries every field Slack sends, in Slack order', () => {
  const body = slashCommandBody({
    text: 'status 12',
    userId: 'U0ALICE',
    channelId: 'C0DB',
    triggerId: '1.2.abc',
    responseUrl: 'http://127.0.0.1:1/commands/x',
  });
  const form = new URLSearchParams(body);
  assert.deepEqual(
    [...form.keys()],
    [
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ],
  );
  assert.equal(form.get('command'), '/dbchange');
  assert.equal(form.get('text'), 'status 12');
  assert.equal(form.get('user_id'), 'U0ALICE');
  assert.equal(form.get('channel_id'), 'C0DB');
  assert.equal(form.get('trigger_id'), '1.2.abc');
  assert.equal(form.get('response_url'), 'http://127.0.0.1:1/commands/x');
});

test('a block_actions payload from a message echoes the clicked button from the message blocks', () => {
  const message = {
    channel: 'C0DB',
    ts: '1700000000.000100',
    text: 'Change #12',
    user: 'U0BOT',
    bot_id: 'B0BOT',
    blocks: [
      {
        type: 'actions',
        block_id: 'issue-12',
        elements: [
          {
            type: 'button',
            action_id: 'approve',
            text: { type: 'plain_text', text: 'Approve' },
            value: '12',
            style: 'primary',
          },
        ],
      },
    ],
  };
  const p = payloadOf(
    blockActionsBody({
      userId: 'U0BOB',
      actionId: 'approve',
      message,
      triggerId: '1.2.t',
      responseUrl: 'http://r',
      nowMs: 1_700_000_001_000,
    }),
  );
  assert.equal(p.type, 'block_actions');
  assert.deepEqual(p.user, { id: 'U0BOB', username: 'u0bob', name: 'u0bob', team_id: 'T0FAKETEAM' });
  assert.deepEqual(p.container, {
    type: 'message',
    message_ts: '1700000000.000100',
    channel_id: 'C0DB',
    is_ephemeral: false,
  });
  assert.deepEqual(p.channel, { id: 'C0DB', name: 'channel-c0db' });
  assert.equal(p.message.ts, '1700000000.000100');
  assert.deepEqual(p.message.blocks, message.blocks);
  assert.equal(p.trigger_id, '1.2.t');
  assert.equal(p.response_url, 'http://r');
  assert.equal(typeof p.api_app_id, 'string');
  assert.equal(typeof p.token, 'string');
  assert.deepEqual(p.team, { id: 'T0FAKETEAM', domain: 'fake-workspace' });
  assert.deepEqual(p.actions, [
    {
      type: 'button',
      action_id: 'approve',
      block_id: 'issue-12',
      action_ts: '1700000001.000000',
      text: { type: 'plain_text', text: 'Approve' },
      value: '12',
      style: 'primary',
    },
  ]);
});

test('a datetimepicker action inside a modal carries selected_date_time and a view container', () => {
  const view = {
    id: 'V0SCHED',
    callback_id: 'schedule',
    state: { values: {} },
    blocks: [{ type: 'actions', block_id: 'when', elements: [{ type: 'datetimepicker', action_id: 'at' }] }],
  };
  const p = payloadOf(
    blockActionsBody({ userId: 'U0BOB', actionId: 'at', view, triggerId: 't', selectedDateTime: 1_800_000_000 }),
  );
  assert.deepEqual(p.container, { type: 'view', view_id: 'V0SCHED' });
  assert.equal(p.view.id, 'V0SCHED');
  assert.equal(p.channel, undefined);
  assert.deepEqual(p.actions[0], {
    type: 'datetimepicker',
    action_id: 'at',
    block_id: 'when',
    action_ts: p.actions[0].action_ts,
    selected_date_time: 1_800_000_000,
  });
});

test('a view_submission payload shapes state values as Slack does', () => {
  const p = payloadOf(
    viewSubmissionBody({
      userId: 'U0ALICE',
      callbackId: 'new_change',
      privateMetadata: '{"channel":"C0DB"}',
      viewId: 'V0NEW',
      values: {
        sql: { sql: 'ALTER TABLE t ADD c int' },
        when: { at: 1_800_000_000 },
        db: {
          db: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'app' }, value: 'app' } },
        },
      },
    }),
  );
  assert.equal(p.type, 'view_submission');
  assert.deepEqual(p.user, { id: 'U0ALICE', username: 'u0alice', name: 'u0alice', team_id: 'T0FAKETEAM' });
  assert.equal(p.view.id, 'V0NEW');
  assert.equal(p.view.callback_id, 'new_change');
  assert.equal(p.view.private_metadata, '{"channel":"C0DB"}');
  assert.equal(typeof p.view.hash, 'string');
  assert.deepEqual(p.view.state.values, {
    sql: { sql: { type: 'plain_text_input', value: 'ALTER TABLE t ADD c int' } },
    when: { at: { type: 'datetimepicker', selected_date_time: 1_800_000_000 } },
    db: { db: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'app' }, value: 'app' } } },
  });
});

describe('a real Bolt app driven through the wire formats', () => {
  let fake: FakeSlack;
  let app: App;
  let botUrl: string;
  const retries: (number | undefined)[] = [];

  before(async () => {
    fake = await startFakeSlack();
    app = new App({
      token: fake.token,
      signingSecret: SECRET,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
      logLevel: LogLevel.ERROR,
    });
    app.use(async ({ context, next }) => {
      retries.push(context.retryNum);
      await next();
    });
    app.command('/dbchange', async ({ ack, command, client }) => {
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'new_change',
          private_metadata: JSON.stringify({ channel: command.channel_id }),
          title: { type: 'plain_text', text: 'New change' },
          submit: { type: 'plain_text', text: 'Submit' },
          blocks: [
            {
              type: 'input',
              block_id: 'sql',
              label: { type: 'plain_text', text: 'SQL' },
              element: { type: 'plain_text_input', action_id: 'sql', multiline: true },
            },
          ],
        },
      });
    });
    app.view('new_change', async ({ ack, view, client }) => {
      await ack();
      const { channel } = JSON.parse(view.private_metadata) as { channel: string };
      await client.chat.postMessage({
        channel,
        text: 'new change',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `\`${view.state.values.sql!.sql!.value}\`` } },
          {
            type: 'actions',
            block_id: 'decide',
            elements: [
              { type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, value: '1' },
            ],
          },
        ],
      });
    });
    app.action('approve', async ({ ack, body, client }) => {
      await ack();
      if (body.type !== 'block_actions' || !body.channel || !body.message) throw new Error('expected a message action');
      await client.chat.update({
        channel: body.channel.id,
        ts: body.message.ts,
        text: `approved by <@${body.user.id}>`,
      });
    });
    const server = (await app.start(0)) as Server;
    botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  after(async () => {
    await app.stop();
    await fake.close();
  });

  test('slash command, modal submission and button click reach the handlers and the fake', async () => {
    const command = await sendToBot(
      botUrl,
      slashCommandBody({
        text: '',
        userId: 'U0ALICE',
        channelId: 'C0DB',
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl({ channel: 'C0DB', user: 'U0ALICE' }),
      }),
      { secret: SECRET },
    );
    assert.equal(command.status, 200);
    const opened = await fake.waitFor('views.open');
    assert.equal(opened.response.ok, true, JSON.stringify(opened.response));

    const submitted = await sendToBot(
      botUrl,
      viewSubmissionBody({ userId: 'U0ALICE', view: opened.response.view, values: { sql: { sql: 'SELECT 1' } } }),
      { secret: SECRET },
    );
    assert.equal(submitted.status, 200);
    const posted = await fake.waitFor('chat.postMessage');
    assert.equal(posted.response.ok, true, JSON.stringify(posted.response));
    const [message] = fake.messages('C0DB');
    assert.ok(message);

    const clicked = await sendToBot(
      botUrl,
      blockActionsBody({
        userId: 'U0BOB',
        actionId: 'approve',
        message,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl({ channel: 'C0DB', messageTs: message.ts, user: 'U0BOB' }),
      }),
      { secret: SECRET },
    );
    assert.equal(clicked.status, 200);
    const updated = await fake.waitFor('chat.update');
    assert.equal(updated.response.ok, true, JSON.stringify(updated.response));
    assert.equal(fake.messages('C0DB')[0]?.text, 'approved by <@U0BOB>');
  });

  test('a forged signature and a stale timestamp are refused with 401', async () => {
    const body = slashCommandBody({
      text: 'list',
      userId: 'U0EVE',
      channelId: 'C0DB',
      triggerId: 't',
      responseUrl: 'http://x',
    });
    const forged = await sendToBot(botUrl, body, { secret: SECRET, signature: `v0=${'0'.repeat(64)}` });
    assert.equal(forged.status, 401);
    const stale = await sendToBot(botUrl, body, {
      secret: SECRET,
      timestampSec: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    assert.equal(stale.status, 401);
    const wrongSecret = await sendToBot(botUrl, body, { secret: 'not-the-secret' });
    assert.equal(wrongSecret.status, 401);
  });

  test('retry headers reach Bolt as context.retryNum', async () => {
    retries.length = 0;
    const body = slashCommandBody({
      text: 'list',
      userId: 'U0ALICE',
      channelId: 'C0DB',
      triggerId: fake.issueTriggerId(),
      responseUrl: fake.responseUrl(),
    });
    const res = await sendToBot(botUrl, body, { secret: SECRET, retryNum: 1, retryReason: 'http_timeout' });
    assert.equal(res.status, 200);
    assert.deepEqual(retries, [1]);
    // the handler's views.open runs after the ack; let it finish before the fake closes
    await fake.waitFor('views.open', (c) => c.args.trigger_id === new URLSearchParams(body).get('trigger_id'));
  });
});
