/**
 * The zero-set-up store: PGlite (PostgreSQL compiled to WebAssembly, in this process) with its
 * files in a local directory, served on a loopback TCP port (./embedded-socket.ts) so that
 * `pg.Pool` and Agenda's postgres backend reach it with an ordinary postgres:// URL.
 *
 * PGlite is a single session; the socket server multiplexes several client connections onto
 * it, a protocol round trip at a time, keeping an open transaction on the connection that
 * began it. LISTEN/NOTIFY does not
 * cross that multiplexer, so Agenda gets an in-process notification channel instead (open.ts).
 * The data directory is locked for the life of the server: one process only.
 */
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { DbchangeError, ErrorCode, messageOf } from '../errors.js';
import { lockDataDir } from './data-dir-lock.js';
import { serveSession, type SessionServer } from './embedded-socket.js';

export const DEFAULT_DATA_DIR = './.dbchange/pgdata';

export interface EmbeddedPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  dataDir: string;
  /** Most client connections the server accepts at once; share them out between pools. */
  maxConnections: number;
  /** Stops the server, closes PGlite (flushing its files) and releases the directory lock. */
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir?: string;
  /** Loopback port; 0 (the default) lets the OS pick a free one. */
  port?: number;
  maxConnections?: number;
}

function inUse(dataDir: string, pid: number): DbchangeError {
  const who = pid > 0 ? `process ${pid}` : 'another process';
  return new DbchangeError(
    ErrorCode.StoreUnavailable,
    `The embedded store in ${dataDir} is already in use by ${who}; it serves one process only. ` +
      'Stop the other process, or set DBCHANGE_STORE_URL to a PostgreSQL (postgres://…) or ' +
      'MongoDB (mongodb://…) URL to run several processes on one store.',
  );
}

/** Open (creating if needed) the PGlite database in `dataDir` and serve it on 127.0.0.1. */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const maxConnections = options.maxConnections ?? 16;
  const lock = await lockDataDir(dataDir);
  if ('heldBy' in lock) throw inUse(dataDir, lock.heldBy);

  let db: PGlite | undefined;
  let server: SessionServer | undefined;
  try {
    db = await PGlite.create({ dataDir });
    server = await serveSession(db, options.port ?? 0, maxConnections);
  } catch (e) {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await lock.release();
    throw new DbchangeError(
      ErrorCode.StoreUnavailable,
      `Could not start the embedded store in ${dataDir}: ${messageOf(e)}. Check that the directory ` +
        'is writable and holds a PGlite database (or is empty), or set DBCHANGE_STORE_URL to a ' +
        'PostgreSQL or MongoDB URL.',
      { cause: e },
    );
  }
  const started = { db, server };
  let closed: Promise<void> | undefined;
  return {
    url: `postgres://postgres@${server.address}/postgres`,
    dataDir,
    maxConnections,
    close() {
      closed ??= (async () => {
        try {
          await started.server.stop();
          await started.db.close();
        } finally {
          await lock.release();
        }
      })();
      return closed;
    },
  };
}
