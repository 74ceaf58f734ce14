// Real git repositories for tests: a bare repository as the remote in a temp folder, and a
// developer's clone that commits and pushes, exactly as people do.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  return stdout;
}

export interface TestRemote {
  root: string;
  /** The bare repository: the URL the bot is given. */
  bare: string;
  /** A developer's clone. */
  work: string;
  /** Write (or delete, with null) files in the clone, commit them, push; returns the sha. */
  commit(files: Record<string, string | null>, message: string, author?: string): Promise<string>;
  head(): Promise<string>;
  /**
   * Make the next push from `clone` race with this developer: a commit of `files` is prepared
   * now and pushed by the clone's pre-push hook, after the clone fetched and before its push lands.
   */
  raceNextPush(clone: string, files: Record<string, string>, message: string): Promise<string>;
  remove(): Promise<void>;
}

export async function makeRemote(branch = 'main'): Promise<TestRemote> {
  const root = await mkdtemp(join(tmpdir(), 'dbchange-git-'));
  const bare = join(root, 'remote.git');
  const work = join(root, 'work');
  await git(root, 'init', '--quiet', '--bare', `--initial-branch=${branch}`, bare);
  await git(root, 'clone', '--quiet', bare, work);
  await git(work, 'checkout', '--quiet', '-B', branch);
  await git(work, 'config', 'user.name', 'Dev');
  await git(work, 'config', 'user.email', 'dev@example.com');
  const remote: TestRemote = {
    root,
    bare,
    work,
    async commit(files, message, author = 'Dev <dev@example.com>') {
      await git(work, 'pull', '--quiet', '--rebase', 'origin', branch).catch(() => undefined);
      for (const [path, content] of Object.entries(files)) {
        const full = join(work, path);
        if (content === null) await rm(full, { force: true });
        else {
          await mkdir(dirname(full), { recursive: true });
          await writeFile(full, content);
        }
      }
      await git(work, 'add', '-A');
      await git(work, 'commit', '--quiet', '--allow-empty', '--author', author, '-m', message);
      await git(work, 'push', '--quiet', 'origin', `HEAD:${branch}`);
      return (await git(work, 'rev-parse', 'HEAD')).trim();
    },
    async head() {
      return (await git(bare, 'rev-parse', branch)).trim();
    },
    async raceNextPush(clone, files, message) {
      await git(work, 'pull', '--quiet', '--rebase', 'origin', branch).catch(() => undefined);
      for (const [path, content] of Object.entries(files)) {
        await mkdir(dirname(join(work, path)), { recursive: true });
        await writeFile(join(work, path), content);
      }
      await git(work, 'add', '-A');
      await git(work, 'commit', '--quiet', '-m', message);
      const sha = (await git(work, 'rev-parse', 'HEAD')).trim();
      const hook = join(clone, '.git', 'hooks', 'pre-push');
      await mkdir(dirname(hook), { recursive: true });
      // The hook runs inside the clone's git environment: clear it before pushing from the other clone.
      await writeFile(
        hook,
        `#!/bin/sh\nrm -f "$0"\nenv -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE -u GIT_PREFIX git -C '${work}' push --quiet origin HEAD:${branch} >/dev/null 2>&1\nexit 0\n`,
      );
      await chmod(hook, 0o755);
      return sha;
    },
    async remove() {
      await rm(root, { recursive: true, force: true });
    },
  };
  return remote;
}

/** Content of a file on the remote's branch, or undefined when it is not there. */
export async function remoteFile(remote: TestRemote, path: string, branch = 'main'): Promise<string | undefined> {
  return git(remote.bare, 'show', `${branch}:${path}`).catch(() => undefined);
}
