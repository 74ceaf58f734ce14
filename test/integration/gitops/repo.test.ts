// The bot's clone against a real bare repository: reading new commits and writing back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GitRepo, commitUrl, gitEnvironment } from '../../../src/gitops/repo.js';
import { git, makeRemote, remoteFile, type TestRemote } from '../../support/git.js';

const AUTHOR = { name: 'dbchange', email: 'dbchange@example.com' };

describe('the bot clone of a GitOps repository', () => {
  let remote: TestRemote;
  let repo: GitRepo;
  let first: string;

  before(async () => {
    remote = await makeRemote();
    first = await remote.commit({ 'README.md': 'hello\n' }, 'start');
    repo = await GitRepo.open({
      url: remote.bare,
      branch: 'main',
      dir: join(remote.root, 'bot'),
      author: AUTHOR,
      env: process.env,
    });
  });
  after(async () => remote?.remove());

  test('the remote head is read without fetching, and equals what a fetch finds', async () => {
    assert.equal(await repo.remoteHead(), first);
    assert.equal(await repo.fetch(), first);
    // The head ls-remote saw is fetched as it is; one the server no longer has falls back to the branch.
    assert.equal(await repo.fetch(first), first);
    assert.equal(await repo.fetch('0'.repeat(40)), first);
  });

  test('new commits come oldest first with the files each touched under the base directory', async () => {
    const a = await remote.commit(
      { 'bytebase/dev/app##0001##ddl##a.sql': 'CREATE TABLE a (id int);', 'docs/x.md': 'x' },
      'Add table a\n\nbody',
      'Ann <ann@example.com>',
    );
    const b = await remote.commit(
      {
        'bytebase/dev/app##0001##ddl##a.sql': 'CREATE TABLE a (id bigint);',
        'bytebase/dev/app##0002##dml##b.sql': 'x',
      },
      'Change a, add b',
    );
    const head = await repo.fetch();
    assert.equal(head, b);
    const commits = await repo.commitsBetween(first, head, 'bytebase');
    assert.deepEqual(
      commits.map((c) => [c.sha, c.author, c.email, c.subject, c.files.map((f) => [f.path, f.change])]),
      [
        [a, 'Ann', 'ann@example.com', 'Add table a', [['bytebase/dev/app##0001##ddl##a.sql', 'added']]],
        [
          b,
          'Dev',
          'dev@example.com',
          'Change a, add b',
          [
            ['bytebase/dev/app##0001##ddl##a.sql', 'modified'],
            ['bytebase/dev/app##0002##dml##b.sql', 'added'],
          ],
        ],
      ],
    );
    assert.equal(await repo.readBlob(commits[1]!.files[0]!.blob), 'CREATE TABLE a (id bigint);');
    const tree = await repo.filesAt(head, 'bytebase');
    assert.deepEqual(
      tree.map((f) => f.path),
      ['bytebase/dev/app##0001##ddl##a.sql', 'bytebase/dev/app##0002##dml##b.sql'],
    );
  });

  test('write-back commits as the bot and pushes; the same content again makes no commit', async () => {
    const done = await repo.writeBack(
      [{ path: 'bytebase/dev/.app##LATEST.sql', content: 'CREATE TABLE a ();\n' }],
      'Schema of app@dev after #1 (0001)',
    );
    assert.equal(done.kind, 'pushed');
    assert.equal(await remoteFile(remote, 'bytebase/dev/.app##LATEST.sql'), 'CREATE TABLE a ();\n');
    assert.equal(
      (await git(remote.bare, 'log', '-1', '--format=%an <%ae>|%s', 'main')).trim(),
      'dbchange <dbchange@example.com>|Schema of app@dev after #1 (0001)',
    );
    const again = await repo.writeBack(
      [{ path: 'bytebase/dev/.app##LATEST.sql', content: 'CREATE TABLE a ();\n' }],
      'again',
    );
    assert.deepEqual(again, { kind: 'unchanged' });
  });

  test('when the remote moves between fetch and push, the bot rebases and pushes again without force', async () => {
    // Someone pushes after the bot fetched and before its push lands.
    await remote.raceNextPush(join(remote.root, 'bot'), { 'bytebase/dev/app##0003##ddl##c.sql': 'x' }, 'meanwhile');
    const result = await repo.writeBack(
      [{ path: 'bytebase/dev/.app##LATEST.sql', content: 'CREATE TABLE b ();\n' }],
      'Schema after race',
    );
    assert.equal(result.kind, 'pushed');
    assert.equal((result as { attempts: number }).attempts, 2);
    const log = (await git(remote.bare, 'log', '--format=%s', 'main')).trim().split('\n');
    assert.deepEqual(log.slice(0, 2), ['Schema after race', 'meanwhile']);
    assert.equal(await remoteFile(remote, 'bytebase/dev/.app##LATEST.sql'), 'CREATE TABLE b ();\n');
  });

  test('a token goes into git as an HTTP header through the environment, never into a URL', () => {
    const env = gitEnvironment('https://github.com/o/r.git', { GITOPS_TOKEN: 'tok-123456' });
    assert.equal(env.GIT_CONFIG_KEY_0, 'http.extraHeader');
    assert.equal(
      env.GIT_CONFIG_VALUE_0,
      `Authorization: Basic ${Buffer.from('x-access-token:tok-123456').toString('base64')}`,
    );
    assert.equal(gitEnvironment('/srv/git/app.git', { GITOPS_TOKEN: 'tok-123456' }).GIT_CONFIG_COUNT, undefined);
  });

  test('an unreachable https remote fails with a message that holds no password', async () => {
    const broken = await GitRepo.open({
      url: 'https://user:s3cret-pass@127.0.0.1:1/app.git',
      branch: 'main',
      dir: join(remote.root, 'broken'),
      author: AUTHOR,
      env: { ...process.env, GITOPS_TOKEN: 'tok-abcdef' },
    }).catch((e: Error) => e);
    assert.ok(broken instanceof Error);
    assert.match(
      broken.message,
      /git could not clone the repository for https:\/\/user:\*\*\*@127\.0\.0\.1:1\/app\.git/,
    );
    assert.doesNotMatch(broken.message, /s3cret-pass|tok-abcdef/);
  });

  test('commit links are made for GitHub and GitLab remotes only', () => {
    assert.equal(commitUrl('https://github.com/acme/app.git', 'abc'), 'https://github.com/acme/app/commit/abc');
    assert.equal(commitUrl('git@gitlab.com:acme/db/app.git', 'abc'), 'https://gitlab.com/acme/db/app/-/commit/abc');
    assert.equal(commitUrl('/srv/git/app.git', 'abc'), undefined);
  });
});
