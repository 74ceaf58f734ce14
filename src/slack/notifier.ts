// Posts and updates issue messages and thread replies through Slack's Web API.
import type { WebClient } from '@slack/web-api';
import type { IssueNotifier } from '../app/ports.js';
import type { Config } from '../config/model.js';
import type { Issue } from '../domain/issue.js';
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
      if (!res.ts || !res.channel) throw new Error('chat.postMessage returned no ts');
      return { ...issue, slack: { channel: res.channel, ts: res.ts } };
    },
    async thread(issue: Issue, text: string): Promise<void> {
      if (!issue.slack) return;
      await client.chat.postMessage({
        channel: issue.slack.channel,
        thread_ts: issue.slack.ts,
        text: clip(text, 39_000),
        unfurl_links: false,
      });
    },
  };
}
