/**
 * Serves one PGlite session to several PostgreSQL client connections on a loopback port.
 *
 * PGlite is a single session, so connections take turns. A turn is one round trip of the
 * protocol: everything a client sent up to and including a Sync, a Flush or a simple Query,
 * never a single message. (@electric-sql/pglite-socket's server takes turns per message: a
 * large Bind arrives in many TCP chunks, another connection's Parse slips in between, and the
 * unnamed statement the Bind meets is someone else's — "bind message supplies 3 parameters,
 * but prepared statement "" requires 5".) While a transaction is open only the connection that
 * opened it gets turns; when that connection goes away, its transaction is rolled back.
 *
 * Framing: the first message of a connection has no type byte (length, protocol code): an
 * SSLRequest is answered "N" (no TLS on loopback), a CancelRequest is ignored, a startup
 * message is its own turn. Every later message is a type byte and a length that counts itself.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
/** Message types that end a turn: Sync, Flush, Query, CopyDone, CopyFail. */
const TURN_ENDS = new Set(['S', 'H', 'Q', 'c', 'f'].map((c) => c.charCodeAt(0)));
const TERMINATE = 'X'.charCodeAt(0);

interface Turn {
  conn: Connection;
  bytes: Uint8Array;
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private pending: Buffer[] = [];
  closed = false;

  constructor(
    readonly socket: Socket,
    private readonly turns: Turns,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  write(bytes: Uint8Array): void {
    if (!this.closed && this.socket.writable) this.socket.write(bytes);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.turns.gone(this);
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (!this.closed) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        const message = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        if (code === SSL_REQUEST) this.write(Buffer.from('N'));
        else if (code === CANCEL_REQUEST) this.close();
        else {
          this.started = true;
          this.turns.push({ conn: this, bytes: message });
        }
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < length) return;
      const type = this.buffer[0]!;
      const message = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      if (type === TERMINATE) {
        this.close();
        return;
      }
      this.pending.push(message);
      if (TURN_ENDS.has(type)) {
        this.turns.push({ conn: this, bytes: Buffer.concat(this.pending) });
        this.pending = [];
      }
    }
  }
}

/** The turns waiting for the session, with the open transaction's owner served first. */
class Turns {
  private queue: Turn[] = [];
  private running = false;
  private owner: Connection | null = null;

  constructor(private readonly db: PGlite) {}

  push(turn: Turn): void {
    this.queue.push(turn);
    void this.pump();
  }

  /** A connection went away: drop its turns and roll back the transaction it left open. */
  gone(conn: Connection): void {
    this.queue = this.queue.filter((t) => t.conn !== conn);
    if (this.owner !== conn) return;
    this.owner = null;
    // First in line, so nobody else's turn runs inside the transaction it left.
    this.queue.unshift({ conn, bytes: new Uint8Array() });
    void this.pump();
  }

  private next(): Turn | undefined {
    const i = this.owner ? this.queue.findIndex((t) => t.conn === this.owner) : 0;
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let turn = this.next(); turn; turn = this.next()) {
        const { conn, bytes } = turn;
        if (conn.closed) {
          // Its last turn (or the empty one from gone()): leave nothing of it open.
          if (this.db.isInTransaction() && !this.owner) await this.db.exec('ROLLBACK').catch(() => undefined);
          continue;
        }
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(bytes, { onRawData: (d) => conn.write(d) }));
        } catch {
          conn.close();
        }
        this.owner = this.db.isInTransaction() ? conn : null;
      }
    } finally {
      this.running = false;
    }
  }
}

export interface SessionServer {
  /** host:port */
  address: string;
  /** Drops one connection, as a network failure would (for tests of reconnecting clients). */
  dropConnections(): void;
  stop(): Promise<void>;
}

/** Serve `db` on 127.0.0.1:`port` (0: any free port), at most `maxConnections` at once. */
export async function serveSession(db: PGlite, port: number, maxConnections: number): Promise<SessionServer> {
  const turns = new Turns(db);
  const connections = new Set<Connection>();
  const server: Server = createServer((socket) => {
    if (connections.size >= maxConnections) {
      socket.destroy();
      return;
    }
    const conn = new Connection(socket, turns);
    connections.add(conn);
    socket.once('close', () => connections.delete(conn));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${bound}`,
    dropConnections() {
      for (const c of connections) c.close();
    },
    stop() {
      for (const c of connections) c.close();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
