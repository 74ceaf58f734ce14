// Scheduling, cancelling, editing and "roll out anyway", through Slack's wire format, including a
// scheduled rollout that still runs after the bot was killed with SIGKILL and started again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { query, tableExists } from '../support/sql.js';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, SIGNING_SECRET, type BotProcess } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton } from '../support/driver.js';
import { findElement, sendToBot, viewSubmissionBody } from '../support/slack-requests.js';

// Both stores a user may run: PostgreSQL, and the embedded default (PGlite) that must survive SIGKILL too.
for (const storeKind of ['postgres', 'embedded'] as const)
  describe(`scheduling and editing a change (${storeKind} store)`, () => {
    let fake: FakeSlack;
    let bot: BotProcess;
    let store: FreshDatabase;
    let dev: FreshDatabase;
    let staging: FreshDatabase;
    let slack: SlackDriver;
    let config: string;

    before(async () => {
      fake = await startFakeSlack();
      fake.setChannel(CHANNEL, { name: 'db-changes' });
      fake.setUser('U_DEV', { tz: 'Europe/Berlin' });
      fake.setUser('U_DBA', { tz: 'America/New_York' });
      fake.setUser('U_REL', { tz: 'Asia/Kolkata' });
      store = await freshPostgres('sched_store');
      const storeUrl = storeKind === 'postgres' ? store.url : undefined;
      dev = await freshPostgres('sched_dev');
      staging = await freshPostgres('sched_staging');
      config = `channel: ${CHANNEL}
admins: [U_ADMIN]
environments:
  - id: dev
    rollout: automatic
  - id: staging
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: app, environment: dev, engine: postgres, url: "${dev.url}" }
  - { name: app, environment: staging, engine: postgres, url: "${staging.url}" }
`;
      bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl });
      slack = new SlackDriver(fake, bot.url);
    });

    after(async () => {
      await bot?.kill('SIGTERM');
      await fake?.close();
      await dev?.drop();
      await staging?.drop();
      await store?.drop();
    });

    async function approvedForStaging(title: string, sql: string) {
      await slack.submit('U_DEV', { title, target: 'app', sql });
      let msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_approve'));
      await slack.click('U_DBA', msg, 'issue_approve');
      msg = await slack.waitForMessage(title, (m) => /approvals 1\/1/.test(JSON.stringify(m.blocks)));
      return msg;
    }

    async function scheduleAt(title: string, at: Date | { type: 'datetimepicker'; selected_date_time: unknown }) {
      const msg = slack.issueMessage(title)!;
      const { triggerId } = await slack.click('U_REL', msg, 'issue_schedule');
      const open = await fake.waitFor('views.open', (c) => c.args.trigger_id === triggerId);
      assert.equal(open.response.ok, true, JSON.stringify(open.response));
      const view = open.response.view;
      const res = await sendToBot(
        bot.url,
        viewSubmissionBody({
          userId: 'U_REL',
          view,
          values: { at: { at: at instanceof Date ? Math.floor(at.getTime() / 1000) : at } },
        }),
        { secret: SIGNING_SECRET },
      );
      return { view, res };
    }

    test("the schedule dialog shows times in the releaser's own time zone, named", async () => {
      const title = 'Schedule shows my zone';
      await approvedForStaging(title, 'CREATE TABLE zone_demo (id int PRIMARY KEY);');
      const { view, res } = await scheduleAt(title, new Date(Date.now() - 60_000));
      assert.match(JSON.stringify(view.blocks), /Asia\/Kolkata/);
      assert.equal(res.json?.response_action, 'errors');
      assert.match(res.json.errors.at, /in the future/);
    });

    test('schedule values that are not times get a field error in the dialog and schedule nothing', async () => {
      const title = 'Schedule with odd values';
      await approvedForStaging(title, 'CREATE TABLE odd_schedule (id int PRIMARY KEY);');
      for (const value of ['abc', 1e15, 1.5, -60, null, '']) {
        const { res } = await scheduleAt(title, { type: 'datetimepicker', selected_date_time: value });
        assert.equal(res.status, 200, `${value}: ${res.status} ${res.body}`);
        assert.equal(res.json?.response_action, 'errors', `${value}: ${res.body}`);
        assert.match(res.json.errors.at, /Pick a date and time/);
      }
      assert.doesNotMatch(slack.issueMessage(title)?.text ?? '', /scheduled/);
    });

    test('a scheduled rollout still runs after the bot is killed with SIGKILL and restarted', async () => {
      const title = 'Scheduled across a crash';
      await approvedForStaging(title, 'CREATE TABLE survives_restart (id int PRIMARY KEY);');
      // Far enough ahead that the kill usually comes before Agenda locks the job (see below).
      const at = new Date(Date.now() + 12_000);
      const { res } = await scheduleAt(title, at);
      assert.equal(res.status, 200);
      assert.equal(res.body, '');
      const msg = await slack.waitForMessage(title, (m) => /scheduled/.test(m.text ?? ''));
      // Pending: no Roll out now, no Edit SQL until the schedule is cancelled.
      assert.equal(hasButton(msg, 'issue_rollout'), false);
      assert.equal(hasButton(msg, 'issue_edit'), false);
      await slack.waitForThread(msg, (l) => l.some((t) => /runs at .*GMT\+5:30 \(Asia\/Kolkata\)/.test(t)));

      await bot.kill('SIGKILL');
      bot = await startBotProcess({
        config,
        slackApiUrl: fake.url,
        botToken: fake.token,
        storeUrl: storeKind === 'postgres' ? store.url : undefined,
        dir: bot.dir,
      });
      slack.botUrl = bot.url;
      // Agenda locks a job up to one scan (5 s) before it is due. Killed while holding that lock,
      // the bot on the embedded store (its alone) expires the lock when it starts again; a shared
      // store waits out the lock's 60 s lifetime, since another bot may be the one holding it.
      await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), storeKind === 'embedded' ? 40_000 : 100_000);
      assert.equal(await tableExists(staging, 'survives_restart'), true);
      // The picker has second precision: the change may not start before the picked second.
      const [ledger] = await query<{ started: Date }>(
        staging,
        'SELECT min(started_at) AS started FROM dbchange_ledger',
      );
      assert.ok(ledger!.started.getTime() >= Math.floor(at.getTime() / 1000) * 1000, String(ledger!.started));
    });

    test('cancelling a schedule makes the change open again; its SQL stays frozen because dev ran it, and a follow-up amends it', async () => {
      const title = 'Cancel then edit';
      await approvedForStaging(title, 'CREATE TABLE cancel_demo (id int PRIMARY KEY);');
      await scheduleAt(title, new Date(Date.now() + 3600_000));
      let msg = await slack.waitForMessage(title, (m) => /scheduled/.test(m.text ?? ''));
      assert.equal(hasButton(msg, 'issue_follow_up'), true);
      await slack.click('U_REL', msg, 'issue_cancel');
      msg = await slack.waitForMessage(title, (m) => /open/.test(m.text ?? '') && hasButton(m, 'issue_rollout'));
      // What ran is what runs next: dev ran revision 1, so Edit SQL is gone and a follow-up is offered.
      assert.equal(hasButton(msg, 'issue_edit'), false);
      assert.equal(hasButton(msg, 'issue_follow_up'), true);
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
      assert.match(await slack.ephemeralFor('U_DEV', since), /dev already ran revision 1, .*the SQL is frozen/);
      // The approval of staging stands: nothing was edited.
      assert.match(JSON.stringify(slack.issueMessage(title)!.blocks), /approvals 1\/1/);
    });

    test("an admin moves a releaser's schedule to another time; people who may not move it are refused and nothing moves", async () => {
      const title = 'Moved by an admin';
      await approvedForStaging(title, 'CREATE TABLE moved_demo (id int PRIMARY KEY);');
      const first = new Date(Math.floor(Date.now() / 1000) * 1000 + 3600_000);
      await scheduleAt(title, first);
      const msg = await slack.waitForMessage(
        title,
        (m) => /scheduled/.test(m.text ?? '') && hasButton(m, 'issue_reschedule'),
      );
      // The creator (no role at staging) and staging's approver may not move it.
      for (const user of ['U_DEV', 'U_DBA']) {
        const since = fake.calls.length;
        await slack.click(user, msg, 'issue_reschedule');
        assert.match(
          await slack.ephemeralFor(user, since),
          /only a releaser of staging, whoever scheduled it, or an admin can move this schedule/,
        );
      }
      const { triggerId } = await slack.click('U_ADMIN', msg, 'issue_reschedule');
      const open = await fake.waitFor('views.open', (c) => c.args.trigger_id === triggerId);
      assert.equal(open.response.ok, true, JSON.stringify(open.response));
      const view = open.response.view;
      assert.match(view.title.text, /^Reschedule #/);
      const later = new Date(first.getTime() + 3600_000);
      const values = { at: { at: Math.floor(later.getTime() / 1000) } };
      // The same dialog submitted by someone without the right is a field error and moves nothing.
      const refused = await sendToBot(bot.url, viewSubmissionBody({ userId: 'U_DEV', view, values }), {
        secret: SIGNING_SECRET,
      });
      assert.equal(refused.json?.response_action, 'errors');
      assert.match(refused.json.errors.at, /only a releaser of staging, whoever scheduled it, or an admin/);
      const res = await sendToBot(bot.url, viewSubmissionBody({ userId: 'U_ADMIN', view, values }), {
        secret: SIGNING_SECRET,
      });
      assert.equal(res.body, '');
      const laterTag = `<!date^${Math.floor(later.getTime() / 1000)}^`;
      const moved = await slack.waitForMessage(title, (m) => JSON.stringify(m.blocks).includes(laterTag));
      // The releaser who scheduled it stays the one named; the thread says who moved it, from when to when.
      assert.match(JSON.stringify(moved.blocks), /scheduled for .* by <@U_REL>/);
      await slack.waitForThread(moved, (lines) =>
        lines.some(
          (l) =>
            l.startsWith('<@U_ADMIN> moved the rollout to staging from <!date^') &&
            l.includes(`<!date^${Math.floor(first.getTime() / 1000)}^`) &&
            l.includes(laterTag),
        ),
      );
      await slack.click('U_ADMIN', moved, 'issue_cancel');
      await slack.waitForMessage(title, (m) => /open/.test(m.text ?? ''));
    });

    test('review findings hold the rollout until someone allowed, never the creator, ticks "roll out anyway"', async () => {
      const title = 'Needs roll out anyway';
      let since = fake.calls.length;
      // Submitted from another channel, the creator is told where the change went once the bot
      // has finished with the submission, including its decision not to start dev.
      await slack.submit(
        'U_DEV',
        { title, target: 'app', sql: 'CREATE TABLE anyway_demo (v text);' },
        { channel: 'C_TEAM' },
      );
      const told = await slack.ephemeralFor('U_DEV', since);
      const id = /#(\d+)/.exec(told)?.[1];
      assert.ok(id, told);
      assert.match(await slack.commandReply('U_DEV', `status ${id}`), /\*dev\*: waiting/);
      let msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_rollout_anyway'));
      assert.match(JSON.stringify(msg.blocks), /table\.require-pk/);
      assert.equal(await tableExists(dev, 'anyway_demo'), false);
      since = fake.calls.length;
      await slack.click('U_DBA', msg, 'issue_rollout_anyway', { selectedOptions: [{ value: 'yes' }] });
      assert.match(await slack.ephemeralFor('U_DBA', since), /only a releaser of dev/);
      since = fake.calls.length;
      await slack.click('U_DEV', msg, 'issue_rollout_anyway', { selectedOptions: [{ value: 'yes' }] });
      assert.match(await slack.ephemeralFor('U_DEV', since), /you created this change/);
      await slack.click('U_ADMIN', msg, 'issue_rollout_anyway', { selectedOptions: [{ value: 'yes' }] });
      msg = await slack.waitForMessage(title, (m) => /:white_check_mark: \*dev\*/.test(JSON.stringify(m.blocks)));
      assert.equal(await tableExists(dev, 'anyway_demo'), true);
      // The acknowledgement was for dev: staging shows the checkbox again, unticked, and holds.
      const box = findElement(msg.blocks, 'issue_rollout_anyway');
      assert.ok(box, 'staging offers its own roll out anyway');
      assert.equal(box.element.initial_options, undefined);
      await slack.click('U_DBA', msg, 'issue_approve');
      msg = await slack.waitForMessage(title, (m) => /approvals 1\/1/.test(JSON.stringify(m.blocks)));
      since = fake.calls.length;
      await slack.click('U_REL', msg, 'issue_rollout');
      assert.match(await slack.ephemeralFor('U_REL', since), /needs "Roll out anyway" ticked/);
      assert.equal(await tableExists(staging, 'anyway_demo'), false);
    });
  });
