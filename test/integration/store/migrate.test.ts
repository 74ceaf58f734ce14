// Several bot processes may start at once on one PostgreSQL store: their migrate() calls must
// not trip over each other (CREATE … IF NOT EXISTS alone is not safe under concurrency).
import { after, test } from 'node:test';
import { strict as assert } from 'node:assert';
import pg from 'pg';
import { freshPostgres, type FreshDatabase } from '../../support/db.js';
import { SqlStore } from '../../../src/store/sql/sql-store.js';

const dbs: FreshDatabase[] = [];
after(async () => {
  for (const db of dbs) await db.drop();
});

test('stores migrating the same fresh PostgreSQL database at the same moment all succeed', async () => {
  for (let round = 0; round < 3; round++) {
    const db = await freshPostgres('migrate');
    dbs.push(db);
    const stores = Array.from({ length: 4 }, () => new SqlStore(new pg.Pool({ connectionString: db.url, max: 1 })));
    try {
      const results = await Promise.allSettled(stores.map((s) => s.migrate()));
      assert.deepEqual(
        results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')),
        ['ok', 'ok', 'ok', 'ok'],
      );
      const issue = await stores[0]!.listIssues();
      assert.deepEqual(issue, []);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }
});
