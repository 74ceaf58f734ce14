/**
 * Choosing the store and Agenda's backend from DBCHANGE_STORE_URL:
 * - postgres:// or postgresql:// → SQL store on a pg.Pool + Agenda's PostgresBackend, which
 *   wakes workers with LISTEN/NOTIFY (several bot processes may share the database);
 * - unset → embedded PGlite served on loopback + the same SQL store and PostgresBackend, with
 *   LISTEN disabled and an in-process notification channel (one process only);
 * - mongodb:// or mongodb+srv:// → Mongo store + MongoBackend; on a replica set change streams
 *   wake the workers of every process at once; on a standalone server (no change streams) an
 *   in-process channel wakes this process's workers at once and other processes poll.
 * The store's schema is migrated before the store is returned.
 */
import pg from 'pg';
import { InMemoryNotificationChannel, type AgendaBackend, type NotificationChannel } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { MongoBackend, MongoChangeStreamNotificationChannel } from '@agendajs/mongo-backend';
import { type Db, MongoClient, type MongoClientOptions } from 'mongodb';
import { DbchangeError, ErrorCode, isDbchangeError, messageOf } from '../errors.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { MongoStore } from './mongo/mongo-store.js';
import { redactUrl } from '../redact.js';
import { SqlStore } from './sql/sql-store.js';
import type { Store } from './types.js';

export interface OpenedStore {
  store: Store;
  kind: 'postgres' | 'embedded' | 'mongodb';
  /** Pass to `new Agenda({ backend })`. */
  agendaBackend: AgendaBackend;
  /** Pass to `new Agenda({ notificationChannel })` when set; it overrides the backend's. */
  notificationChannel?: NotificationChannel;
  /** Where the store lives, for logs; never contains a password. */
  describe: string;
  /** After an outage: connects again what does not reconnect by itself (a job notification channel that gave up). */
  resume(): Promise<void>;
  /** Closes the store (and the embedded server). Stop Agenda first: it uses the same server. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Data directory of the embedded store (default ./.dbchange/pgdata). */
  dataDir?: string;
  /** Errors of connections nobody is waiting on (an idle client that lost its server, the job notification channel). */
  onError?: (err: unknown) => void;
}

const ACCEPTED = 'postgres://, postgresql://, mongodb:// or mongodb+srv:// (or leave it unset for the embedded store)';

function unavailable(url: string, what: string, cause: unknown): DbchangeError {
  if (isDbchangeError(cause)) return cause;
  return new DbchangeError(
    ErrorCode.StoreUnavailable,
    `Cannot use the store at ${redactUrl(url)}: ${messageOf(cause)}. ${what}`,
    { cause },
  );
}

function newPool(connectionString: string, max: number, onError: (err: unknown) => void): pg.Pool {
  // A server that vanished without closing its sockets is noticed (keepAlive) and a connection
  // that cannot be opened fails in 10 s instead of hanging a request.
  const pool = new pg.Pool({ connectionString, max, keepAlive: true, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server emits 'error' on the pool; unheard, it would end the process.
  pool.on('error', onError);
  return pool;
}

async function openSqlStore(
  url: string,
  max: number,
  hint: string,
  onError: (err: unknown) => void,
): Promise<SqlStore> {
  const pool = newPool(url, max, onError);
  const store = new SqlStore(pool);
  try {
    await store.migrate();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw unavailable(url, hint, e);
  }
  return store;
}

/** Agenda's PostgreSQL backend on a pool of ours, so its connection errors are heard too. */
function agendaOnPool(
  url: string,
  max: number,
  onError: (err: unknown) => void,
  disableNotifications: boolean,
): { backend: PostgresBackend; pool: pg.Pool } {
  const pool = newPool(url, max, onError);
  const backend = new PostgresBackend({ pool, disableNotifications });
  // The LISTEN connection reports its losses here (and reconnects by itself).
  backend.notificationChannel?.on('error', onError);
  return { backend, pool };
}

/** After an outage: a notification channel that gave up reconnecting is connected again. */
async function reconnectChannel(channel: NotificationChannel | undefined): Promise<void> {
  if (channel?.state === 'error') await channel.connect();
}

async function openPostgres(url: string, onError: (err: unknown) => void): Promise<OpenedStore> {
  const store = await openSqlStore(
    url,
    10,
    'Check that PostgreSQL is running and reachable, and that the user, password and database in DBCHANGE_STORE_URL are right (the user needs CREATE on the database).',
    onError,
  );
  const agenda = agendaOnPool(url, 10, onError, false);
  return {
    store,
    kind: 'postgres',
    agendaBackend: agenda.backend,
    describe: `PostgreSQL at ${redactUrl(url)}`,
    resume: () => reconnectChannel(agenda.backend.notificationChannel),
    async close() {
      try {
        await store.close();
      } finally {
        await agenda.pool.end();
      }
    },
  };
}

async function openEmbedded(dataDir: string | undefined, onError: (err: unknown) => void): Promise<OpenedStore> {
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir });
  // The socket server refuses connections past its maximum: split it between the two pools,
  // leaving room for a connection being replaced.
  const perPool = Math.max(1, Math.floor((embedded.maxConnections - 2) / 2));
  let store: SqlStore;
  try {
    store = await openSqlStore(
      embedded.url,
      perPool,
      `The embedded store lives in ${embedded.dataDir}; delete that directory to start afresh, or set DBCHANGE_STORE_URL.`,
      onError,
    );
  } catch (e) {
    await embedded.close().catch(() => undefined);
    throw e;
  }
  // LISTEN/NOTIFY does not cross the PGlite socket multiplexer; Agenda is notified in
  // process instead, which is enough because the embedded store serves one process.
  const agenda = agendaOnPool(embedded.url, perPool, onError, true);
  try {
    await expireLocks(agenda.pool);
  } catch (e) {
    await store.close().catch(() => undefined);
    await agenda.pool.end().catch(() => undefined);
    await embedded.close().catch(() => undefined);
    throw e;
  }
  return {
    store,
    kind: 'embedded',
    agendaBackend: agenda.backend,
    notificationChannel: new InMemoryNotificationChannel(),
    describe: `embedded PGlite in ${embedded.dataDir}`,
    resume: async () => undefined,
    async close() {
      try {
        await store.close();
        await agenda.pool.end();
      } finally {
        await embedded.close();
      }
    },
  };
}

/**
 * The embedded store serves this process alone (its data directory is locked to it), so a job
 * locked by a run of the bot that was killed is nobody's: its lock is expired at once, and the
 * job (a rollout due now, one that was running) is taken at the first scan instead of after its
 * lock's lifetime. A shared store waits that lifetime out, since another bot may hold the lock.
 */
async function expireLocks(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string | null }>(`SELECT to_regclass('agenda_jobs')::text AS name`);
  if (rows[0]?.name) await pool.query(`UPDATE agenda_jobs SET locked_at = 'epoch' WHERE locked_at IS NOT NULL`);
}

/** The database named in a MongoDB URL's path, if any. */
function mongoDatabaseName(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/i.exec(url);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

async function isReplicaSet(db: Db): Promise<boolean> {
  const hello = await db.admin().command({ hello: 1 });
  return typeof hello.setName === 'string';
}

/**
 * The MongoDB driver's limits, each unless the URL sets its own: a server that cannot be found
 * fails a call in 5 s (not the driver's 30 s); the server is checked every 2 s (not 10 s), so a
 * lost store is known soon after it is gone; and no reply is awaited longer than 15 s (the
 * driver's default waits forever, and a request sent on a connection that died unnoticed would
 * never end).
 */
export function mongoOptions(url: string): MongoClientOptions {
  const limits: MongoClientOptions = {
    serverSelectionTimeoutMS: 5000,
    heartbeatFrequencyMS: 2000,
    socketTimeoutMS: 15_000,
  };
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1).toLowerCase() : '';
  return Object.fromEntries(
    Object.entries(limits).filter(([name]) => !new RegExp(`(^|&)${name.toLowerCase()}=`).test(query)),
  );
}

async function openMongo(url: string, onError: (err: unknown) => void): Promise<OpenedStore> {
  const hint =
    'Check that MongoDB is running and reachable, and that the user, password and database in DBCHANGE_STORE_URL are right.';
  let client: MongoClient;
  try {
    client = new MongoClient(url, mongoOptions(url));
  } catch (e) {
    throw unavailable(url, `The URL is not a valid MongoDB connection string. ${hint}`, e);
  }
  // The driver's monitor finding the server gone is the store lost, also when no call of ours
  // has failed yet (one may be waiting on a connection that died under it).
  client.on('serverHeartbeatFailed', (event) => onError(event.failure));
  try {
    await client.connect();
    const db = client.db(mongoDatabaseName(url) ?? 'dbchange');
    const store = new MongoStore(db, client);
    await store.migrate();
    // Change streams need a replica set; without them a job saved here still starts here at once.
    const notificationChannel: NotificationChannel = (await isReplicaSet(db))
      ? new MongoChangeStreamNotificationChannel({ db })
      : new InMemoryNotificationChannel();
    notificationChannel.on('error', onError);
    return {
      store,
      kind: 'mongodb',
      agendaBackend: new MongoBackend({ mongo: db }),
      notificationChannel,
      describe: `MongoDB at ${redactUrl(url)}, database ${db.databaseName}`,
      // The driver re-selects its server by itself; a change stream that gave up is opened again.
      resume: () => reconnectChannel(notificationChannel),
      close: () => store.close(),
    };
  } catch (e) {
    await client.close().catch(() => undefined);
    throw unavailable(url, hint, e);
  }
}

/**
 * Open the store named by `storeUrl` (DBCHANGE_STORE_URL), migrated and ready, with the Agenda
 * backend (and notification channel) that goes with it. Throws DbchangeError(StoreUnavailable)
 * for an unknown scheme or a store that cannot be reached.
 */
export async function openStore(storeUrl: string | undefined, opts: OpenStoreOptions = {}): Promise<OpenedStore> {
  const url = storeUrl?.trim();
  const onError = opts.onError ?? (() => undefined);
  if (!url) return openEmbedded(opts.dataDir, onError);
  const scheme = url.split(':', 1)[0]!.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return openPostgres(url, onError);
    case 'mongodb':
    case 'mongodb+srv':
      return openMongo(url, onError);
    default:
      throw new DbchangeError(
        ErrorCode.StoreUnavailable,
        `DBCHANGE_STORE_URL ${redactUrl(url)} has an unsupported scheme "${scheme}:"; use ${ACCEPTED}.`,
      );
  }
}
