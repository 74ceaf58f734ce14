// Runs the store contract against every implementation: real PostgreSQL, the embedded PGlite,
// and MongoDB (the jongodb server from the optional dependency, or TEST_MONGODB_URL).
import { after, before } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MongoClient } from 'mongodb';
import { freshPostgres } from '../../support/db.js';
import { SqlStore } from '../../../src/store/sql/sql-store.js';
import { MongoStore } from '../../../src/store/mongo/mongo-store.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/store/embedded.js';
import { runStoreContract } from './contract.js';
import { startMongo, type MongoServer } from '../../support/mongo.js';

async function migratedSqlStore(url: string) {
  const store = new SqlStore(new pg.Pool({ connectionString: url, max: 4 }));
  await store.migrate();
  return store;
}

runStoreContract('PostgreSQL', async () => {
  const db = await freshPostgres('store');
  const store = await migratedSqlStore(db.url);
  return {
    store,
    async cleanup() {
      await store.close();
      await db.drop();
    },
  };
});

// One PGlite for the whole file (creating one takes seconds); each store starts from an
// empty public schema instead.
let embedded: EmbeddedPostgres | undefined;
let embeddedDir = '';
before(async () => {
  embeddedDir = await mkdtemp(join(tmpdir(), 'dbchange-store-'));
  embedded = await startEmbeddedPostgres({ dataDir: join(embeddedDir, 'pgdata') });
});
after(async () => {
  await embedded?.close();
  await rm(embeddedDir, { recursive: true, force: true });
});

runStoreContract('embedded PGlite', async () => {
  const url = embedded!.url;
  const store = await migratedSqlStore(url);
  return {
    store,
    async cleanup() {
      await store.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query('DROP SCHEMA public CASCADE');
        await c.query('CREATE SCHEMA public');
      } finally {
        await c.end();
      }
    },
  };
});

// A MongoDB-compatible server (jongodb) for the whole file; each store gets a database of its
// own, which is left behind because jongodb has no dropDatabase (it lives in memory anyway).
let mongo: MongoServer | undefined;
before(async () => {
  mongo = await startMongo();
});
after(async () => {
  await mongo?.stop();
});

runStoreContract('MongoDB', async () => {
  const client = new MongoClient(mongo!.freshUrl('store'), { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    const store = new MongoStore(client.db());
    await store.migrate();
    return { store, cleanup: () => client.close() };
  } catch (e) {
    await client.close();
    throw e;
  }
});
