// Drives the bot the way people in Slack do: slash commands, modal submissions, button clicks,
// all as signed requests, reading what the bot posted from the fake Web API.
import assert from 'node:assert/strict';
import type { FakeMessage, FakeSlack } from './fake-slack.js';
import { blockActionsBody, findElement, sendToBot, slashCommandBody, viewSubmissionBody } from './slack-requests.js';
import { SIGNING_SECRET } from './bot-process.js';

/**
 * The lines of a thread's replies: the lines of tasks' runs that waited for the channel's pace
 * arrive together in one reply, so what tasks said is counted by line, not by reply.
 */
export const linesOf = (replies: string[]): string[] => replies.flatMap((t) => t.split('\n'));

export const CHANNEL = 'C_CHANGES';

export interface ChangeFields {
  title: string;
  target: string;
  changeType?: 'ddl' | 'dml' | 'sdl';
  sql: string;
  description?: string;
  labels?: string;
  timing?: string;
  /** A file picked in the form's file_input, as fake.uploadFile returned it. */
  sqlFile?: Record<string, unknown>;
}

/** How requests reach the bot: signed HTTP into /slack/events, or envelopes over Socket Mode's WebSocket. */
export type Transport = 'http' | 'socket';

export class SlackDriver {
  constructor(
    readonly fake: FakeSlack,
    public botUrl: string,
    readonly via: Transport = 'http',
  ) {}

  /**
   * Deliver one request as Slack would: over HTTP the form body is signed and posted; over the
   * socket the same fields go in an envelope (a slash command's fields, or the interaction's
   * payload) and the ack's payload stands for the HTTP answer. A retry is a second delivery.
   */
  async deliver(body: string, retry: { retryNum?: number; retryReason?: string } = {}): ReturnType<typeof sendToBot> {
    if (this.via === 'http') return sendToBot(this.botUrl, body, { secret: SIGNING_SECRET, ...retry });
    const form = new URLSearchParams(body);
    const interaction = form.get('payload');
    const ack =
      interaction !== null
        ? await this.fake.socket.send('interactive', JSON.parse(interaction) as Record<string, unknown>)
        : await this.fake.socket.send('slash_commands', Object.fromEntries(form));
    return { status: 200, body: ack.payload ? JSON.stringify(ack.payload) : '', json: ack.payload, ms: ack.ms };
  }

  async command(user: string, text: string, channel = CHANNEL) {
    const triggerId = this.fake.issueTriggerId();
    const responseUrl = this.fake.responseUrl({ channel, user });
    const res = await this.deliver(
      slashCommandBody({ text, userId: user, channelId: channel, triggerId, responseUrl }),
    );
    return { res, triggerId, responseUrl };
  }

  /** The reply to a subcommand: the HTTP ack's text, or what was posted to the response_url. */
  async commandReply(user: string, text: string): Promise<string> {
    const { res, responseUrl } = await this.command(user, text);
    assert.equal(res.status, 200, res.body);
    if (res.json?.text) return res.json.text as string;
    const path = new URL(responseUrl).pathname;
    const call = await this.fake.waitFor('response_url', (c) => c.args.url === path, 15_000);
    return String(call.args.text ?? JSON.stringify(call.args.blocks));
  }

  /** Open the modal with /dbchange and submit it; returns the HTTP answer to the submission. */
  async submit(user: string, f: ChangeFields, opts: { retryNum?: number; channel?: string } = {}) {
    const { res, triggerId } = await this.command(user, '', opts.channel);
    assert.equal(res.status, 200, res.body);
    const open = await this.fake.waitFor('views.open', (c) => c.args.trigger_id === triggerId, 10_000);
    assert.equal(open.response.ok, true, JSON.stringify(open.response));
    const view = open.response.view;
    const body = viewSubmissionBody({
      userId: user,
      view,
      values: {
        title: { title: f.title },
        target: {
          target: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: f.target }, value: f.target },
          },
        },
        changeType: {
          changeType: {
            type: 'static_select',
            selected_option: {
              text: { type: 'plain_text', text: f.changeType ?? 'ddl' },
              value: f.changeType ?? 'ddl',
            },
          },
        },
        sql: { sql: f.sql },
        ...(f.sqlFile ? { sqlFile: { sqlFile: { type: 'file_input', files: [f.sqlFile] } } } : {}),
        description: { description: f.description ?? '' },
        labels: { labels: f.labels ?? '' },
        timing: { timing: f.timing ?? '' },
      },
    });
    const sent = await this.deliver(body);
    const retries = [];
    if (opts.retryNum) retries.push(await this.deliver(body, { retryNum: opts.retryNum, retryReason: 'http_timeout' }));
    return { res: sent, retries, view };
  }

  /** The issue message whose header starts with `#<id> ` or whose title matches. */
  issueMessage(match: string | RegExp): FakeMessage | undefined {
    return this.fake
      .messages(CHANNEL)
      .find(
        (m) => !m.thread_ts && (typeof match === 'string' ? (m.text ?? '').includes(match) : match.test(m.text ?? '')),
      );
  }

  async waitForIssue(title: string, timeoutMs = 15_000): Promise<FakeMessage> {
    await this.fake.waitFor(
      'chat.postMessage',
      (c) => c.response.ok && !c.args.thread_ts && String(c.args.text).includes(title),
      timeoutMs,
    );
    return this.issueMessage(title)!;
  }

  /** Wait until the issue message (as updated) satisfies `pred`. */
  async waitForMessage(title: string, pred: (m: FakeMessage) => boolean, timeoutMs = 20_000): Promise<FakeMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.issueMessage(title);
      if (m && pred(m)) return m;
      if (Date.now() > deadline)
        throw new Error(
          `issue message "${title}" never matched; now: ${m?.text}\n${JSON.stringify(m?.blocks)?.slice(0, 2000)}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  thread(message: FakeMessage): string[] {
    return this.fake
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === message.ts)
      .map((m) => m.text ?? '');
  }

  async waitForThread(message: FakeMessage, pred: (lines: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.thread(message);
      if (pred(lines)) return lines;
      if (Date.now() > deadline) throw new Error(`thread never matched; it has:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Click a button (or tick a checkbox) of the issue message as `user`. */
  async click(
    user: string,
    message: FakeMessage,
    actionId: string,
    extra: { selectedOptions?: { value: string }[] } = {},
  ) {
    const found = findElement(message.blocks, actionId);
    assert.ok(found, `no ${actionId} element on the message; it has ${JSON.stringify(message.blocks).slice(0, 1500)}`);
    const triggerId = this.fake.issueTriggerId();
    const body = blockActionsBody({
      userId: user,
      actionId,
      message: message as any,
      channelId: CHANNEL,
      messageTs: message.ts,
      triggerId,
      responseUrl: this.fake.responseUrl({ channel: CHANNEL, messageTs: message.ts, user }),
    });
    let sendBody = body;
    if (extra.selectedOptions) {
      const payload = JSON.parse(decodeURIComponent(body.slice('payload='.length)));
      payload.actions[0].selected_options = extra.selectedOptions.map((o) => ({
        text: { type: 'mrkdwn', text: o.value },
        value: o.value,
      }));
      sendBody = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    }
    const res = await this.deliver(sendBody);
    assert.equal(res.status, 200, res.body);
    return { res, triggerId };
  }

  /** Open a modal with a button of `message` and submit it with `values`; returns the view and the HTTP answer. */
  async submitDialog(
    user: string,
    message: FakeMessage,
    actionId: string,
    values: Parameters<typeof viewSubmissionBody>[0]['values'],
  ) {
    const { triggerId } = await this.click(user, message, actionId);
    const open = await this.fake.waitFor('views.open', (c) => c.args.trigger_id === triggerId);
    assert.equal(open.response.ok, true, JSON.stringify(open.response));
    const view = open.response.view;
    const res = await this.deliver(viewSubmissionBody({ userId: user, view, values }));
    return { view, res };
  }

  /** Latest ephemeral text shown to `user`, waiting for one to arrive after `since` calls. */
  async ephemeralFor(user: string, since: number, timeoutMs = 10_000): Promise<string> {
    const call = await this.fake.waitFor(
      'chat.postEphemeral',
      (c) => c.args.user === user && this.fake.calls.indexOf(c) >= since,
      timeoutMs,
    );
    return String(call.args.text);
  }
}

export function hasButton(m: FakeMessage, actionId: string): boolean {
  return findElement(m.blocks, actionId) !== undefined;
}
