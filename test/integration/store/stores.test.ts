// Runs the store contract against every implementation: real PostgreSQL, the embedded PGlite,
// and MongoDB when TEST_MONGODB_URL names one (it cannot run on these machines).
import { after, before, test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MongoClient } from 'mongodb';
import { freshPostgres } from '../../support/db.js';
import { SqlStore } from '../../../src/store/sql/sql-store.js';
import { MongoStore } from '../../../src/store/mongo/mongo-store.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/store/embedded.js';
import { runStoreContract } from './contract.js';

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

const mongoUrl = process.env.TEST_MONGODB_URL;
if (mongoUrl) {
  runStoreContract('MongoDB', async () => {
    const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    const db = client.db(`t_store_${randomBytes(4).toString('hex')}`);
    const store = new MongoStore(db);
    await store.migrate();
    return {
      store,
      async cleanup() {
        await db.dropDatabase();
        await client.close();
      },
    };
  });
} else {
  test('MongoDB store contract', { skip: 'TEST_MONGODB_URL is not set' }, () => undefined);
  console.log('# MongoDB store contract skipped: TEST_MONGODB_URL is not set');
}
