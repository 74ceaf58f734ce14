/**
 * Posts and updates issue messages and thread replies through Slack's Web API. chat.update is
 * rate-limited by Slack (about 50 a minute), so one issue's message is updated at most once per
 * UPDATE_GAP_MS (the service folds what is asked for meanwhile into the next update), and never
 * with what it already shows.
 */
import type { WebClient } from '@slack/web-api';
import type { IssueNotifier } from '../app/index.js';
import type { Config } from '../config/model.js';
import type { IssueEvent } from '../domain/events.js';
import type { Issue } from '../domain/issue.js';
import { DbchangeError, ErrorCode } from '../app/index.js';
import { eventBlocks, eventText, eventTexts, MESSAGE_TEXT_MAX } from './views/events.js';
import { issueMessage } from './views/issue-message.js';
import { clip } from './views/text.js';

/** Below Slack's chat.update tier (about 50 a minute) for one message, with room for a second one. */
export const UPDATE_GAP_MS = 1500;

/** An IssueNotifier on a Web API client, posting into the configured channel. */
export function slackNotifier(
  client: WebClient,
  config: Config,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  },
): IssueNotifier {
  // Per issue: when its message was last updated, and what it showed then.
  const shown = new Map<string, { at: number; rendered: string }>();
  return {
    async readyToUpdate(issueId: string): Promise<void> {
      const last = shown.get(issueId);
      const wait = last ? last.at + UPDATE_GAP_MS - clock.now() : 0;
      if (wait > 0) await clock.sleep(wait);
    },
    async issueChanged(issue: Issue): Promise<Issue> {
      const { text, blocks } = issueMessage(issue, config, new Date(clock.now()));
      if (issue.slack) {
        const rendered = JSON.stringify([text, blocks]);
        if (shown.get(issue.id)?.rendered === rendered) return issue;
        await client.chat.update({ channel: issue.slack.channel, ts: issue.slack.ts, text, blocks });
        shown.set(issue.id, { at: clock.now(), rendered });
        return issue;
      }
      const res = await client.chat.postMessage({ channel: config.channel, text, blocks, unfurl_links: false });
      if (!res.ts || !res.channel)
        throw new DbchangeError(
          ErrorCode.SlackFailed,
          `Slack's chat.postMessage answered without a message timestamp for channel ${config.channel}; check the channel id in the config`,
        );
      shown.set(issue.id, { at: clock.now(), rendered: JSON.stringify([text, blocks]) });
      return { ...issue, slack: { channel: res.channel, ts: res.ts } };
    },
    async thread(issue: Issue, event: IssueEvent): Promise<void> {
      if (!issue.slack) return;
      // A reply with buttons (a pre-flight check's Confirm, Postpone, Cancel) carries its blocks.
      const blocks = eventBlocks(event);
      for (const text of eventTexts(event)) {
        await client.chat.postMessage({
          channel: issue.slack.channel,
          thread_ts: issue.slack.ts,
          text: clip(text, MESSAGE_TEXT_MAX),
          ...(blocks ? { blocks } : {}),
          unfurl_links: false,
        });
      }
    },
    async post(issue: Issue, event: IssueEvent): Promise<string | undefined> {
      if (!issue.slack) return undefined;
      const blocks = eventBlocks(event);
      const res = await client.chat.postMessage({
        channel: issue.slack.channel,
        thread_ts: issue.slack.ts,
        text: clip(eventText(event), MESSAGE_TEXT_MAX),
        ...(blocks ? { blocks } : {}),
        unfurl_links: false,
      });
      return res.ts;
    },
    async edit(issue: Issue, ts: string, event: IssueEvent): Promise<void> {
      if (!issue.slack) return;
      // New text without blocks drops the old blocks; a settled notice sends its blocks without buttons.
      const blocks = eventBlocks(event);
      await client.chat.update({
        channel: issue.slack.channel,
        ts,
        text: clip(eventText(event), MESSAGE_TEXT_MAX),
        ...(blocks ? { blocks } : {}),
      });
    },
  };
}
