// What Slack sends to the bot's request URL, byte for byte: a slash command is a form post; an
// interaction (block_actions, view_submission) is a form post with one field, `payload`, holding
// URL-encoded JSON. Every request is signed: X-Slack-Signature = "v0=" + hex HMAC-SHA256 of
// "v0:{timestamp}:{raw body}" with the signing secret, X-Slack-Request-Timestamp = timestamp.
import { createHmac } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });
// Sockets kept alive must not keep a finished test process running.
keepAlive.on('free', (socket) => socket.unref());
import { DbchangeError, ErrorCode } from '../../src/errors.js';

export const DEFAULTS = {
  teamId: 'T0FAKETEAM',
  teamDomain: 'fake-workspace',
  appId: 'A0DBCHANGE',
  /** The deprecated verification token Slack still includes in every payload. */
  verificationToken: 'fakeVerificationToken0000',
  botUserId: 'U0FAKEBOT',
} as const;

type Json = Record<string, any>;

/** Signature headers for `body`, as Slack computes them (timestamp defaults to now). */
export function signRequest(
  secret: string,
  body: string,
  timestampSec: number = Math.floor(Date.now() / 1000),
): { 'x-slack-signature': string; 'x-slack-request-timestamp': string } {
  const hmac = createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${hmac}`, 'x-slack-request-timestamp': String(timestampSec) };
}

/** Slack's action_ts / message ts format for a moment in milliseconds. */
function slackTs(ms: number): string {
  return (ms / 1000).toFixed(6);
}

function userName(userId: string): string {
  return userId.toLowerCase();
}

/** The form body of a slash command invocation, fields in Slack's order. */
export function slashCommandBody(p: {
  command?: string;
  text: string;
  userId: string;
  userName?: string;
  channelId: string;
  channelName?: string;
  teamId?: string;
  triggerId: string;
  responseUrl: string;
}): string {
  return new URLSearchParams({
    token: DEFAULTS.verificationToken,
    team_id: p.teamId ?? DEFAULTS.teamId,
    team_domain: DEFAULTS.teamDomain,
    channel_id: p.channelId,
    channel_name: p.channelName ?? `channel-${p.channelId.toLowerCase()}`,
    user_id: p.userId,
    user_name: p.userName ?? userName(p.userId),
    command: p.command ?? '/dbchange',
    text: p.text,
    api_app_id: DEFAULTS.appId,
    is_enterprise_install: 'false',
    response_url: p.responseUrl,
    trigger_id: p.triggerId,
  }).toString();
}

/** Finds the element with `actionId` (and its block) in a list of blocks, to echo it as Slack does. */
export function findElement(blocks: unknown, actionId: string): { blockId?: string; element: Json } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const b of blocks as Json[]) {
    const candidates: Json[] = [...(Array.isArray(b.elements) ? b.elements : []), b.accessory, b.element].filter(
      Boolean,
    );
    const element = candidates.find((e) => e && e.action_id === actionId);
    if (element) return { ...(typeof b.block_id === 'string' ? { blockId: b.block_id } : {}), element };
  }
  return undefined;
}

export interface BlockActionParams {
  userId: string;
  userName?: string;
  actionId: string;
  value?: string;
  blockId?: string;
  channelId?: string;
  messageTs?: string;
  /** The message the button sits in (e.g. from fake.messages()); its blocks fill in block_id, text and value. */
  message?: Json;
  triggerId: string;
  /** Slack always sends one for message actions: pass fake.responseUrl({ channel, messageTs, user }). */
  responseUrl?: string;
  /** The modal the element sits in (e.g. a views.open answer's view); makes the container a view. */
  view?: any;
  /** The element's type; defaults to the element found in message/view, else button (datetimepicker when selectedDateTime is given). */
  actionType?: string;
  selectedDateTime?: number;
  selectedOption?: { text: string; value: string };
  state?: any;
  teamId?: string;
  nowMs?: number;
}

function actionOf(p: BlockActionParams, actionTs: string): Json {
  const found = findElement(p.view?.blocks ?? p.message?.blocks, p.actionId);
  const type = p.actionType ?? found?.element.type ?? (p.selectedDateTime !== undefined ? 'datetimepicker' : 'button');
  const action: Json = {
    type,
    action_id: p.actionId,
    block_id: p.blockId ?? found?.blockId ?? 'fake-block',
    action_ts: actionTs,
  };
  switch (type) {
    case 'button':
      action.text = found?.element.text ?? { type: 'plain_text', text: p.actionId, emoji: true };
      if (p.value ?? found?.element.value) action.value = p.value ?? found?.element.value;
      if (found?.element.style) action.style = found.element.style;
      break;
    case 'datetimepicker':
      action.selected_date_time = p.selectedDateTime ?? null;
      break;
    case 'static_select':
      action.selected_option = p.selectedOption
        ? { text: { type: 'plain_text', text: p.selectedOption.text, emoji: true }, value: p.selectedOption.value }
        : null;
      break;
    default:
      if (p.value !== undefined) action.value = p.value;
  }
  return action;
}

/** The form body ('payload=…') of a block_actions interaction from a message or a modal. */
export function blockActionsBody(p: BlockActionParams): string {
  const nowMs = p.nowMs ?? Date.now();
  const teamId = p.teamId ?? DEFAULTS.teamId;
  const name = p.userName ?? userName(p.userId);
  const payload: Json = {
    type: 'block_actions',
    user: { id: p.userId, username: name, name, team_id: teamId },
    api_app_id: DEFAULTS.appId,
    token: DEFAULTS.verificationToken,
    container: {},
    trigger_id: p.triggerId,
    team: { id: teamId, domain: DEFAULTS.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
  };
  if (p.view) {
    payload.container = { type: 'view', view_id: p.view.id };
    payload.view = p.view;
    payload.state = p.state ?? p.view.state ?? { values: {} };
  } else {
    const channelId = p.channelId ?? p.message?.channel;
    const ts = p.messageTs ?? p.message?.ts;
    if (!channelId || !ts)
      throw new DbchangeError(
        ErrorCode.InvalidInput,
        'blockActionsBody: a message action needs channelId and messageTs; pass them or message (from fake.messages()).',
      );
    payload.container = { type: 'message', message_ts: ts, channel_id: channelId, is_ephemeral: false };
    payload.channel = { id: channelId, name: `channel-${channelId.toLowerCase()}` };
    payload.message = {
      type: 'message',
      subtype: 'bot_message',
      text: p.message?.text ?? '',
      ts,
      ...(p.message?.thread_ts ? { thread_ts: p.message.thread_ts } : {}),
      user: p.message?.user ?? DEFAULTS.botUserId,
      bot_id: p.message?.bot_id ?? 'B0FAKEBOT',
      ...(p.message?.blocks ? { blocks: p.message.blocks } : {}),
    };
    payload.state = p.state ?? { values: {} };
  }
  if (p.responseUrl) payload.response_url = p.responseUrl;
  payload.actions = [actionOf(p, slackTs(nowMs))];
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Shapes a test's shorthand into Slack's state value: a string is a text input, a number a datetimepicker. */
function stateValue(v: unknown): Json {
  if (typeof v === 'string') return { type: 'plain_text_input', value: v };
  if (typeof v === 'number') return { type: 'datetimepicker', selected_date_time: v };
  if (v === null) return { type: 'plain_text_input', value: null };
  return v as Json;
}

export interface ViewSubmissionParams {
  userId: string;
  userName?: string;
  /** Defaults to the view's callback_id when `view` is given. */
  callbackId?: string;
  privateMetadata?: string;
  /** {block_id: {action_id: Slack state value}}; a string stands for a plain_text_input value, a number for a datetimepicker. */
  values: Record<string, Record<string, any>>;
  viewId?: string;
  /** The view as the fake returned it from views.open/push/update: id, hash, blocks, title are taken from it. */
  view?: any;
  triggerId?: string;
  teamId?: string;
  nowMs?: number;
}

/** The form body ('payload=…') of a view_submission interaction. */
export function viewSubmissionBody(p: ViewSubmissionParams): string {
  const nowMs = p.nowMs ?? Date.now();
  const teamId = p.teamId ?? DEFAULTS.teamId;
  const name = p.userName ?? userName(p.userId);
  const callbackId = p.callbackId ?? p.view?.callback_id;
  if (typeof callbackId !== 'string')
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      'viewSubmissionBody: no callback_id; pass callbackId, or view (the views.open answer).',
    );
  const values = Object.fromEntries(
    Object.entries(p.values).map(([blockId, actions]) => [
      blockId,
      Object.fromEntries(Object.entries(actions).map(([actionId, v]) => [actionId, stateValue(v)])),
    ]),
  );
  const id = p.viewId ?? p.view?.id ?? 'V0FAKEVIEW1';
  const view: Json = {
    id,
    team_id: teamId,
    type: 'modal',
    blocks: p.view?.blocks ?? [],
    private_metadata: p.privateMetadata ?? p.view?.private_metadata ?? '',
    callback_id: callbackId,
    state: { values },
    hash: p.view?.hash ?? `${Math.floor(nowMs / 1000)}.fakehash`,
    title: p.view?.title ?? { type: 'plain_text', text: 'dbchange', emoji: true },
    clear_on_close: p.view?.clear_on_close ?? false,
    notify_on_close: p.view?.notify_on_close ?? false,
    close: p.view?.close ?? null,
    submit: p.view?.submit ?? { type: 'plain_text', text: 'Submit', emoji: true },
    previous_view_id: p.view?.previous_view_id ?? null,
    root_view_id: p.view?.root_view_id ?? id,
    app_id: DEFAULTS.appId,
    external_id: p.view?.external_id ?? '',
    app_installed_team_id: teamId,
    bot_id: p.view?.bot_id ?? 'B0FAKEBOT',
  };
  const payload: Json = {
    type: 'view_submission',
    team: { id: teamId, domain: DEFAULTS.teamDomain },
    user: { id: p.userId, username: name, name, team_id: teamId },
    api_app_id: DEFAULTS.appId,
    token: DEFAULTS.verificationToken,
    trigger_id: p.triggerId ?? `${nowMs}.1.fakeviewsubmission`,
    view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface SendOptions {
  secret: string;
  timestampSec?: number;
  retryNum?: number;
  retryReason?: string;
  /** A signature to send instead of the right one, to test that forgeries are refused. */
  signature?: string;
  contentType?: string;
}

/** POSTs a signed body to the bot's request URL, as Slack does, and times the answer. */
export async function sendToBot(
  botUrl: string,
  body: string,
  opts: SendOptions,
): Promise<{ status: number; body: string; json?: any; ms: number }> {
  const signed = signRequest(opts.secret, body, opts.timestampSec);
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...signed,
  };
  if (opts.signature !== undefined) headers['x-slack-signature'] = opts.signature;
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
  // node:http with the whole body in one write: fetch sends headers and body in separate
  // packets, and Nagle plus delayed ACK then adds ~40 ms that is the client's, not the bot's.
  const started = performance.now();
  const send = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const u = new URL(botUrl);
      const req = httpRequest(
        {
          host: u.hostname,
          port: u.port,
          path: `${u.pathname}${u.search}`,
          method: 'POST',
          agent: keepAlive,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      // A kept-alive socket the bot closed as idle just as this request went out: nothing reached
      // the bot, so sending again on a fresh socket is safe (what Node's docs advise for reusedSocket).
      req.on('error', (err: NodeJS.ErrnoException) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.end(body);
    });
  const { status, text } = await send().catch((err: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
    if (err.code === 'ECONNRESET' && err.reusedSocket) return send();
    throw err;
  });
  const ms = performance.now() - started;
  let json: any;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, body: text, ...(json !== undefined ? { json } : {}), ms };
}
