/**
 * Bolt's HTTP receiver with a guard in front of /slack/events. Bolt alone accepts a request
 * timestamped in the future, and a signed `payload=null` (or any body that is not an object)
 * throws inside its request handler, which ends the process. The guard reads the body first and
 * answers itself when the request must not reach the app:
 *   - timestamp more than 5 minutes off, in either direction, or a bad signature → 401;
 *   - a body that does not parse to an object → 400;
 *   - a body over BODY_LIMIT_BYTES: read to the end through the signature's HMAC, keeping only
 *     its head and tail; a signed modal submission gets a field error under the SQL input that
 *     names the limit (the person sees why), anything else 413.
 * Slack's ssl_check and url_verification go on to Bolt's receiver (which checks them again). Every
 * other request goes to the app from here, parsed and verified once: one whose ack carries nothing
 * is answered before the app sees it (see dispatch), and all work after an ack waits for the
 * acks of requests that have arrived meanwhile (after-ack.ts).
 * Every Slack request is counted from its arrival until its handler is done (in-flight.ts): stopping
 * the receiver answers new requests 503 and closes the listener, then waits for those.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery, unescape as unescapeQuery } from 'node:querystring';
import bolt from '@slack/bolt';
import type { App as BoltApp } from '@slack/bolt';
import type { Logger } from 'pino';
import { MAX_SQL_BYTES } from '../app/index.js';
import { ACKED_ON_ARRIVAL, afterAck, requestArrived } from './after-ack.js';
import { InFlight, type RequestKind, stopGracefully } from './in-flight.js';
import { CALLBACK, FIELD } from './views/ids.js';

const { HTTPReceiver, HTTPModuleFunctions, HTTPResponseAck } = bolt;

/** How far a request's timestamp may be from our clock (Slack's own rule: 5 minutes). */
export const MAX_CLOCK_SKEW_SEC = 5 * 60;
/** The largest request body the bot reads: a 1 MB script, URL- and JSON-escaped, fits. */
export const BODY_LIMIT_BYTES = 8 * MAX_SQL_BYTES;
/** Past this the connection is dropped without reading further. */
const HARD_LIMIT_BYTES = 64 * MAX_SQL_BYTES;
/** How much of an oversized body is kept at each end to find what kind of request it was. */
const KEEP_BYTES = 64 * 1024;

export interface GuardOptions {
  signingSecret: string;
  port: number;
  logger: Logger;
  endpoints?: string[];
  /** Routes besides Slack's (e.g. the GitOps webhook), which check their own requests. */
  customRoutes?: {
    path: string;
    method: 'POST';
    handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  }[];
  /**
   * Requests whose ack carries nothing (a button click, most commands): answered as soon as they are
   * verified, before the app sees them; their listeners' ack() does nothing.
   */
  ackOnArrival?: (body: Record<string, unknown>) => boolean;
  /** Milliseconds since the epoch; passed in so tests can move the clock. */
  nowMs?: () => number;
}

type Verdict = { pass: true; body?: Record<string, unknown> } | { pass: false; status: number; json?: unknown };

/** An HTTPReceiver whose /slack/events requests pass the guard first, and whose stop lets them finish. */
export function guardedHttpReceiver(opts: GuardOptions): InstanceType<typeof HTTPReceiver> {
  const endpoints = opts.endpoints ?? ['/slack/events'];
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    endpoints,
    port: opts.port,
    bodyLimit: BODY_LIMIT_BYTES,
    logger: boltLogger(opts.logger),
    customRoutes: opts.customRoutes ?? [],
  });
  const inner = receiver.requestListener;
  const nowMs = opts.nowMs ?? Date.now;
  let app: BoltApp | undefined;
  const init = receiver.init.bind(receiver);
  receiver.init = (a) => {
    app = a;
    init(a);
  };
  const inFlight = new InFlight();
  let stopping = false;
  receiver.requestListener = (req, res) => {
    // Stopping: a request is turned away rather than acknowledged and then dropped (Slack tells the person, or retries).
    if (stopping) return respond(res, 503, undefined, { connection: 'close', 'retry-after': '5' });
    const path = (req.url ?? '').split('?', 1)[0]!;
    if (req.method !== 'POST' || !endpoints.includes(path)) return inner(req, res);
    requestArrived();
    const kind: RequestKind = {};
    const work = guard(req, opts.signingSecret, nowMs())
      .then((verdict) => {
        if (!verdict.pass) return respond(res, verdict.status, verdict.json);
        // Slack's ssl_check and url_verification get Bolt's own answers; nothing else waits for it.
        const { body } = verdict;
        if (!body || !app || body.type === 'url_verification') return inner(req, res);
        Object.assign(kind, describeRequest(body));
        return dispatch(app, req, res, body, opts);
      })
      .catch((err: unknown) => {
        opts.logger.warn({ err }, 'a Slack request could not be read');
        if (!res.headersSent) respond(res, 400);
      });
    inFlight.track(kind, work);
  };
  const stop = receiver.stop.bind(receiver);
  receiver.stop = () =>
    stopGracefully(
      async () => {
        stopping = true;
        await stop();
      },
      inFlight,
      opts.logger,
    );
  return receiver;
}

/**
 * Hand a verified request to the app. One whose ack carries nothing (`ackOnArrival`) is answered
 * at once and its listener runs in the post-ack lane; any other is answered by its listener's
 * ack(), as Bolt's receiver does (404 and a log line when no listener acks within 3 s, 500 when
 * processing fails before the ack). Resolves when the listeners are done, never rejects.
 */
function dispatch(
  app: BoltApp,
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, unknown>,
  opts: GuardOptions,
): Promise<void> {
  const event = {
    body,
    retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
    retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
  };
  if (opts.ackOnArrival?.(body)) {
    respond(res, 200);
    return processAcknowledged((e) => app.processEvent(e), event, opts.logger);
  }
  const ack = new HTTPResponseAck({
    logger: boltLogger(opts.logger),
    processBeforeResponse: false,
    httpRequest: req as Parameters<typeof HTTPModuleFunctions.parseHTTPRequestBody>[0],
    httpRequestBody: body,
    httpResponse: res,
  });
  return app.processEvent({ ...event, ack: ack.bind() }).catch((err: unknown) => {
    opts.logger.error({ err, ...describeRequest(body) }, 'a Slack request failed');
    if (!res.headersSent) respond(res, err instanceof bolt.AuthorizationError ? 401 : 500);
  });
}

type AckedEvent = Omit<Parameters<BoltApp['processEvent']>[0], 'ack'>;

/**
 * The listeners of a request Slack was already answered for (its ack carries nothing; over HTTP or
 * the socket): they run in the post-ack lane with a no-op ack, and a request no listener took or
 * one that failed is logged. Never rejects.
 */
export function processAcknowledged(
  processEvent: BoltApp['processEvent'],
  event: AckedEvent,
  logger: Logger,
): Promise<void> {
  const { body } = event as { body: Record<string, unknown> };
  let acked = false;
  const ack = async () => {
    acked = true;
  };
  return afterAck()
    .then(() =>
      processEvent({ ...event, ack, customProperties: { ...event.customProperties, [ACKED_ON_ARRIVAL]: true } }),
    )
    .then(() => {
      if (!acked)
        logger.warn(describeRequest(body), 'no handler for this Slack request; it was acknowledged and ignored');
    })
    .catch((err: unknown) => logger.error({ err, ...describeRequest(body) }, 'a Slack request failed after its ack'));
}

/** What a request was, for a log line: its type and command, action or modal, never its content. */
export function describeRequest(body: Record<string, unknown>): Record<string, unknown> {
  const actions = body.actions as { action_id?: unknown }[] | undefined;
  const view = body.view as { callback_id?: unknown } | undefined;
  return {
    type: body.type ?? (body.command ? 'slash_command' : undefined),
    ...(body.command ? { command: body.command } : {}),
    ...(actions?.[0]?.action_id ? { action: actions[0].action_id } : {}),
    ...(body.type === 'view_submission' && view?.callback_id ? { view: view.callback_id } : {}),
  };
}

function respond(res: ServerResponse, status: number, json?: unknown, headers?: Record<string, string>): void {
  if (json === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(json));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

async function guard(req: IncomingMessage, secret: string, nowMs: number): Promise<Verdict> {
  const timestamp = header(req, 'x-slack-request-timestamp') ?? '';
  const signature = header(req, 'x-slack-signature') ?? '';
  const read = await readBody(req, `v0:${timestamp}:`, secret);
  if (read.kind === 'cut') return { pass: false, status: 413 };
  const form = header(req, 'content-type') === 'application/x-www-form-urlencoded';

  if (read.kind === 'whole') {
    // Slack's ssl_check carries no signature; Bolt answers it (and drops anything smuggled in).
    if (form && parseQuery(read.body.toString()).ssl_check === '1') return pass(req, read.body);
  }
  const skewSec = Math.abs(Math.floor(nowMs / 1000) - Number(timestamp));
  if (!/^\d+$/.test(timestamp) || skewSec > MAX_CLOCK_SKEW_SEC) return { pass: false, status: 401 };
  if (!signatureMatches(signature, read.hmac)) return { pass: false, status: 401 };

  if (read.kind === 'oversized') return oversized(read);
  try {
    const buffered = Object.assign(req, { rawBody: read.body });
    const body: unknown = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { pass: false, status: 400 };
    return { pass: true, body: body as Record<string, unknown> };
  } catch {
    return { pass: false, status: 400 };
  }
}

function pass(req: IncomingMessage, body: Buffer): Verdict {
  Object.assign(req, { rawBody: body });
  return { pass: true };
}

function signatureMatches(signature: string, hmacHex: string): boolean {
  const [version, hash] = signature.split('=');
  if (version !== 'v0' || !hash || hash.length !== hmacHex.length) return false;
  return timingSafeEqual(Buffer.from(hash), Buffer.from(hmacHex));
}

type Read =
  | { kind: 'whole'; body: Buffer; hmac: string }
  | { kind: 'oversized'; head: string; tail: string; bytes: number; hmac: string }
  | { kind: 'cut' };

/** Reads the body through the signature's HMAC, keeping all of it up to the limit. */
function readBody(req: IncomingMessage, prefix: string, secret: string): Promise<Read> {
  return new Promise((resolve, reject) => {
    const hmac = createHmac('sha256', secret).update(prefix);
    const chunks: Buffer[] = [];
    let bytes = 0;
    let head: Buffer | undefined;
    let tail = Buffer.alloc(0);
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > HARD_LIMIT_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve({ kind: 'cut' });
        return;
      }
      hmac.update(chunk);
      if (!head) {
        chunks.push(chunk);
        if (bytes > BODY_LIMIT_BYTES) {
          const all = Buffer.concat(chunks);
          head = all.subarray(0, KEEP_BYTES);
          tail = all.subarray(-KEEP_BYTES);
          chunks.length = 0;
        }
      } else {
        tail = Buffer.concat([tail, chunk]).subarray(-KEEP_BYTES);
      }
    });
    req.on('end', () => {
      const digest = hmac.digest('hex');
      if (!head) resolve({ kind: 'whole', body: Buffer.concat(chunks), hmac: digest });
      else resolve({ kind: 'oversized', head: decode(head), tail: decode(tail), bytes, hmac: digest });
    });
    req.on('error', reject);
  });
}

function decode(b: Buffer): string {
  return unescapeQuery(b.toString('latin1').replace(/\+/g, ' '));
}

/** A signed modal submission that is too big: a field error under its SQL input; else 413. */
function oversized(read: { head: string; tail: string; bytes: number }): Verdict {
  const text = `${read.head}\n${read.tail}`;
  const isSubmission = /"type"\s*:\s*"view_submission"/.test(text);
  const withSql = [CALLBACK.submit, CALLBACK.edit].some((id) => text.includes(`"callback_id":"${id}"`));
  if (!isSubmission || !withSql) return { pass: false, status: 413 };
  return {
    pass: false,
    status: 200,
    json: { response_action: 'errors', errors: { [FIELD.sql]: sqlTooLarge(read.bytes, MAX_SQL_BYTES) } },
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** The field error for a submission too big to read; it names the limits. */
function sqlTooLarge(bytes: number, limit: number): string {
  return `This submission is ${megabytes(bytes)}, more than the bot reads (${megabytes(BODY_LIMIT_BYTES)}); the SQL may be at most ${megabytes(limit)}. Split it into several changes.`;
}

/** Bolt's log lines through pino. */
export function boltLogger(logger: Logger) {
  return {
    debug: (...m: unknown[]) => logger.debug({ bolt: m.map(String).join(' ') }),
    info: (...m: unknown[]) => logger.info({ bolt: m.map(String).join(' ') }),
    warn: (...m: unknown[]) => logger.warn({ bolt: m.map(String).join(' ') }),
    error: (...m: unknown[]) => logger.error({ bolt: m.map(String).join(' ') }),
    setLevel: () => {},
    getLevel: () => bolt.LogLevel.INFO,
    setName: () => {},
  };
}
