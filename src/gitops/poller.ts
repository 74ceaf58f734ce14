/**
 * One poll of one repository (run by the queue's repeating job, so one process at a time):
 *  1. `git ls-remote`: when the branch head equals the stored cursor, only pending write-backs
 *     are looked at; nothing is fetched. The work grows with new commits, not with the repository.
 *  2. First connection (no cursor): the head becomes the cursor; nothing already there is applied;
 *     one summary lists the migration files whose versions are not recorded.
 *  3. Otherwise fetch, list the commits since the cursor (the bot's own left out) and plan them
 *     (poll-plan.ts). Each migration's version is *taken* per database in the store before its
 *     issue is opened, and linked to the issue after; a crash in between leaves a `pending` version
 *     that the next poll links to the issue it finds or opens the issue for. The cursor moves last,
 *     so a restart re-reads the same commits and every taken version is skipped: nothing is missed,
 *     nothing is opened twice.
 *  4. Reports (stray files, checksum mismatches, versions out of order) are claimed once per file
 *     and content, so each is posted once.
 *  5. Write-back: for each taken version whose task is done, the database's latest recorded schema
 *     is written to its LATEST file, committed as the bot and pushed.
 */
import type { Logger } from 'pino';
import { type MigrationWithSql, migrationKind } from '../app/gitops.js';
import type { LatestWritten } from '../app/ports.js';
import type { Config, GitopsConfig } from '../config/model.js';
import type { GitCommitRef, Issue } from '../domain/issue.js';
import { messageOf } from '../errors.js';
import { redactUrl } from '../redact.js';
import type { GitVersion, Store } from '../store/types.js';
import { matchMigrationPath, relativeToBase, renderSchemaPath, underBase } from './path-template.js';
import { type ChangedFile, type CommitInfo, type CompiledLayout, compileLayout, planPoll } from './poll-plan.js';
import type { GitopsReport } from './reports.js';
import { commitUrl, type GitRepo } from './repo.js';
import { compareVersions } from './versions.js';

/** The application's git use cases, as the poller calls them (src/app/gitops.ts, bound in src/app/index.ts). */
export interface GitopsDoor {
  openGitMigrationChange(input: {
    repo: string;
    dbName: string;
    kind: 'ddl' | 'dml';
    migrations: MigrationWithSql[];
    linkFor: (sha: string) => string | undefined;
  }): Promise<Issue>;
  openGitStateChange(input: {
    repo: string;
    dbName: string;
    envId?: string;
    path: string;
    sdl: string;
    commit: GitCommitRef;
  }): Promise<{ issue: Issue } | { unchanged: true }>;
  resumeGitChange(issueId: string): Promise<Issue | null>;
}

/** Held files per report message (each has its own buttons; Slack allows 50 blocks a message). */
const HELD_PER_REPORT = 20;

export interface PollerDeps {
  config: Config;
  gitops: GitopsConfig;
  /** The repository's key in the store (default: its URL and branch as configured). */
  key?: string;
  store: Store;
  app: GitopsDoor;
  /** The bot's clone, opened (and cloned) on first use. */
  repo: () => Promise<GitRepo>;
  report: (report: GitopsReport) => Promise<void>;
  now: () => Date;
  logger: Logger;
}

export type PollOutcome =
  | { kind: 'unchanged'; head: string | undefined; wroteBack: number }
  | { kind: 'first-connect'; head: string; unrecorded: number }
  | { kind: 'polled'; head: string; commits: number; issues: string[]; wroteBack: number };

/** The key of a watched repository and branch in the store. */
export function repoKeyOf(g: Pick<GitopsConfig, 'repo' | 'branch'>): string {
  return `${g.repo}#${g.branch}`;
}

/** "Name <email>" → its parts. */
export function parseAuthor(author: string): { name: string; email: string } {
  const m = /^(.*?)\s*<([^>]+)>$/.exec(author.trim());
  return m ? { name: m[1]!, email: m[2]! } : { name: author.trim(), email: 'dbchange@localhost' };
}

export class Poller {
  readonly key: string;
  private readonly compiled: CompiledLayout;
  private readonly author: { name: string; email: string };

  constructor(private readonly deps: PollerDeps) {
    this.key = deps.key ?? repoKeyOf(deps.gitops);
    this.compiled = compileLayout(deps.gitops);
    this.author = parseAuthor(deps.gitops.author);
  }

  /** The repository's URL as the bot reaches it. */
  get repoUrl(): string {
    return this.deps.gitops.repo;
  }

  private get cursorKey(): string {
    return `gitops:${this.key}`;
  }

  private ref(c: CommitInfo): GitCommitRef {
    const url = commitUrl(this.deps.gitops.repo, c.sha);
    return { sha: c.sha, author: c.author, subject: c.subject, ...(url ? { url } : {}) };
  }

  /** Where a database's LATEST file is in the repository (the schema path template must be set). */
  private latestPath(db: { name: string; environment: string }): string {
    const { baseDirectory, schemaPathTemplate } = this.deps.gitops;
    return underBase(baseDirectory, renderSchemaPath(schemaPathTemplate, { envId: db.environment, dbName: db.name }));
  }

  /**
   * Write a database's schema to its LATEST file (a baseline from Slack), committed as the bot and
   * pushed like every write-back; undefined when this repository has no schema path template.
   */
  async writeLatest(db: { name: string; environment: string }, sdl: string, message: string) {
    if (!this.deps.gitops.schemaPathTemplate) return undefined;
    const path = this.latestPath(db);
    const repo = await this.deps.repo();
    return { path, result: await repo.writeBack([{ path, content: latestContent(sdl) }], message) };
  }

  /** Poll once (see the module comment). */
  async poll(): Promise<PollOutcome> {
    const { store } = this.deps;
    const repo = await this.deps.repo();
    const cursor = await store.getCursor(this.cursorKey);
    const remote = await repo.remoteHead();
    if (remote === undefined || remote === cursor) {
      // Versions an admin released from hold (or a crash left) open without a new commit.
      const open = await store.listGitVersions({ repo: this.key, pendingWriteBack: true });
      const pending = open.some((v) => v.status === 'pending' && !v.issueId);
      if (pending) await this.openPending(repo, open);
      return { kind: 'unchanged', head: remote, wroteBack: await this.writeBack(repo, pending ? undefined : open) };
    }
    const head = await repo.fetch(remote);
    if (cursor === null) return this.firstConnect(repo, head);

    const commits = (await repo.commitsBetween(cursor, head, this.deps.gitops.baseDirectory)).filter(
      (c) => c.email !== this.author.email,
    );
    const files = commits.flatMap((c) => c.files);
    const known = new Map<string, CommitInfo>(commits.map(({ files: _files, ...c }) => [c.sha, c]));
    const issues = await this.apply(repo, files, known);
    await store.setCursor(this.cursorKey, head);
    const wroteBack = await this.writeBack(repo);
    return { kind: 'polled', head, commits: commits.length, issues, wroteBack };
  }

  /** The versions taken on these databases (from any repository); baselines recorded from Slack order nothing. */
  private async takenOn(databases: string[]): Promise<GitVersion[]> {
    const all = await Promise.all(databases.map((database) => this.deps.store.listGitVersions({ database })));
    return all.flat().filter((v) => v.status !== 'baseline');
  }

  private databases() {
    return this.deps.config.databases.map((d) => ({ name: d.name, environment: d.environment }));
  }

  private async firstConnect(repo: GitRepo, head: string): Promise<PollOutcome> {
    const { store } = this.deps;
    const info = await repo.commitInfo(head);
    const tree = await repo.filesAt(head, this.deps.gitops.baseDirectory);
    const files: ChangedFile[] = tree.map((f) => ({ path: f.path, change: 'added', blob: f.blob, commit: info }));
    const names = new Set(this.deps.config.databases.map((d) => d.name));
    const taken = await this.takenOn([...names]);
    const plan = planPoll({ compiled: this.compiled, databases: this.databases(), files, taken });
    const unrecorded = plan.migrations.map((m) => ({
      path: m.file.path,
      version: m.file.version,
      databases: m.targets.map((t) => `${t.name}@${t.environment}`),
    }));
    if (await store.claimOnce(`gitops:first-connect:${this.key}`, this.deps.now())) {
      await this.deps.report({
        kind: 'first-connect',
        repo: this.deps.gitops.repo,
        branch: this.deps.gitops.branch,
        head,
        files: unrecorded,
      });
    }
    await store.setCursor(this.cursorKey, head);
    this.deps.logger.info(
      { repo: this.key, head, unrecorded: unrecorded.length },
      'gitops: connected to the repository',
    );
    return { kind: 'first-connect', head, unrecorded: unrecorded.length };
  }

  /** Plan the changed files, take their versions, report what must be reported, open the issues. */
  private async apply(repo: GitRepo, files: ChangedFile[], known: Map<string, CommitInfo>): Promise<string[]> {
    const { store, now } = this.deps;
    const touched = new Set<string>();
    for (const f of files) {
      const rel = relativeToBase(f.path, this.deps.gitops.baseDirectory);
      const m = rel === undefined ? undefined : matchMigrationPath(this.compiled.files, rel);
      if (m?.ok) touched.add(m.file.dbName);
    }
    const taken = await this.takenOn([...touched]);
    const plan = planPoll({ compiled: this.compiled, databases: this.databases(), files, taken });
    const repoUrl = this.deps.gitops.repo;

    const once = async <T extends { path: string; blob: string }>(
      kind: string,
      items: T[],
      extra: (t: T) => string,
    ) => {
      const fresh: T[] = [];
      for (const item of items)
        if (await store.claimOnce(`gitops:${kind}:${this.key}:${item.path}:${item.blob}:${extra(item)}`, now()))
          fresh.push(item);
      return fresh;
    };
    const stray = await once('stray', plan.stray, () => '');
    if (stray.length)
      await this.deps.report({
        kind: 'stray',
        repo: repoUrl,
        files: stray.map((s) => ({ path: s.path, reason: s.reason, commit: this.ref(s.commit) })),
      });
    const mismatches = await once('mismatch', plan.mismatches, (m) => `${m.target.name}@${m.target.environment}`);
    if (mismatches.length)
      await this.deps.report({
        kind: 'checksum-mismatch',
        repo: repoUrl,
        files: mismatches.map((m) => ({
          path: m.path,
          version: m.version,
          database: m.target.name,
          environment: m.target.environment,
          takenBy: m.takenBy,
          commit: this.ref(m.commit),
        })),
      });
    const held: (GitopsReport & { kind: 'out-of-order' })['files'] = [];
    for (const o of plan.outOfOrder) {
      const took = await store.takeGitVersion({
        repo: this.key,
        database: o.target.name,
        environment: o.target.environment,
        version: o.file.version,
        path: o.file.path,
        blob: o.blob,
        commit: o.commit.sha,
        status: 'held',
        writtenBack: true,
        createdAt: now(),
      });
      if (took)
        held.push({
          path: o.file.path,
          version: o.file.version,
          database: o.target.name,
          environment: o.target.environment,
          highest: o.highest,
          commit: this.ref(o.commit),
        });
    }
    // A few per message: each held file carries its own Apply anyway / Skip buttons.
    for (let i = 0; i < held.length; i += HELD_PER_REPORT)
      await this.deps.report({
        kind: 'out-of-order',
        repo: repoUrl,
        repoKey: this.key,
        files: held.slice(i, i + HELD_PER_REPORT),
      });

    if (this.deps.gitops.changeType === 'state') return this.applyLatest(repo, plan.latest);

    for (const m of plan.migrations) {
      for (const t of m.targets) {
        await store.takeGitVersion({
          repo: this.key,
          database: t.name,
          environment: t.environment,
          version: m.file.version,
          path: m.file.path,
          blob: m.blob,
          commit: m.commit.sha,
          status: 'pending',
          writtenBack: false,
          createdAt: now(),
        });
      }
    }
    return this.openPending(repo, undefined, known);
  }

  /**
   * Open the issues of versions taken but not yet linked to an issue: those of this poll, and
   * any a crash left behind (linked to the issue it finds, when the issue was opened already).
   */
  private async openPending(
    repo: GitRepo,
    open?: GitVersion[],
    known = new Map<string, CommitInfo>(),
  ): Promise<string[]> {
    const { store } = this.deps;
    const pending = (open ?? (await store.listGitVersions({ repo: this.key, pendingWriteBack: true }))).filter(
      (v) => v.status === 'pending' && !v.issueId,
    );
    if (pending.length === 0) return [];
    const recent = (await store.listIssues({ limit: 200 })).filter(
      (i) => i.source.kind === 'git' && i.source.repo === this.key,
    );
    const toOpen: GitVersion[] = [];
    const resumed = new Set<string>();
    for (const v of pending) {
      const issue = recent.find((i) => issueHasVersion(i, v));
      if (issue) {
        // A crash came between saving the issue and linking it: it may not have been posted or started yet.
        if (!resumed.has(issue.id)) await this.deps.app.resumeGitChange(issue.id);
        resumed.add(issue.id);
        await store.updateGitVersion(v, { status: 'issued', issueId: issue.id });
      } else toOpen.push(v);
    }

    // One migration per file (with every database it was taken on), grouped per database and kind.
    const byFile = new Map<string, { versions: GitVersion[] }>();
    for (const v of toOpen) {
      const k = `${v.path}\u0000${v.blob}`;
      const entry = byFile.get(k) ?? { versions: [] };
      entry.versions.push(v);
      byFile.set(k, entry);
    }
    const groups = new Map<
      string,
      {
        dbName: string;
        kind: 'ddl' | 'dml';
        items: MigrationWithSql[];
        versions: GitVersion[];
      }
    >();
    const baselines: GitVersion[] = [];
    const baselineReport: GitopsReport & { kind: 'baseline-recorded' } = {
      kind: 'baseline-recorded',
      repo: this.deps.gitops.repo,
      files: [],
    };
    for (const { versions } of byFile.values()) {
      const v = versions[0]!;
      const rel = relativeToBase(v.path, this.deps.gitops.baseDirectory) ?? v.path;
      const match = matchMigrationPath(this.compiled.files, rel);
      if (!match.ok) continue;
      const sql = await repo.readBlob(v.blob);
      // The commits of this poll are known; a version a crash or an admin left pending is looked up.
      const commit = known.get(v.commit) ?? (await repo.commitInfo(v.commit));
      const migration = {
        file: { ...match.file, path: v.path },
        blob: v.blob,
        commit,
        targets: versions.map((x) => ({ name: x.database, environment: x.environment })),
        sql,
      };
      const kind = migrationKind(migration);
      if (kind === 'baseline') {
        baselines.push(...versions);
        baselineReport.files.push({
          path: v.path,
          version: v.version,
          databases: versions.map((x) => `${x.database}@${x.environment}`),
          commit: this.ref(commit),
        });
        continue;
      }
      const gk = `${match.file.dbName}\u0000${kind}`;
      const group = groups.get(gk) ?? { dbName: match.file.dbName, kind, items: [], versions: [] };
      group.items.push(migration);
      group.versions.push(...versions);
      groups.set(gk, group);
    }
    for (const v of baselines) await store.updateGitVersion(v, { status: 'issued', writtenBack: true });
    if (baselineReport.files.length) await this.deps.report(baselineReport);

    const opened: string[] = [];
    for (const group of groups.values()) {
      group.items.sort((a, b) => compareVersions(a.file.version, b.file.version, this.compiled.order));
      const issue = await this.deps.app.openGitMigrationChange({
        repo: this.key,
        dbName: group.dbName,
        kind: group.kind,
        migrations: group.items,
        linkFor: (sha) => commitUrl(this.deps.gitops.repo, sha),
      });
      for (const v of group.versions) await store.updateGitVersion(v, { status: 'issued', issueId: issue.id });
      opened.push(issue.id);
      this.deps.logger.info({ repo: this.key, issue: issue.id, files: group.items.length }, 'gitops: issue opened');
    }
    return opened;
  }

  /** State-based mode: each changed LATEST file becomes a state-based issue when it changes something live. */
  private async applyLatest(
    repo: GitRepo,
    latest: { path: string; dbName: string; envId?: string; blob: string; commit: CommitInfo }[],
  ): Promise<string[]> {
    const opened: string[] = [];
    for (const l of latest) {
      if (!(await this.deps.store.claimOnce(`gitops:latest:${this.key}:${l.path}:${l.blob}`, this.deps.now())))
        continue;
      const sdl = await repo.readBlob(l.blob);
      try {
        const result = await this.deps.app.openGitStateChange({
          repo: this.key,
          dbName: l.dbName,
          ...(l.envId ? { envId: l.envId } : {}),
          path: l.path,
          sdl,
          commit: this.ref(l.commit),
        });
        if ('issue' in result) opened.push(result.issue.id);
      } catch (err) {
        this.deps.logger.error(
          { err, repo: this.key, path: l.path },
          'gitops: the desired schema could not be planned',
        );
        await this.deps.report({
          kind: 'stray',
          repo: this.deps.gitops.repo,
          files: [
            {
              path: l.path,
              reason: `the desired schema could not be planned: ${messageOf(err)}`,
              commit: this.ref(l.commit),
            },
          ],
        });
      }
    }
    return opened;
  }

  /** Write the LATEST schema of every database whose git task is done since the last write-back. */
  private async writeBack(repo: GitRepo, listed?: GitVersion[]): Promise<number> {
    const { store, gitops } = this.deps;
    const open = (listed ?? (await store.listGitVersions({ repo: this.key, pendingWriteBack: true }))).filter(
      (v) => v.issueId,
    );
    if (open.length === 0) return 0;
    const ready: GitVersion[] = [];
    const finishedAt = new Map<GitVersion, Date>();
    const issues = new Map<string, Issue | null>();
    for (const v of open) {
      if (!issues.has(v.issueId!)) issues.set(v.issueId!, await store.getIssue(v.issueId!));
      const issue = issues.get(v.issueId!);
      const stage = issue?.stages.find((s) => s.environment === v.environment);
      const task = stage?.tasks.find((t) => t.database === v.database && t.version === v.version);
      const ended =
        !issue || issue.status === 'canceled' || issue.status === 'rejected' || !task || task.status === 'skipped';
      if (ended) await store.updateGitVersion(v, { writtenBack: true });
      else if (task.status === 'done') {
        ready.push(v);
        if (task.finishedAt) finishedAt.set(v, task.finishedAt);
      }
    }
    if (ready.length === 0) return 0;
    if (!gitops.schemaPathTemplate) {
      for (const v of ready) await store.updateGitVersion(v, { writtenBack: true });
      return 0;
    }
    const files = new Map<string, { path: string; content: string }>();
    const lines: string[] = [];
    const written: GitVersion[] = [];
    const targets = new Map(ready.map((v) => [`${v.database}@${v.environment}`, v]));
    for (const [dbKey, { database, environment }] of targets) {
      const mine = ready.filter((v) => v.database === database && v.environment === environment);
      // The schema is recorded just after the task is marked done: wait for it, or the file would miss the last change.
      const last = Math.max(...mine.map((v) => finishedAt.get(v)?.getTime() ?? 0));
      const snapshot = await store.latestSnapshot(dbKey);
      if (!snapshot || snapshot.takenAt.getTime() < last) continue;
      const path = this.latestPath({ name: database, environment });
      files.set(path, { path, content: latestContent(snapshot.sdl) });
      written.push(...mine);
      lines.push(`${dbKey}: ${mine.map((v) => `#${v.issueId} ${v.version}`).join(', ')}`);
    }
    if (files.size === 0) return 0;
    const message = `dbchange: schema after ${lines.join('; ')}\n\nWritten by dbchange after applying the migrations named above.`;
    const result = await repo.writeBack([...files.values()], message);
    if (result.kind === 'failed') {
      this.deps.logger.warn(
        { repo: this.key, reason: result.reason },
        'gitops: write-back failed; trying again at the next poll',
      );
      if (
        await store.claimOnce(
          `gitops:write-back-failed:${this.key}:${written.map((v) => `${v.issueId}/${v.version}`).join(',')}`,
          this.deps.now(),
        )
      )
        await this.deps.report({ kind: 'write-back-failed', repo: gitops.repo, reason: result.reason });
      return 0;
    }
    for (const v of written) await store.updateGitVersion(v, { writtenBack: true });
    if (result.kind === 'pushed')
      this.deps.logger.info(
        { repo: this.key, commit: result.sha, attempts: result.attempts },
        'gitops: schema written back',
      );
    return result.kind === 'pushed' ? files.size : 0;
  }
}

/** A LATEST file's content: the dump, ending with a newline. */
function latestContent(sdl: string): string {
  return sdl.endsWith('\n') ? sdl : `${sdl}\n`;
}

/** A schema written to its LATEST file in every watched repository that has a schema path template. */
export async function writeLatestEverywhere(
  pollers: Poller[],
  db: { name: string; environment: string },
  sdl: string,
  message: string,
): Promise<LatestWritten[]> {
  const out: LatestWritten[] = [];
  for (const p of pollers) {
    const where = { repo: p.key, url: redactUrl(p.repoUrl) };
    try {
      const written = await p.writeLatest(db, sdl, message);
      if (!written) continue;
      const { path, result } = written;
      out.push(
        result.kind === 'pushed'
          ? { ...where, path, kind: 'pushed', commit: result.sha }
          : result.kind === 'unchanged'
            ? { ...where, path, kind: 'unchanged' }
            : { ...where, path, kind: 'failed', reason: result.reason },
      );
    } catch (err) {
      out.push({ ...where, path: '', kind: 'failed', reason: messageOf(err) });
    }
  }
  return out;
}

function issueHasVersion(issue: Issue, v: GitVersion): boolean {
  if (issue.source.kind !== 'git') return false;
  const files = issue.source.files ?? [
    { path: issue.source.path, version: issue.source.version, commit: issue.source.commit },
  ];
  return (
    files.some((f) => f.path === v.path && f.version === v.version) &&
    issue.stages.some(
      (s) =>
        s.environment === v.environment && s.tasks.some((t) => t.database === v.database && t.version === v.version),
    )
  );
}
