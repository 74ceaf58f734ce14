// A database group rolled out in waves, driven through Slack's wire format on real PostgreSQL:
// per-database results after each wave, Continue by a releaser only, Halt leaving the rest
// untouched across a restart of the bot, and Continue again to the end; and the blast radius the
// review card shows for the group, from the live catalogs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { query, tableExists } from '../support/sql.js';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton } from '../support/driver.js';

const FLEET = 20;

describe('a database group rolled out in waves', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let slack: SlackDriver;
  let config: string;
  const fleet: FreshDatabase[] = [];

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    fake.setUser('U_DEV', { tz: 'UTC' });
    fake.setUser('U_REL', { tz: 'UTC' });
    store = await freshPostgres('waves_store');
    for (let i = 0; i < FLEET; i++) fleet.push(await freshPostgres(`waves_t${i + 1}`));
    // The tables the blast radius measures exist before the bot first sees the databases: made
    // later, they would be drift from the schema its first drift check records, and hold the rollout.
    for (const [i, db] of fleet.entries()) {
      await query(db, 'CREATE TABLE orders (id int PRIMARY KEY, note varchar(20))');
      const rows = i === 6 ? 5000 : 10 + i;
      await query(db, `INSERT INTO orders SELECT g, 'n' || g FROM generate_series(1, ${rows}) g`);
      await query(db, 'ANALYZE orders');
    }
    config = `channel: ${CHANNEL}
environments:
  - id: prod
    releasers: [U_REL]
    rollout: manual
    waves: [1, 10%, rest]
rollout:
  concurrency: 4
databases:
${fleet.map((db, i) => `  - { name: tenant${String(i + 1).padStart(2, '0')}, environment: prod, engine: postgres, url: "${db.url}", group: tenants }`).join('\n')}
`;
    bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
    slack = new SlackDriver(fake, bot.url);
  });

  after(async () => {
    await bot?.kill('SIGTERM');
    await fake?.close();
    for (const db of fleet) await db.drop();
    await store?.drop();
  });

  const applied = async () => {
    const out: boolean[] = [];
    for (const db of fleet) out.push(await tableExists(db, 'wave_marker'));
    return out;
  };

  test('the review card shows the blast radius: 20 databases, the largest table touched with its live rows and bytes, and that the statement rewrites it', async () => {
    const [size] = await query<{ bytes: string }>(fleet[6]!, "SELECT pg_total_relation_size('orders') AS bytes");
    const kb = (Number(size!.bytes) / 1024).toFixed(1);
    assert.ok(Number(size!.bytes) < 1024 * 1024, 'the test table stays in the kB range');

    const title = 'Widen the order note';
    await slack.submit('U_DEV', { title, target: 'tenants', sql: 'ALTER TABLE orders ALTER COLUMN note TYPE text;' });
    const card = JSON.stringify((await slack.waitForIssue(title, 60_000)).blocks);
    assert.ok(
      card.includes(
        `*Blast radius*: 20 databases; largest table touched: \`orders\` on \`tenant07\` (prod), 5,000 rows, ${kb} kB; a statement rewrites it, locking it meanwhile (\`changing-column-type\`)`,
      ),
      card,
    );
    const msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_cancel'));
    await slack.click('U_DEV', msg, 'issue_cancel');
    await slack.waitForMessage(title, (m) => /— canceled/.test(m.text ?? ''));
  });

  test('20 databases in waves of 1, 2 and 17: Continue by a releaser only, Halt keeps the rest untouched, Continue finishes', async () => {
    const title = 'Add wave_marker to every tenant';
    await slack.submit('U_DEV', { title, target: 'tenants', sql: 'CREATE TABLE wave_marker (id INT PRIMARY KEY);' });
    let msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_rollout'), 30_000);
    await slack.click('U_REL', msg, 'issue_rollout');

    // Wave 1: one database, then the thread shows its result and the rollout waits.
    msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_continue_waves'), 60_000);
    let thread = await slack.waitForThread(msg, (l) => l.some((t) => /wave 1 of 3 on prod ended/.test(t)));
    const wave1 = thread.find((t) => /wave 1 of 3 on prod ended/.test(t))!;
    assert.match(wave1, /1 database\(s\) done, 0 not/);
    assert.match(wave1, /tenant01 done/);
    assert.match(wave1, /starts on Continue by a releaser of prod/);
    assert.match(JSON.stringify(msg.blocks), /wave 1 of 3 ended; waiting for <@U_REL> to Continue or Halt/);
    assert.deepEqual(await applied(), [true, ...Array(FLEET - 1).fill(false)]);

    // Someone who may not release prod cannot continue it.
    const since = fake.calls.length;
    await slack.click('U_DEV', msg, 'issue_continue_waves');
    assert.match(await slack.ephemeralFor('U_DEV', since), /you are not a releaser for prod/);

    // Wave 2: 10% of 20 = 2 databases.
    await slack.click('U_REL', msg, 'issue_continue_waves');
    thread = await slack.waitForThread(msg, (l) => l.some((t) => /wave 2 of 3 on prod ended/.test(t)), 60_000);
    assert.ok(
      thread.some((t) => /<@U_REL> started wave 2 of 3 on prod \(2 database\(s\)\)/.test(t)),
      thread.join('\n'),
    );
    const wave2 = thread.find((t) => /wave 2 of 3 on prod ended/.test(t))!;
    assert.match(wave2, /tenant02 done/);
    assert.match(wave2, /tenant03 done/);
    assert.deepEqual(await applied(), [true, true, true, ...Array(FLEET - 3).fill(false)]);

    // Halt: the remaining 17 stay pending, and nothing is applied to them, also across a restart.
    msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_halt_waves'));
    await slack.click('U_REL', msg, 'issue_halt_waves');
    msg = await slack.waitForMessage(title, (m) => /halted after wave 2 of 3/.test(JSON.stringify(m.blocks)));
    assert.ok(!hasButton(msg, 'issue_halt_waves'));
    assert.ok(hasButton(msg, 'issue_cancel'));
    await slack.waitForThread(msg, (l) =>
      l.some((t) => /<@U_REL> halted the rollout of prod: 17 database\(s\) stay pending/.test(t)),
    );
    await bot.kill('SIGTERM');
    bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
    slack.botUrl = bot.url;
    assert.deepEqual(await applied(), [true, true, true, ...Array(FLEET - 3).fill(false)]);
    const id = /^#(\d+) /.exec(msg.text ?? '')?.[1];
    assert.match(await slack.commandReply('U_DEV', `status ${id}`), /tenant20: pending/);

    // Continue after the halt: the last wave runs on the 17 others and the change is done.
    await slack.click('U_REL', msg, 'issue_continue_waves');
    msg = await slack.waitForMessage(title, (m) => /— done/.test(m.text ?? ''), 120_000);
    thread = slack.thread(msg);
    const wave3 = thread.find((t) => /wave 3 of 3 on prod ended/.test(t));
    assert.ok(wave3, thread.join('\n'));
    assert.match(wave3, /17 database\(s\) done, 0 not/);
    assert.deepEqual(await applied(), Array(FLEET).fill(true));
  });
});
