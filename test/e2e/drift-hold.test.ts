// Drift holds production, driven through Slack's wire format on real PostgreSQL: a change made
// to prod outside dbchange holds the released prod stage with the drift shown, until an admin
// records a baseline, or opens a revert change that runs; then the stage goes on as released.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { query, tableExists } from '../support/sql.js';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, type BotProcess, waitForOutput } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton } from '../support/driver.js';
import type { FakeMessage } from '../support/fake-slack.js';

describe('drift holds production', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let dev: FreshDatabase;
  let prod: FreshDatabase;
  let slack: SlackDriver;

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    for (const u of ['U_DEV', 'U_REL', 'U_DBA']) fake.setUser(u, { tz: 'UTC' });
    store = await freshPostgres('drifthold_store');
    dev = await freshPostgres('drifthold_dev');
    prod = await freshPostgres('drifthold_prod');
    const config = `channel: ${CHANNEL}
admins: [U_DBA]
environments:
  - id: dev
    rollout: automatic
  - id: prod
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: app, environment: dev, engine: postgres, url: "${dev.url}" }
  - { name: app, environment: prod, engine: postgres, url: "${prod.url}" }
schema:
  driftInterval: 2 seconds
`;
    bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
    slack = new SlackDriver(fake, bot.url);
    // The first check records each database's schema as first seen; later ones compare with it.
    await waitForOutput(bot, /drift check done/, 1, 60_000);
  });

  after(async () => {
    await bot?.kill('SIGTERM');
    await fake?.close();
    for (const db of [dev, prod, store]) await db?.drop();
  });

  /** Make prod drift outside dbchange and wait until the drift check has posted it. */
  async function driftProd(table: string): Promise<void> {
    await query(prod, `CREATE TABLE ${table} (id int PRIMARY KEY)`);
    await fake.waitFor(
      'chat.postMessage',
      (c) =>
        c.response.ok &&
        /Schema drift on app \(prod\)/.test(String(c.args.text)) &&
        JSON.stringify(c.args.blocks).includes(table),
      30_000,
    );
  }

  /** Submit a change, let dev run, release prod, and wait until prod is held by the drift. */
  async function releaseIntoHold(title: string, sql: string, drifted: string): Promise<FakeMessage> {
    await slack.submit('U_DEV', { title, target: 'app', sql });
    let msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_rollout'), 60_000);
    await slack.click('U_REL', msg, 'issue_rollout');
    msg = await slack.waitForMessage(
      title,
      (m) => /held: the schema of `app` \(prod\) drifted from the recorded one/.test(JSON.stringify(m.blocks)),
      60_000,
    );
    const thread = await slack.waitForThread(msg, (l) => l.some((t) => /prod is held/.test(t)));
    const held = thread.find((t) => /prod is held/.test(t))!;
    assert.match(held, new RegExp(`\\+ .*${drifted}`));
    assert.match(JSON.stringify(msg.blocks), /waiting for <@U_DBA> to Baseline it or open a revert change/);
    assert.ok(!hasButton(msg, 'issue_rollout'), 'a held stage offers no Roll out now');
    assert.ok(hasButton(msg, 'drift_baseline') && hasButton(msg, 'drift_revert'));
    return msg;
  }

  test('a released prod stage is held while prod has drifted, and runs once an admin records a baseline', async () => {
    await driftProd('sneaky');
    const title = 'Create accounts';
    let msg = await releaseIntoHold(title, 'CREATE TABLE accounts (id INT PRIMARY KEY);', 'sneaky');
    assert.equal(await tableExists(dev, 'accounts'), true);
    assert.equal(await tableExists(prod, 'accounts'), false);

    // The hold outlasts further drift checks, and someone with no role in prod cannot lift it.
    const checks = (bot.output().match(/drift check done/g) ?? []).length;
    await waitForOutput(bot, /drift check done/, checks + 2, 30_000);
    assert.equal(await tableExists(prod, 'accounts'), false);
    const since = fake.calls.length;
    await slack.click('U_DEV', msg, 'drift_baseline');
    assert.match(await slack.ephemeralFor('U_DEV', since), /only approvers or releasers of prod, or admins/);

    await slack.click('U_DBA', msg, 'drift_baseline');
    msg = await slack.waitForMessage(title, (m) => /— done/.test(m.text ?? ''), 60_000);
    assert.equal(await tableExists(prod, 'accounts'), true);
    assert.equal(await tableExists(prod, 'sneaky'), true, 'a baseline keeps the drift');
    assert.ok(
      slack.thread(msg).some((t) => /the drift that held prod is resolved; prod rolls out now/.test(t)),
      slack.thread(msg).join('\n'),
    );
  });

  test('an admin’s revert change is not held by the drift it reverts, and once it ran the held stage goes on', async () => {
    await driftProd('stray');
    const title = 'Create orders';
    const held = await releaseIntoHold(title, 'CREATE TABLE orders (id INT PRIMARY KEY);', 'stray');
    await slack.click('U_DBA', held, 'drift_revert');
    const revertTitle = 'Revert the drift of app (prod)';
    let revert = await slack.waitForIssue(revertTitle, 60_000);
    assert.match(JSON.stringify(revert.blocks), /DROP TABLE[^"]*stray/i);
    await slack.waitForThread(held, (l) =>
      l.some((t) => /<@U_DBA> opened #\d+ to revert the drift of app \(prod\)/.test(t)),
    );

    // The revert goes through prod's policy like any change: a releaser rolls it out (acknowledging findings).
    revert = await slack.waitForMessage(revertTitle, (m) => hasButton(m, 'issue_rollout'), 30_000);
    if (hasButton(revert, 'issue_rollout_anyway')) {
      await slack.click('U_REL', revert, 'issue_rollout_anyway', { selectedOptions: [{ value: 'yes' }] });
      revert = await slack.waitForMessage(revertTitle, (m) =>
        /chose to roll out anyway/.test(JSON.stringify(m.blocks)),
      );
    }
    await slack.click('U_REL', revert, 'issue_rollout');
    await slack.waitForMessage(revertTitle, (m) => /— done/.test(m.text ?? ''), 60_000);
    assert.equal(await tableExists(prod, 'stray'), false);

    const msg = await slack.waitForMessage(title, (m) => /— done/.test(m.text ?? ''), 60_000);
    assert.equal(await tableExists(prod, 'orders'), true);
    assert.ok(
      slack.thread(msg).some((t) => /prod rolls out now/.test(t)),
      slack.thread(msg).join('\n'),
    );
  });
});

// Drift on two databases of one stage: the issue message shows a Baseline and a revert button
// for each, every one with an action id of its own (Slack refuses a message that repeats one).
describe('drift holds a stage on two databases', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let eu: FreshDatabase;
  let us: FreshDatabase;
  let slack: SlackDriver;

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    for (const u of ['U_DEV', 'U_REL', 'U_DBA']) fake.setUser(u, { tz: 'UTC' });
    store = await freshPostgres('drifttwo_store');
    eu = await freshPostgres('drifttwo_eu');
    us = await freshPostgres('drifttwo_us');
    const config = `channel: ${CHANNEL}
admins: [U_DBA]
environments:
  - id: prod
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: shop_eu, environment: prod, engine: postgres, url: "${eu.url}", group: shops }
  - { name: shop_us, environment: prod, engine: postgres, url: "${us.url}", group: shops }
schema:
  driftInterval: 2 seconds
`;
    bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
    slack = new SlackDriver(fake, bot.url);
    await waitForOutput(bot, /drift check done/, 1, 60_000);
  });

  after(async () => {
    await bot?.kill('SIGTERM');
    await fake?.close();
    for (const db of [eu, us, store]) await db?.drop();
  });

  type Element = { action_id: string; value?: string };
  type Block = { type: string; elements?: Element[]; accessory?: Element };
  /** Every element with an action id: of actions blocks, and section accessories. */
  const elementsOf = (m: FakeMessage): Element[] =>
    ((m.blocks ?? []) as Block[]).flatMap((b) =>
      b.type === 'actions' ? (b.elements ?? []) : b.accessory ? [b.accessory] : [],
    );
  const BASELINE = /^drift_baseline(:\d+)?$/;
  const REVERT = /^drift_revert(:\d+)?$/;
  const of = (m: FakeMessage, kind: RegExp) => elementsOf(m).filter((e) => kind.test(e.action_id));
  const valuesOf = (m: FakeMessage, kind: RegExp) => of(m, kind).map((e) => e.value);

  test('the held issue message has a Baseline per database, with unique action ids, and the second one works', async () => {
    for (const [db, name] of [
      [eu, 'shop_eu'],
      [us, 'shop_us'],
    ] as const) {
      await query(db, 'CREATE TABLE sneaky (id int PRIMARY KEY)');
      await fake.waitFor(
        'chat.postMessage',
        (c) => c.response.ok && String(c.args.text) === `Schema drift on ${name} (prod)`,
        30_000,
      );
    }
    const title = 'Create carts';
    await slack.submit('U_DEV', { title, target: 'shops', sql: 'CREATE TABLE carts (id INT PRIMARY KEY);' });
    let msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_rollout'), 60_000);
    await slack.click('U_REL', msg, 'issue_rollout');
    // The first update that shows the hold is the one Slack would refuse if an action id repeated.
    const held = /held: the schema of `shop_eu`, `shop_us` \(prod\) drifted/;
    const update = await fake.waitFor('chat.update', (c) => held.test(JSON.stringify(c.args.blocks)), 60_000);
    assert.equal(update.response.ok, true, JSON.stringify(update.response));
    msg = await slack.waitForMessage(title, (m) => held.test(JSON.stringify(m.blocks)));
    const ids = elementsOf(msg).map((e) => e.action_id);
    assert.equal(new Set(ids).size, ids.length, ids.join(' '));
    assert.deepEqual(valuesOf(msg, BASELINE), ['shop_eu@prod', 'shop_us@prod']);
    assert.deepEqual(valuesOf(msg, REVERT), ['shop_eu@prod', 'shop_us@prod']);

    // Baseline of the second database: recorded, and the stage stays held by the first alone.
    await slack.click('U_DBA', msg, of(msg, BASELINE)[1]!.action_id);
    await slack.waitForThread(msg, (l) =>
      l.some((t) => /recorded the live schema of `shop_us` \(prod\) as the new baseline/.test(t)),
    );
    const heldByEu = /held: the schema of `shop_eu` \(prod\) drifted/;
    msg = await slack.waitForMessage(title, (m) => heldByEu.test(JSON.stringify(m.blocks)), 30_000);
    assert.deepEqual(valuesOf(msg, BASELINE), ['shop_eu@prod']);
    assert.deepEqual(valuesOf(msg, REVERT), ['shop_eu@prod']);
    const checks = (bot.output().match(/drift check done/g) ?? []).length;
    await waitForOutput(bot, /drift check done/, checks + 1, 30_000);
    assert.equal(await tableExists(us, 'carts'), false);
    assert.match(JSON.stringify(slack.issueMessage(title)!.blocks), heldByEu);

    // Baseline of the first too: the hold is lifted and the released stage runs on both.
    await slack.click('U_DBA', msg, 'drift_baseline');
    await slack.waitForMessage(title, (m) => /— done/.test(m.text ?? ''), 60_000);
    assert.equal(await tableExists(eu, 'carts'), true);
    assert.equal(await tableExists(us, 'carts'), true);
    assert.deepEqual(
      fake.calls.filter((c) => c.response?.error === 'invalid_blocks').map((c) => c.response),
      [],
    );
  });
});
