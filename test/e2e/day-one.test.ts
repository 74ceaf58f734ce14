// The day-one workflow through Slack's wire format on the real servers: a failed change fixed in
// place, its SQL frozen once a stage ran and amended by a follow-up, the "waiting for" line at
// each state, a long script sent as a file, and failure logs that say what stayed applied.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeMessage, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton } from '../support/driver.js';
import { query, tableExists } from '../support/sql.js';
import type { Engine } from '../../src/domain/engine.js';

const ENVS = ['dev', 'staging', 'prod'] as const;

describe('the day-one workflow', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let slack: SlackDriver;
  const targets: Record<string, FreshDatabase> = {};
  const blocks = (m: FakeMessage) => JSON.stringify(m.blocks);

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes', isMember: true });
    for (const [id, name] of [
      ['U_DEV', 'dev'],
      ['U_DBA', 'dba'],
      ['U_REL', 'rel'],
    ] as const)
      fake.setUser(id, { tz: 'Europe/Berlin', name });
    store = await freshPostgres('e2e_dayone_store');
    const engines: Engine[] = ['postgres', 'mysql'];
    for (const engine of engines)
      for (const env of ENVS) targets[`${engine}_${env}`] = await freshDatabase(engine, `e2e_d1_${env}`);
    const dbs = engines.flatMap((engine) =>
      ENVS.map(
        (env) =>
          `  - { name: ${engine === 'postgres' ? 'app_pg' : 'app_my'}, environment: ${env}, engine: ${engine}, url: "${targets[`${engine}_${env}`]!.url}" }`,
      ),
    );
    const config = `channel: ${CHANNEL}
environments:
  - id: dev
    rollout: automatic
  - id: staging
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
  - id: prod
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: scheduled
databases:
${dbs.join('\n')}
`;
    bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
    slack = new SlackDriver(fake, bot.url);
  });

  after(async () => {
    await bot?.kill('SIGTERM');
    await fake?.close();
    for (const db of Object.values(targets)) await db.drop();
    await store?.drop();
  });

  test('a failed MySQL change is fixed in place: Edit SQL, Retry skips what stayed applied, then dev is done', async () => {
    const title = 'Orders tables, first try';
    const sql =
      'CREATE TABLE orders_a (id INT PRIMARY KEY);\nCREATE TABLE orders_b (id INT PRIMARY KEY);\nINSERT INTO orders_a (id) VALUES (1), (1);';
    await slack.submit('U_DEV', { title, target: 'app_my', sql });
    let msg = await slack.waitForMessage(title, (m) => /failed/.test(m.text ?? ''));
    // The MySQL failure says which statements stayed applied.
    const failedThread = await slack.waitForThread(msg, (l) => l.some((t) => /task failed/.test(t)));
    assert.ok(
      failedThread.some((t) =>
        /statements 1–2 stayed applied \(MySQL commits each DDL statement at once\); Retry runs from statement 3\./.test(
          t,
        ),
      ),
      failedThread.join('\n'),
    );
    assert.ok(hasButton(msg, 'issue_edit'), 'Edit SQL is offered after a failure');
    assert.ok(hasButton(msg, 'issue_retry'));
    assert.match(blocks(msg), /dev failed: waiting for <@U_DEV> to Retry, or for the creator to fix it with Edit SQL/);

    // Someone else may not edit it.
    const since = fake.calls.length;
    await slack.click('U_REL', msg, 'issue_edit');
    assert.match(await slack.ephemeralFor('U_REL', since), /only the creator \(or an admin\) can edit the SQL/);

    const fixed =
      'CREATE TABLE orders_a (id INT PRIMARY KEY);\nCREATE TABLE orders_b (id INT PRIMARY KEY);\nINSERT INTO orders_a (id) VALUES (1);';
    const { res } = await slack.submitDialog('U_DEV', msg, 'issue_edit', { sql: { sql: fixed } });
    assert.equal(res.status, 200, res.body);
    msg = await slack.waitForMessage(title, (m) => /revision 2/.test(blocks(m)));
    await slack.waitForThread(msg, (l) =>
      l.some((t) => /edited the SQL \(revision 2\).*Retry runs revision 2 on dev/.test(t)),
    );
    assert.match(msg.text ?? '', /failed/);

    await slack.click('U_DEV', msg, 'issue_retry');
    msg = await slack.waitForMessage(title, (m) => /:white_check_mark: \*dev\*/.test(blocks(m)));
    const thread = await slack.waitForThread(msg, (l) => l.some((t) => /task done/.test(t)));
    assert.ok(
      thread.some((t) => /statement 1\/3 skipped: applied in an earlier attempt/.test(t)),
      thread.join('\n'),
    );
    assert.ok(thread.some((t) => /statement 2\/3 skipped/.test(t)));
    assert.ok(thread.some((t) => /statement 3\/3 done .*1 row affected/.test(t)));
    const rows = await query<{ n: number }>(targets.mysql_dev!, 'SELECT COUNT(*) AS n FROM orders_a');
    assert.equal(Number(rows[0]!.n), 1);
  });

  test('once dev ran, the SQL is frozen and a Follow-up change is opened prefilled and linked both ways', async () => {
    const title = 'Frozen after dev';
    await slack.submit('U_DEV', { title, target: 'app_pg', sql: 'CREATE TABLE frozen_t (id INT PRIMARY KEY);' });
    let msg = await slack.waitForMessage(title, (m) => /:white_check_mark: \*dev\*/.test(blocks(m)));
    assert.equal(hasButton(msg, 'issue_edit'), false);
    assert.ok(hasButton(msg, 'issue_follow_up'));
    assert.match(blocks(msg), /waiting for approval from <@U_DBA> \(0 of 1\) for staging/);

    // An Edit SQL button still on screen from before dev ran (same revision): refused, with the reason.
    const id = msg.text!.match(/^#(\d+)/)![1]!;
    const stale = {
      ...msg,
      blocks: [
        ...(msg.blocks ?? []),
        {
          type: 'actions',
          block_id: 'stale',
          elements: [
            {
              type: 'button',
              action_id: 'issue_edit',
              value: `${id}:1`,
              text: { type: 'plain_text', text: 'Edit SQL' },
            },
          ],
        },
      ],
    };
    const since = fake.calls.length;
    await slack.click('U_DEV', stale, 'issue_edit');
    assert.match(
      await slack.ephemeralFor('U_DEV', since),
      /dev already ran revision 1, and what ran is what runs next: the SQL is frozen\. Use "Follow-up change"/,
    );

    const { view, res } = await slack.submitDialog('U_DBA', msg, 'issue_follow_up', {
      title: { title: `Follow-up to #${msg.text?.match(/^#(\d+)/)?.[1]}: add a column` },
      target: {
        target: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'app_pg' }, value: 'app_pg' },
        },
      },
      changeType: {
        changeType: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'ddl' }, value: 'ddl' },
        },
      },
      sql: { sql: 'ALTER TABLE frozen_t ADD COLUMN note VARCHAR(20);' },
      description: { description: '' },
      labels: { labels: '' },
      timing: { timing: '' },
    });
    assert.equal(res.status, 200, res.body);
    const original = msg.text!.match(/^#(\d+)/)![1]!;
    // The form came filled in from the original.
    const prefilled = JSON.stringify(view.blocks);
    assert.match(prefilled, new RegExp(`"initial_value":"Follow-up to #${original}: ${title}"`));
    assert.match(prefilled, /"initial_value":"CREATE TABLE frozen_t \(id INT PRIMARY KEY\);"/);
    assert.match(prefilled, /"initial_option":\{"text":\{"type":"plain_text","text":"app_pg"/);

    const followUp = await slack.waitForIssue(`Follow-up to #${original}: add a column`);
    const followUpId = followUp.text!.match(/^#(\d+)/)![1]!;
    assert.match(blocks(followUp), new RegExp(`Follow-up to #${original}`));
    msg = await slack.waitForMessage(title, (m) => new RegExp(`Follow-up: #${followUpId}`).test(blocks(m)));
    await slack.waitForThread(msg, (l) =>
      l.some((t) => new RegExp(`opened a follow-up change: #${followUpId}`).test(t)),
    );
  });

  test('the issue message says what it waits for and from whom at every state', async () => {
    const title = 'Waiting line';
    await slack.submit('U_DEV', { title, target: 'app_pg', sql: 'CREATE TABLE waiting_t (id INT PRIMARY KEY);' });
    let msg = await slack.waitForMessage(title, (m) =>
      /waiting for approval from <@U_DBA> \(0 of 1\) for staging/.test(blocks(m)),
    );
    await slack.click('U_DBA', msg, 'issue_approve');
    msg = await slack.waitForMessage(title, (m) =>
      /waiting for <@U_REL> to roll out or schedule staging/.test(blocks(m)),
    );
    await slack.click('U_REL', msg, 'issue_rollout');
    msg = await slack.waitForMessage(title, (m) =>
      /waiting for approval from <@U_DBA> \(0 of 1\) for prod/.test(blocks(m)),
    );
    await slack.click('U_DBA', msg, 'issue_approve');
    // prod is rolled out only at a scheduled time.
    msg = await slack.waitForMessage(title, (m) => /waiting for <@U_REL> to schedule prod/.test(blocks(m)));
    const at = new Date(Date.now() + 3 * 3600_000);
    const { res } = await slack.submitDialog('U_REL', msg, 'issue_schedule', {
      at: { at: Math.floor(at.getTime() / 1000) },
    });
    assert.equal(res.status, 200, res.body);
    const seconds = Math.floor(at.getTime() / 1000);
    msg = await slack.waitForMessage(title, (m) =>
      new RegExp(`scheduled for <!date\\^${seconds}\\^\\{date_short_pretty\\} at \\{time\\}\\|[^>]+> by <@U_REL>`).test(
        blocks(m),
      ),
    );
    // The thread shows the time in Slack's date syntax too, so each reader sees their own zone.
    await slack.waitForThread(msg, (l) =>
      l.some((t) => new RegExp(`scheduled the rollout to prod for <!date\\^${seconds}\\^`).test(t)),
    );

    // Review findings hold an automatic stage: the message says so and names who may acknowledge.
    const held = 'Held by findings';
    await slack.submit('U_DEV', { title: held, target: 'app_pg', sql: 'CREATE TABLE held_t (v text);' });
    await slack.waitForMessage(held, (m) =>
      // The creator may not acknowledge their own findings; dev names no releasers, approvers or admins here.
      /held: review findings need an acknowledgement before dev rolls out \(it is automatic, and review findings hold it\), and the config names no one who may give it: add `releasers`, `approvers` or `admins` for dev to the config/.test(
        blocks(m),
      ),
    );
  });

  test('a 6,000-character script arrives as a file, read with the bot token; a file over the limit is a field error naming it', async () => {
    await query(targets.postgres_dev!, 'CREATE TABLE IF NOT EXISTS big_t (id INT PRIMARY KEY, label VARCHAR(100))');
    const lines = Array.from(
      { length: 120 },
      (_, i) =>
        `INSERT INTO big_t (id, label) VALUES (${i + 1}, 'row number ${String(i + 1).padStart(4, '0')} of the big script');`,
    );
    const script = lines.join('\n');
    assert.ok(script.length > 6000, `${script.length}`);
    const file = fake.uploadFile({ name: 'big.sql', content: script, user: 'U_DEV' });
    const title = 'Big data fix from a file';
    const { res } = await slack.submit('U_DEV', { title, target: 'app_pg', changeType: 'dml', sql: '', sqlFile: file });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.body, '', 'the submission is accepted without field errors');
    const msg = await slack.waitForMessage(title, (m) => /:white_check_mark: \*dev\*/.test(blocks(m)), 40_000);
    assert.ok(msg);
    const rows = await query<{ n: string }>(targets.postgres_dev!, 'SELECT COUNT(*) AS n FROM big_t');
    assert.equal(Number(rows[0]!.n), 120);
    assert.deepEqual(
      fake.callsOf('file_download').map((c) => c.args),
      [{ file: file.id, authorized: true }],
    );
    assert.equal(fake.callsOf('files.info').filter((c) => c.args.file === file.id).length, 1);

    const huge = fake.uploadFile({
      name: 'huge.sql',
      content: `-- ${'x'.repeat(1_200_000)}\nSELECT 1;`,
      user: 'U_DEV',
    });
    const refused = await slack.submit('U_DEV', { title: 'Too big', target: 'app_pg', sql: '', sqlFile: huge });
    assert.equal(refused.res.json?.response_action, 'errors');
    assert.match(refused.res.json?.errors?.sqlFile ?? '', /huge\.sql is 1\.2 MB; the limit is 1 MB/);
  });

  test('a change sent as a file is acked before the file is downloaded; a file that is not UTF-8 is told after the ack and creates nothing', async () => {
    const release = fake.holdDownloads();
    const downloadsBefore = fake.callsOf('file_download').length;
    const file = fake.uploadFile({ name: 'late.sql', content: 'SELECT 1;\n', user: 'U_DEV' });
    const title = 'Acked before the download';
    let res: Awaited<ReturnType<typeof slack.submit>>['res'];
    try {
      // A bot that downloaded before answering would never answer while downloads are held.
      let timer: NodeJS.Timeout | undefined;
      const held = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('the bot did not answer the submission while its file download was held')),
          30_000,
        );
      });
      ({ res } = await Promise.race([
        slack.submit('U_DEV', { title, target: 'app_pg', changeType: 'dml', sql: '', sqlFile: file }),
        held,
      ]).finally(() => clearTimeout(timer)));
      // Slack has its answer while the download is still held: the 3-second window never waits on it.
      assert.equal(res.status, 200, res.body);
      assert.equal(res.body, '');
      assert.equal(fake.callsOf('file_download').length, downloadsBefore);
    } finally {
      release();
    }
    await slack.waitForIssue(title, 40_000);
    assert.equal(fake.callsOf('file_download').length, downloadsBefore + 1);

    const binary = fake.uploadFile({
      name: 'latin1.sql',
      content: Buffer.from([0x53, 0x45, 0xff, 0xfe, 0x3b]),
      user: 'U_DEV',
    });
    const since = fake.calls.length;
    const sent = await slack.submit('U_DEV', { title: 'Not UTF-8', target: 'app_pg', sql: '', sqlFile: binary });
    assert.equal(sent.res.body, '');
    assert.match(
      await slack.ephemeralFor('U_DEV', since, 20_000),
      /Your change "Not UTF-8" was not created: latin1\.sql is not UTF-8 text/,
    );
    assert.equal(slack.issueMessage('Not UTF-8'), undefined);
  });

  test('a failed PostgreSQL task says its transaction was rolled back and nothing of it remains', async () => {
    const title = 'Rolled back on PostgreSQL';
    await slack.submit('U_DEV', {
      title,
      target: 'app_pg',
      sql: 'CREATE TABLE rb_t (id INT PRIMARY KEY);\nINSERT INTO rb_t (id) VALUES (1), (1);',
    });
    const msg = await slack.waitForMessage(title, (m) => /failed/.test(m.text ?? ''));
    const thread = await slack.waitForThread(msg, (l) => l.some((t) => /task failed/.test(t)));
    assert.ok(
      thread.some((t) => /statement 1\/2 done/.test(t)),
      thread.join('\n'),
    );
    assert.ok(
      thread.some((t) =>
        /The transaction was rolled back: nothing of this attempt remains in the database \(statement 1, reported done above, was undone\)\./.test(
          t,
        ),
      ),
      thread.join('\n'),
    );
    assert.equal(await tableExists(targets.postgres_dev!, 'rb_t'), false);
  });
});
