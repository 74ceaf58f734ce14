/**
 * The bot's own clone of a GitOps repository, through simple-git. It reads (the remote head,
 * the commits since a cursor with the files they touched, blobs, the tree at a commit) and
 * writes back LATEST schema files: commit as the bot's author and push; when the push is
 * refused because the remote moved, fetch, rebase and push again. Never a force push.
 *
 * Credentials never come from the config: for https a token in GITOPS_TOKEN is sent as an
 * HTTP header through git's environment (GIT_CONFIG_*), never in a URL or an argument; for ssh,
 * GIT_SSH_COMMAND or the ssh agent apply as they do for git itself. Every error message is
 * scrubbed of the URL's password and the token before it can reach a log or Slack.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { DbchangeError, ErrorCode, messageOf } from '../errors.js';
import { redactUrl, scrubSecrets } from '../redact.js';
import type { ChangedFile, CommitInfo } from './poll-plan.js';

export interface RepoOptions {
  /** A git URL (https, ssh) or a local path. */
  url: string;
  branch: string;
  /** Where the bot keeps its clone. */
  dir: string;
  author: { name: string; email: string };
  /** The process environment (GITOPS_TOKEN, GIT_SSH_COMMAND, HOME, PATH …). */
  env: NodeJS.ProcessEnv;
}

export interface CommitWithFiles extends CommitInfo {
  files: ChangedFile[];
}

export type WriteBackResult =
  | { kind: 'unchanged' }
  | { kind: 'pushed'; sha: string; attempts: number }
  | { kind: 'failed'; reason: string };

const SEP_COMMIT = '\u001e';
const SEP_FIELD = '\u001f';
const MAX_PUSH_ATTEMPTS = 5;
/** Only the branch, no tags, no FETCH_HEAD: what a fetch costs is git's transfer of the new commits. */
const FETCH = ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head'];
/**
 * The bot's git never opens an editor or a pager, and simple-git refuses to run with them set
 * (npm itself sets EDITOR for every script): they are left out of git's environment.
 */
const INTERACTIVE_VARS = new Set(['EDITOR', 'VISUAL', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'PAGER', 'GIT_PAGER']);

/** The environment git runs with: the caller's, plus the token as an HTTP header for https remotes. */
export function gitEnvironment(url: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !INTERACTIVE_VARS.has(k)) out[k] = v;
  out.GIT_TERMINAL_PROMPT = '0';
  const token = env.GITOPS_TOKEN;
  if (token && /^https?:\/\//.test(url)) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    const n = Number(out.GIT_CONFIG_COUNT ?? 0);
    out.GIT_CONFIG_COUNT = String(n + 1);
    out[`GIT_CONFIG_KEY_${n}`] = 'http.extraHeader';
    out[`GIT_CONFIG_VALUE_${n}`] = `Authorization: Basic ${basic}`;
  }
  return out;
}

/** A link to a commit for GitHub and GitLab remotes (https or ssh); undefined for others. */
export function commitUrl(repoUrl: string, sha: string): string | undefined {
  const m = /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/git@|git@)(github\.com|gitlab\.com)[:/](.+?)(?:\.git)?\/?$/.exec(
    repoUrl,
  );
  if (!m) return undefined;
  const [, host, path] = m;
  return host === 'github.com' ? `https://${host}/${path}/commit/${sha}` : `https://${host}/${path}/-/commit/${sha}`;
}

export class GitRepo {
  private readonly git: SimpleGit;
  private readonly secrets: string[];
  /** Fetches and write-backs move refs and the work tree: one at a time (a poll and a baseline from Slack may meet). */
  private exclusive: Promise<unknown> = Promise.resolve();

  private constructor(readonly opts: RepoOptions) {
    const env = gitEnvironment(opts.url, opts.env);
    // simple-git blocks GIT_* variables unless named: these are the operator's own (ssh command, CA file, token header).
    this.git = simpleGit({ baseDir: opts.dir, maxConcurrentProcesses: 2, allowEnvironment: Object.keys(env) }).env(env);
    this.secrets = [opts.env.GITOPS_TOKEN ?? ''].filter((s) => s.length >= 4);
  }

  /** Open the bot's clone, cloning it first when it does not exist yet. */
  static async open(opts: RepoOptions): Promise<GitRepo> {
    await mkdir(opts.dir, { recursive: true });
    const repo = new GitRepo(opts);
    const exists = await stat(join(opts.dir, '.git')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await rm(opts.dir, { recursive: true, force: true });
      await mkdir(opts.dir, { recursive: true });
      await repo.run('clone the repository', ['clone', '--no-checkout', '--origin', 'origin', opts.url, '.']);
    }
    await repo.run('configure the clone', ['config', 'user.name', opts.author.name]);
    await repo.run('configure the clone', ['config', 'user.email', opts.author.email]);
    // A poll only needs the new commits: no check of which refs were force-pushed (a walk over history).
    await repo.run('configure the clone', ['config', 'fetch.showForcedUpdates', 'false']);
    return repo;
  }

  /** Run git; a failure becomes a DbchangeError naming the step, with secrets scrubbed. */
  private async run(step: string, args: string[]): Promise<string> {
    try {
      return await this.git.raw(args);
    } catch (e) {
      throw new DbchangeError(
        ErrorCode.GitError,
        `git could not ${step} for ${redactUrl(this.opts.url)} (branch ${this.opts.branch}): ${this.scrub(messageOf(e))}`,
      );
    }
  }

  private scrub(text: string): string {
    let out = scrubSecrets(text, this.opts.url);
    for (const s of this.secrets) out = out.split(s).join('***');
    return out;
  }

  /** The branch's head on the remote, without fetching anything (git ls-remote). */
  async remoteHead(): Promise<string | undefined> {
    const out = await this.run('read the remote branch', ['ls-remote', 'origin', `refs/heads/${this.opts.branch}`]);
    return out.split(/\s/)[0] || undefined;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.exclusive.then(work, work);
    this.exclusive = next.catch(() => undefined);
    return next;
  }

  /**
   * Fetch the branch; returns its head. With `head` (what `remoteHead` just saw) exactly that
   * commit is fetched, which saves reading the ref back; if the branch moved on meanwhile and the
   * server refuses a commit it no longer advertises, the branch is fetched instead.
   */
  fetch(head?: string): Promise<string> {
    return this.serially(async () => {
      if (!head) return this.fetchBranch();
      try {
        await this.git.raw([...FETCH, 'origin', `+${head}:refs/remotes/origin/${this.opts.branch}`]);
        return head;
      } catch {
        return this.fetchBranch();
      }
    });
  }

  private async fetchBranch(): Promise<string> {
    const ref = `refs/remotes/origin/${this.opts.branch}`;
    await this.run('fetch', [...FETCH, 'origin', `+refs/heads/${this.opts.branch}:${ref}`]);
    return (await this.run('read the fetched head', ['rev-parse', ref])).trim();
  }

  /**
   * Commits after `from` up to `to` (oldest first, merges left out: their changes arrive with
   * the merged commits), each with the files it touched under `under`.
   */
  async commitsBetween(from: string, to: string, under: string): Promise<CommitWithFiles[]> {
    const out = await this.run('list the new commits', [
      'log',
      '--reverse',
      '--no-merges',
      '--raw',
      '--no-abbrev',
      '--no-renames',
      '-z',
      `--format=${SEP_COMMIT}%H${SEP_FIELD}%an${SEP_FIELD}%ae${SEP_FIELD}%s${SEP_FIELD}`,
      `${from}..${to}`,
      '--',
      ...(under ? [under] : []),
    ]);
    const commits: CommitWithFiles[] = [];
    for (const chunk of out.split(SEP_COMMIT)) {
      if (!chunk.trim()) continue;
      const [sha, author, email, subject, rest = ''] = chunk.split(SEP_FIELD);
      const commit: CommitWithFiles = { sha: sha!, author: author!, email: email!, subject: subject!, files: [] };
      // --raw -z: ":<mode> <mode> <blob> <blob> <status>\0<path>\0" per file.
      const parts = rest.split('\0').filter((p, i) => p !== '' || i > 0);
      for (let i = 0; i < parts.length; i++) {
        const meta = parts[i]!.replace(/^\n/, '');
        if (!meta.startsWith(':')) continue;
        const [, , , blob, status] = meta.slice(1).split(' ');
        const path = parts[++i]!;
        const change = status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified';
        commit.files.push({
          path,
          change,
          blob: blob!,
          commit: { sha: sha!, author: author!, email: email!, subject: subject! },
        });
      }
      commits.push(commit);
    }
    return commits;
  }

  /** Every file under `under` at `commit`, with its blob id. */
  async filesAt(commit: string, under: string): Promise<{ path: string; blob: string }[]> {
    const out = await this.run('list the files', ['ls-tree', '-r', '-z', commit, '--', ...(under ? [under] : [])]);
    return out
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [, , blob] = line.slice(0, tab).split(' ');
        return { path: line.slice(tab + 1), blob: blob! };
      });
  }

  /** One commit's author and subject. */
  async commitInfo(sha: string): Promise<CommitInfo> {
    const out = await this.run('read a commit', [
      'show',
      '-s',
      `--format=%H${SEP_FIELD}%an${SEP_FIELD}%ae${SEP_FIELD}%s`,
      sha,
    ]);
    const [full, author, email, subject] = out.trim().split(SEP_FIELD);
    return { sha: full!, author: author!, email: email!, subject: subject! };
  }

  /** The content of a blob. */
  async readBlob(blob: string): Promise<string> {
    return this.run('read a file', ['cat-file', 'blob', blob]);
  }

  /**
   * Write files on top of the branch's remote head, commit them as the bot and push. No commit
   * when nothing changed. A refused push (the remote moved) is retried after fetch and rebase.
   */
  writeBack(files: { path: string; content: string }[], message: string): Promise<WriteBackResult> {
    return this.serially(() => this.commitAndPush(files, message));
  }

  private async commitAndPush(files: { path: string; content: string }[], message: string): Promise<WriteBackResult> {
    const branch = this.opts.branch;
    if (!(await this.commitOnRemoteHead(files, message))) return { kind: 'unchanged' };
    let last = '';
    for (let attempt = 1; attempt <= MAX_PUSH_ATTEMPTS; attempt++) {
      try {
        await this.git.raw(['push', '--quiet', '--porcelain', 'origin', `HEAD:refs/heads/${branch}`]);
        const sha = (await this.run('read the pushed commit', ['rev-parse', 'HEAD'])).trim();
        return { kind: 'pushed', sha, attempts: attempt };
      } catch (e) {
        last = this.scrub(messageOf(e));
      }
      // The remote moved between fetch and push: put the commit on top of it and try again.
      await this.fetchBranch();
      try {
        await this.run('rebase the schema commit', ['rebase', '--quiet', `origin/${branch}`]);
      } catch {
        // Someone changed the same file: the dump is the whole truth, so write it again on their head.
        await this.git.raw(['rebase', '--abort']).catch(() => undefined);
        if (!(await this.commitOnRemoteHead(files, message))) return { kind: 'unchanged' };
      }
    }
    return { kind: 'failed', reason: `the push was refused ${MAX_PUSH_ATTEMPTS} times; last: ${last}` };
  }

  /** Check out the fetched head, write the files and commit them; false when nothing changed. */
  private async commitOnRemoteHead(files: { path: string; content: string }[], message: string): Promise<boolean> {
    const branch = this.opts.branch;
    await this.fetchBranch();
    await this.run('check out the branch', ['checkout', '--quiet', '--force', '-B', branch, `origin/${branch}`]);
    for (const f of files) {
      const full = join(this.opts.dir, f.path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, f.content);
    }
    await this.run('stage the schema files', ['add', '--', ...files.map((f) => f.path)]);
    const staged = await this.run('compare the schema files', ['diff', '--cached', '--name-only']);
    if (!staged.trim()) return false;
    const { name, email } = this.opts.author;
    await this.run('commit the schema files', ['commit', '--quiet', '--author', `${name} <${email}>`, '-m', message]);
    return true;
  }
}
