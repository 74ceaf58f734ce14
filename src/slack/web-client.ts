/**
 * How the bot talks to Slack's Web API, in one place for every client it makes (its own and
 * Bolt's). Slack's limits are the SDK's to honour, configured here:
 * - HTTP 429: the client waits the `Retry-After` seconds and sends again (`rejectRateLimitedCalls`
 *   off), pausing its other calls meanwhile;
 * - HTTP 5xx and network errors: sent again with exponential backoff (RETRY_POLICY), then the
 *   call fails and the caller logs it (a saved decision is never undone by Slack).
 * - chat.postMessage (about one a second per channel) and chat.update (about 50 a minute): the
 *   bot's own calls keep Slack's pace (./channel-pace.ts), so a busy rollout is not answered 429.
 * The SDK's own warnings go to the bot's log, a repeated line once a minute with a count, so an
 * outage does not fill the log with the same line.
 */
import {
  type Logger as WebLogger,
  LogLevel as WebLogLevel,
  type RetryOptions,
  WebClient,
  type WebClientOptions,
  WebClientEvent,
} from '@slack/web-api';
import type { Logger } from 'pino';
import type { SlackPaces } from './channel-pace.js';

/** Where the Web API is when SLACK_API_URL is not set. */
export const SLACK_API_URL = 'https://slack.com/api/';

/** Backoff for 5xx answers and network errors: 1 s, 2 s, 4 s … at most 30 s apart, about 4 minutes in all. */
export const RETRY_POLICY: RetryOptions = {
  retries: 10,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 30_000,
  randomize: true,
};

const REPEAT_WINDOW_MS = 60_000;

/** Options for every Web API client of the bot (Bolt's adds its own logger). */
export function webClientOptions(apiUrl: string | undefined): WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: RETRY_POLICY,
    rejectRateLimitedCalls: false,
  };
}

/** The bot's own Web API client (issue messages, threads, reports), logging through pino; its posts and edits keep `paces`. */
export function botWebClient(token: string, apiUrl: string | undefined, logger: Logger, paces: SlackPaces): WebClient {
  const client = new WebClient(token, { ...webClientOptions(apiUrl), logger: quietWebLogger(logger) });
  const post = client.chat.postMessage.bind(client.chat);
  client.chat.postMessage = (async (args: Parameters<typeof post>[0]) => {
    if (typeof args.channel === 'string') await paces.posts.take(args.channel);
    return post(args);
  }) as typeof post;
  const update = client.chat.update.bind(client.chat);
  client.chat.update = (async (args: Parameters<typeof update>[0]) => {
    await paces.updates.take('app');
    return update(args);
  }) as typeof update;
  const warn = onceAMinute(logger);
  client.on(WebClientEvent.RATE_LIMITED, (retryAfter: number, { url }: { url: string }) =>
    warn(`Slack rate-limited ${methodOf(url)}; sending again in ${retryAfter} s as Slack asked`),
  );
  return client;
}

/** The Web API client logs through pino at warn level, so tokens and payloads stay out of logs. */
function quietWebLogger(logger: Logger): WebLogger {
  const warn = onceAMinute(logger);
  return {
    debug: () => {},
    info: () => {},
    warn: (...m: unknown[]) => warn(m.map(String).join(' ')),
    error: (...m: unknown[]) => logger.error({ slack: m.map(String).join(' ') }),
    setLevel: () => {},
    getLevel: () => WebLogLevel.WARN,
    setName: () => {},
  };
}

/** A warning logger that writes a line again only a minute after it last did, with how often it recurred. */
function onceAMinute(logger: Logger, now: () => number = Date.now): (line: string) => void {
  const seen = new Map<string, { at: number; repeats: number }>();
  return (line) => {
    const t = now();
    const last = seen.get(line);
    if (last && t - last.at < REPEAT_WINDOW_MS) {
      last.repeats++;
      return;
    }
    for (const [k, v] of seen) if (t - v.at >= REPEAT_WINDOW_MS) seen.delete(k);
    seen.set(line, { at: t, repeats: 0 });
    logger.warn({ slack: line, ...(last?.repeats ? { repeatedInTheLastMinute: last.repeats } : {}) });
  };
}

function methodOf(url: string): string {
  return url.split('/').pop() ?? url;
}
