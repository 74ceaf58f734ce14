// The message and view argument checks that sit in front of the fake's chat.* and views.*.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { checkMessageArgs } from '../../support/slack/message-args.js';
import { checkView } from '../../support/slack/view-args.js';
import { parseApiBody } from '../../support/slack/request-body.js';
import { isChannelRef, conversationOf } from '../../support/slack/channel-ids.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: plain('New change'),
  blocks: [section('x')],
  ...extra,
});
const needsChannel = { needsChannel: true };

test('message arguments fail with the error code Slack uses for each mistake', () => {
  const table: [Record<string, unknown>, string | undefined][] = [
    [{ channel: 'C0123', text: 'hi' }, undefined],
    [{ channel: 'C0123', blocks: [section('x')] }, undefined],
    [{ text: 'hi' }, 'channel_not_found'],
    [{ channel: 'issue-12', text: 'hi' }, 'channel_not_found'],
    [{ channel: 'C0123' }, 'no_text'],
    [{ channel: 'C0123', text: '', blocks: [] }, 'no_text'],
    [{ channel: 'C0123', blocks: '[{"type":' }, 'invalid_blocks_format'],
    [{ channel: 'C0123', text: 'x'.repeat(40_000) }, undefined],
    [{ channel: 'C0123', text: 'x'.repeat(40_001) }, 'msg_too_long'],
    [{ channel: 'C0123', text: 'hi', blocks: Array.from({ length: 51 }, (_, i) => section(`${i}`)) }, 'invalid_blocks'],
  ];
  for (const [args, error] of table) {
    assert.equal(checkMessageArgs(args, needsChannel)?.error, error, JSON.stringify(args).slice(0, 80));
  }
});

test('invalid_blocks lists Slack-style messages naming the offending JSON pointer', () => {
  const r = checkMessageArgs(
    { channel: 'C0123', blocks: [{ type: 'header', text: plain('x'.repeat(151)) }] },
    needsChannel,
  );
  assert.deepEqual(r, {
    error: 'invalid_blocks',
    messages: ['[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
  });
});

test('a response_url post needs no channel but is otherwise checked like a message', () => {
  assert.equal(checkMessageArgs({ text: 'done' }, { needsChannel: false }), undefined);
  assert.equal(checkMessageArgs({ replace_original: true }, { needsChannel: false })?.error, 'no_text');
});

test('a valid modal passes and each modal limit is enforced', () => {
  assert.equal(checkView(modal()), undefined);
  assert.equal(
    checkView(
      modal({
        submit: plain('Submit'),
        close: plain('Cancel'),
        private_metadata: 'm'.repeat(3000),
        callback_id: 'c'.repeat(255),
      }),
    ),
    undefined,
  );
  const table: [unknown, string][] = [
    [modal({ type: 'home' }), '/view/type'],
    [modal({ title: plain('x'.repeat(25)) }), '/view/title/text'],
    [modal({ submit: plain('x'.repeat(25)) }), '/view/submit/text'],
    [modal({ close: plain('x'.repeat(25)) }), '/view/close/text'],
    [modal({ title: { type: 'mrkdwn', text: 'x' } }), '/view/title/type'],
    [modal({ private_metadata: 'm'.repeat(3001) }), '/view/private_metadata'],
    [modal({ callback_id: 'c'.repeat(256) }), '/view/callback_id'],
    [modal({ blocks: Array.from({ length: 101 }, (_, i) => section(`${i}`)) }), '/view/blocks'],
    [
      modal({ blocks: [{ type: 'input', label: plain('SQL'), element: { type: 'plain_text_input' } }] }),
      '/view/submit',
    ],
    [
      modal({
        submit: plain('Go'),
        blocks: [{ type: 'input', label: plain('SQL'), element: { type: 'plain_text_input', max_length: 3001 } }],
      }),
      '/view/blocks/0/element/max_length',
    ],
    [modal({ blocks: Array.from({ length: 90 }, (_, i) => section('y'.repeat(2999) + i)) }), '/view'],
  ];
  for (const [view, pointer] of table) {
    const r = checkView(view);
    assert.equal(r?.error, 'invalid_arguments');
    assert.ok(
      r?.messages?.some((m) => m.endsWith(`[json-pointer:${pointer}]`)),
      `${pointer}: ${JSON.stringify(r?.messages)}`,
    );
  }
});

test('form bodies decode JSON-stringified blocks and views like Slack; JSON bodies are taken as they are', () => {
  const blocks = [section('x')];
  const form = new URLSearchParams({
    channel: 'C1',
    text: 'hi',
    blocks: JSON.stringify(blocks),
    unfurl_links: 'false',
  }).toString();
  assert.deepEqual(parseApiBody('application/x-www-form-urlencoded', form), {
    channel: 'C1',
    text: 'hi',
    blocks,
    unfurl_links: 'false',
  });
  assert.deepEqual(parseApiBody('application/json; charset=utf-8', JSON.stringify({ channel: 'C1', blocks })), {
    channel: 'C1',
    blocks,
  });
  assert.deepEqual(parseApiBody('application/x-www-form-urlencoded', 'view=%7Bnot%20json'), { view: '{not json' });
});

test('channel references are IDs, user IDs or #names, and a user ID posts into the DM', () => {
  for (const ok of ['C0123ABC', 'G01', 'D0ABC', 'U0FAKE', '#dbchange']) assert.equal(isChannelRef(ok), true, ok);
  for (const bad of [undefined, '', 'c0123', 'dbchange', 'ISSUE-12', 42])
    assert.equal(isChannelRef(bad), false, String(bad));
  assert.equal(conversationOf('U0FAKE'), 'D0FAKE');
  assert.equal(conversationOf('C0123'), 'C0123');
});
