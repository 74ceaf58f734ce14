// `dbchange check-files` as a pull-request check (in-process): files, directories, formats, exit codes.
import { after, before, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../support/cli.js';

describe('dbchange check-files', () => {
  let repo: string;
  const put = (path: string, text = 'SELECT 1;\n'): void => {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  };
  const check = (...args: string[]) => runCli(['check-files', ...args], { cwd: repo });

  before(() => {
    repo = mkdtempSync(join(tmpdir(), 'dbchange-check-files-'));
    put('migrations/prod/app##001##ddl##create_users.sql');
    put('migrations/prod/app##002##dml##seed.sql');
    put('migrations/prod/.app##LATEST.sql');
    put('migrations/prod/README.md', '# not a migration\n');
    put('bad/prod/app##001##ddl##one.sql');
    put('bad/prod/nested/deeper/app-no-version.sql');
    put('bad/staging/app##001##ddl##a.sql');
    put('bad/staging/app##001##dml##b.sql');
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it('walks a directory recursively and exits 0 when every migration file is well named', async () => {
    const r = await check('--base-dir', 'migrations', 'migrations');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '2 migration file(s) ok, 0 problem(s)\n');
  });

  it('reports each problem under a directory, however deep, and exits 1', async () => {
    const r = await check('--base-dir', 'bad', './bad/');
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^bad\/prod\/nested\/deeper\/app-no-version\.sql: does not match the file path template/);
    assert.match(lines[1]!, /^bad\/staging\/app##001##dml##b\.sql: .*001/);
    assert.equal(lines.at(-1), '2 migration file(s) ok, 2 problem(s)');
  });

  it('checks files given by name, also ones that no longer exist (deleted in the pull request)', async () => {
    const r = await check('migrations/prod/app##003##ddl##gone.sql', 'prod/app##004##nope##x.sql');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^prod\/app##004##nope##x\.sql: TYPE "nope" must be ddl, dml or baseline/m);
  });

  it('prints GitHub annotations in github format, and nothing else', async () => {
    const r = await check('--format', 'github', '--base-dir', 'bad', 'bad');
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^::error file=bad\/prod\/nested\/deeper\/app-no-version\.sql::does not match/);
  });

  it('exits 2 on an unknown format', async () => {
    const r = await check('--format', 'xml', 'migrations');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Allowed choices are text, github/);
  });
});
