// Posts and updates issue messages and thread replies through Slack's Web API.
import type { WebClient } from '@slack/web-api';
import type { IssueNotifier } from '../app/index.js';
import type { Config } from '../config/model.js';
import type { IssueEvent } from '../domain/events.js';
import type { Issue } from '../domain/issue.js';
import { DbchangeError, ErrorCode } from '../app/index.js';
import { eventText } from './views/events.js';
import { issueMessage } from './views/issue-message.js';
import { clip } from './views/text.js';

/** An IssueNotifier on a Web API client, posting into the configured channel. */
export function slackNotifier(client: WebClient, config: Config): IssueNotifier {
  return {
    async issueChanged(issue: Issue): Promise<Issue> {
      const { text, blocks } = issueMessage(issue, config);
      if (issue.slack) {
        await client.chat.update({ channel: issue.slack.channel, ts: issue.slack.ts, text, blocks });
        return issue;
      }
      const res = await client.chat.postMessage({ channel: config.channel, text, blocks, unfurl_links: false });
      if (!res.ts || !res.channel)
        throw new DbchangeError(
          ErrorCode.SlackFailed,
          `Slack's chat.postMessage answered without a message timestamp for channel ${config.channel}; check the channel id in the config`,
        );
      return { ...issue, slack: { channel: res.channel, ts: res.ts } };
    },
    async thread(issue: Issue, event: IssueEvent): Promise<void> {
      if (!issue.slack) return;
      await client.chat.postMessage({
        channel: issue.slack.channel,
        thread_ts: issue.slack.ts,
        text: clip(eventText(event), 39_000),
        unfurl_links: false,
      });
    },
  };
}
