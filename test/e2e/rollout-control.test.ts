// Rollout control end to end, through Slack's wire format on real PostgreSQL targets: the
// pre-flight check before a scheduled stage (Confirm, Postpone, held with `require: true`, going
// ahead unconfirmed), freeze windows (scheduling into one refused; an automatic stage due inside
// one held until it ends, then run by itself) and the waveDelay that starts the next wave by itself.
// The bot has no test clock: durations are short real ones (seconds), waits are generous, and
// the tests of one bot run concurrently, each on its own environment and databases.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { query, tableExists } from '../support/sql.js';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeMessage, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, SIGNING_SECRET, type BotProcess } from '../support/bot-process.js';
import { CHANNEL, SlackDriver, hasButton } from '../support/driver.js';
import { sendToBot, viewSubmissionBody } from '../support/slack-requests.js';

/** Time enough for the test to reach the frozen stage before the freeze window ends, on a loaded machine. */
const FREEZE_LEAD_MS = 35_000;
const FLEET = 4;

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
const dateTag = (at: Date) => `<!date^${seconds(at)}^`;
const blocks = (m: FakeMessage) => JSON.stringify(m.blocks);

// Both stores a user may run; on the embedded one (PGlite) only Confirm and the freeze windows,
// which are where the store's own job scheduling matters.
for (const storeKind of ['postgres', 'embedded'] as const)
  describe(`rollout control: pre-flight checks, freeze windows, wave delay (${storeKind} store)`, {
    concurrency: true,
  }, () => {
    let fake: FakeSlack;
    let bot: BotProcess;
    let store: FreshDatabase;
    let slack: SlackDriver;
    let freezeEnds: Date;
    const db: Record<string, FreshDatabase> = {};
    const fleet: FreshDatabase[] = [];
    const full = storeKind === 'postgres';
    /** A test run on the PostgreSQL store only. */
    const fullTest = (name: string, fn: () => Promise<void>) => {
      if (full) test(name, fn);
    };

    const configFor = (now: number) => {
      freezeEnds = new Date(Math.ceil((now + FREEZE_LEAD_MS) / 1000) * 1000);
      return `channel: ${CHANNEL}
admins: [U_ADMIN]
environments:
  - id: staging
    releasers: [U_REL]
    rollout: manual
    preflight: { before: 15 seconds }
    freeze:
      - { from: "${new Date(now + 2 * 3600_000).toISOString()}", to: "${new Date(now + 3 * 3600_000).toISOString()}", reason: "Database upgrade to PostgreSQL 17" }
  - id: strict
    releasers: [U_STRICT]
    rollout: manual
    preflight: { before: 1 hour, require: true }
  - id: loose
    releasers: [U_LOOSE]
    rollout: manual
    preflight: { before: 1 hour }
  - id: build
    rollout: automatic
  - id: books
    rollout: automatic
    freeze:
      - { from: "${new Date(now - 3600_000).toISOString()}", to: "${freezeEnds.toISOString()}", reason: "Quarter-end close: finance reconciles the ledgers" }
  - id: fleet
    releasers: [U_FLEET]
    rollout: manual
    waves: [1, rest]
    waveDelay: 5 seconds
databases:
  - { name: accounts, environment: staging, engine: postgres, url: "${db.accounts!.url}" }
  - { name: audit, environment: strict, engine: postgres, url: "${db.audit!.url}" }
  - { name: events, environment: loose, engine: postgres, url: "${db.events!.url}" }
  - { name: metrics, environment: loose, engine: postgres, url: "${db.metrics!.url}" }
  - { name: ledger, environment: build, engine: postgres, url: "${db.ledgerBuild!.url}" }
  - { name: ledger, environment: books, engine: postgres, url: "${db.ledgerBooks!.url}" }
${fleet.map((t, i) => `  - { name: tenant${i + 1}, environment: fleet, engine: postgres, url: "${t.url}", group: tenants }`).join('\n')}
`;
    };

    before(async () => {
      fake = await startFakeSlack();
      fake.setChannel(CHANNEL, { name: 'db-changes', isMember: true });
      for (const id of ['U_DEV', 'U_REL', 'U_STRICT', 'U_LOOSE', 'U_FLEET', 'U_ADMIN', 'U_OTHER'])
        fake.setUser(id, { tz: 'UTC' });
      store = await freshPostgres('rc_store');
      for (const name of ['accounts', 'audit', 'events', 'metrics', 'ledgerBuild', 'ledgerBooks'])
        db[name] = await freshPostgres(`rc_${name}`);
      for (let i = 0; i < FLEET; i++) fleet.push(await freshPostgres(`rc_tenant${i + 1}`));
      const storeUrl = full ? store.url : undefined;
      let started = Date.now();
      bot = await startBotProcess({
        config: configFor(started),
        slackApiUrl: fake.url,
        botToken: fake.token,
        storeUrl,
      });
      // The freeze window is written relative to the start: a start that took so long that the test
      // could not reach the frozen stage in time is made again, with the window as far ahead as needed.
      if (freezeEnds.getTime() - Date.now() < FREEZE_LEAD_MS / 2) {
        const took = Date.now() - started;
        await bot.kill('SIGTERM');
        started = Date.now() + took;
        bot = await startBotProcess({
          config: configFor(started),
          slackApiUrl: fake.url,
          botToken: fake.token,
          storeUrl,
          dir: bot.dir,
        });
      }
      slack = new SlackDriver(fake, bot.url);
    });

    after(async () => {
      await bot?.kill('SIGTERM');
      await fake?.close();
      for (const d of [...Object.values(db), ...fleet]) await d.drop();
      await store?.drop();
    });

    /** Submit a change and wait until the issue offers `button`. */
    async function submitted(title: string, target: string, sql: string, button = 'issue_schedule') {
      await slack.submit('U_DEV', { title, target, sql });
      return slack.waitForMessage(title, (m) => hasButton(m, button), 60_000);
    }

    /** Open the schedule dialog with `actionId` on `message` as `user` and submit `at`. */
    async function pickTime(user: string, message: FakeMessage, actionId: string, at: Date) {
      const { triggerId } = await slack.click(user, message, actionId);
      const open = await fake.waitFor('views.open', (c) => c.args.trigger_id === triggerId, 30_000);
      assert.equal(open.response.ok, true, JSON.stringify(open.response));
      return sendToBot(
        bot.url,
        viewSubmissionBody({ userId: user, view: open.response.view, values: { at: { at: seconds(at) } } }),
        { secret: SIGNING_SECRET },
      );
    }

    /** The thread reply (as a message, with its buttons) that matches `pattern`, waiting for it. */
    async function threadPost(issue: FakeMessage, pattern: RegExp, timeoutMs = 60_000): Promise<FakeMessage> {
      await slack.waitForThread(issue, (l) => l.some((t) => pattern.test(t)), timeoutMs);
      return fake.messages(CHANNEL).find((m) => m.thread_ts === issue.ts && pattern.test(m.text ?? ''))!;
    }

    async function firstStart(target: FreshDatabase): Promise<Date> {
      const [row] = await query<{ started: Date }>(target, 'SELECT min(started_at) AS started FROM dbchange_ledger');
      return row!.started;
    }

    test('pre-flight check: the releaser is mentioned with the live findings and three buttons; only someone who may change the schedule confirms; it runs at its time', async () => {
      const title = 'Backfill account plans';
      await query(db.accounts!, 'CREATE TABLE accounts (id int PRIMARY KEY, plan text)');
      await query(db.accounts!, 'INSERT INTO accounts SELECT g, NULL FROM generate_series(1, 10) g');
      await query(db.accounts!, 'ANALYZE accounts');
      let msg = await submitted(title, 'accounts', "UPDATE accounts SET plan = 'free' WHERE plan IS NULL;");
      const at = new Date((seconds(new Date()) + 30) * 1000);
      const res = await pickTime('U_REL', msg, 'issue_schedule', at);
      assert.equal(res.body, '');
      msg = await slack.waitForMessage(title, (m) => /scheduled/.test(m.text ?? ''));
      // The table grows meanwhile: the pre-flight check reviews the live database as it is then.
      await query(db.accounts!, 'INSERT INTO accounts SELECT g, NULL FROM generate_series(11, 5000) g');
      await query(db.accounts!, 'ANALYZE accounts');

      const check = await threadPost(msg, /pre-flight check/);
      assert.match(check.text!, /^:mag: <@U_REL> pre-flight check: the rollout to staging starts <!date\^/);
      assert.ok(check.text!.includes(dateTag(at)), check.text);
      assert.match(check.text!, /statement\.affected-row-limit/);
      assert.match(check.text!, /estimated to touch \d+ rows, more than 1000/);
      assert.match(
        check.text!,
        /Confirm it \(it then runs despite these problems\), Postpone it or Cancel it\. Unconfirmed, it starts as scheduled unless the live review still finds problems then: it is held for "Roll out anyway" instead\.$/,
      );
      for (const button of ['preflight_confirm', 'preflight_postpone', 'preflight_cancel'])
        assert.ok(hasButton(check, button), `${button} on ${blocks(check)}`);

      // The creator may not change the schedule, so may not confirm it: refused, nothing recorded.
      const since = fake.calls.length;
      await slack.click('U_DEV', check, 'preflight_confirm');
      assert.match(
        await slack.ephemeralFor('U_DEV', since, 30_000),
        /only a releaser of staging, whoever scheduled it, or an admin can confirm this rollout; releasers: <@U_REL>/,
      );
      assert.ok(!slack.thread(msg).some((t) => /confirmed the rollout/.test(t)));

      // Postponing into staging's freeze window is refused under the time field; nothing moves.
      const frozen = await pickTime('U_REL', check, 'preflight_postpone', new Date(Date.now() + 2.5 * 3600_000));
      assert.equal(frozen.json?.response_action, 'errors', frozen.body);
      assert.match(
        frozen.json.errors.at,
        /staging is frozen from .* UTC to .* UTC: Database upgrade to PostgreSQL 17\./,
      );
      assert.ok(blocks(slack.issueMessage(title)!).includes(dateTag(at)));

      // Confirmed with the findings in view: they are acknowledged, so the live review just before
      // the start does not hold the stage again for them.
      await slack.click('U_REL', check, 'preflight_confirm');
      const confirmed = await threadPost(msg, /confirmed the rollout/);
      assert.ok(
        confirmed.text!.startsWith(`:white_check_mark: <@U_REL> confirmed the rollout to staging at ${dateTag(at)}`),
        confirmed.text,
      );
      assert.match(
        confirmed.text!,
        /, with the 1 problem\(s\) its pre-flight check found: it runs despite them \(roll out anyway\)$/,
      );
      await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), 90_000);
      const lines = slack.thread(msg);
      assert.ok(
        lines.some((t) => /the scheduled rollout to staging started \(confirmed by <@U_REL>\)/.test(t)),
        lines.join('\n'),
      );
      const [{ n }] = (await query<{ n: string }>(
        db.accounts!,
        "SELECT count(*) AS n FROM accounts WHERE plan = 'free'",
      )) as [{ n: string }];
      assert.equal(Number(n), 5000);
      assert.ok((await firstStart(db.accounts!)).getTime() >= at.getTime());
    });

    fullTest(
      'Postpone from the pre-flight check moves the schedule: nothing runs at the old time, it runs at the new one after a check of its own',
      async () => {
        const title = 'Index events by day';
        let msg = await submitted(title, 'events', 'CREATE TABLE events_by_day (day date PRIMARY KEY, n int);');
        const first = new Date((seconds(new Date()) + 15) * 1000);
        await pickTime('U_LOOSE', msg, 'issue_schedule', first);
        msg = await slack.waitForMessage(title, (m) => /scheduled/.test(m.text ?? ''));
        const check = await threadPost(msg, /pre-flight check/);
        assert.ok(check.text!.includes(dateTag(first)), check.text);
        assert.match(check.text!, /the live review found nothing now/);

        const later = new Date(first.getTime() + 20_000);
        const res = await pickTime('U_LOOSE', check, 'preflight_postpone', later);
        assert.equal(res.body, '');
        msg = await slack.waitForMessage(title, (m) => blocks(m).includes(dateTag(later)));
        await slack.waitForThread(msg, (l) =>
          l.some(
            (t) =>
              t.startsWith('<@U_LOOSE> moved the rollout to loose from') &&
              t.includes(dateTag(first)) &&
              t.includes(dateTag(later)),
          ),
        );
        // The new time gets its own check.
        await slack.waitForThread(msg, (l) => l.some((t) => /pre-flight check/.test(t) && t.includes(dateTag(later))));
        // Well past the old time, nothing ran and the issue still waits for the new one.
        while (Date.now() < first.getTime() + 8000) await new Promise((r) => setTimeout(r, 250));
        assert.equal(await tableExists(db.events!, 'events_by_day'), false);
        assert.match(slack.issueMessage(title)!.text ?? '', /scheduled/);
        await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), 90_000);
        assert.equal(await tableExists(db.events!, 'events_by_day'), true);
        assert.ok((await firstStart(db.events!)).getTime() >= later.getTime());
      },
    );

    fullTest(
      'unconfirmed without require, the stage goes ahead at its time and the thread says it went ahead unconfirmed',
      async () => {
        const title = 'Add the event source';
        let msg = await submitted(title, 'metrics', 'CREATE TABLE event_sources (id int PRIMARY KEY);');
        const at = new Date((seconds(new Date()) + 15) * 1000);
        await pickTime('U_LOOSE', msg, 'issue_schedule', at);
        msg = await slack.waitForMessage(title, (m) => /scheduled/.test(m.text ?? ''));
        const check = await threadPost(msg, /pre-flight check/);
        assert.match(check.text!, /Confirm it, Postpone it or Cancel it\. Unconfirmed, it goes ahead as scheduled\.$/);
        await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), 90_000);
        const lines = slack.thread(msg);
        assert.ok(
          lines.some((t) =>
            /the scheduled rollout to loose started: nobody confirmed its pre-flight check, and loose does not require it, so it went ahead/.test(
              t,
            ),
          ),
          lines.join('\n'),
        );
        assert.equal(await tableExists(db.metrics!, 'event_sources'), true);
      },
    );

    fullTest(
      'with require: true an unconfirmed stage is held: it does not run, the thread says why, and the releaser rolls it out',
      async () => {
        const title = 'Audit trail table';
        let msg = await submitted(title, 'audit', 'CREATE TABLE audit_trail (id int PRIMARY KEY);');
        const at = new Date((seconds(new Date()) + 15) * 1000);
        await pickTime('U_STRICT', msg, 'issue_schedule', at);
        msg = await slack.waitForMessage(title, (m) => /scheduled/.test(m.text ?? ''));
        const check = await threadPost(msg, /pre-flight check/);
        assert.match(check.text!, /Unconfirmed, it is held: strict requires a confirmation\./);
        await slack.waitForThread(
          msg,
          (l) =>
            l.some((t) =>
              /the scheduled rollout to strict is held: nobody confirmed its pre-flight check, and strict requires it\. <@U_STRICT> can roll out or schedule it again\./.test(
                t,
              ),
            ),
          60_000,
        );
        msg = await slack.waitForMessage(title, (m) => hasButton(m, 'issue_rollout') && hasButton(m, 'issue_schedule'));
        assert.equal(await tableExists(db.audit!, 'audit_trail'), false);
        // The check's Confirm came too late: it says so and starts nothing.
        const since = fake.calls.length;
        await slack.click('U_STRICT', check, 'preflight_confirm');
        assert.match(
          await slack.ephemeralFor('U_STRICT', since, 30_000),
          /this pre-flight check is for a schedule that no longer stands \(it was moved, cancelled, held or has run\)/,
        );
        assert.equal(await tableExists(db.audit!, 'audit_trail'), false);
        await slack.click('U_STRICT', msg, 'issue_rollout');
        await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), 60_000);
        assert.equal(await tableExists(db.audit!, 'audit_trail'), true);
      },
    );

    test('freeze: scheduling into a window is refused under the time field with its reason, and nothing is scheduled', async () => {
      const title = 'Drop the legacy flag';
      const msg = await submitted(title, 'accounts', 'CREATE TABLE account_flags (id int PRIMARY KEY);');
      const at = new Date(Date.now() + 2.5 * 3600_000);
      const res = await pickTime('U_REL', msg, 'issue_schedule', at);
      assert.equal(res.json?.response_action, 'errors', res.body);
      assert.match(
        res.json.errors.at,
        /staging is frozen from .* UTC to .* UTC: Database upgrade to PostgreSQL 17\. Pick a time after/,
      );
      assert.doesNotMatch(slack.issueMessage(title)!.text ?? '', /scheduled/);
      assert.ok(!slack.thread(msg).some((t) => /scheduled the rollout/.test(t)));
    });

    test('freeze: an automatic stage due inside a window is held, the thread says why and until when, and it runs by itself when the window ends', async () => {
      const title = 'Ledger close marker';
      await slack.submit('U_DEV', { title, target: 'ledger', sql: 'CREATE TABLE close_marker (id int PRIMARY KEY);' });
      let msg = await slack.waitForIssue(title, 60_000);
      // build runs automatically; books, automatic too, is due inside its freeze window.
      const held = await threadPost(msg, /frozen until/);
      assert.ok(held.text!.startsWith(`:snowflake: books is frozen until ${dateTag(freezeEnds)}`), held.text);
      assert.ok(
        held.text!.endsWith(
          '>: Quarter-end close: finance reconciles the ledgers. Held: the rollout to books, which would start automatically now, starts by itself when the window ends.',
        ),
        held.text,
      );
      assert.equal(await tableExists(db.ledgerBuild!, 'close_marker'), true);
      assert.equal(await tableExists(db.ledgerBooks!, 'close_marker'), false);
      // The message says so too, and offers to move or cancel the hold like any schedule.
      msg = await slack.waitForMessage(title, (m) =>
        blocks(m).includes(
          `:snowflake: held: books is frozen until ${dateTag(freezeEnds)}{date_short_pretty} at {time}|${freezeEnds.toISOString().replace('.000Z', ' UTC').replace('T', ' ')}> (Quarter-end close: finance reconciles the ledgers); it starts when the window ends`,
        ),
      );
      assert.ok(hasButton(msg, 'issue_reschedule') && hasButton(msg, 'issue_cancel'), blocks(msg));
      await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), FREEZE_LEAD_MS + 60_000);
      assert.equal(await tableExists(db.ledgerBooks!, 'close_marker'), true);
      assert.ok((await firstStart(db.ledgerBooks!)).getTime() >= freezeEnds.getTime());
      const lines = slack.thread(msg);
      assert.ok(
        lines.includes(
          'the freeze of books ended (Quarter-end close: finance reconciles the ledgers): the rollout to books it held started',
        ),
        lines.join('\n'),
      );
    });

    fullTest('waveDelay: after a wave without failure the next wave starts by itself, with no click', async () => {
      const title = 'Tenant settings';
      const msg = await submitted(
        title,
        'tenants',
        'CREATE TABLE tenant_settings (id int PRIMARY KEY);',
        'issue_rollout',
      );
      // Clicked as soon as the message shows: the decision goes to that message and its thread.
      await slack.click('U_FLEET', msg, 'issue_rollout');
      await threadPost(msg, /^<@U_FLEET> started the rollout to fleet$/);
      const wave1 = await threadPost(msg, /wave 1 of 2 on fleet ended/);
      assert.match(wave1.text!, /Wave 2 starts by itself <!date\^/);
      await slack.waitForThread(
        msg,
        (l) => l.some((t) => /wave 2 of 2 on fleet started by itself after the wave delay \(3 database\(s\)\)/.test(t)),
        60_000,
      );
      await slack.waitForMessage(title, (m) => /done/.test(m.text ?? ''), 60_000);
      for (const t of fleet) assert.equal(await tableExists(t, 'tenant_settings'), true);
      assert.ok(!slack.thread(msg).some((t) => /<@U_FLEET> started wave 2/.test(t)));
      assert.equal(fake.messages(CHANNEL).filter((m) => !m.thread_ts && m.text?.includes(title)).length, 1);
    });
  });
