// The fake Slack Web API, driven by Slack's own Node SDK (the client Bolt uses), so what the
// fake accepts and refuses is what the bot will see.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { webApi } from '@slack/bolt';
import WebSocket from 'ws';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });
const modal = { type: 'modal' as const, title: plain('New change'), blocks: [section('pick a database')] };

function clientFor(fake: FakeSlack, token = fake.token): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
  });
}

/** Runs a call that Slack refuses and returns the error code and response metadata the SDK saw. */
async function refused(p: Promise<unknown>): Promise<{ error: string; messages?: string[] }> {
  try {
    await p;
  } catch (e: any) {
    return { error: e.data?.error, messages: e.data?.response_metadata?.messages };
  }
  assert.fail('expected the fake to refuse the call');
}

describe('fake Slack Web API', () => {
  let fake: FakeSlack;
  let slack: webApi.WebClient;
  let clock = Date.now();

  before(async () => {
    fake = await startFakeSlack({ now: () => clock });
    slack = clientFor(fake);
  });
  after(() => fake.close());

  test('auth.test answers with the bot identity Bolt reads at start', async () => {
    const r = await slack.auth.test();
    assert.equal(r.user_id, fake.botUserId);
    assert.equal(r.bot_id, fake.botId);
    assert.equal(r.team_id, fake.teamId);
  });

  test('a wrong token is invalid_auth, no token is not_authed, and both are recorded', async () => {
    assert.equal((await refused(clientFor(fake, 'xoxb-wrong').auth.test())).error, 'invalid_auth');
    const res = await fetch(`${fake.url}auth.test`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: false, error: 'not_authed' });
    assert.ok(fake.callsOf('auth.test').some((c) => c.response.error === 'not_authed'));
  });

  test('Socket Mode: apps.connections.open takes the app-level token only, and its URL once', async () => {
    assert.deepEqual(await refused(slack.apps.connections.open({})), {
      error: 'not_allowed_token_type',
      messages: undefined,
    });
    const opened = await clientFor(fake, fake.socket.appToken).apps.connections.open({});
    assert.equal(opened.ok, true);
    const url = String(opened.url);
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);
    const hello = await new Promise<string>((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('message', (data) => {
        resolve(String(data));
        socket.close();
      });
      socket.once('error', reject);
    });
    assert.equal(JSON.parse(hello).type, 'hello');
    // The ticket was used: a second connection with it is refused.
    const again = await new Promise<string>((resolve) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve('open'));
      socket.once('error', () => resolve('refused'));
    });
    assert.equal(again, 'refused');
  });

  test('an unknown method is unknown_method', async () => {
    assert.equal((await refused(slack.apiCall('chat.frobnicate', { channel: 'C1' }))).error, 'unknown_method');
  });

  test('chat.postMessage stores the message with strictly increasing ts and echoes it', async () => {
    const a = await slack.chat.postMessage({ channel: 'C0POST', text: 'first', blocks: [section('first')] });
    const b = await slack.chat.postMessage({ channel: 'C0POST', text: 'second' });
    assert.match(a.ts!, /^\d{10}\.\d{6}$/);
    assert.ok(Number(b.ts) > Number(a.ts), `${b.ts} > ${a.ts}`);
    assert.equal(a.channel, 'C0POST');
    assert.deepEqual(a.message?.blocks, [section('first')]);
    assert.deepEqual(
      fake.messages('C0POST').map((m) => m.text),
      ['first', 'second'],
    );
  });

  test('a message with 51 blocks is refused with invalid_blocks, as Slack refuses it', async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`block ${i}`));
    const r = await refused(slack.chat.postMessage({ channel: 'C0POST', text: 'too many', blocks }));
    assert.equal(r.error, 'invalid_blocks');
    assert.deepEqual(r.messages, ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]']);
    assert.equal(
      fake.messages('C0POST').some((m) => m.text === 'too many'),
      false,
    );
  });

  test('chat.postMessage without channel or content is refused', async () => {
    assert.equal((await refused(slack.apiCall('chat.postMessage', { text: 'x' }))).error, 'channel_not_found');
    assert.equal((await refused(slack.apiCall('chat.postMessage', { channel: 'C0POST' }))).error, 'no_text');
  });

  test('thread replies carry the parent ts, and replying to a reply threads under the parent', async () => {
    const parent = await slack.chat.postMessage({ channel: 'C0THREAD', text: 'issue' });
    const reply = await slack.chat.postMessage({ channel: 'C0THREAD', text: 'log 1', thread_ts: parent.ts! });
    await slack.chat.postMessage({ channel: 'C0THREAD', text: 'log 2', thread_ts: reply.ts! });
    const replies = fake.messages('C0THREAD').filter((m) => m.thread_ts === parent.ts);
    assert.deepEqual(
      replies.map((m) => m.text),
      ['log 1', 'log 2'],
    );
    const r = await refused(slack.chat.postMessage({ channel: 'C0THREAD', text: 'x', thread_ts: '1.000001' }));
    assert.equal(r.error, 'thread_not_found');
  });

  test('chat.update changes the stored message and needs a ts that exists in that channel', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0UPD', text: 'pending', blocks: [section('pending')] });
    await slack.chat.update({ channel: 'C0UPD', ts: posted.ts!, text: 'approved', blocks: [section('approved')] });
    const [m] = fake.messages('C0UPD');
    assert.equal(m?.text, 'approved');
    assert.deepEqual(m?.blocks, [section('approved')]);
    assert.equal(m?.updates, 1);
    assert.equal(
      (await refused(slack.chat.update({ channel: 'C0OTHER', ts: posted.ts!, text: 'x' }))).error,
      'message_not_found',
    );
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`${i}`));
    assert.equal(
      (await refused(slack.chat.update({ channel: 'C0UPD', ts: posted.ts!, text: 'x', blocks: tooMany }))).error,
      'invalid_blocks',
    );
  });

  test('chat.postEphemeral needs a user and is kept apart from channel history', async () => {
    assert.equal(
      (await refused(slack.apiCall('chat.postEphemeral', { channel: 'C0EPH', text: 'x' }))).error,
      'user_not_found',
    );
    const r = await slack.chat.postEphemeral({ channel: 'C0EPH', user: 'U0ALICE', text: 'only you' });
    assert.match(r.message_ts!, /^\d+\.\d{6}$/);
    assert.deepEqual(
      fake.ephemerals('C0EPH').map((e) => [e.user, e.text]),
      [['U0ALICE', 'only you']],
    );
    assert.deepEqual(fake.messages('C0EPH'), []);
  });

  test('chat.getPermalink links to an existing message only', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0LINK', text: 'x' });
    const r = await slack.chat.getPermalink({ channel: 'C0LINK', message_ts: posted.ts! });
    assert.equal(r.permalink, `https://fake-slack.example/archives/C0LINK/p${posted.ts!.replace('.', '')}`);
    assert.equal(
      (await refused(slack.chat.getPermalink({ channel: 'C0LINK', message_ts: '1.000002' }))).error,
      'message_not_found',
    );
  });

  test('a private channel the bot is not in is channel_not_found until it is a member', async () => {
    fake.setChannel('G0SECRET', { name: 'dba', isPrivate: true });
    assert.equal(
      (await refused(slack.chat.postMessage({ channel: 'G0SECRET', text: 'x' }))).error,
      'channel_not_found',
    );
    assert.equal(
      (await refused(slack.conversations.join({ channel: 'G0SECRET' }))).error,
      'method_not_supported_for_channel_type',
    );
    fake.setChannel('G0SECRET', { name: 'dba', isPrivate: true, isMember: true });
    assert.equal((await slack.chat.postMessage({ channel: 'G0SECRET', text: 'x' })).ok, true);
  });

  test('conversations.join makes the bot a member of a public channel and conversations.info says so', async () => {
    assert.equal((await slack.conversations.info({ channel: 'C0JOIN' })).channel?.is_member, false);
    const joined = await slack.conversations.join({ channel: 'C0JOIN' });
    assert.equal(joined.channel?.is_member, true);
    assert.equal((await slack.conversations.info({ channel: 'C0JOIN' })).channel?.is_member, true);
    assert.equal((await refused(slack.conversations.info({ channel: 'nope' }))).error, 'channel_not_found');
  });

  test('users.info reports the time zone set for a user and refuses unknown users', async () => {
    fake.setUser('U0BERLIN', { tz: 'Europe/Berlin', real_name: 'Bea' });
    fake.setUser('U0NOZONE', { tz: null });
    const at = clock;
    clock = Date.UTC(2026, 0, 15, 12); // winter: Berlin is UTC+1
    try {
      const { user } = await slack.users.info({ user: 'U0BERLIN' });
      assert.equal(user?.tz, 'Europe/Berlin');
      assert.equal(user?.tz_offset, 3600);
      assert.equal(user?.tz_label, 'Central European Standard Time');
      assert.equal(user?.real_name, 'Bea');
      const none = await slack.users.info({ user: 'U0NOZONE' });
      assert.equal(none.user?.tz, null);
    } finally {
      clock = at;
    }
    assert.equal((await refused(slack.users.info({ user: 'U0NOBODY' }))).error, 'user_not_found');
    assert.throws(() => fake.setUser('U0X', { tz: 'Mars/Olympus' }));
  });

  test('views.open spends a trigger once and returns the view with a V… id', async () => {
    const trigger = fake.issueTriggerId();
    const r = await slack.views.open({
      trigger_id: trigger,
      view: { ...modal, callback_id: 'new_change', private_metadata: '{"c":"C1"}' },
    });
    assert.match(r.view!.id!, /^V[A-Z0-9]{10}$/);
    assert.equal(r.view!.callback_id, 'new_change');
    assert.equal(r.view!.private_metadata, '{"c":"C1"}');
    assert.deepEqual(r.view!.state, { values: {} });
    assert.equal((await refused(slack.views.open({ trigger_id: trigger, view: modal }))).error, 'exchanged_trigger_id');
    assert.equal(
      (await refused(slack.views.open({ trigger_id: '123.456.abc', view: modal }))).error,
      'invalid_trigger_id',
    );
  });

  test('a trigger older than 3 seconds is expired_trigger_id', async () => {
    const trigger = fake.issueTriggerId();
    clock += 3001;
    assert.equal((await refused(slack.views.open({ trigger_id: trigger, view: modal }))).error, 'expired_trigger_id');
  });

  test('an invalid view is invalid_arguments with the reason, and does not spend the trigger', async () => {
    const trigger = fake.issueTriggerId();
    const r = await refused(
      slack.views.open({ trigger_id: trigger, view: { ...modal, title: plain('A title longer than 24 chars') } }),
    );
    assert.equal(r.error, 'invalid_arguments');
    assert.deepEqual(r.messages, ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]']);
    assert.equal((await slack.views.open({ trigger_id: trigger, view: modal })).ok, true);
  });

  test('views.push needs a trigger from inside the modal and stops at a stack of 3', async () => {
    const root = (await slack.views.open({ trigger_id: fake.issueTriggerId(), view: modal })).view!;
    assert.equal(
      (await refused(slack.views.push({ trigger_id: fake.issueTriggerId(), view: modal }))).error,
      'invalid_trigger_id',
    );
    const second = (await slack.views.push({ trigger_id: fake.issueTriggerId({ viewId: root.id! }), view: modal }))
      .view!;
    assert.equal(second.previous_view_id, root.id);
    assert.equal(second.root_view_id, root.id);
    await slack.views.push({ trigger_id: fake.issueTriggerId({ viewId: second.id! }), view: modal });
    const r = await refused(slack.views.push({ trigger_id: fake.issueTriggerId({ viewId: root.id! }), view: modal }));
    assert.equal(r.error, 'push_limit_reached');
  });

  test('views.update replaces a view it issued, checks the hash, and is not_found otherwise', async () => {
    const opened = (await slack.views.open({ trigger_id: fake.issueTriggerId(), view: modal })).view!;
    const updated = (
      await slack.views.update({
        view_id: opened.id!,
        hash: opened.hash!,
        view: { ...modal, title: plain('Scheduled') },
      })
    ).view!;
    assert.equal(updated.id, opened.id);
    assert.equal(updated.title?.text, 'Scheduled');
    assert.equal(fake.view(opened.id!)?.title.text, 'Scheduled');
    assert.equal(
      (await refused(slack.views.update({ view_id: opened.id!, hash: opened.hash!, view: modal }))).error,
      'hash_conflict',
    );
    assert.equal((await refused(slack.views.update({ view_id: 'V0NOTMINE00', view: modal }))).error, 'not_found');
  });

  test('files.info describes an uploaded file and its download needs the bot token', async () => {
    const file = fake.uploadFile({ name: 'fix.sql', content: 'UPDATE t SET a = 1;\n', user: 'U0FILES' });
    assert.match(file.id, /^F[A-Z0-9]{10}$/);
    assert.equal(file.content, undefined);
    const info = await slack.files.info({ file: file.id });
    assert.equal(info.file?.name, 'fix.sql');
    assert.equal(info.file?.size, 20);
    assert.equal(info.file?.filetype, 'sql');
    const url = info.file!.url_private_download!;
    const ok = await fetch(url, { headers: { authorization: `Bearer ${fake.token}` } });
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'UPDATE t SET a = 1;\n');
    // Without the token Slack redirects to its sign-in page: a web page, not the file.
    const anonymous = await fetch(url);
    assert.equal(anonymous.status, 200);
    assert.match(anonymous.headers.get('content-type') ?? '', /^text\/html/);
    assert.deepEqual(
      fake.callsOf('file_download').map((c) => c.args),
      [
        { file: file.id, authorized: true },
        { file: file.id, authorized: false },
      ],
    );
    assert.equal((await refused(slack.files.info({ file: 'F0NOSUCHFILE' }))).error, 'file_not_found');
  });

  test('a file_input is allowed in a modal input block only, with at most 10 files', async () => {
    const input = (element: Record<string, unknown>) => ({
      type: 'input' as const,
      block_id: 'file',
      label: plain('SQL file'),
      element: { type: 'file_input', action_id: 'file', ...element },
    });
    const ok = await slack.views.open({
      trigger_id: fake.issueTriggerId(),
      view: {
        ...modal,
        submit: plain('Submit'),
        blocks: [input({ filetypes: ['sql', 'txt'], max_files: 1 })],
      } as never,
    });
    assert.equal(ok.ok, true);
    const tooMany = await refused(
      slack.views.open({
        trigger_id: fake.issueTriggerId(),
        view: { ...modal, submit: plain('Submit'), blocks: [input({ max_files: 11 })] } as never,
      }),
    );
    assert.equal(tooMany.error, 'invalid_arguments');
    assert.match(tooMany.messages?.join() ?? '', /max_files/);
    const inActions = await refused(
      slack.chat.postMessage({
        channel: 'C0POST',
        text: 'x',
        blocks: [{ type: 'actions', elements: [{ type: 'file_input', action_id: 'f' }] }] as never,
      }),
    );
    assert.equal(inActions.error, 'invalid_blocks');
  });

  test('JSON request bodies are accepted as well as forms', async () => {
    const res = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${fake.token}` },
      body: JSON.stringify({ channel: 'C0JSON', blocks: [section('json')] }),
    });
    const body = (await res.json()) as { ok: boolean };
    assert.equal(body.ok, true);
    assert.deepEqual(fake.messages('C0JSON')[0]?.blocks, [section('json')]);
  });

  test('waitFor resolves on a past call and on a future one', async () => {
    const past = await fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0POST');
    assert.equal(past.args.text, 'first');
    const future = fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0LATER');
    await slack.chat.postMessage({ channel: 'C0LATER', text: 'later' });
    assert.equal((await future).response.ok, true);
  });

  test('waitFor rejects after its timeout with the recent calls in the message', async () => {
    await assert.rejects(
      fake.waitFor('views.open', (c) => c.args.view?.callback_id === 'never', 50),
      (e: Error) => {
        assert.match(e.message, /no matching views\.open call within 50 ms/);
        assert.match(e.message, /chat\.postMessage ok/);
        return true;
      },
    );
  });

  test('a response_url records JSON posts, acts on the clicked message and allows 5 uses', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0RESP', text: 'original' });
    const url = fake.responseUrl({ channel: 'C0RESP', messageTs: posted.ts!, user: 'U0ALICE' });
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post({ replace_original: true, text: 'replaced' })).status, 200);
    assert.equal(fake.messages('C0RESP')[0]?.text, 'replaced');
    await post({ text: 'just for you' });
    assert.deepEqual(
      fake.ephemerals('C0RESP').map((e) => e.text),
      ['just for you'],
    );
    await post({ response_type: 'in_channel', text: 'for everyone' });
    assert.deepEqual(
      fake.messages('C0RESP').map((m) => m.text),
      ['replaced', 'for everyone'],
    );
    const tooMany = await post({ text: 'x', blocks: Array.from({ length: 51 }, (_, i) => section(`${i}`)) });
    assert.equal(tooMany.status, 400);
    assert.equal(((await tooMany.json()) as { error: string }).error, 'invalid_blocks');
    assert.equal((await post({ text: 'fifth' })).status, 200);
    const sixth = await post({ text: 'sixth' });
    assert.equal(sixth.status, 404);
    assert.deepEqual(await sixth.json(), { ok: false, error: 'used_url' });
    const recorded = fake.callsOf('response_url');
    assert.equal(recorded.length, 6);
    assert.equal(recorded[0]?.args.text, 'replaced');
  });

  test('a response_url expires after 30 minutes', async () => {
    const url = fake.responseUrl({ channel: 'C0RESP', user: 'U0ALICE' });
    clock += 30 * 60 * 1000 + 1;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"late"}',
    });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { ok: false, error: 'expired_url' });
  });

  test('failNext answers 429 with Retry-After or a 5xx the given number of times, then serves the call', async () => {
    fake.failNext('auth.test', { status: 429, retryAfter: 7 });
    fake.failNext('auth.test', { status: 503 });
    const call = () =>
      fetch(`${fake.url}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${fake.token}` } });
    const limited = await call();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.equal((await call()).status, 503);
    const served = await call();
    assert.equal(served.status, 200);
    assert.equal(((await served.json()) as { ok: boolean }).ok, true);
    assert.deepEqual(
      fake
        .callsOf('auth.test')
        .slice(-3)
        .map((c) => c.status),
      [429, 503, 200],
    );
  });

  test('while unreachable the Web API cuts requests off, and the SDK sees a request error', async () => {
    fake.setReachable(false);
    try {
      await assert.rejects(slack.auth.test(), (e: { code?: string }) => e.code === 'slack_webapi_request_error');
      assert.equal(fake.callsOf('auth.test').at(-1)?.status, 0);
    } finally {
      fake.setReachable(true);
    }
    assert.equal((await slack.auth.test()).ok, true);
  });
});
