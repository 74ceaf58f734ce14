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
import { MongoClient, type Db } from 'mongodb';
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
  /** Closes the store (and the embedded server). Stop Agenda first: it uses the same server. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Data directory of the embedded store (default ./.dbchange/pgdata). */
  dataDir?: string;
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

function newPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // The same pool serves Agenda's backend; see SqlStore for why idle-client errors are ignored.
  pool.on('error', () => undefined);
  return pool;
}

async function openSqlStore(url: string, max: number, hint: string): Promise<SqlStore> {
  const pool = newPool(url, max);
  const store = new SqlStore(pool);
  try {
    await store.migrate();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw unavailable(url, hint, e);
  }
  return store;
}

async function openPostgres(url: string): Promise<OpenedStore> {
  const store = await openSqlStore(
    url,
    10,
    'Check that PostgreSQL is running and reachable, and that the user, password and database in DBCHANGE_STORE_URL are right (the user needs CREATE on the database).',
  );
  return {
    store,
    kind: 'postgres',
    agendaBackend: new PostgresBackend({ connectionString: url }),
    describe: `PostgreSQL at ${redactUrl(url)}`,
    close: () => store.close(),
  };
}

async function openEmbedded(dataDir: string | undefined): Promise<OpenedStore> {
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
    );
  } catch (e) {
    await embedded.close().catch(() => undefined);
    throw e;
  }
  const agendaBackend = new PostgresBackend({
    poolConfig: { connectionString: embedded.url, max: perPool },
    // LISTEN/NOTIFY does not cross the PGlite socket multiplexer; Agenda is notified in
    // process instead, which is enough because the embedded store serves one process.
    disableNotifications: true,
  });
  return {
    store,
    kind: 'embedded',
    agendaBackend,
    notificationChannel: new InMemoryNotificationChannel(),
    describe: `embedded PGlite in ${embedded.dataDir}`,
    async close() {
      try {
        await store.close();
      } finally {
        await embedded.close();
      }
    },
  };
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

async function openMongo(url: string): Promise<OpenedStore> {
  const hint =
    'Check that MongoDB is running and reachable, and that the user, password and database in DBCHANGE_STORE_URL are right.';
  let client: MongoClient;
  try {
    // Fail fast (5 s, not the driver's 30 s) at start-up, unless the URL sets its own limit.
    client = new MongoClient(url, /serverSelectionTimeoutMS=/i.test(url) ? {} : { serverSelectionTimeoutMS: 5000 });
  } catch (e) {
    throw unavailable(url, `The URL is not a valid MongoDB connection string. ${hint}`, e);
  }
  try {
    await client.connect();
    const db = client.db(mongoDatabaseName(url) ?? 'dbchange');
    const store = new MongoStore(db, client);
    await store.migrate();
    // Change streams need a replica set; without them a job saved here still starts here at once.
    const notificationChannel: NotificationChannel = (await isReplicaSet(db))
      ? new MongoChangeStreamNotificationChannel({ db })
      : new InMemoryNotificationChannel();
    return {
      store,
      kind: 'mongodb',
      agendaBackend: new MongoBackend({ mongo: db }),
      notificationChannel,
      describe: `MongoDB at ${redactUrl(url)}, database ${db.databaseName}`,
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
  if (!url) return openEmbedded(opts.dataDir);
  const scheme = url.split(':', 1)[0]!.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return openPostgres(url);
    case 'mongodb':
    case 'mongodb+srv':
      return openMongo(url);
    default:
      throw new DbchangeError(
        ErrorCode.StoreUnavailable,
        `DBCHANGE_STORE_URL ${redactUrl(url)} has an unsupported scheme "${scheme}:"; use ${ACCEPTED}.`,
      );
  }
}
