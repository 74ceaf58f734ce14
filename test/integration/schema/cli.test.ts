// `dbchange diff` and `dbchange dump` as a user runs them: real processes, real databases.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { dumpSdl, introspectUrl } from '../../../src/schema/index.js';
import { runSdl } from '../../../src/schema/shadow.js';
import { freshDatabase, type FreshDatabase } from '../../support/db.js';
import { connect, DEV_URL } from './support.js';

const HARNESS = fileURLToPath(new URL('./cli-harness.ts', import.meta.url));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.DBCHANGE_DEV_URL;
  const r = spawnSync(process.execPath, ['--import', 'tsx', HARNESS, ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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

  it('diff between two SDL files prints the DDL and exits 0', () => {
    const from = file('a.sql', 'CREATE TABLE t (id int PRIMARY KEY, name text);');
    const to = file(
      'b.sql',
      'CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, age int);\nCREATE INDEX t_age ON t (age);',
    );
    const r = cli('diff', '--from', from, '--to', to, '--dev-url', DEV_URL.postgres);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'ALTER TABLE public.t ALTER COLUMN name SET NOT NULL;\nALTER TABLE public.t ADD COLUMN age integer;\nCREATE INDEX t_age ON public.t USING btree (age);\n',
    );
  });

  it('diff from a live database to a file takes the engine from the URL', () => {
    const to = file('c.sql', 'CREATE TABLE t (id int PRIMARY KEY);');
    const r = cli('diff', '--from', db.url, '--to', to, '--dev-url', DEV_URL.postgres);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ALTER TABLE public.t DROP COLUMN name;\n');
    assert.match(r.stderr, /1 destructive statement\(s\): drop-column/);
  });

  it('an empty diff prints nothing', () => {
    const same = file('d.sql', 'CREATE TABLE t (id int PRIMARY KEY, name text);');
    const r = cli('diff', '--from', db.url, '--to', same, '--dev-url', DEV_URL.postgres);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  it('diff exits 2 with a message that says what to do when something is wrong', () => {
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
      const r = cli('diff', ...args);
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });

  it("dump prints the database's canonical SDL", async () => {
    const r = cli('dump', db.url);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, dumpSdl(await introspectUrl(db.url)));
    assert.match(r.stdout, /CREATE TABLE public\.t/);
  });

  it('dump exits 2 when the database cannot be reached', () => {
    const r = cli('dump', DEV_URL.postgres.replace(/\/[^/]*$/, '/no_such_database_here'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dbchange dump: cannot connect to .*does not exist/);
  });
});
