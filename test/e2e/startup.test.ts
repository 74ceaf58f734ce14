// Start-up problems stop the bot with one message that names the setting and says how to fix it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess } from '../support/bot-process.js';
import { freshPostgres } from '../support/db.js';

const CONFIG = `channel: C_X
environments:
  - id: dev
    rollout: automatic
databases:
  - { name: app, environment: dev, engine: postgres, url: "postgres://postgres@127.0.0.1:5432/postgres" }
`;

async function startupError(opts: Parameters<typeof startBotProcess>[0]): Promise<string> {
  try {
    const bot = await startBotProcess(opts);
    await bot.kill();
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail('the bot started although it should not have');
}

describe('start-up errors', () => {
  let fake: FakeSlack;
  before(async () => {
    fake = await startFakeSlack();
  });
  after(async () => {
    await fake.close();
  });

  test('a token Slack refuses stops the bot with what to do', async () => {
    const out = await startupError({ config: CONFIG, slackApiUrl: fake.url, botToken: 'xoxb-not-the-token' });
    assert.match(out, /Slack refused SLACK_BOT_TOKEN \(invalid_auth\)\. Copy the Bot User OAuth Token/);
    assert.doesNotMatch(out, /at WebClient/);
  });

  test('a missing signing secret and a malformed token are both named, with where to find them', async () => {
    const out = await startupError({
      config: CONFIG,
      slackApiUrl: fake.url,
      botToken: 'not-a-bot-token',
      env: { SLACK_SIGNING_SECRET: '' },
    });
    assert.match(out, /SLACK_BOT_TOKEN must be a bot token starting with xoxb-/);
    assert.match(out, /SLACK_SIGNING_SECRET is not set\. Create the Slack app from manifest\.json/);
  });

  test('environment problems and every problem of the config file are reported in one start', async () => {
    const config = `${CONFIG}  - { name: app, environment: qa, engine: postgres, url: "postgres://x", colour: red }
  - { name: shop, environment: dev, engine: oracle, url: "ftp://x" }
`.replace('rollout: automatic', 'rollout: manual');
    const out = await startupError({
      config,
      slackApiUrl: fake.url,
      botToken: fake.token,
      env: { SLACK_SIGNING_SECRET: '', LOG_LEVEL: 'chatty' },
    });
    assert.match(out, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "chatty"/);
    assert.match(out, /SLACK_SIGNING_SECRET is not set/);
    assert.match(out, /:3 environments\[0\]\.releasers: rollout manual needs at least one releaser/);
    assert.match(out, /:7 databases\[1\]: unknown key colour/);
    assert.match(out, /:7 databases\[1\]\.environment: unknown environment qa; known: dev/);
    assert.match(out, /:8 databases\[2\]\.engine: must be one of postgres, mysql/);
    assert.match(out, /:8 databases\[2\]\.url: must be a postgres:\/\/… or mysql:\/\/… URL/);
  });

  test('a token Slack refuses is reported together with the config problems', async () => {
    const out = await startupError({
      config: CONFIG.replace('rollout: automatic', 'rollout: sometimes'),
      slackApiUrl: fake.url,
      botToken: 'xoxb-not-the-token',
    });
    assert.match(out, /Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/);
    assert.match(out, /environments\[0\]\.rollout: must be one of automatic, manual, scheduled/);
  });

  test('every unreadable review policy file is named', async () => {
    const config = `${CONFIG}review:\n  policy: missing-default.yaml\n  environments:\n    dev: missing-dev.yaml\n`;
    const out = await startupError({ config, slackApiUrl: fake.url, botToken: fake.token });
    assert.match(out, /review\.policy: cannot read the policy file missing-default\.yaml/);
    assert.match(out, /review\.environments\.dev: cannot read the policy file missing-dev\.yaml/);
  });

  test('an invalid config file names the file, line and key, and no secret from it is printed', async () => {
    const config = CONFIG.replace('rollout: automatic', 'rollout: sometimes').replace(
      'postgres://postgres@',
      'postgres://postgres:hunter2@',
    );
    const out = await startupError({ config, slackApiUrl: fake.url, botToken: fake.token });
    assert.match(
      out,
      /dbchange\.config\.yaml:4 environments\[0\]\.rollout: must be one of automatic, manual, scheduled/,
    );
    assert.doesNotMatch(out, /hunter2/);
  });
});

describe('logs', () => {
  let fake: FakeSlack;
  before(async () => {
    fake = await startFakeSlack();
  });
  after(async () => {
    await fake.close();
  });

  async function runningOutput(env: Record<string, string>): Promise<string[]> {
    const store = await freshPostgres('e2e_logs');
    try {
      const bot = await startBotProcess({
        config: CONFIG,
        slackApiUrl: fake.url,
        botToken: fake.token,
        storeUrl: store.url,
        env,
      });
      await bot.kill();
      return bot.output().split('\n').filter(Boolean);
    } finally {
      await store.drop();
    }
  }

  test('without a terminal every log line is one JSON object', async () => {
    const lines = await runningOutput({});
    const events = lines.map((l) => JSON.parse(l) as { msg?: string; level: number });
    assert.ok(events.some((e) => e.msg === 'dbchange is running' && e.level === 30));
  });

  test('LOG_FORMAT=pretty writes one readable line per event', async () => {
    const lines = await runningOutput({ LOG_FORMAT: 'pretty' });
    const running = lines.find((l) => l.includes('dbchange is running'));
    assert.match(
      running ?? '',
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO \(dbchange\): dbchange is running \{.*"mode":"http"/,
    );
    for (const line of lines) assert.throws(() => JSON.parse(line), SyntaxError, line);
  });

  test('LOG_LEVEL=debug adds debug lines that the default level leaves out', async () => {
    const debugLines = (await runningOutput({ LOG_LEVEL: 'debug' })).map((l) => JSON.parse(l) as { level: number });
    assert.ok(debugLines.some((e) => e.level === 20));
    const infoLines = (await runningOutput({})).map((l) => JSON.parse(l) as { level: number });
    assert.ok(infoLines.every((e) => e.level >= 30));
  });
});
