// openStore picks the implementation from the URL's scheme and reports what is wrong, with the
// password hidden, when it cannot.
import { after, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { isDbchangeError, ErrorCode } from '../../../src/errors.js';
import { openStore } from '../../../src/store/open.js';
import { SqlStore } from '../../../src/store/sql/sql-store.js';
import { redactUrl } from '../../../src/redact.js';
import { freshPostgres, type FreshDatabase } from '../../support/db.js';
import pg from 'pg';
import { at, newIssue } from './fixtures.js';

const dbs: FreshDatabase[] = [];
after(async () => {
  for (const db of dbs) await db.drop();
});

test('a postgres:// URL opens a migrated SQL store and describes it without the password', async () => {
  const db = await freshPostgres('open');
  dbs.push(db);
  const u = new URL(db.url);
  u.password = 'hunter2'; // trust auth ignores it; it must not show up anywhere
  for (const scheme of ['postgres:', 'postgresql:']) {
    u.protocol = scheme;
    const opened = await openStore(u.toString());
    try {
      assert.equal(opened.kind, 'postgres');
      assert.ok(opened.store instanceof SqlStore);
      assert.ok(!opened.describe.includes('hunter2'), opened.describe);
      assert.match(opened.describe, /PostgreSQL at postgres(ql)?:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\//);
      await opened.store.createIssue(newIssue(), at(0));
    } finally {
      await opened.close();
    }
  }
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM dbchange_issues');
    assert.equal(rows[0]!.n, '2');
  } finally {
    await c.end();
  }
});

test('an unreachable PostgreSQL store fails with StoreUnavailable, the URL redacted and what to check', async () => {
  const url = 'postgres://bot:s3cret@127.0.0.1:1/dbchange';
  await assert.rejects(openStore(url), (e: unknown) => {
    assert.ok(isDbchangeError(e, ErrorCode.StoreUnavailable));
    assert.ok(!e.message.includes('s3cret'), e.message);
    assert.match(e.message, /postgres:\/\/bot:\*\*\*@127\.0\.0\.1:1\/dbchange/);
    assert.match(e.message, /Check that PostgreSQL is running/);
    assert.ok(e.cause);
    return true;
  });
});

test('an unreachable MongoDB store fails with StoreUnavailable and the URL redacted', async () => {
  const url = 'mongodb://bot:s3cret@127.0.0.1:1/dbchange?serverSelectionTimeoutMS=300';
  await assert.rejects(openStore(url), (e: unknown) => {
    assert.ok(isDbchangeError(e, ErrorCode.StoreUnavailable));
    assert.ok(!e.message.includes('s3cret'), e.message);
    assert.match(e.message, /mongodb:\/\/bot:\*\*\*@127\.0\.0\.1:1\/dbchange/);
    assert.match(e.message, /Check that MongoDB is running/);
    return true;
  });
});

test('a URL with another scheme is refused with StoreUnavailable naming the accepted schemes', async () => {
  await assert.rejects(openStore('mysql://root:pw@127.0.0.1:3306/bot'), (e: unknown) => {
    assert.ok(isDbchangeError(e, ErrorCode.StoreUnavailable));
    assert.ok(!e.message.includes(':pw@'), e.message);
    for (const scheme of ['postgres://', 'postgresql://', 'mongodb://', 'mongodb+srv://'])
      assert.ok(e.message.includes(scheme), e.message);
    return true;
  });
});

test('redactUrl hides passwords and secret query parameters, also in URLs it cannot parse', () => {
  assert.equal(redactUrl('postgres://u:p@h:5432/db'), 'postgres://u:***@h:5432/db');
  assert.equal(redactUrl('postgres://h/db?password=p&sslmode=require'), 'postgres://h/db?password=***&sslmode=require');
  assert.equal(redactUrl('mongodb://u:p@a:1,b:2/db'), 'mongodb://u:***@a:1,b:2/db');
  assert.equal(redactUrl('postgres://h/db'), 'postgres://h/db');
});
