// A channel's pace and a thread's queue, on a clock moved by hand: a burst of posts, then one a
// second; a thread's plain lines that wait for their turn go out together, in order, with replies
// of their own (buttons, progress) in their place; nobody who tells the thread waits for Slack.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WebClient } from '@slack/web-api';
import { parseConfig } from '../../../src/config/load.js';
import type { Issue } from '../../../src/domain/issue.js';
import {
  CHANNEL_BURST,
  type Pace,
  type PaceClock,
  POST_EVERY_MS,
  slackPaces,
  UPDATE_BURST,
  UPDATE_EVERY_MS,
} from '../../../src/slack/channel-pace.js';
import { slackNotifier } from '../../../src/slack/notifier.js';
import { manualClock } from '../../support/manual-clock.js';

/** A Web API client that records posts (keeping `pace`, as the bot's client does) and answers with a ts. */
function recordingClient(pace: Pace, clock: PaceClock) {
  const posts: { at: number; thread?: string; text: string; blocks?: unknown }[] = [];
  let n = 0;
  const client = {
    chat: {
      async postMessage(args: { channel: string; thread_ts?: string; text: string; blocks?: unknown }) {
        await pace.take(args.channel);
        posts.push({ at: clock.now(), thread: args.thread_ts, text: args.text, blocks: args.blocks });
        return { ok: true, ts: `9.${++n}`, channel: args.channel };
      },
      async update() {
        return { ok: true };
      },
    },
  };
  return { client: client as unknown as WebClient, posts };
}

const config = parseConfig(
  `channel: C_X
environments:
  - { id: dev, rollout: automatic }
databases:
  - { name: app, environment: dev, engine: postgres, url: "postgres://h/a" }
`,
  't.yaml',
  {},
);

const task = { database: 'app', environment: 'dev' };
const threaded = (id: string, ts: string) => ({ id, slack: { channel: 'C_X', ts } }) as unknown as Issue;

describe('channel pace', () => {
  test(`a burst of ${CHANNEL_BURST} posts goes out at once, then one a second, in the order asked`, async () => {
    const { clock, advance } = manualClock();
    const pace = slackPaces(clock).posts;
    const out: [number, number][] = [];
    for (let i = 0; i < CHANNEL_BURST + 3; i++) void pace.take('C_X').then(() => out.push([i, clock.now()]));
    await advance(0);
    assert.deepEqual(
      out,
      Array.from({ length: CHANNEL_BURST }, (_, i) => [i, 0]),
    );
    await advance(3 * POST_EVERY_MS);
    assert.deepEqual(out.slice(CHANNEL_BURST), [
      [CHANNEL_BURST, POST_EVERY_MS],
      [CHANNEL_BURST + 1, 2 * POST_EVERY_MS],
      [CHANNEL_BURST + 2, 3 * POST_EVERY_MS],
    ]);
    // A tenth over Slack's second, so that posts do not arrive closer than Slack counts them.
    assert.ok(POST_EVERY_MS > 1000 && POST_EVERY_MS <= 1100);
    // Another channel has a pace of its own.
    let other = -1;
    void pace.take('C_Y').then(() => {
      other = clock.now();
    });
    await advance(0);
    assert.equal(other, 3 * POST_EVERY_MS);
  });
  test("posts sent at the pace still arrive within Slack's, when one is slower on the way than the next", async () => {
    const { clock, advance } = manualClock();
    const pace = slackPaces(clock).posts;
    // Slack counts posts as they arrive: a bucket of the burst, one more each second.
    let tokens = CHANNEL_BURST;
    let at = 0;
    let refused = 0;
    const arrive = (t: number): void => {
      tokens = Math.min(CHANNEL_BURST, tokens + (t - at) / 1000);
      at = t;
      if (tokens < 1) refused++;
      else tokens -= 1;
    };
    const sent: number[] = [];
    for (let i = 0; i < 12; i++) void pace.take('C_X').then(() => sent.push(clock.now()));
    await advance(20 * POST_EVERY_MS);
    assert.equal(sent.length, 12);
    // Every other post takes 30 ms longer on the way.
    for (const t of sent.map((t, i) => t + (i % 2 === 0 ? 30 : 0)).sort((a, b) => a - b)) arrive(t);
    assert.equal(refused, 0);
  });
  test(`edits: a burst of ${UPDATE_BURST} for the whole app, then one every 1.2 s (Slack's 50 a minute)`, async () => {
    const { clock, advance } = manualClock();
    const { updates } = slackPaces(clock);
    const out: number[] = [];
    for (let i = 0; i < UPDATE_BURST + 5; i++) void updates.take('app').then(() => out.push(clock.now()));
    await advance(0);
    assert.equal(out.length, UPDATE_BURST);
    await advance(60_000);
    assert.deepEqual(
      out.slice(UPDATE_BURST),
      [1, 2, 3, 4, 5].map((k) => k * UPDATE_EVERY_MS),
    );
    assert.ok(UPDATE_EVERY_MS > 1200);
  });
});

describe('thread queue', () => {
  test('lines that wait for the channel go out together, in order, and telling the thread never waits for Slack', async () => {
    const { clock, advance, settle } = manualClock();
    const pace = slackPaces(clock).posts;
    const { client, posts } = recordingClient(pace, clock);
    const notifier = slackNotifier(client, config, { pace, clock: { ...clock } });
    // Another thread (or the channel) used up the burst just now.
    for (let i = 0; i < CHANNEL_BURST; i++) await pace.take('C_X');
    const one = threaded('1', '1.0');
    const told: number[] = [];
    for (let i = 0; i < 40; i++) {
      await notifier.thread(one, { kind: 'task-done', task: { ...task, database: `db${i}` }, durationMs: 20 });
      told.push(clock.now());
    }
    // All forty were told at once: nobody waited for a post.
    assert.deepEqual(new Set(told), new Set([0]));
    await settle();
    assert.equal(posts.length, 0);
    await advance(POST_EVERY_MS);
    assert.equal(posts.length, 1, 'one reply for all the lines that waited');
    const lines = posts[0]!.text.split('\n');
    assert.equal(lines.length, 40);
    assert.deepEqual(
      lines.map((l) => /db\d+/.exec(l)?.[0]),
      Array.from({ length: 40 }, (_, i) => `db${i}`),
    );
    assert.equal(posts[0]!.thread, '1.0');
    await notifier.drain();
  });

  test('a reply of its own keeps its place among the lines, and drain waits until all went out', async () => {
    const { clock, advance } = manualClock();
    const pace = slackPaces(clock).posts;
    const { client, posts } = recordingClient(pace, clock);
    const notifier = slackNotifier(client, config, { pace, clock: { ...clock } });
    for (let i = 0; i < CHANNEL_BURST; i++) await pace.take('C_X');
    const one = threaded('1', '1.0');
    await notifier.thread(one, { kind: 'started-automatically', environment: 'dev' });
    const ref = notifier.post!(one, { kind: 'task-started', task, statements: 3 });
    await notifier.thread(one, { kind: 'task-done', task, durationMs: 5 });
    await notifier.thread(one, { kind: 'task-done', task: { ...task, database: 'other' }, durationMs: 6 });
    await notifier.thread(one, { kind: 'stage-done', environment: 'dev' });
    let drained = false;
    void notifier.drain().then(() => {
      drained = true;
    });
    await advance(500);
    assert.equal(posts.length, 0);
    assert.equal(drained, false);
    await advance(4 * POST_EVERY_MS - 600);
    assert.equal(drained, false);
    await advance(100);
    assert.equal(drained, true);
    assert.deepEqual(
      posts.map((p) => p.text.split('\n').length),
      [1, 1, 2, 1],
      'the line before the progress reply, the reply, the two tasks that waited together, the stage on its own',
    );
    assert.match(posts[1]!.text, /task started, 3 statement/);
    assert.equal(await ref, '9.2');
    assert.match(posts[2]!.text, /app \(dev\).*task done.*\n.*other \(dev\).*task done/);
    assert.match(posts[3]!.text, /^:white_check_mark: dev done$/);
    // One a second once the burst was used.
    assert.deepEqual(
      posts.map((p) => p.at),
      [1, 2, 3, 4].map((k) => k * POST_EVERY_MS),
    );
  });
});
