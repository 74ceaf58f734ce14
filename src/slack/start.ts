// Starting the Slack side: the token check and the listener, with errors that say what to fix.
import type { App as BoltApp } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { DbchangeError, ErrorCode, messageOf } from '../app/index.js';

const REFUSED_FIX =
  'Copy the Bot User OAuth Token (xoxb-…) again from your app\'s "OAuth & Permissions" page, and reinstall the app to the workspace if its scopes changed.';

/** Ask Slack whether the bot token is good (auth.test); a problem says what to fix, undefined when it is. */
export async function botTokenProblem(token: string, apiUrl: string | undefined): Promise<string | undefined> {
  const client = new WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 2, factor: 1, minTimeout: 200, maxTimeout: 1000 },
  });
  try {
    await client.auth.test();
    return undefined;
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code) return `Slack refused SLACK_BOT_TOKEN (${code}). ${REFUSED_FIX}`;
    return `cannot reach Slack at ${apiUrl ?? 'https://slack.com/api/'} to check SLACK_BOT_TOKEN (${messageOf(err)}); check the network, or SLACK_API_URL.`;
  }
}

/** Check the token with Slack (auth.test); a refusal says what to fix. */
export async function initSlack(app: BoltApp): Promise<void> {
  try {
    await app.init();
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
    throw new DbchangeError(ErrorCode.EnvMissing, `Slack refused SLACK_BOT_TOKEN (${code}). ${REFUSED_FIX}`, {
      cause: err,
    });
  }
}

/** Start receiving requests (HTTP on the port, or Socket Mode); errors say what to fix. */
export async function startSlack(app: BoltApp, opts: { port: number; socketMode: boolean }): Promise<void> {
  try {
    if (opts.socketMode) await app.start();
    else await app.start(opts.port);
  } catch (err) {
    const message = (err as Error).message;
    throw new DbchangeError(
      ErrorCode.EnvMissing,
      opts.socketMode
        ? `Socket Mode could not connect (${message}); check SLACK_APP_TOKEN (an xapp- token with connections:write) and that Socket Mode is enabled for the app.`
        : `cannot listen on PORT ${opts.port} (${message}); choose a free port with PORT.`,
      { cause: err },
    );
  }
}
