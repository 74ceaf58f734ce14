// Each Block Kit rule the fake enforces, as a table: a payload Slack accepts, and for every
// limit a payload just over it that Slack refuses, with the pointer Slack would name.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { checkBlocks, type Surface } from '../../support/slack/blocks.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const button = (action_id: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  text: plain('Go'),
  action_id,
  ...extra,
});
const option = (text: string, value = text) => ({ text: plain(text), value });
const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const confirm = { title: plain('Sure?'), text: mrkdwn('Really'), confirm: plain('Yes'), deny: plain('No') };

interface Case {
  name: string;
  blocks: unknown;
  surface?: Surface;
  /** Pointer Slack names for the problem; absent means the payload is valid. */
  pointer?: string;
}

const cases: Case[] = [
  {
    name: 'a message using every allowed block type passes',
    blocks: [
      { type: 'header', text: plain('Change #12') },
      section('*what*'),
      { type: 'section', fields: [mrkdwn('a'), mrkdwn('b')], accessory: button('more') },
      { type: 'divider' },
      {
        type: 'context',
        elements: [mrkdwn('by <@U1>'), { type: 'image', image_url: 'https://x/y.png', alt_text: 'x' }],
      },
      {
        type: 'actions',
        elements: [
          button('approve', { style: 'primary', value: '12', confirm }),
          { type: 'datetimepicker', action_id: 'when', initial_date_time: 1700000000 },
        ],
      },
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'x' }] }] },
      { type: 'image', image_url: 'https://x/y.png', alt_text: 'chart' },
      { type: 'markdown', text: '**bold**' },
    ],
  },
  { name: '50 blocks in a message pass', blocks: many(50, (i) => section(`s${i}`)) },
  { name: '51 blocks in a message fail', blocks: many(51, (i) => section(`s${i}`)), pointer: '/blocks' },
  { name: '100 blocks in a modal pass', blocks: many(100, (i) => section(`s${i}`)), surface: 'modal' },
  {
    name: '101 blocks in a modal fail',
    blocks: many(101, (i) => section(`s${i}`)),
    surface: 'modal',
    pointer: '/blocks',
  },
  { name: 'an unknown block type fails', blocks: [{ type: 'table', rows: [] }], pointer: '/blocks/0/type' },
  {
    name: 'an input block in a message fails',
    blocks: [{ type: 'input', label: plain('SQL'), element: { type: 'plain_text_input' } }],
    pointer: '/blocks/0/type',
  },
  {
    name: 'an input block in a modal passes',
    blocks: [
      {
        type: 'input',
        label: plain('SQL'),
        element: { type: 'plain_text_input', action_id: 'sql', multiline: true, max_length: 3000 },
      },
    ],
    surface: 'modal',
  },
  {
    name: 'an input block without element fails',
    blocks: [{ type: 'input', label: plain('SQL') }],
    surface: 'modal',
    pointer: '/blocks/0/element',
  },
  {
    name: 'an input block without label fails',
    blocks: [{ type: 'input', element: { type: 'plain_text_input' } }],
    surface: 'modal',
    pointer: '/blocks/0/label',
  },
  { name: 'section text of 3000 characters passes', blocks: [section('x'.repeat(3000))] },
  {
    name: 'section text of 3001 characters fails',
    blocks: [section('x'.repeat(3001))],
    pointer: '/blocks/0/text/text',
  },
  { name: 'empty section text fails', blocks: [section('')], pointer: '/blocks/0/text/text' },
  { name: 'a section with neither text nor fields fails', blocks: [{ type: 'section' }], pointer: '/blocks/0' },
  {
    name: '11 section fields fail',
    blocks: [{ type: 'section', fields: many(11, (i) => mrkdwn(`f${i}`)) }],
    pointer: '/blocks/0/fields',
  },
  {
    name: 'a section field of 2001 characters fails',
    blocks: [{ type: 'section', fields: [mrkdwn('x'.repeat(2001))] }],
    pointer: '/blocks/0/fields/0/text',
  },
  {
    name: 'a header of 151 characters fails',
    blocks: [{ type: 'header', text: plain('x'.repeat(151)) }],
    pointer: '/blocks/0/text/text',
  },
  { name: 'a mrkdwn header fails', blocks: [{ type: 'header', text: mrkdwn('x') }], pointer: '/blocks/0/text/type' },
  {
    name: 'a text object of unknown type fails',
    blocks: [{ type: 'section', text: { type: 'markdown', text: 'x' } }],
    pointer: '/blocks/0/text/type',
  },
  {
    name: 'emoji on a mrkdwn text object fails',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x', emoji: true } }],
    pointer: '/blocks/0/text',
  },
  {
    name: 'a context block of 11 elements fails',
    blocks: [{ type: 'context', elements: many(11, (i) => mrkdwn(`c${i}`)) }],
    pointer: '/blocks/0/elements',
  },
  {
    name: 'an actions block of 25 elements passes',
    blocks: [{ type: 'actions', elements: many(25, (i) => button(`b${i}`)) }],
  },
  {
    name: 'an actions block of 26 elements fails',
    blocks: [{ type: 'actions', elements: many(26, (i) => button(`b${i}`)) }],
    pointer: '/blocks/0/elements',
  },
  {
    name: 'a block_id of 256 characters fails',
    blocks: [{ ...section('x'), block_id: 'b'.repeat(256) }],
    pointer: '/blocks/0/block_id',
  },
  {
    name: 'a duplicate block_id fails',
    blocks: [
      { ...section('x'), block_id: 'same' },
      { ...section('y'), block_id: 'same' },
    ],
    pointer: '/blocks/1/block_id',
  },
  {
    name: 'an action_id of 256 characters fails',
    blocks: [{ type: 'actions', elements: [button('a'.repeat(256))] }],
    pointer: '/blocks/0/elements/0/action_id',
  },
  {
    name: 'the same action_id in two blocks fails',
    blocks: [
      { type: 'actions', elements: [button('approve')] },
      { type: 'section', text: mrkdwn('x'), accessory: button('approve') },
    ],
    pointer: '/blocks/1/accessory/action_id',
  },
  {
    name: 'button text of 76 characters fails',
    blocks: [{ type: 'actions', elements: [{ type: 'button', text: plain('x'.repeat(76)), action_id: 'a' }] }],
    pointer: '/blocks/0/elements/0/text/text',
  },
  {
    name: 'a mrkdwn button text fails',
    blocks: [{ type: 'actions', elements: [{ type: 'button', text: mrkdwn('Go'), action_id: 'a' }] }],
    pointer: '/blocks/0/elements/0/text/type',
  },
  {
    name: 'a button value of 2001 characters fails',
    blocks: [{ type: 'actions', elements: [button('a', { value: 'v'.repeat(2001) })] }],
    pointer: '/blocks/0/elements/0/value',
  },
  {
    name: 'a button style other than primary or danger fails',
    blocks: [{ type: 'actions', elements: [button('a', { style: 'secondary' })] }],
    pointer: '/blocks/0/elements/0/style',
  },
  {
    name: 'a confirm title of 101 characters fails',
    blocks: [{ type: 'actions', elements: [button('a', { confirm: { ...confirm, title: plain('x'.repeat(101)) } })] }],
    pointer: '/blocks/0/elements/0/confirm/title/text',
  },
  {
    name: 'a confirm text of 301 characters fails',
    blocks: [{ type: 'actions', elements: [button('a', { confirm: { ...confirm, text: mrkdwn('x'.repeat(301)) } })] }],
    pointer: '/blocks/0/elements/0/confirm/text/text',
  },
  {
    name: 'a confirm button of 31 characters fails',
    blocks: [{ type: 'actions', elements: [button('a', { confirm: { ...confirm, deny: plain('x'.repeat(31)) } })] }],
    pointer: '/blocks/0/elements/0/confirm/deny/text',
  },
  {
    name: 'a confirm without deny fails',
    blocks: [
      {
        type: 'actions',
        elements: [button('a', { confirm: { title: plain('t'), text: plain('t'), confirm: plain('y') } })],
      },
    ],
    pointer: '/blocks/0/elements/0/confirm/deny',
  },
  {
    name: 'a static select of 100 options passes',
    blocks: [
      {
        type: 'actions',
        elements: [{ type: 'static_select', action_id: 's', options: many(100, (i) => option(`o${i}`)) }],
      },
    ],
  },
  {
    name: 'a static select of 101 options fails',
    blocks: [
      {
        type: 'actions',
        elements: [{ type: 'static_select', action_id: 's', options: many(101, (i) => option(`o${i}`)) }],
      },
    ],
    pointer: '/blocks/0/elements/0/options',
  },
  {
    name: 'an option text of 76 characters fails',
    blocks: [
      {
        type: 'actions',
        elements: [{ type: 'static_select', action_id: 's', options: [option('x'.repeat(76), 'v')] }],
      },
    ],
    pointer: '/blocks/0/elements/0/options/0/text/text',
  },
  {
    name: 'an option value of 76 characters fails',
    blocks: [
      {
        type: 'actions',
        elements: [{ type: 'static_select', action_id: 's', options: [option('x', 'v'.repeat(76))] }],
      },
    ],
    pointer: '/blocks/0/elements/0/options/0/value',
  },
  {
    name: 'an initial option that is not among the options fails',
    blocks: [
      {
        type: 'actions',
        elements: [{ type: 'static_select', action_id: 's', options: [option('a')], initial_option: option('b') }],
      },
    ],
    pointer: '/blocks/0/elements/0/initial_option',
  },
  {
    name: 'a datetimepicker as a section accessory fails',
    blocks: [{ type: 'section', text: mrkdwn('when'), accessory: { type: 'datetimepicker', action_id: 'when' } }],
    pointer: '/blocks/0/accessory/type',
  },
  {
    name: 'a datetimepicker in an input block passes',
    blocks: [
      {
        type: 'input',
        label: plain('When'),
        element: { type: 'datetimepicker', action_id: 'when', initial_date_time: 1700000000 },
      },
    ],
    surface: 'modal',
  },
  {
    name: 'a datetimepicker initial time in milliseconds-with-fraction fails',
    blocks: [
      { type: 'actions', elements: [{ type: 'datetimepicker', action_id: 'when', initial_date_time: 1700000000.5 }] },
    ],
    pointer: '/blocks/0/elements/0/initial_date_time',
  },
  {
    name: 'a plain_text_input max_length of 3001 fails',
    blocks: [{ type: 'input', label: plain('SQL'), element: { type: 'plain_text_input', max_length: 3001 } }],
    surface: 'modal',
    pointer: '/blocks/0/element/max_length',
  },
  {
    name: 'a plain_text_input in an actions block fails',
    blocks: [{ type: 'actions', elements: [{ type: 'plain_text_input', action_id: 'x' }] }],
    pointer: '/blocks/0/elements/0/type',
  },
  {
    name: 'an image block without alt_text fails',
    blocks: [{ type: 'image', image_url: 'https://x/y.png' }],
    pointer: '/blocks/0/alt_text',
  },
];

for (const c of cases) {
  test(c.name, () => {
    const problems = checkBlocks(c.blocks, '/blocks', c.surface ?? 'message');
    if (c.pointer === undefined) {
      assert.deepEqual(problems, []);
    } else {
      assert.ok(
        problems.some((p) => p.pointer === c.pointer),
        `expected a problem at ${c.pointer}, got ${JSON.stringify(problems)}`,
      );
    }
  });
}

test('problems carry a message saying what limit was broken', () => {
  const [problem] = checkBlocks(
    many(51, (i) => section(`s${i}`)),
    '/blocks',
    'message',
  );
  assert.deepEqual(problem, { pointer: '/blocks', message: 'no more than 50 items allowed' });
  const [tooLong] = checkBlocks([section('x'.repeat(3001))], '/blocks', 'message');
  assert.deepEqual(tooLong, { pointer: '/blocks/0/text/text', message: 'must be less than 3001 characters' });
});

test('characters are counted as Slack counts them, so 3000 emoji fit in a section', () => {
  assert.deepEqual(checkBlocks([section('🚀'.repeat(3000))], '/blocks', 'message'), []);
});
