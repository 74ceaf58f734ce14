// A ledger created before statement checksums existed is upgraded in place on first use, on
// both engines, and keeps its rows.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ENGINES } from '../../../src/domain/engine.js';
import { openTarget } from '../../../src/targets/index.js';
import type { Target } from '../../../src/targets/types.js';
import { freshDatabase, type FreshDatabase } from '../../support/db.js';
import { query } from '../../support/sql.js';
import { lines, recordedTask } from './support/task.js';

const OLD_LEDGER = {
  postgres: `CREATE TABLE public.dbchange_ledger (
  task_id text NOT NULL, attempt integer NOT NULL, issue_id text NOT NULL, version text NOT NULL,
  migration_type text NOT NULL, checksum text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  statements_done integer NOT NULL DEFAULT 0, error text, started_at timestamptz NOT NULL,
  finished_at timestamptz, applied_by text NOT NULL, PRIMARY KEY (task_id, attempt))`,
  mysql: `CREATE TABLE dbchange_ledger (
  task_id VARCHAR(255) NOT NULL, attempt INT NOT NULL, issue_id VARCHAR(255) NOT NULL,
  version VARCHAR(255) NOT NULL, migration_type VARCHAR(16) NOT NULL, checksum VARCHAR(255) NOT NULL,
  status VARCHAR(16) NOT NULL, statements_done INT NOT NULL DEFAULT 0, error TEXT NULL,
  started_at DATETIME(3) NOT NULL, finished_at DATETIME(3) NULL, applied_by VARCHAR(255) NOT NULL,
  PRIMARY KEY (task_id, attempt)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
} as const;

for (const engine of ENGINES) {
  describe(`${engine} ledger upgrade`, () => {
    let db: FreshDatabase;
    let target: Target;
    before(async () => {
      db = await freshDatabase(engine, 'ledger_upgrade');
      await query(db, OLD_LEDGER[engine]);
      await query(
        db,
        engine === 'postgres'
          ? "INSERT INTO dbchange_ledger VALUES ('old-task', 1, 'i', 'v', 'ddl', 'c', 'done', 1, NULL, now(), now(), 'old')"
          : "INSERT INTO dbchange_ledger VALUES ('old-task', 1, 'i', 'v', 'ddl', 'c', 'done', 1, NULL, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), 'old')",
      );
      target = openTarget(engine, db.url);
    });
    after(async () => {
      await target.close();
      await db.drop();
    });

    test('an old ledger gets statement checksums and keeps what it knew', async () => {
      const task = recordedTask('new-task', lines('CREATE TABLE upgraded_t (id int)'));
      assert.equal((await target.apply(task)).status, 'done');
      const rows = await query<{ task_id: string; statement_checksums: string | null }>(
        db,
        'SELECT task_id, statement_checksums FROM dbchange_ledger ORDER BY task_id',
      );
      assert.deepEqual(
        rows.map((r) => [r.task_id, r.statement_checksums === null ? null : r.statement_checksums.length]),
        [
          ['new-task', 16],
          ['old-task', null],
        ],
      );
      assert.equal((await target.ledgerState('old-task')).state, 'done');
    });
  });
}
