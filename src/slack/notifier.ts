/**
 * Posts and updates issue messages and thread replies through Slack's Web API. chat.update is
 * rate-limited by Slack (about 50 a minute), so one issue's message is updated at most once per
 * UPDATE_GAP_MS (the service folds what is asked for meanwhile into the next update), and never
 * with what it already shows. Thread replies keep the channel's pace (./channel-pace.ts): each
 * thread's replies go out in order, one at a time, and the lines of tasks' runs that arrive
 * while a reply waits for its turn go out together in one message, so a rollout over many
 * databases posts about one reply a second however many tasks it runs. A task never waits for
 * its lines to be posted; `sent` waits for one thread's (a stage before it settles), `drain`
 * for every thread's (the bot's stop).
 */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { IssueNotifier } from '../app/index.js';
import type { Config } from '../config/model.js';
import type { IssueEvent } from '../domain/events.js';
import type { Issue } from '../domain/issue.js';
import { DbchangeError, ErrorCode } from '../app/index.js';
import type { Pace } from './channel-pace.js';
import { eventBlocks, eventText, eventTexts, MESSAGE_TEXT_MAX } from './views/events.js';
import { issueMessage } from './views/issue-message.js';
import { clip } from './views/text.js';

/** Below Slack's chat.update tier (about 50 a minute) for one message, with room for a second one. */
export const UPDATE_GAP_MS = 1500;

/**
 * One thread's replies waiting to go out, in order: a plain text (the lines of tasks' runs are
 * joined when several wait; any other event is a reply of its own), or a reply made by `own`.
 */
type Pending = { line: string; joins: boolean } | { own: () => Promise<void> };

/** What tasks say as they run: many at once in a stage over many databases, read together. */
const TASK_LINES = new Set<IssueEvent['kind']>([
  'task-log',
  'task-done',
  'task-failed',
  'task-already-applied',
  'task-needs-attention',
  'task-not-started',
  'task-bot-failure',
  'task-in-desired-schema',
  'ddl-generated',
]);

type Slack = NonNullable<Issue['slack']>;

interface ThreadQueue {
  issueId: string;
  slack: Slack;
  pending: Pending[];
  /** Set while the thread's sender runs; resolves when the queue is empty. */
  sending?: Promise<void>;
}

export interface SlackNotifierOptions {
  clock?: { now: () => number; sleep: (ms: number) => Promise<void> };
  /** The posts' pace the client keeps (by channel): a thread waits for its turn before gathering its lines. */
  pace?: Pace;
  /** A queued line Slack did not take (after the client's own retries): the bot's log. */
  onError?: (err: unknown, issueId: string) => void;
}

/** An IssueNotifier on a Web API client, posting into the configured channel. */
export function slackNotifier(
  client: WebClient,
  config: Config,
  opts: SlackNotifierOptions = {},
): IssueNotifier & { drain(): Promise<void> } {
  const clock = opts.clock ?? { now: Date.now, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  // Per issue: when its message was last updated, and what it showed then.
  const shown = new Map<string, { at: number; rendered: string }>();
  const threads = new Map<string, ThreadQueue>();
  /** One reply in the thread: its ts. */
  const reply = async (slack: Slack, text: string, blocks?: KnownBlock[]): Promise<string | undefined> => {
    const res = await client.chat.postMessage({
      channel: slack.channel,
      thread_ts: slack.ts,
      text: clip(text, MESSAGE_TEXT_MAX),
      ...(blocks ? { blocks } : {}),
      unfurl_links: false,
    });
    return res.ts;
  };

  const send = async (q: ThreadQueue): Promise<void> => {
    while (q.pending.length > 0) {
      const first = q.pending[0]!;
      if ('own' in first) {
        q.pending.shift();
        await first.own();
        continue;
      }
      // Wait for the channel's turn first: lines that arrive meanwhile go out in the same reply.
      await opts.pace?.ready(q.slack.channel);
      let text = first.line;
      q.pending.shift();
      while (first.joins && q.pending.length > 0) {
        const next = q.pending[0]!;
        if (!('line' in next) || !next.joins || text.length + 1 + next.line.length > MESSAGE_TEXT_MAX) break;
        text = `${text}\n${next.line}`;
        q.pending.shift();
      }
      await reply(q.slack, text).catch((e: unknown) => opts.onError?.(e, q.issueId));
    }
  };
  const queueOf = (issueId: string, slack: Slack): ThreadQueue => {
    let q = threads.get(slack.ts);
    if (!q) {
      q = { issueId, slack, pending: [] };
      threads.set(slack.ts, q);
    }
    return q;
  };
  const pump = (q: ThreadQueue): Promise<void> => {
    q.sending ??= send(q).finally(() => {
      q.sending = undefined;
      if (q.pending.length > 0) void pump(q);
      else threads.delete(q.slack.ts);
    });
    return q.sending;
  };
  /** Queue plain texts of a thread; they are posted in order, without the caller waiting. */
  const queueLines = (q: ThreadQueue, lines: string[], joins: boolean): void => {
    for (const line of lines) q.pending.push({ line, joins });
    void pump(q);
  };
  /** Queue a reply of its own (blocks, or one to edit later) after what is queued; resolves with its result. */
  const queueOwn = <T>(q: ThreadQueue, fn: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      q.pending.push({ own: () => fn().then(resolve, reject) });
      void pump(q);
    });

  return {
    async sent(issue: Issue): Promise<void> {
      const ts = issue.slack?.ts;
      for (let q = ts ? threads.get(ts) : undefined; q; q = ts ? threads.get(ts) : undefined) await pump(q);
    },
    async drain(): Promise<void> {
      while (threads.size > 0) await Promise.all([...threads.values()].map((q) => q.sending ?? pump(q)));
    },
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
      const { slack } = issue;
      if (!slack) return;
      const q = queueOf(issue.id, slack);
      // A reply with buttons (a pre-flight check's Confirm, Postpone, Cancel) is a message of its own.
      const blocks = eventBlocks(event);
      if (!blocks) return queueLines(q, eventTexts(event), TASK_LINES.has(event.kind));
      await queueOwn(q, async () => {
        for (const text of eventTexts(event)) await reply(slack, text, blocks);
      });
    },
    async post(issue: Issue, event: IssueEvent): Promise<string | undefined> {
      const { slack } = issue;
      if (!slack) return undefined;
      return queueOwn(queueOf(issue.id, slack), () => reply(slack, eventText(event), eventBlocks(event)));
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
