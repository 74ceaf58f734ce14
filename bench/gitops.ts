// GitOps poll cost on a large repository: 10,000 migration files over 2,000 commits (built with
// git fast-import in a bare repository), the poller on a real PostgreSQL store. Measured: a poll
// with no new commit, and a poll with one new commit touching one file, each against
// `git ls-remote` on the same repository as the baseline, and the new-commit poll also against a
// plain `git fetch` of that one commit (what git itself costs). The door that opens issues only
// counts them here: what is measured is the poller's git and store work.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import type { Config } from '../src/config/model.js';
import { Poller, type GitopsDoor } from '../src/gitops/poller.js';
import { GitRepo } from '../src/gitops/repo.js';
import { SqlStore } from '../src/store/sql/sql-store.js';
import { freshPostgres } from '../test/support/db.js';

const exec = promisify(execFile);
const FILES = 10_000;
const COMMITS = 2_000;
const RUNS = 15;

function fastImportScript(): string {
  const out: string[] = [];
  const perCommit = FILES / COMMITS;
  let n = 0;
  for (let c = 1; c <= COMMITS; c++) {
    const msg = `migrations ${c}`;
    out.push('commit refs/heads/main', `mark :${c}`, `committer Dev <dev@example.com> ${1_700_000_000 + c} +0000`);
    out.push(`data ${Buffer.byteLength(msg)}`, msg);
    if (c > 1) out.push(`from :${c - 1}`);
    for (let i = 0; i < perCommit; i++) {
      n++;
      const v = String(n).padStart(6, '0');
      const env = n % 2 ? 'dev' : 'prod';
      const body = `CREATE TABLE t${v} (id int PRIMARY KEY);\n`;
      out.push(
        `M 100644 inline bytebase/${env}/app##${v}##ddl##table_${v}.sql`,
        `data ${Buffer.byteLength(body)}`,
        body,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

async function run(cmd: string, args: string[], input?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
    child.stdin.end(input ?? '');
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const root = await mkdtemp(join(tmpdir(), 'dbchange-bench-gitops-'));
const bare = join(root, 'remote.git');
const work = join(root, 'work');
const db = await freshPostgres('bench_gitops');
const pool = new pg.Pool({ connectionString: db.url, max: 4 });
const store = new SqlStore(pool);
try {
  let t = performance.now();
  await exec('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  await run('git', ['--git-dir', bare, 'fast-import', '--quiet'], fastImportScript());
  console.log(
    `repository: ${FILES} files over ${COMMITS} commits built in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  await exec('git', ['clone', '--quiet', bare, work]);
  await exec('git', ['-C', work, 'config', 'user.email', 'dev@example.com']);
  await exec('git', ['-C', work, 'config', 'user.name', 'Dev']);
  await store.migrate();

  const config = {
    channel: 'C1',
    environments: [{ id: 'dev' }, { id: 'prod' }],
    databases: [
      { name: 'app', environment: 'dev', engine: 'postgres', url: db.url },
      { name: 'app', environment: 'prod', engine: 'postgres', url: db.url },
    ],
  } as unknown as Config;
  const gitops = {
    repo: bare,
    branch: 'main',
    baseDirectory: 'bytebase',
    filePathTemplate: '{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql',
    schemaPathTemplate: '{{ENV_ID}}/.{{DB_NAME}}##LATEST.sql',
    changeType: 'migration' as const,
    pollInterval: '1 second',
    author: 'dbchange <bot@example.com>',
  };
  let opened = 0;
  let nextIssue = 1;
  const door: GitopsDoor = {
    async openGitMigrationChange(input) {
      opened += input.migrations.length;
      return { id: String(nextIssue++), stages: [], source: { kind: 'git' } } as never;
    },
    async openGitStateChange() {
      return { unchanged: true };
    },
    async resumeGitChange() {
      return null;
    },
  };
  const repo = await GitRepo.open({
    url: bare,
    branch: 'main',
    dir: join(root, 'bot'),
    author: { name: 'dbchange', email: 'bot@example.com' },
    env: process.env,
  });
  const poller = new Poller({
    config,
    gitops,
    store,
    app: door,
    repo: async () => repo,
    report: async () => {},
    now: () => new Date(),
    logger: pino({ level: 'silent' }),
  });

  t = performance.now();
  const first = await poller.poll();
  console.log(`first connect (clone exists, ${first.kind}): ${(performance.now() - t).toFixed(0)} ms`);

  const lsRemote: number[] = [];
  const noChange: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    lsRemote.push(await time(() => exec('git', ['ls-remote', bare, 'refs/heads/main'])));
    noChange.push(await time(() => poller.poll()));
  }
  // A second clone in the same state as the bot's, where a plain `git fetch` takes each new commit: git's own cost.
  const plain = join(root, 'plain');
  await exec('git', ['clone', '--quiet', '--no-checkout', bare, plain]);
  const fetchOne: number[] = [];
  const oneCommit: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const v = `9${String(i).padStart(5, '0')}`;
    await writeFile(
      join(work, `bytebase/dev/app##${v}##ddl##new_${v}.sql`),
      `CREATE TABLE n${v} (id int PRIMARY KEY);\n`,
    );
    await exec('git', ['-C', work, 'add', '-A']);
    await exec('git', ['-C', work, 'commit', '--quiet', '-m', `new ${v}`]);
    await exec('git', ['-C', work, 'push', '--quiet', 'origin', 'HEAD:main']);
    fetchOne.push(await time(() => exec('git', ['-C', plain, 'fetch', '--quiet', 'origin'])));
    oneCommit.push(await time(() => poller.poll()));
  }
  const base = median(lsRemote);
  const idle = median(noChange);
  const one = median(oneCommit);
  const fetched = median(fetchOne);
  console.log(`git ls-remote (baseline)        median ${base.toFixed(1)} ms`);
  console.log(`poll, no new commit             median ${idle.toFixed(1)} ms  = ${(idle / base).toFixed(2)}× ls-remote`);
  console.log(
    `git fetch of one commit (git's own cost) median ${fetched.toFixed(1)} ms  = ${(fetched / base).toFixed(2)}× ls-remote`,
  );
  console.log(
    `poll, one new commit, one file  median ${one.toFixed(1)} ms  = ${(one / base).toFixed(2)}× ls-remote, ${(one / fetched).toFixed(2)}× a plain git fetch`,
  );
  console.log(`files opened as issues by the one-commit polls: ${opened} (expected ${RUNS})`);
} finally {
  await store.close();
  await db.drop();
  await rm(root, { recursive: true, force: true });
}
