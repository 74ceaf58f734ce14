// `dbchange check-files --repo DIR`: a pull request's files checked against the versions a real
// git clone of the branch already holds.
import { after, before, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { runCli } from '../../support/cli.js';
import { makeRemote, type TestRemote } from '../../support/git.js';

describe('dbchange check-files against a branch', () => {
  let remote: TestRemote;

  before(async () => {
    remote = await makeRemote();
    await remote.commit(
      {
        'bytebase/dev/app##0001##ddl##users.sql': 'CREATE TABLE users (id int PRIMARY KEY);',
        'bytebase/dev/app##0005##ddl##orders.sql': 'CREATE TABLE orders (id int PRIMARY KEY);',
        'bytebase/dev/.app##LATEST.sql': 'CREATE TABLE users (id int PRIMARY KEY);',
      },
      'on the branch',
    );
  });
  after(async () => remote?.remove());

  const check = (...args: string[]) =>
    runCli(['check-files', '--base-dir', 'bytebase', '--repo', remote.work, ...args], { cwd: remote.work });

  it('accepts a new file whose version is above everything the branch holds', async () => {
    const r = await check('bytebase/dev/app##0006##ddl##items.sql');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '1 migration file(s) ok, 0 problem(s)\n');
  });

  it('reports a version the branch already uses, one lower than it holds, and a malformed name', async () => {
    const r = await check(
      'bytebase/dev/app##0005##ddl##again.sql',
      'bytebase/dev/app##0003##ddl##late.sql',
      'bytebase/dev/app-0007.sql',
      'bytebase/prod/app##0002##ddl##other_env.sql',
    );
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^bytebase\/dev\/app-0007\.sql: does not match the file path template/);
    assert.match(
      lines[1]!,
      /^bytebase\/dev\/app##0003##ddl##late\.sql: VERSION 0003 is lower than 0005 .*already on the branch/,
    );
    assert.match(
      lines[2]!,
      /^bytebase\/dev\/app##0005##ddl##again\.sql: VERSION 0005 of app is already used on the branch by bytebase\/dev\/app##0005##ddl##orders\.sql/,
    );
    assert.equal(lines.at(-1), '1 migration file(s) ok, 3 problem(s)');
  });

  it('with no files, checks everything the clone holds', async () => {
    const r = await check('--format', 'github');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
  });
});
