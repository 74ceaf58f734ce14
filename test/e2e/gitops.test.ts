// The git door end to end: the real bot process polls a real bare repository (in a temp folder)
// that the test commits to, opens issues through the fake Slack, applies migrations to real
// PostgreSQL databases and writes the LATEST schema back to the repository.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { join } from 'node:path';
import { columnsOf, query, tableExists } from '../support/sql.js';
import { freshPostgres, type FreshDatabase } from '../support/db.js';
import { startFakeSlack, type FakeMessage, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess, waitForOutput, type BotProcess } from '../support/bot-process.js';
import { CHANNEL, hasButton, linesOf, SlackDriver } from '../support/driver.js';
import { git, makeRemote, remoteFile, type TestRemote } from '../support/git.js';

const BOT_AUTHOR = 'dbchange bot <bot@dbchange.test>';

function configFor(remote: TestRemote, dev: FreshDatabase, prod: FreshDatabase, extra = '') {
  return `channel: ${CHANNEL}
admins: [U_ADMIN]
environments:
  - id: dev
    rollout: automatic
  - id: prod
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
databases:
  - name: app
    environment: dev
    engine: postgres
    url: ${dev.url}
  - name: app
    environment: prod
    engine: postgres
    url: ${prod.url}
gitops:
  repo: ${remote.bare}
  branch: main
  baseDirectory: bytebase
  pollInterval: 1 second
  author: ${BOT_AUTHOR}
${extra}`;
}

/** Top-level messages (not thread replies) whose text matches. */
function posts(fake: FakeSlack, match: RegExp): FakeMessage[] {
  return fake.messages(CHANNEL).filter((m) => !m.thread_ts && match.test(m.text ?? ''));
}

async function waitForPost(fake: FakeSlack, match: RegExp, timeoutMs = 30_000): Promise<FakeMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = posts(fake, match)[0];
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(
        `no message matching ${match}; posted:\n${fake
          .messages(CHANNEL)
          .filter((m) => !m.thread_ts)
          .map((m) => m.text)
          .join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

const blocksOf = (m: FakeMessage) => JSON.stringify(m.blocks);

/** Waits until `count` top-level messages match; returns them. */
async function waitForPosts(fake: FakeSlack, match: RegExp, count: number, timeoutMs = 30_000): Promise<FakeMessage[]> {
  const deadline = Date.now() + timeoutMs;
  while (posts(fake, match).length < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} messages matching ${match}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return posts(fake, match);
}

/** The message with this ts, as it looks now, once `pred` holds. */
async function waitForUpdate(fake: FakeSlack, ts: string, pred: (m: FakeMessage) => boolean): Promise<FakeMessage> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = fake.messages(CHANNEL).find((x) => x.ts === ts);
    if (m && pred(m)) return m;
    if (Date.now() > deadline) throw new Error(`message ${ts} never matched; now: ${JSON.stringify(m?.blocks)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('GitOps: migration files from a git repository', () => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let dev: FreshDatabase;
  let prod: FreshDatabase;
  let remote: TestRemote;
  let slack: SlackDriver;
  let cloneDir: string;

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    fake.setUser('U_DBA', { tz: 'UTC', name: 'dba' });
    fake.setUser('U_REL', { tz: 'UTC', name: 'rel' });
    store = await freshPostgres('e2e_gitops_store');
    dev = await freshPostgres('e2e_gitops_dev');
    prod = await freshPostgres('e2e_gitops_prod');
    remote = await makeRemote();
    // Already on the branch before the bot connects: never applied, listed in the summary.
    await remote.commit(
      { 'bytebase/dev/app##0000##ddl##before.sql': 'CREATE TABLE before_bot (id int PRIMARY KEY);' },
      'old',
    );
    bot = await startBotProcess({
      config: configFor(remote, dev, prod),
      slackApiUrl: fake.url,
      botToken: fake.token,
      storeUrl: store.url,
    });
    slack = new SlackDriver(fake, bot.url);
    cloneDir = join(
      bot.dir,
      '.dbchange',
      'gitops',
      createHash('sha256').update(`${remote.bare}#main`).digest('hex').slice(0, 16),
    );
  });

  after(async () => {
    if (process.env.E2E_BOT_LOG) console.log(bot?.output());
    await bot?.kill('SIGTERM');
    await fake?.close();
    for (const db of [dev, prod, store]) await db?.drop();
    await remote?.remove();
  });

  /** Start the bot again (after it was killed) on the same store and data folder. */
  async function restart() {
    bot = await startBotProcess({
      config: configFor(remote, dev, prod),
      slackApiUrl: fake.url,
      botToken: fake.token,
      storeUrl: store.url,
      dir: bot.dir,
    });
    slack.botUrl = bot.url;
  }

  test('on first connect the head is the starting point: nothing there is applied, one summary lists it', async () => {
    const summary = await waitForPost(fake, /^Connected to /);
    assert.match(blocksOf(summary), /app##0000##ddl##before\.sql/);
    assert.match(blocksOf(summary), /app@dev/);
    assert.equal(await tableExists(dev, 'before_bot'), false);
  });

  test('a commit with migration files for two environments opens one issue, applied per database in VERSION order', async () => {
    const sha = await remote.commit(
      {
        // 0002 needs 0001's table: applying out of order would fail.
        'bytebase/dev/app##0002##ddl##add_email.sql': 'ALTER TABLE accounts ADD COLUMN email text;',
        'bytebase/dev/app##0001##ddl##create_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);',
        'bytebase/prod/app##0001##ddl##create_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);',
      },
      'Accounts table\n\nwith email',
      'Ann Dev <ann@example.com>',
    );
    const issue = await slack.waitForIssue('app 0001', 30_000);
    const shown = blocksOf(issue);
    assert.match(shown, new RegExp(sha.slice(0, 7)));
    assert.match(shown, /Ann Dev: Accounts table/);
    assert.match(shown, /app##0002##ddl##add_email\.sql/);
    assert.match(shown, /add_email/);
    // The card shows the blast radius before anyone approves, as for a change from Slack.
    assert.match(shown, /Blast radius\*: 2 databases; no existing table is touched/);
    const thread = linesOf(
      await slack.waitForThread(issue, (l) => linesOf(l).filter((t) => /task done/.test(t)).length >= 2, 30_000),
    );
    assert.ok(
      thread.findIndex((t) => /create_accounts\W+task done/.test(t)) <
        thread.findIndex((t) => /add_email\W+task done/.test(t)),
      thread.join('\n'),
    );
    assert.deepEqual(await columnsOf(dev, 'accounts'), ['id', 'email']);
    // prod is manual and needs an approval: nothing ran there.
    assert.equal(await tableExists(prod, 'accounts'), false);
    assert.equal(posts(fake, /^#\d+ app 0001/).length, 1);
  });

  test('history shows, for versions from git, the version, the file and the commit', async () => {
    const reply = await slack.commandReply('U_DBA', 'history app@dev');
    const sha = (
      await git(remote.bare, 'log', '--format=%H', '--', 'bytebase/dev/app##0002##ddl##add_email.sql')
    ).trim();
    assert.match(
      reply,
      new RegExp(`\`0002\` from \`bytebase/dev/app##0002##ddl##add_email.sql\` \\(commit \`${sha.slice(0, 7)}\`\\)`),
    );
    assert.match(reply, /`0001` from `bytebase\/dev\/app##0001##ddl##create_accounts\.sql`/);
  });

  test('after the migrations the LATEST schema is committed to the branch by the bot, and its commit opens no issue', async () => {
    const deadline = Date.now() + 30_000;
    let latest: string | undefined;
    while (Date.now() < deadline) {
      latest = await remoteFile(remote, 'bytebase/dev/.app##LATEST.sql');
      if (latest?.includes('email')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(latest ?? '', /CREATE TABLE[^;]*accounts[\s\S]*email/i);
    const log = (await git(remote.bare, 'log', '-1', '--format=%an <%ae>|%s', 'main')).trim();
    assert.match(log, /^dbchange bot <bot@dbchange\.test>\|dbchange: schema after app@dev: #\d+ (0001, #\d+ )?0002$/);
    // A later commit is polled after the bot's own: once its report is out, the bot's commit was seen.
    await remote.commit({ 'bytebase/dev/app-0003.sql': 'SELECT 1;' }, 'a file with a bad name');
    const stray = await waitForPost(fake, /do not fit the migration file path template/);
    assert.match(blocksOf(stray), /app-0003\.sql.*does not match the file path template/);
    assert.equal(fake.messages(CHANNEL).filter((m) => !m.thread_ts && /^#\d+ /.test(m.text ?? '')).length, 1);
  });

  test('a malformed name is reported once, and a modified applied file is a checksum mismatch that never runs', async () => {
    await remote.commit(
      {
        'bytebase/dev/app-0003.sql': 'SELECT 2;',
        'bytebase/dev/app##0001##ddl##create_accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);',
      },
      'edit things',
    );
    const mismatch = await waitForPost(fake, /^Checksum mismatch/);
    assert.match(blocksOf(mismatch), /app##0001##ddl##create_accounts\.sql/);
    // The stray file changed content, so it is reported again: a second report, no more.
    const deadline = Date.now() + 20_000;
    while (posts(fake, /do not fit/).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(posts(fake, /do not fit/).length, 2);
    await remote.commit(
      { 'bytebase/dev/app##0000##ddl##late.sql': 'CREATE TABLE late (id int PRIMARY KEY);' },
      'late one',
    );
    const held = await waitForPost(fake, /version lower than one already applied/);
    assert.match(blocksOf(held), /0000.*lower than.*0002/);
    assert.equal(await tableExists(dev, 'late'), false);
    assert.deepEqual(
      (
        await query<{ data_type: string }>(
          dev,
          "SELECT data_type FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'id'",
        )
      ).map((r) => r.data_type),
      ['integer'],
    );
  });

  test('a held migration waits for an admin: others are refused, Apply anyway opens its issue, Skip is recorded for good', async () => {
    const held = await waitForPost(fake, /version lower than one already applied/);
    assert.ok(hasButton(held, 'gitops_held_apply') && hasButton(held, 'gitops_held_skip'), blocksOf(held));
    let since = fake.calls.length;
    await slack.click('U_DBA', held, 'gitops_held_apply');
    assert.match(await slack.ephemeralFor('U_DBA', since), /only admins can apply or skip a held migration/);
    assert.equal(await tableExists(dev, 'late'), false);

    await slack.click('U_ADMIN', held, 'gitops_held_apply');
    const issue = await slack.waitForIssue('app 0000', 30_000);
    await slack.waitForThread(issue, (l) => l.some((t) => /late\W+task done/.test(t)), 30_000);
    assert.equal(await tableExists(dev, 'late'), true);
    const decided = await waitForUpdate(fake, held.ts, (m) => !hasButton(m, 'gitops_held_apply'));
    assert.match(blocksOf(decided), /<@U_ADMIN> chose \*Apply anyway\*/);
    // The old buttons are refused now: it was decided.
    since = fake.calls.length;
    await slack.click('U_ADMIN', held, 'gitops_held_skip');
    assert.match(await slack.ephemeralFor('U_ADMIN', since), /already decided/);
    assert.equal(posts(fake, /^#\d+ app 0000/).length, 1);

    await remote.commit(
      { 'bytebase/dev/app##0001_5##ddl##skipme.sql': 'CREATE TABLE skipme (id int PRIMARY KEY);' },
      'another late one',
    );
    const second = (await waitForPosts(fake, /version lower than one already applied/, 2))[1]!;
    await slack.click('U_ADMIN', second, 'gitops_held_skip');
    const skipped = await waitForUpdate(fake, second.ts, (m) => !hasButton(m, 'gitops_held_skip'));
    assert.match(blocksOf(skipped), /<@U_ADMIN> chose \*Skip\*/);
    since = fake.calls.length;
    await slack.click('U_ADMIN', second, 'gitops_held_apply');
    assert.match(await slack.ephemeralFor('U_ADMIN', since), /already decided \(it is skipped now\)/);
    assert.equal(await tableExists(dev, 'skipme'), false);
  });

  test('a commit pushed while the bot was killed is applied once after the restart', async () => {
    await bot.kill('SIGKILL');
    await remote.commit(
      { 'bytebase/dev/app##0004##ddl##orders.sql': 'CREATE TABLE orders (id int PRIMARY KEY);' },
      'orders while down',
    );
    await restart();
    const issue = await slack.waitForIssue('app 0004', 60_000);
    await slack.waitForThread(issue, (l) => l.some((t) => /orders\W+task done/.test(t)), 30_000);
    assert.equal(await tableExists(dev, 'orders'), true);
    assert.equal(posts(fake, /^#\d+ app 0004/).length, 1);
    assert.equal(posts(fake, /^Connected to /).length, 1);
    // Re-reading after the restart reports nothing twice.
    assert.equal(posts(fake, /do not fit/).length, 2);
    assert.equal(posts(fake, /^Checksum mismatch/).length, 1);
  });

  test('when someone pushes between the bot fetch and push, the write-back rebases and lands on top', async () => {
    await remote.commit(
      { 'bytebase/dev/app##0005##ddl##items.sql': 'CREATE TABLE items (id int PRIMARY KEY);' },
      'items',
    );
    await remote.raceNextPush(cloneDir, { 'docs/notes.md': 'racing\n' }, 'racing commit');
    const deadline = Date.now() + 40_000;
    let latest: string | undefined;
    while (Date.now() < deadline) {
      latest = await remoteFile(remote, 'bytebase/dev/.app##LATEST.sql');
      if (latest?.includes('items')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(latest ?? '', /items/);
    const subjects = (await git(remote.bare, 'log', '--format=%s', 'main')).trim().split('\n');
    assert.ok(subjects.includes('racing commit'), subjects.join('\n'));
    // One write-back may also name an earlier version whose schema was not pushed yet.
    assert.match(subjects[0]!, /^dbchange: schema after app@dev: (#\d+ \d+, )*#\d+ 0005$/);
    assert.equal(await remoteFile(remote, 'docs/notes.md'), 'racing\n');
  });

  test('a SIGKILL in the middle of a poll neither misses nor repeats a commit, and opens no issue twice', async () => {
    // One poll opens two issues (a DDL file and a DML file); the bot dies while telling Slack about the second.
    const hold = fake.hold('chat.postMessage', (a) => !a.thread_ts && /app 0011/.test(String(a.text)));
    await remote.commit(
      {
        'bytebase/dev/app##0010##ddl##during.sql': 'CREATE TABLE during_poll (id int PRIMARY KEY);',
        'bytebase/dev/app##0011##dml##fill.sql': 'INSERT INTO accounts (id) VALUES (11);',
      },
      'two kinds in one commit',
    );
    await hold.arrived;
    await bot.kill('SIGKILL');
    await hold.gone;
    hold.release();
    await restart();
    const ddl = await slack.waitForIssue('app 0010', 60_000);
    const dml = await slack.waitForIssue('app 0011', 60_000);
    // A stage the kill interrupted runs again after the restart; its ledger then says the task was applied already.
    const finished = (task: string) => (l: string[]) =>
      l.some((t) => new RegExp(`${task}\\W+(task done|already applied)`).test(t));
    await slack.waitForThread(ddl, finished('during'), 60_000);
    await slack.waitForThread(dml, finished('fill'), 60_000);
    assert.equal(await tableExists(dev, 'during_poll'), true);
    assert.deepEqual(await query(dev, 'SELECT id FROM accounts WHERE id = 11'), [{ id: 11 }]);
    assert.equal(posts(fake, /^#\d+ app 0010/).length, 1);
    assert.equal(posts(fake, /^#\d+ app 0011/).length, 1);
    // The issue saved before the kill is the one posted after it: no second issue was opened for the file.
    const number = (m: FakeMessage) => Number(/^#(\d+) /.exec(m.text ?? '')![1]);
    assert.equal(number(dml), number(ddl) + 1);
  });
});

describe('GitOps: state-based LATEST files, polled when a webhook says so', () => {
  const SECRET = 'webhook-secret-for-tests';
  let fake: FakeSlack;
  let bot: BotProcess;
  let store: FreshDatabase;
  let dev: FreshDatabase;
  let prod: FreshDatabase;
  let remote: TestRemote;
  let slack: SlackDriver;

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    store = await freshPostgres('e2e_gitops_state_store');
    dev = await freshPostgres('e2e_gitops_state_dev');
    prod = await freshPostgres('e2e_gitops_state_prod');
    remote = await makeRemote();
    await remote.commit({ 'README.md': 'state\n' }, 'start');
    bot = await startBotProcess({
      // An hour between polls: only the webhook brings a poll sooner.
      config: configFor(remote, dev, prod).replace(
        'pollInterval: 1 second',
        'pollInterval: 1 hour\n  changeType: state',
      ),
      slackApiUrl: fake.url,
      botToken: fake.token,
      storeUrl: store.url,
      env: { GITOPS_WEBHOOK_SECRET: SECRET },
    });
    slack = new SlackDriver(fake, bot.url);
    await waitForPost(fake, /^Connected to /);
  });

  after(async () => {
    if (process.env.E2E_BOT_LOG) console.log(bot?.output());
    await bot?.kill('SIGTERM');
    await fake?.close();
    for (const db of [dev, prod, store]) await db?.drop();
    await remote?.remove();
  });

  async function push(body: object, headers: Record<string, string>) {
    const res = await fetch(`http://127.0.0.1:${bot.port}/gitops/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return res.status;
  }
  const event = () => ({ ref: 'refs/heads/main', repository: { clone_url: remote.bare } });
  const github = (body: object, secret = SECRET) => ({
    'x-github-event': 'push',
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(JSON.stringify(body)).digest('hex')}`,
  });

  test('a webhook with a bad signature gets 401; a signed one triggers the poll that opens the state-based issue', async () => {
    await remote.commit(
      { 'bytebase/dev/.app##LATEST.sql': 'CREATE TABLE people (\n  id integer PRIMARY KEY,\n  name text\n);\n' },
      'Desired: people',
    );
    assert.equal(await push(event(), github(event(), 'wrong-secret')), 401);
    assert.equal(await push(event(), { 'x-gitlab-token': 'wrong' }), 401);
    assert.equal(await push(event(), github(event())), 202);
    const issue = await slack.waitForIssue('desired schema from', 30_000);
    assert.match(blocksOf(issue), /Schema change/);
    assert.match(blocksOf(issue), /people/);
    await slack.waitForThread(issue, (l) => l.some((t) => /task done/.test(t)), 30_000);
    assert.deepEqual(await columnsOf(dev, 'people'), ['id', 'name']);
    assert.equal(await tableExists(prod, 'people'), false);
  });

  test('a LATEST commit that changes nothing live opens no issue; the next real change does', async () => {
    await remote.commit(
      {
        'bytebase/dev/.app##LATEST.sql':
          '-- people, as they are\nCREATE TABLE people (\n    id   integer PRIMARY KEY,\n    name text\n);\n',
      },
      'Only a comment and spaces',
    );
    assert.equal(await push(event(), { 'x-gitlab-token': SECRET }), 202);
    await remote.commit(
      {
        'bytebase/dev/.app##LATEST.sql':
          'CREATE TABLE people (\n  id integer PRIMARY KEY,\n  name text,\n  email text\n);\n',
      },
      'Desired: email',
    );
    assert.equal(await push(event(), { 'x-gitlab-token': SECRET }), 202);
    const deadline = Date.now() + 30_000;
    while (posts(fake, /desired schema from/).length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const issues = posts(fake, /desired schema from/);
    assert.equal(issues.length, 2);
    assert.match(blocksOf(issues[1]!), /email/);
    // The difference alters a live table: the card names it, measured on the database it runs on.
    assert.match(
      blocksOf(issues[1]!),
      /Blast radius\*: 1 database; largest table touched: `public\.people` on `app` \(dev\), 0 rows, [\d.]+ kB; no statement rewrites or locks it/,
    );
  });

  test('Baseline from Slack writes the live schema to the LATEST file and records it with that commit, which opens no issue', async () => {
    const emailIssue = posts(fake, /desired schema from/)[1]!;
    await slack.waitForThread(emailIssue, (l) => l.some((t) => /task done/.test(t)), 60_000);
    // Someone changed the database outside dbchange; an admin records the live schema as the baseline.
    await query(dev, 'ALTER TABLE people ADD COLUMN nick text');
    const reply = await slack.commandReply('U_ADMIN', 'baseline app@dev');
    const head = await remote.head();
    assert.match(
      reply,
      new RegExp(`written to \`bytebase/dev/\\.app##LATEST\\.sql\` in .+ \\(commit \`${head.slice(0, 7)}\`\\)`),
    );
    const latest = (await remoteFile(remote, 'bytebase/dev/.app##LATEST.sql')) ?? '';
    assert.match(latest, /CREATE TABLE[^;]*people[^;]*email[^;]*nick/i);
    assert.equal(
      (await git(remote.bare, 'log', '-1', '--format=%an <%ae>|%s', 'main')).trim(),
      `${BOT_AUTHOR}|dbchange: baseline of app@dev`,
    );
    const history = await slack.commandReply('U_ADMIN', 'history app@dev');
    assert.match(
      history,
      new RegExp(
        `BASELINE \`baseline-[^\`]+\` from \`bytebase/dev/\\.app##LATEST\\.sql\` \\(commit \`${head.slice(0, 7)}\`\\)`,
      ),
    );
    // The poll that reads the bot's own commit takes no commit from it, and opens nothing.
    assert.equal(await push(event(), github(event())), 202);
    await waitForOutput(bot, new RegExp(`"head":"${head}","commits":0`), 1, 30_000);
    assert.equal(posts(fake, /desired schema from/).length, 2);
    assert.equal(posts(fake, /do not fit/).length, 0);
  });
});

describe('GitOps: two bot processes on one PostgreSQL store', () => {
  let fake: FakeSlack;
  const bots: BotProcess[] = [];
  let store: FreshDatabase;
  let dev: FreshDatabase;
  let prod: FreshDatabase;
  let remote: TestRemote;

  before(async () => {
    fake = await startFakeSlack();
    fake.setChannel(CHANNEL, { name: 'db-changes' });
    store = await freshPostgres('e2e_gitops_two_store');
    dev = await freshPostgres('e2e_gitops_two_dev');
    prod = await freshPostgres('e2e_gitops_two_prod');
    remote = await makeRemote();
    await remote.commit({ 'README.md': 'two\n' }, 'start');
    for (let i = 0; i < 2; i++)
      bots.push(
        await startBotProcess({
          config: configFor(remote, dev, prod),
          slackApiUrl: fake.url,
          botToken: fake.token,
          storeUrl: store.url,
        }),
      );
  });

  after(async () => {
    for (const bot of bots) await bot.kill('SIGTERM');
    await fake?.close();
    for (const db of [dev, prod, store]) await db?.drop();
    await remote?.remove();
  });

  test('exactly one process polls: every file opens one issue and is applied once', async () => {
    await waitForPost(fake, /^Connected to /);
    for (let i = 1; i <= 3; i++)
      await remote.commit(
        { [`bytebase/dev/app##000${i}##ddl##t${i}.sql`]: `CREATE TABLE t${i} (id int PRIMARY KEY);` },
        `t${i}`,
      );
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      const done = await query<{ n: string }>(
        dev,
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('t1', 't2', 't3')",
      );
      if (Number(done[0]!.n) === 3) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const t of ['t1', 't2', 't3']) assert.equal(await tableExists(dev, t), true);
    const issues = fake.messages(CHANNEL).filter((m) => !m.thread_ts && /^#\d+ app 000/.test(m.text ?? ''));
    // Each issue lists its files; across all issues every file appears exactly once.
    const versions = issues.flatMap((m) => [...new Set([...blocksOf(m).matchAll(/app##000(\d)##/g)].map((x) => x[1]))]);
    assert.deepEqual([...new Set(versions)].sort(), ['1', '2', '3']);
    assert.equal(versions.length, new Set(versions).size);
    assert.equal(posts(fake, /^Connected to /).length, 1);
    const ledger = await query<{ n: string }>(dev, "SELECT count(*) AS n FROM dbchange_ledger WHERE status = 'done'");
    assert.equal(Number(ledger[0]!.n), 3);
  });
});
