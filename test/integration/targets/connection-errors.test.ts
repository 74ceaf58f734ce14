// Connection failures name the database by its URL without the password and say what to fix.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import pg from 'pg';
import { ENGINES, type Engine } from '../../../src/domain/engine.js';
import { isDbchangeError } from '../../../src/errors.js';
import { openTarget } from '../../../src/targets/index.js';
import { freshPostgres, PG_ADMIN_URL } from '../../support/db.js';
import { query } from '../../support/sql.js';
import { lines, recordedTask } from './support/task.js';

const SECRET = 'Hunter2-s3cret';
// PostgreSQL here trusts every local login, so a closed port is what fails; MariaDB's root has
// no password, so giving one is refused.
const BAD_URL: Record<Engine, string> = {
  postgres: `postgres://postgres:${SECRET}@127.0.0.1:1/app`,
  mysql: `mysql://root:${SECRET}@127.0.0.1:3306/app`,
};
const REDACTED: Record<Engine, string> = {
  postgres: 'postgres://postgres:***@127.0.0.1:1/app',
  mysql: 'mysql://root:***@127.0.0.1:3306/app',
};

for (const engine of ENGINES) {
  test(`${engine}: a target that cannot connect fails with its redacted URL and a pointer to the config`, async () => {
    const target = openTarget(engine, BAD_URL[engine]);
    try {
      for (const call of [() => target.apply(recordedTask('t', lines('SELECT 1'))), () => target.sessions()]) {
        await assert.rejects(call(), (err) => {
          assert.ok(isDbchangeError(err, 'dbchange_target_failed'), inspect(err));
          assert.ok(err.message.includes(REDACTED[engine]), err.message);
          assert.match(err.message, /databases\[\]\.url/);
          assert.ok(
            !inspect(err, { depth: 10 }).includes(SECRET),
            'the password appears nowhere in the error or its cause',
          );
          return true;
        });
      }
    } finally {
      await target.close();
    }
  });
}

test('a target connects only on first use, under the application name it was given', async () => {
  const app = `lazy-probe-${process.pid}`;
  const probe = new pg.Client({ connectionString: PG_ADMIN_URL });
  await probe.connect();
  const target = openTarget('postgres', PG_ADMIN_URL, { applicationName: app });
  try {
    const connected = async () =>
      Number(
        (await probe.query('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [app])).rows[0].n,
      );
    assert.equal(await connected(), 0);
    await target.withConnection((q) => q('SELECT 1'));
    assert.equal(await connected(), 1);
  } finally {
    await target.close();
    await probe.end();
  }
});

test('postgres: a database out of connections for a moment is asked again, and the task gets its connection', async () => {
  const db = await freshPostgres('busy');
  // The limit binds ordinary users only (a superuser is never refused), so the task logs in as one.
  const role = `${db.name}_user`;
  await query(db, `CREATE ROLE "${role}" LOGIN`);
  const url = new URL(db.url);
  url.username = role;
  const holder = new pg.Client({ connectionString: url.toString() });
  const target = openTarget('postgres', url.toString());
  try {
    await query(db, `ALTER DATABASE "${db.name}" CONNECTION LIMIT 1`);
    await holder.connect();
    // The only connection is taken: a connect now is refused with "too many connections" (53300).
    const refused = new pg.Client({ connectionString: url.toString() });
    await assert.rejects(refused.connect(), (e: { code?: string }) => e.code === '53300');
    const released = new Promise((r) => setTimeout(r, 700)).then(() => holder.end());
    const rows = await target.withConnection((q) => q('SELECT 1 AS one'));
    assert.deepEqual(rows, [{ one: 1 }]);
    await released;
  } finally {
    await holder.end().catch(() => undefined);
    await target.close();
    await db.drop();
    await query({ ...db, url: PG_ADMIN_URL }, `DROP ROLE IF EXISTS "${role}"`);
  }
});
