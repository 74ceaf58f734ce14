// Starting the Slack side: the token check and the listener, with errors that say what to fix.
import type { App as BoltApp } from '@slack/bolt';
import { LogLevel, WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { DbchangeError, ErrorCode, messageOf } from '../app/index.js';
import { SLACK_API_URL } from './web-client.js';

const REFUSED_FIX =
  'Copy the Bot User OAuth Token (xoxb-…) again from your app\'s "OAuth & Permissions" page, and reinstall the app to the workspace if its scopes changed.';

/** What asking Slack about the bot token found: a refusal (the operator's to fix) or no answer at all. */
export interface TokenProblem {
  problem: string;
  /** Slack did not answer (a network error, said here): worth waiting for, unlike a refusal. */
  unreachable?: string;
}

/** Ask Slack whether the bot token is good (auth.test); a problem says what to fix, undefined when it is. */
export async function botTokenProblem(
  token: string,
  apiUrl: string | undefined,
  retries = 2,
): Promise<TokenProblem | undefined> {
  const client = new WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries, factor: 1, minTimeout: 200, maxTimeout: 1000 },
    logLevel: LogLevel.ERROR,
  });
  try {
    await client.auth.test();
    return undefined;
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code) return { problem: `Slack refused SLACK_BOT_TOKEN (${code}). ${REFUSED_FIX}` };
    const reason = messageOf(err);
    return {
      problem: `cannot reach Slack at ${apiUrl ?? SLACK_API_URL} to check SLACK_BOT_TOKEN (${reason}); check the network, or SLACK_API_URL.`,
      unreachable: reason,
    };
  }
}

/** Backoff between checks while Slack cannot be reached: 1 s, 2 s, 4 s … at most 30 s. */
const WAIT_BACKOFF = { firstMs: 1000, maxMs: 30_000 };

/**
 * Slack did not answer at start: say so once (the URL tried, never the token), then ask again
 * with backoff until it answers. Resolves when the token is good; a refusal once Slack answers
 * is thrown like any start-up problem.
 */
export async function waitForSlack(
  token: string,
  apiUrl: string | undefined,
  first: TokenProblem,
  logger: Logger,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  const url = apiUrl ?? SLACK_API_URL;
  logger.warn(
    { url, reason: first.unreachable },
    `cannot reach Slack at ${url}; trying again with backoff (check the network, or SLACK_API_URL), and the bot starts serving once Slack answers`,
  );
  let delay = WAIT_BACKOFF.firstMs;
  let attempts = 1;
  for (;;) {
    await sleep(delay);
    delay = Math.min(delay * 2, WAIT_BACKOFF.maxMs);
    attempts++;
    const problem = await botTokenProblem(token, apiUrl, 0);
    if (!problem) {
      logger.info({ url, attempts }, 'Slack answers; starting');
      return;
    }
    if (!problem.unreachable)
      throw new DbchangeError(ErrorCode.EnvMissing, `dbchange cannot start:\n  - ${problem.problem}`);
    logger.debug({ url, attempts }, 'Slack still cannot be reached');
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
