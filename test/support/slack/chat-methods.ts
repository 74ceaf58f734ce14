// chat.* methods and response_url posts: messages live per channel and are kept as they look
// after updates, so a test can read the message a person would see now.
import { conversationOf } from './channel-ids.js';
import { checkMessageArgs } from './message-args.js';
import { failure, missing, type ApiResult } from './results.js';
import { isRejection, type FakeMessage, type Workspace } from './workspace.js';

type Args = Record<string, unknown>;

function content(args: Args): Pick<FakeMessage, 'text' | 'blocks' | 'attachments' | 'metadata'> {
  const out: Pick<FakeMessage, 'text' | 'blocks' | 'attachments' | 'metadata'> = {};
  if (typeof args.text === 'string') out.text = args.text;
  if (Array.isArray(args.blocks)) out.blocks = args.blocks;
  if (Array.isArray(args.attachments)) out.attachments = args.attachments;
  if (args.metadata !== undefined) out.metadata = args.metadata;
  return out;
}

/** The message object Slack echoes back in chat.postMessage / chat.update answers. */
export function messageView(ws: Workspace, m: FakeMessage): Record<string, unknown> {
  return {
    type: 'message',
    user: m.user,
    bot_id: m.bot_id,
    app_id: ws.appId,
    team: ws.teamId,
    ts: m.ts,
    text: m.text ?? '',
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.edited ? { edited: m.edited } : {}),
  };
}

/** Where a message for `ref` goes, or channel_not_found when the bot may not post there. */
function postable(ws: Workspace, ref: string): string | undefined {
  const channel = conversationOf(ref);
  const c = ws.channel(channel);
  // chat:write.public covers public channels; private ones need the bot to be a member.
  return c.is_private && !c.is_member && !channel.startsWith('D') ? undefined : channel;
}

/** Resolves thread_ts to the thread's parent, as Slack does when given a reply's ts. */
function threadParent(ws: Workspace, channel: string, threadTs: unknown): string | undefined | false {
  if (threadTs === undefined || threadTs === '') return undefined;
  const parent = typeof threadTs === 'string' ? ws.findMessage(channel, threadTs) : undefined;
  if (!parent) return false;
  return parent.thread_ts ?? parent.ts;
}

export const chatMethods: Record<string, (ws: Workspace, args: Args) => ApiResult> = {
  'chat.postMessage'(ws, args) {
    const bad = checkMessageArgs(args, { needsChannel: true });
    if (bad) return failure(bad);
    const channel = postable(ws, args.channel as string);
    if (!channel) return failure({ error: 'channel_not_found' });
    const thread = threadParent(ws, channel, args.thread_ts);
    if (thread === false) return failure({ error: 'thread_not_found' });
    const m: FakeMessage = {
      channel,
      ts: ws.nextTs(),
      ...(thread ? { thread_ts: thread } : {}),
      ...content(args),
      user: ws.botUserId,
      bot_id: ws.botId,
      updates: 0,
    };
    ws.messages.push(m);
    return { ok: true, channel, ts: m.ts, message: messageView(ws, m) };
  },

  'chat.update'(ws, args) {
    const bad = checkMessageArgs(args, { needsChannel: true });
    if (bad) return failure(bad);
    if (typeof args.ts !== 'string') return failure(missing('ts'));
    const channel = conversationOf(args.channel as string);
    const m = ws.findMessage(channel, args.ts);
    if (!m) return failure({ error: 'message_not_found' });
    if (m.user !== ws.botUserId) return failure({ error: 'cant_update_message' });
    // Fields not sent are left as they were, except that new text without blocks drops the blocks.
    if (args.blocks === undefined && typeof args.text === 'string') delete m.blocks;
    Object.assign(m, content(args));
    m.updates += 1;
    m.edited = { user: ws.botUserId, ts: ws.nextTs() };
    return { ok: true, channel, ts: m.ts, text: m.text ?? '', message: messageView(ws, m) };
  },

  'chat.postEphemeral'(ws, args) {
    const bad = checkMessageArgs(args, { needsChannel: true });
    if (bad) return failure(bad);
    if (typeof args.user !== 'string' || args.user === '') return failure({ error: 'user_not_found' });
    const channel = postable(ws, args.channel as string);
    if (!channel) return failure({ error: 'channel_not_found' });
    const messageTs = ws.nextTs();
    ws.ephemerals.push({
      channel,
      user: args.user,
      message_ts: messageTs,
      ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
      ...(typeof args.text === 'string' ? { text: args.text } : {}),
      ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
    });
    return { ok: true, message_ts: messageTs };
  },

  'chat.getPermalink'(ws, args) {
    if (typeof args.channel !== 'string') return failure({ error: 'channel_not_found' });
    if (typeof args.message_ts !== 'string') return failure(missing('message_ts'));
    const m = ws.findMessage(args.channel, args.message_ts);
    if (!m) return failure({ error: 'message_not_found' });
    const thread = m.thread_ts && m.thread_ts !== m.ts ? `?thread_ts=${m.thread_ts}&cid=${m.channel}` : '';
    return {
      ok: true,
      channel: m.channel,
      permalink: `https://fake-slack.example/archives/${m.channel}/p${m.ts.replace('.', '')}${thread}`,
    };
  },

  'chat.delete'(ws, args) {
    if (typeof args.channel !== 'string') return failure({ error: 'channel_not_found' });
    const i = ws.messages.findIndex((m) => m.channel === args.channel && m.ts === args.ts);
    if (i < 0) return failure({ error: 'message_not_found' });
    ws.messages.splice(i, 1);
    return { ok: true, channel: args.channel, ts: args.ts };
  },
};

/**
 * A post to a response_url: replace_original/delete_original act on the message the URL came
 * from, response_type in_channel posts to its channel, anything else is ephemeral.
 */
export function postToResponseUrl(ws: Workspace, path: string, body: Args): { status: number; result: ApiResult } {
  const url = ws.useResponseUrl(path);
  if (isRejection(url)) return { status: 404, result: failure(url) };
  const original = url.channel && url.messageTs ? ws.findMessage(url.channel, url.messageTs) : undefined;
  if (body.delete_original === true) {
    if (!original) return { status: 404, result: failure({ error: 'message_not_found' }) };
    ws.messages.splice(ws.messages.indexOf(original), 1);
    return { status: 200, result: { ok: true } };
  }
  const bad = checkMessageArgs(body, { needsChannel: false });
  if (bad) return { status: 400, result: failure(bad) };
  if (body.replace_original === true) {
    if (!original) return { status: 404, result: failure({ error: 'message_not_found' }) };
    if (body.blocks === undefined) delete original.blocks;
    Object.assign(original, content(body));
    original.updates += 1;
    return { status: 200, result: { ok: true } };
  }
  if (body.response_type === 'in_channel' && url.channel) {
    const thread = body.thread_ts ? threadParent(ws, url.channel, body.thread_ts) : undefined;
    ws.messages.push({
      channel: url.channel,
      ts: ws.nextTs(),
      ...(thread ? { thread_ts: thread } : {}),
      ...content(body),
      user: ws.botUserId,
      bot_id: ws.botId,
      updates: 0,
    });
  } else if (url.channel && url.user) {
    ws.ephemerals.push({
      channel: url.channel,
      user: url.user,
      message_ts: ws.nextTs(),
      ...(typeof body.text === 'string' ? { text: body.text } : {}),
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
    });
  }
  return { status: 200, result: { ok: true } };
}
