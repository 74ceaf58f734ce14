// Start-up problems stop the bot with one message that names the setting and says how to fix it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startBotProcess } from '../support/bot-process.js';

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
