// Slack's limits, through the real bot and the fake Web API: a 429 waits the Retry-After and
// sends again, a 5xx is sent again, a busy rollout updates its message no faster than
// chat.update's rate allows (and never with what it already shows) and posts to its thread no
// faster than a channel takes messages, and a Slack that cannot be reached at start is said once
// and waited for.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, type BotProcess, outputCount } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton, linesOf } from '../support/driver.js';
import { UPDATE_GAP_MS } from '../../src/slack/notifier.js';
import { CHANNEL_BURST } from '../../src/slack/channel-pace.js';

const SHARDS = 12;

describe('Slack rate limits and errors', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let slack: SlackDriver;
  const dbs: FreshDatabase[] = [];

  before(async () => {
    // Slack's own pace for posts in one channel: a burst, then about one a second.
    fake = await startFakeSlack({ channelPace: { burst: CHANNEL_BURST + 2 } });
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    for (const u of ['U_DEV', 'U_DBA']) fake.setUser(u, { tz: 'UTC' });
    store = await freshPostgres('limits_store');
    for (let i = 0; i < SHARDS + 1; i++) dbs.push(await freshPostgres(`limits_${i}`));
    const shards = dbs
      .slice(1)
      .map((d, i) => `  - { name: shard${i}, environment: dev, engine: postgres, url: "${d.url}", group: shards }`);
    const config = `channel: ${CHANNEL}
rollout:
  concurrency: 4
environments:
  - id: dev
    rollout: automatic
  - id: staging
    approvers: [U_DBA]
    rollout: automatic
databases:
  - { name: app, environment: staging, engine: postgres, url: "${dbs[0]!.url}" }
${shards.join('\n')}
`;
    bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
    slack = new SlackDriver(fake, bot.url);
  });

  after(async () => {
    await bot?.kill('SIGTERM');
    await fake?.close();
    for (const d of dbs) await d.drop();
    await store?.drop();
  });

  test('a chat.postMessage answered 429 is sent again after its Retry-After, and the issue message arrives', async () => {
    const title = 'Rate-limited post';
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    const { res } = await slack.submit('U_DEV', { title, target: 'app', sql: 'CREATE TABLE rl (id int PRIMARY KEY);' });
    assert.equal(res.status, 200);
    await slack.waitForIssue(title, 60_000);
    const posts = fake.callsOf('chat.postMessage');
    const limited = posts.find((c) => c.status === 429);
    assert.ok(limited, 'the fake answered 429 once');
    const sent = posts.find((c) => c.status === 200 && String(c.args.text).includes(title))!;
    assert.ok(posts.indexOf(sent) > posts.indexOf(limited));
    // Honoured: the bot waited at least the 2 seconds Slack asked for before sending again.
    assert.ok(sent.at - limited.at >= 2000, `sent again after ${sent.at - limited.at} ms`);
    assert.match(bot.output(), /Slack rate-limited chat\.postMessage; sending again in 2 s/);
  });

  test('a chat.update answered 503 twice is sent again, and the message shows the approval', async () => {
    const title = 'Update through errors';
    await slack.submit('U_DEV', { title, target: 'app', sql: 'CREATE TABLE se (id int PRIMARY KEY);' });
    const msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_approve'), 60_000);
    const before = fake.callsOf('chat.update').length;
    fake.failNext('chat.update', { status: 503 }, 2, (args) => args.ts === msg.ts);
    await slack.click('U_DBA', msg, 'issue_approve');
    await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), 120_000);
    const updates = fake
      .callsOf('chat.update')
      .slice(before)
      .filter((c) => c.args.ts === msg.ts);
    assert.deepEqual(
      updates.slice(0, 3).map((c) => c.status),
      [503, 503, 200],
    );
    assert.equal(updates[2]!.args.ts, msg.ts);
  });

  test("a rollout on many databases updates its message at most once per gap, each time with something new, and keeps the channel's pace", async () => {
    const title = 'Busy rollout on the shards';
    const sql = Array.from({ length: 30 }, (_, i) => `CREATE TABLE busy_${i} (id int PRIMARY KEY);`).join('\n');
    const from = fake.calls.length;
    await slack.submit('U_DEV', { title, target: 'shards', sql });
    const posted = await slack.waitForIssue(title, 60_000);
    const msg = await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), 180_000);
    // Lines that waited for the channel's turn arrive together: count lines, not replies.
    const doneLines = (replies: string[]) => linesOf(replies).filter((l) => /task done/.test(l));
    const thread = await slack.waitForThread(msg, (l) => doneLines(l).length === SHARDS, 60_000);
    assert.deepEqual(
      doneLines(thread)
        .map((l) => /shard\d+/.exec(l)?.[0])
        .sort(),
      Array.from({ length: SHARDS }, (_, i) => `shard${i}`).sort(),
      'every shard said done, once',
    );
    // Each shard's statements are all in the thread, in order.
    const lines = linesOf(thread);
    for (let i = 0; i < SHARDS; i++) {
      const head = lines.findIndex((l) => new RegExp(`\\*shard${i} \\(dev\\)`).test(l) && !/task done/.test(l));
      assert.ok(head >= 0, `shard${i}'s log is in the thread`);
    }
    // No post was answered 429: the bot kept the channel's pace (a burst, then about one a second).
    const posts = fake.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
    assert.deepEqual(
      posts.filter((c) => c.status !== 200).map((c) => c.status),
      [],
      'no post refused for going too fast',
    );
    const span = posts.at(-1)!.at - posts[0]!.at;
    assert.ok(posts.length <= CHANNEL_BURST + 1 + span / 1000, `${posts.length} posts in ${span} ms`);
    const updates = fake.callsOf('chat.update').filter((c) => c.args.ts === posted.ts && c.status === 200);
    // Every task started and ended (2 × 12 state changes) plus the stage: far fewer updates,
    // because what changed meanwhile was folded into the next one.
    assert.ok(updates.length >= 1 && updates.length < 2 * SHARDS, `${updates.length} updates`);
    for (let i = 1; i < updates.length; i++) {
      const gap = updates[i]!.at - updates[i - 1]!.at;
      // The bot waits UPDATE_GAP_MS after Slack answered the previous update; timers may fire a millisecond early.
      assert.ok(gap >= UPDATE_GAP_MS - 5, `updates ${i - 1} and ${i} only ${gap} ms apart`);
      assert.notDeepEqual(
        [updates[i]!.args.text, updates[i]!.args.blocks],
        [updates[i - 1]!.args.text, updates[i - 1]!.args.blocks],
        `update ${i} showed nothing new`,
      );
    }
  });
});

describe('Slack unreachable at start', () => {
  let fake: FakeSlack;
  let store: FreshDatabase;
  let bot: BotProcess | undefined;

  before(async () => {
    fake = await startFakeSlack({ unreachable: true });
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    store = await freshPostgres('unreach_store');
  });
  after(async () => {
    await bot?.kill('SIGTERM');
    await fake.close();
    await store.drop();
  });

  test('the bot says once that it cannot reach Slack, with the URL and no token, and serves once Slack answers', async () => {
    const config = `channel: ${CHANNEL}
environments:
  - id: dev
    rollout: automatic
databases:
  - { name: app, environment: dev, engine: postgres, url: "${store.url}" }
`;
    const starting = startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
    // Tried at start (with its quick retries), then again with backoff: wait for two of those.
    const failedChecks = () => fake.callsOf('auth.test').filter((c) => c.status === 0).length;
    const deadline = Date.now() + 120_000;
    while (failedChecks() < 5) {
      assert.ok(Date.now() < deadline, `only ${failedChecks()} auth.test attempts`);
      await new Promise((r) => setTimeout(r, 100));
    }
    fake.setReachable(true);
    bot = await starting;
    assert.equal(outputCount(bot, /cannot reach Slack/), 1, bot.output());
    const line = bot
      .output()
      .split('\n')
      .find((l) => /cannot reach Slack/.test(l))!;
    assert.ok(line.includes(fake.url), line);
    assert.ok(!bot.output().includes(fake.token), 'the token appears in the output');
    const slack = new SlackDriver(fake, bot.url);
    assert.match(await slack.commandReply('U_DEV', 'help'), /status/);
  });
});
