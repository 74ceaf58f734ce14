// Control of a rollout from the thread, through Slack's wire format on real PostgreSQL:
// approvals that record what they approved, are voided by an edit (the thread names whose) and
// expire (approvalExpires); pre-flight checks before a scheduled stage; freeze windows.
// Durations are short real ones (seconds), with generous waits: the bot's clock is the real one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeMessage, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton } from '../support/driver.js';
import { tableExists } from '../support/sql.js';

const DBS = ['exp'] as const;

describe('rollout control from the thread', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let slack: SlackDriver;
  const targets: Record<string, FreshDatabase> = {};
  const blocks = (m: FakeMessage) => JSON.stringify(m.blocks);

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes', isMember: true });
    for (const id of ['U_DEV', 'U_DBA', 'U_REL', 'U_ADMIN']) fake.setUser(id, { tz: 'UTC' });
    store = await freshPostgres('e2e_control_store');
    for (const name of DBS) targets[name] = await freshPostgres(`e2e_control_${name}`);
    const config = `channel: ${CHANNEL}
admins: [U_ADMIN]
environments:
  - id: exp
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
    approvalExpires: 30 seconds
databases:
  - { name: expdb, environment: exp, engine: postgres, url: "${targets.exp!.url}" }
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

  test('an approval shows the revision and sha256 it approved; an edit voids it and the thread says whose', async () => {
    const title = 'Approval voided by an edit';
    const sql = 'CREATE TABLE voided_t (id int PRIMARY KEY);';
    await slack.submit('U_DEV', { title, target: 'expdb', sql });
    let msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_approve'));
    await slack.click('U_DBA', msg, 'issue_approve');
    const short = createHash('sha256').update(sql).digest('hex').slice(0, 8);
    msg = await slack.waitForMessage(title, (m) => blocks(m).includes(`<@U_DBA> revision 1, sha256 ${short}…`));
    await slack.waitForThread(msg, (l) => l.includes(`<@U_DBA> approved revision 1, sha256 ${short}…, for exp`));
    const { res } = await slack.submitDialog('U_DEV', msg, 'issue_edit', {
      sql: { sql: 'CREATE TABLE voided_t2 (id int PRIMARY KEY);' },
    });
    assert.equal(res.body, '');
    msg = await slack.waitForMessage(title, (m) => /revision 2/.test(blocks(m)) && /approvals 0\/1/.test(blocks(m)));
    await slack.waitForThread(msg, (l) =>
      l.some((t) => /edited the SQL \(revision 2\).*Approvals voided: <@U_DBA> \(exp\)\./.test(t)),
    );
  });

  test('an approval older than approvalExpires must be renewed: the thread and the message say so, Roll out now is refused, approving again releases it', async () => {
    const title = 'Approval that expires';
    await slack.submit('U_DEV', { title, target: 'expdb', sql: 'CREATE TABLE expired_t (id int PRIMARY KEY);' });
    let msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_approve'));
    await slack.click('U_DBA', msg, 'issue_approve');
    // Thread posts stay as they are (the message moves on): the approval was recorded.
    await slack.waitForThread(msg, (l) => l.some((t) => /^<@U_DBA> approved revision 1/.test(t)));
    // When the 30 seconds have passed the thread says so, and the message counts it no more.
    await slack.waitForThread(
      msg,
      (l) =>
        l.some((t) =>
          /the approval of exp by <@U_DBA> expired \(approvals count for 30 seconds\): it must be renewed/.test(t),
        ),
      90_000,
    );
    msg = await slack.waitForMessage(
      title,
      (m) =>
        /approvals 0\/1/.test(blocks(m)) && /expired: approve again/.test(blocks(m)) && hasButton(m, 'issue_approve'),
    );
    assert.match(blocks(msg), /the approval by <@U_DBA> is older than 30 seconds and must be renewed/);
    const since = fake.calls.length;
    await slack.click('U_REL', msg, 'issue_rollout');
    assert.match(
      await slack.ephemeralFor('U_REL', since),
      /the approval of exp is older than 30 seconds and must be renewed before release: an approver approves again; approvers: <@U_DBA>/,
    );
    assert.equal(await tableExists(targets.exp!, 'expired_t'), false);
    await slack.click('U_DBA', msg, 'issue_approve');
    msg = await slack.waitForMessage(title, (m) => /approvals 1\/1/.test(blocks(m)) && hasButton(m, 'issue_rollout'));
    await slack.waitForThread(msg, (l) =>
      l.some((t) => /<@U_DBA> renewed their approval: approved revision 1/.test(t)),
    );
    await slack.click('U_REL', msg, 'issue_rollout');
    await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), 40_000);
    assert.equal(await tableExists(targets.exp!, 'expired_t'), true);
  });
});
