// A local stand-in for Slack's Web API, for end-to-end tests: the bot is pointed at it with
// SLACK_API_URL and talks to it exactly as to slack.com (POST {base}{method}, form or JSON,
// bearer token). Every call is recorded. Payloads are checked the way Slack checks them
// (block limits, text objects, modal rules, single-use trigger ids), so a message Slack would
// refuse fails here too. It also serves response_urls, and file downloads for the bot token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { DbchangeError, ErrorCode } from '../../src/errors.js';
import { chatMethods, postToResponseUrl } from './slack/chat-methods.js';
import { FILES_PREFIX, fileMethods, fileView, SIGN_IN_PATH } from './slack/file-methods.js';
import { slackId } from './slack/ids.js';
import { infoMethods } from './slack/info-methods.js';
import { parseApiBody } from './slack/request-body.js';
import type { ApiResult } from './slack/results.js';
import { viewMethods } from './slack/view-methods.js';
import { SocketMode } from './slack/socket-mode.js';
import { Workspace, type FakeEphemeral, type FakeMessage, type ResponseUrlSource } from './slack/workspace.js';

export type { FakeEphemeral, FakeMessage, ResponseUrlSource } from './slack/workspace.js';
export type { SocketAck, SocketMode } from './slack/socket-mode.js';

export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  /** Milliseconds since the epoch, from the fake's clock. */
  at: number;
  response: any;
  /** HTTP status the fake answered with: 200 as Slack does, 429 or 5xx when a failure was injected (failNext). */
  status: number;
}

/** A failure the fake answers instead of the real result: Slack's rate limit, or a server error. */
export type InjectedFailure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 };

export interface FakeSlack {
  /** Web API base, e.g. 'http://127.0.0.1:PORT/api/': give it to the bot as SLACK_API_URL. */
  url: string;
  /** The only bot token the fake accepts. */
  token: string;
  botUserId: string;
  botId: string;
  teamId: string;
  appId: string;
  /** Every call, accepted or rejected, in arrival order. */
  calls: RecordedCall[];
  callsOf(method: string): RecordedCall[];
  /** Resolves with the first matching call, past or future; rejects after `timeoutMs` listing recent calls. */
  waitFor(method: string, pred?: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /**
   * A barrier: the next call of `method` matching `pred` is parked before Slack handles it.
   * `arrived` resolves when it is parked; `gone` when its caller went away (a killed bot: the call
   * is then dropped, as a request that never reached Slack); `release()` lets it through.
   */
  hold(
    method: string,
    pred?: (args: Record<string, unknown>) => boolean,
  ): { arrived: Promise<void>; gone: Promise<void>; release(): void };
  /** Adds or replaces a user for users.info; tz is an IANA name or null (Slack may not know it). */
  setUser(id: string, profile: { tz?: string | null; name?: string; real_name?: string }): void;
  /** Adds or replaces a user group (S…) for usergroups.users.list. */
  setUserGroup(id: string, members: string[]): void;
  /** Adds or replaces a channel for conversations.*; private channels need is_member for posting. */
  setChannel(id: string, c: { name?: string; isPrivate?: boolean; isMember?: boolean }): void;
  /** A fresh trigger_id, valid once for 3 s; pass viewId when the click happened inside that modal. */
  issueTriggerId(opts?: { viewId?: string }): string;
  /** A fresh response_url on the fake (5 uses in 30 minutes); posts are recorded as method 'response_url'. */
  responseUrl(source?: ResponseUrlSource): string;
  /** Messages as they look now (after updates), oldest first; thread replies carry thread_ts. */
  messages(channel?: string): FakeMessage[];
  /** Ephemeral messages (chat.postEphemeral and ephemeral response_url posts). */
  ephemerals(channel?: string): FakeEphemeral[];
  /** A modal as the fake last stored it (views.open/push/update answers). */
  view(id: string): Record<string, any> | undefined;
  /**
   * A file a user picked in a file_input (Slack uploads it before the view is submitted). Returns
   * the file as the view_submission state shows it; put it in `{ type: 'file_input', files: [it] }`.
   * The bot reads it with files.info and a download of url_private_download with its token
   * (recorded as method 'file_download', args { file, authorized }).
   */
  /**
   * The next `times` calls of `method` are answered with `failure` instead of their result (and
   * recorded with that status): HTTP 429 with a Retry-After header in seconds, as Slack limits a
   * method's rate, or a 5xx, as when Slack has trouble. The call after them is served normally.
   * `match` limits it to calls whose arguments it accepts (e.g. one message's ts).
   */
  failNext(
    method: string,
    failure: InjectedFailure,
    times?: number,
    match?: (args: Record<string, unknown>) => boolean,
  ): void;
  /**
   * While unreachable, every Web API request is cut off before an answer (the client sees a
   * network error, as when Slack cannot be reached), recorded with status 0.
   */
  setReachable(reachable: boolean): void;
  uploadFile(f: {
    name: string;
    content: string | Buffer;
    user: string;
    filetype?: string;
    mimetype?: string;
  }): Record<string, any>;
  /**
   * Hold every file download until the returned function is called: a barrier that shows whether
   * the bot answered Slack before it downloaded a file.
   */
  holdDownloads(): () => void;
  /**
   * Socket Mode: give the bot `socket.appToken` as SLACK_APP_TOKEN; apps.connections.open then
   * answers a WebSocket URL on the fake, and `socket.send` delivers envelopes over it.
   */
  socket: SocketMode;
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  token?: string;
  botUserId?: string;
  teamId?: string;
  /** Clock in milliseconds; tests of trigger or response_url expiry pass their own. */
  now?: () => number;
  /** Start unreachable (see setReachable), e.g. to start a bot while Slack is down. */
  unreachable?: boolean;
  /**
   * Slack's pace for chat.postMessage in one channel ("about one message a second, short bursts
   * allowed"): a post beyond `burst` messages, refilled at one a second, is answered 429 with
   * Retry-After: 1. Off unless given.
   */
  channelPace?: { burst: number };
}

const METHODS: Record<string, (ws: Workspace, args: Record<string, unknown>) => ApiResult> = {
  ...infoMethods,
  ...fileMethods,
  ...chatMethods,
  ...viewMethods,
};

const API_PREFIX = '/api/';
const RESPONSE_PREFIX = '/commands/';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

function withoutToken(args: Record<string, unknown>): Record<string, unknown> {
  const { token: _token, ...rest } = args;
  return rest;
}

/** One line per call, for timeout messages. */
function describe(c: RecordedCall): string {
  const outcome = c.response?.ok ? 'ok' : `error=${String(c.response?.error)}`;
  return `${c.method} ${outcome} ${JSON.stringify(c.args).slice(0, 160)}`;
}

/** Starts the fake on 127.0.0.1 on a free port. */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const now = opts.now ?? Date.now;
  const token = opts.token ?? `xoxb-fake-${randomBytes(12).toString('hex')}`;
  const ws = new Workspace(opts.teamId ?? 'T0FAKETEAM', opts.botUserId ?? 'U0FAKEBOT', slackId('B'), slackId('A'), now);
  const calls: RecordedCall[] = [];
  const waiters = new Set<(c: RecordedCall) => void>();
  let downloadsHeld: Promise<void> = Promise.resolve();
  const injected = new Map<string, { failure: InjectedFailure; match: (args: Record<string, unknown>) => boolean }[]>();
  let reachable = !opts.unreachable;
  // Per channel: posts Slack would still take now (a bucket of `burst`, one more each second).
  const pace = new Map<string, { tokens: number; at: number }>();
  const overPace = (method: string, args: Record<string, unknown>): boolean => {
    if (!opts.channelPace || method !== 'chat.postMessage' || typeof args.channel !== 'string') return false;
    const burst = opts.channelPace.burst;
    const b = pace.get(args.channel) ?? { tokens: burst, at: now() };
    b.tokens = Math.min(burst, b.tokens + (now() - b.at) / 1000);
    b.at = now();
    pace.set(args.channel, b);
    if (b.tokens < 1) return true;
    b.tokens -= 1;
    return false;
  };
  const holds: {
    method: string;
    pred: (args: Record<string, unknown>) => boolean;
    arrive: () => void;
    leave: () => void;
    released: Promise<void>;
  }[] = [];

  function record(method: string, args: Record<string, unknown>, status: number, response: unknown): void {
    const call: RecordedCall = { method, args, at: now(), response, status };
    calls.push(call);
    for (const w of [...waiters]) w(call);
  }

  function apiCall(method: string, args: Record<string, unknown>, headerToken: string | undefined): ApiResult {
    const given = headerToken ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!given) return { ok: false, error: 'not_authed' };
    if (given !== token) return { ok: false, error: 'invalid_auth' };
    const handler = METHODS[method];
    return handler ? handler(ws, args) : { ok: false, error: 'unknown_method' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const raw = await readBody(req);
    if (path.startsWith(API_PREFIX)) {
      const method = path.slice(API_PREFIX.length);
      let args: Record<string, unknown>;
      try {
        args = parseApiBody(req.headers['content-type'], raw);
      } catch {
        args = {};
        const result = { ok: false, error: 'invalid_json' };
        record(method, args, 200, result);
        return send(res, 200, result);
      }
      if (!reachable) {
        record(method, withoutToken(args), 0, { ok: false, error: 'unreachable' });
        return void req.socket.destroy();
      }
      const queued = injected.get(method) ?? [];
      const at = queued.findIndex((q) => q.match(args));
      const failure =
        at >= 0
          ? queued.splice(at, 1)[0]!.failure
          : overPace(method, args)
            ? ({ status: 429, retryAfter: 1 } as const)
            : undefined;
      if (failure) {
        const body = failure.status === 429 ? { ok: false, error: 'ratelimited' } : { ok: false, error: 'fatal_error' };
        record(method, withoutToken(args), failure.status, body);
        return send(
          res,
          failure.status,
          body,
          failure.status === 429 ? { 'retry-after': String(failure.retryAfter) } : {},
        );
      }
      const held = holds.findIndex((h) => h.method === method && h.pred(args));
      if (held >= 0) {
        const [h] = holds.splice(held, 1);
        let left = false;
        req.socket.once('close', () => {
          left = true;
          h!.leave();
        });
        h!.arrive();
        await h!.released;
        if (left) return;
      }
      const result =
        method === 'apps.connections.open'
          ? socket.open(bearer(req) ?? (typeof args.token === 'string' ? args.token : undefined))
          : apiCall(method, args, bearer(req));
      record(method, withoutToken(args), 200, result);
      return send(res, 200, result);
    }
    if (req.method === 'POST' && path.startsWith(RESPONSE_PREFIX)) {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        record('response_url', { url: path, raw }, 400, { ok: false, error: 'invalid_payload' });
        return send(res, 400, { ok: false, error: 'invalid_payload' });
      }
      const { status, result } = postToResponseUrl(ws, path, body);
      record('response_url', { ...body, url: path }, status, result);
      return send(res, status, result);
    }
    if (req.method === 'GET' && path.startsWith(FILES_PREFIX)) {
      await downloadsHeld;
      return download(req, res, path);
    }
    if (req.method === 'GET' && path === SIGN_IN_PATH) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end('<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>');
    }
    send(res, 404, { ok: false, error: 'not_found' });
  }

  function download(req: IncomingMessage, res: ServerResponse, path: string): void {
    const f = [...ws.files.values()].find(
      (x) => new URL(x.url_private).pathname === path || new URL(x.url_private_download).pathname === path,
    );
    const authorized = bearer(req) === token;
    record('file_download', { file: f?.id ?? path, authorized }, authorized && f ? 200 : 302, {
      ok: authorized && Boolean(f),
    });
    if (!authorized) {
      res.writeHead(302, { location: `${origin}${SIGN_IN_PATH}?redir=${encodeURIComponent(path)}` });
      return void res.end();
    }
    if (!f) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end('<html><body>File not found</body></html>');
    }
    res.writeHead(200, {
      'content-type': f.mimetype,
      'content-length': f.content.length,
      'content-disposition': `attachment; filename="${f.name}"`,
    });
    res.end(f.content);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) =>
      send(res, 500, { ok: false, error: 'fake_slack_crashed', detail: String(e) }),
    );
  });
  const socket = new SocketMode(ws.appId, () => origin);
  server.on('upgrade', (req, sock, head) => socket.upgrade(req, sock, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}${API_PREFIX}`,
    token,
    botUserId: ws.botUserId,
    botId: ws.botId,
    teamId: ws.teamId,
    appId: ws.appId,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    waitFor(method, pred = () => true, timeoutMs = 5000) {
      const matches = (c: RecordedCall) => c.method === method && pred(c);
      const past = calls.find(matches);
      if (past) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const waiter = (c: RecordedCall) => {
          if (!matches(c)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(c);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const recent = calls.slice(-15).map(describe);
          reject(
            new DbchangeError(
              ErrorCode.NotFound,
              `fake Slack: no matching ${method} call within ${timeoutMs} ms; last calls:\n  ${recent.join('\n  ') || '(none)'}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    hold(method, pred = () => true) {
      let arrive!: () => void;
      let leave!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((r) => (arrive = r));
      const gone = new Promise<void>((r) => (leave = r));
      const released = new Promise<void>((r) => (release = r));
      holds.push({ method, pred, arrive, leave, released });
      return { arrived, gone, release };
    },
    setUser(id, profile) {
      const tz = profile.tz ?? null;
      // An unknown zone would make users.info lie; fail in the test that set it up instead.
      if (tz !== null) {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
        } catch (cause) {
          throw new DbchangeError(
            ErrorCode.InvalidInput,
            `fake Slack setUser(${id}): "${tz}" is not an IANA time zone; use e.g. "Europe/Berlin" or null.`,
            { cause },
          );
        }
      }
      const name = profile.name ?? id.toLowerCase();
      ws.users.set(id, { id, name, real_name: profile.real_name ?? name, tz });
    },
    setUserGroup(id, members) {
      ws.userGroups.set(id, [...members]);
    },
    setChannel(id, c) {
      ws.channels.set(id, {
        id,
        name: c.name ?? `channel-${id.toLowerCase()}`,
        is_private: c.isPrivate ?? id.startsWith('G'),
        is_member: c.isMember ?? false,
      });
    },
    issueTriggerId: (o) => ws.issueTrigger(o?.viewId),
    responseUrl(source = {}) {
      const path = `${RESPONSE_PREFIX}${ws.teamId}/${Date.now()}${calls.length}/${randomBytes(12).toString('hex')}`;
      ws.issueResponseUrl(path, source);
      return `${origin}${path}`;
    },
    messages: (channel) =>
      ws.messages.filter((m) => channel === undefined || m.channel === channel).map((m) => structuredClone(m)),
    ephemerals: (channel) =>
      ws.ephemerals.filter((m) => channel === undefined || m.channel === channel).map((m) => structuredClone(m)),
    view: (id) => {
      const v = ws.views.get(id);
      return v ? structuredClone(v) : undefined;
    },
    failNext(method, failure, times = 1, match = () => true) {
      injected.set(method, [
        ...(injected.get(method) ?? []),
        ...Array.from({ length: times }, () => ({ failure, match })),
      ]);
    },
    setReachable(r) {
      reachable = r;
    },
    uploadFile(f) {
      const id = slackId('F');
      const content = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content;
      const filetype = f.filetype ?? (f.name.split('.').pop() ?? 'text').toLowerCase();
      const at = Math.floor(now() / 1000);
      const file = {
        id,
        created: at,
        timestamp: at,
        name: f.name,
        title: f.name,
        mimetype: f.mimetype ?? 'text/plain',
        filetype,
        pretty_type: filetype.toUpperCase(),
        user: f.user,
        user_team: ws.teamId,
        editable: false,
        size: content.length,
        mode: 'hosted' as const,
        is_external: false as const,
        is_public: false,
        url_private: `${origin}${FILES_PREFIX}${ws.teamId}-${id}/${encodeURIComponent(f.name)}`,
        url_private_download: `${origin}${FILES_PREFIX}${ws.teamId}-${id}/download/${encodeURIComponent(f.name)}`,
        permalink: `https://fake-workspace.slack.com/files/${f.user}/${id}/${encodeURIComponent(f.name)}`,
        content,
      };
      ws.files.set(id, file);
      return structuredClone(fileView(file));
    },
    holdDownloads() {
      let release = () => {};
      downloadsHeld = new Promise<void>((resolve) => {
        release = resolve;
      });
      return release;
    },
    socket,
    close() {
      for (const w of [...waiters]) waiters.delete(w);
      socket.close();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
