// What every Slack handler shares: the Bolt app, the application (the one door in), and small
// helpers to read modal state and to answer the one person who acted.
import type { App as BoltApp } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Application, NotFound, Refused } from '../../app/index.js';
import type { Issue } from '../../domain/issue.js';
import { isValidTimeZone } from '../../app/index.js';
import { refusalText } from '../views/events.js';

export interface HandlerContext {
  bolt: BoltApp;
  app: Application;
  logger: Logger;
  now: () => Date;
}

/** An action's channel, or the changes channel when Slack sent none. */
export function channelOf(h: HandlerContext, body: { channel?: { id?: string } }): string {
  return body.channel?.id ?? h.app.config.channel;
}

/** `issueId:revision` from a button's value. */
export function seenIn(value: string | undefined): { issueId: string; revision?: number } {
  const [issueId = '', revision] = (value ?? '').split(':');
  return revision ? { issueId, revision: Number(revision) } : { issueId };
}

type ViewState = Record<
  string,
  Record<
    string,
    { value?: string | null; selected_option?: { value: string } | null; selected_date_time?: number | null }
  >
>;
type StateValue = ViewState[string][string];

/** The one input element of a modal block, whatever its action id. */
export function element(values: unknown, blockId: string): StateValue | undefined {
  const block = (values as ViewState)[blockId];
  return block ? Object.values(block)[0] : undefined;
}

/** The text or selected value of a modal block's input. */
export function field(values: unknown, blockId: string): string {
  const v = element(values, blockId);
  return (v?.selected_option?.value ?? v?.value ?? '').toString();
}

/** The user's IANA time zone from users.info, or UTC with a note saying why. */
export async function userTimeZone(h: HandlerContext, user: string): Promise<{ tz: string; note: string | null }> {
  try {
    const res = await h.bolt.client.users.info({ user });
    const tz = res.user?.tz;
    if (tz && isValidTimeZone(tz)) return { tz, note: null };
    return {
      tz: 'UTC',
      note: tz
        ? `(Your Slack time zone "${tz}" is not one we know, so UTC is used.)`
        : '(Your Slack profile has no time zone, so UTC is used.)',
    };
  } catch (err) {
    h.logger.warn({ err, user }, 'users.info failed; using UTC');
    return { tz: 'UTC', note: '(Could not read your Slack time zone, so UTC is used.)' };
  }
}

/** An ephemeral message only `user` sees. */
export async function tellUser(h: HandlerContext, channel: string, user: string, text: string): Promise<void> {
  try {
    await h.bolt.client.chat.postEphemeral({ channel, user, text });
  } catch {
    // The person may not be in the channel; a DM is the fallback.
    try {
      await h.bolt.client.chat.postMessage({ channel: user, text });
    } catch {
      /* nothing more we can do; the action changed nothing */
    }
  }
}

/** Tell the one person who acted why nothing was done. */
export function tellRefusal(h: HandlerContext, channel: string, user: string, r: Refused | NotFound): Promise<void> {
  return tellUser(h, channel, user, refusalText(r));
}

/** A reply in an issue's thread that only Slack knows how to say (e.g. a time in the clicker's zone). */
export async function postInThread(h: HandlerContext, issue: Issue, text: string): Promise<void> {
  if (!issue.slack) return;
  try {
    await h.bolt.client.chat.postMessage({ channel: issue.slack.channel, thread_ts: issue.slack.ts, text });
  } catch (err) {
    h.logger.error({ err, issue: issue.id }, 'could not post to the issue thread');
  }
}
