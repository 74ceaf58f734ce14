// `dbchange diff` and `dbchange dump` as a user runs them (in-process), on real databases.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dumpSdl, introspectUrl } from '../../../src/schema/index.js';
import { runSdl } from '../../../src/schema/shadow.js';
import { freshDatabase, type FreshDatabase } from '../../support/db.js';
import { type CliResult, runCli } from '../../support/cli.js';
import { connect, DEV_URL } from './support.js';

function cli(...args: string[]): Promise<CliResult> {
  return runCli(args);
}

describe('dbchange diff and dump', () => {
  let dir: string;
  let db: FreshDatabase;
  const file = (name: string, sql: string): string => {
    const p = join(dir, name);
    writeFileSync(p, sql);
    return p;
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbchange-cli-'));
    db = await freshDatabase('postgres', 'cli');
    const conn = await connect('postgres', db.url);
    await runSdl('postgres', conn, 'CREATE TABLE t (id int PRIMARY KEY, name text);');
    await conn.close();
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('diff between two SDL files prints the DDL and exits 0', async () => {
    const from = file('a.sql', 'CREATE TABLE t (id int PRIMARY KEY, name text);');
    const to = file(
      'b.sql',
      'CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, age int);\nCREATE INDEX t_age ON t (age);',
    );
    const r = await cli('diff', '--from', from, '--to', to, '--dev-url', DEV_URL.postgres);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'ALTER TABLE public.t ALTER COLUMN name SET NOT NULL,\n    ADD COLUMN age integer;\nCREATE INDEX CONCURRENTLY t_age ON public.t USING btree (age);\n',
    );
  });

  it('diff from a live database to a file takes the engine from the URL', async () => {
    const to = file('c.sql', 'CREATE TABLE t (id int PRIMARY KEY);');
    const r = await cli('diff', '--from', db.url, '--to', to, '--dev-url', DEV_URL.postgres);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('--'))
        .join('\n'),
      'ALTER TABLE public.t DROP COLUMN name;\n',
    );
    assert.match(r.stdout, /^-- destructive \(drop-column\): .*@renamed from=/);
    assert.match(r.stderr, /1 destructive statement\(s\): drop-column/);
  });

  it('diff to a file that declares a rename renames the column instead of dropping it', async () => {
    const to = file('r.sql', 'CREATE TABLE t (\n  id int PRIMARY KEY,\n  full_name text -- @renamed from=name\n);');
    const r = await cli('diff', '--from', db.url, '--to', to, '--dev-url', DEV_URL.postgres);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ALTER TABLE public.t RENAME COLUMN name TO full_name;\n');
  });

  it('an empty diff prints nothing', async () => {
    const same = file('d.sql', 'CREATE TABLE t (id int PRIMARY KEY, name text);');
    const r = await cli('diff', '--from', db.url, '--to', same, '--dev-url', DEV_URL.postgres);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  it('diff --exit-code exits 1 when there are differences and 0 when there are none, as git diff does', async () => {
    const same = file('f.sql', 'CREATE TABLE t (id int PRIMARY KEY, name text);');
    const other = file('g.sql', 'CREATE TABLE t (id int PRIMARY KEY, name text, age int);');
    const differs = await cli('diff', '--exit-code', '--from', db.url, '--to', other, '--dev-url', DEV_URL.postgres);
    assert.equal(differs.code, 1, differs.stderr);
    assert.equal(differs.stdout, 'ALTER TABLE public.t ADD COLUMN age integer;\n');
    const equal = await cli('diff', '--exit-code', '--from', db.url, '--to', same, '--dev-url', DEV_URL.postgres);
    assert.equal(equal.code, 0, equal.stderr);
    assert.equal(equal.stdout, '');
  });

  it('diff takes the dev instance from DBCHANGE_DEV_URL when --dev-url is not given', async () => {
    const to = file('h.sql', 'CREATE TABLE t (id int PRIMARY KEY, name text);');
    const r = await runCli(['diff', '--from', db.url, '--to', to], { env: { DBCHANGE_DEV_URL: DEV_URL.postgres } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  it('diff exits 2 with a message that says what to do when something is wrong', async () => {
    const a = file('e.sql', 'CREATE TABLE t (id int);');
    const cases: [string[], RegExp][] = [
      [['--from', a, '--to', a], /pass --engine postgres\|mysql/],
      [['--from', a, '--to', a, '--engine', 'postgres'], /needs a dev instance; pass --dev-url/],
      [['--from', a, '--to', join(dir, 'missing.sql'), '--dev-url', DEV_URL.postgres], /cannot read .*missing\.sql/],
      [['--from', a, '--to', a, '--engine', 'oracle'], /--engine must be postgres or mysql/],
      [['--from', db.url, '--to', a, '--dev-url', DEV_URL.mysql], /mix engines/],
      [
        ['--from', a, '--to', file('bad.sql', 'CREATE TABLE t (\n  id nope\n);'), '--dev-url', DEV_URL.postgres],
        /bad\.sql: SDL line 2: type "nope" does not exist/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli('diff', ...args);
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });

  it("dump prints the database's canonical SDL", async () => {
    const r = await cli('dump', db.url);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, dumpSdl(await introspectUrl(db.url)));
    assert.match(r.stdout, /CREATE TABLE public\.t/);
  });

  it('dump exits 2 when the database cannot be reached', async () => {
    const r = await cli('dump', DEV_URL.postgres.replace(/\/[^/]*$/, '/no_such_database_here'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dbchange dump: Cannot connect to .*does not exist\. Check the URL/);
  });
});
