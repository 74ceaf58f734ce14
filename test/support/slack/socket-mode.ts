// Slack's Socket Mode, as the fake serves it: apps.connections.open (with the app-level token)
// answers a WebSocket URL on the fake; a client that connects gets Slack's `hello`, then
// envelopes ({envelope_id, type, payload, accepts_response_payload}) that it acknowledges by
// sending back {envelope_id, payload?}. Slack waits 3 s for that ack; so does the fake.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes, randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiResult } from './results.js';

export const SOCKET_PATH = '/link/';

/** What a Socket Mode client answered to one envelope. */
export interface SocketAck {
  envelopeId: string;
  /** The ack's payload (a command's reply, a view_submission's response_action), if any. */
  payload?: Record<string, unknown>;
  /** Milliseconds from sending the envelope to its ack. */
  ms: number;
}

/** Envelope types Slack sends over the socket. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export class SocketMode {
  readonly appToken = `xapp-1-${randomBytes(4).toString('hex').toUpperCase()}-fake-${randomBytes(12).toString('hex')}`;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly clients = new Set<WebSocket>();
  private readonly pending = new Map<string, { sent: number; resolve: (a: SocketAck) => void }>();
  private connectedWaiters: (() => void)[] = [];
  /** Every connection a client opened, in order (a reconnect adds one). */
  connections = 0;

  constructor(
    private readonly appId: string,
    private readonly origin: () => string,
  ) {}

  /** apps.connections.open: the app-level token gets a one-use URL; a bot token is refused, as Slack does. */
  open(token: string | undefined): ApiResult {
    if (!token) return { ok: false, error: 'not_authed' };
    if (token.startsWith('xoxb-')) return { ok: false, error: 'not_allowed_token_type' };
    if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return {
      ok: true,
      url: `${this.origin().replace(/^http/, 'ws')}${SOCKET_PATH}?ticket=${ticket}&app_id=${this.appId}`,
    };
  }

  /** The HTTP server's `upgrade` event: a WebSocket on SOCKET_PATH with a ticket apps.connections.open gave. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== SOCKET_PATH || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (client) => this.accept(client));
  }

  private accept(client: WebSocket): void {
    this.clients.add(client);
    this.connections++;
    client.on('close', () => this.clients.delete(client));
    client.on('message', (data) => {
      let msg: { envelope_id?: unknown; payload?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return;
      }
      const id = typeof msg.envelope_id === 'string' ? msg.envelope_id : '';
      const waiting = this.pending.get(id);
      if (!waiting) return;
      this.pending.delete(id);
      const payload =
        msg.payload && typeof msg.payload === 'object' && Object.keys(msg.payload).length > 0
          ? (msg.payload as Record<string, unknown>)
          : undefined;
      waiting.resolve({ envelopeId: id, ...(payload ? { payload } : {}), ms: performance.now() - waiting.sent });
    });
    client.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.clients.size,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    for (const w of this.connectedWaiters.splice(0)) w();
  }

  /**
   * Resolves once a client is connected (it has been sent `hello`); with `after` (a value of
   * `connections` read before starting a client), once a connection newer than that one is.
   */
  connected(opts: { after?: number; timeoutMs?: number } = {}): Promise<void> {
    const after = opts.after ?? -1;
    const ready = () => (after < 0 ? this.clients.size > 0 : this.connections > after);
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('fake Slack: no Socket Mode client connected')),
        opts.timeoutMs ?? 10_000,
      );
      const check = () => {
        if (!ready()) return void this.connectedWaiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      this.connectedWaiters.push(check);
    });
  }

  /**
   * Send an envelope to a connected client and wait for its ack (rejects after 3 s without one,
   * when Slack would show the person an error). `retry` marks a redelivery, as Slack retries events.
   */
  send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    opts: { retryAttempt?: number; retryReason?: string } = {},
  ): Promise<SocketAck> {
    const client = [...this.clients].find((c) => c.readyState === c.OPEN);
    if (!client) return Promise.reject(new Error('fake Slack: no Socket Mode client is connected'));
    const envelopeId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`fake Slack: no ack for the ${type} envelope within 3 s`));
      }, 3000);
      this.pending.set(envelopeId, {
        sent: performance.now(),
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
      });
      client.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type === 'slash_commands' || payload.type === 'view_submission',
          ...(type === 'events_api'
            ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' }
            : {}),
        }),
      );
    });
  }

  /** Ask the client to reconnect, as Slack does before it moves a connection. */
  disconnect(reason = 'refresh_requested'): void {
    for (const c of this.clients)
      c.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
  }

  close(): void {
    for (const c of this.clients) c.terminate();
    this.wss.close();
  }
}
