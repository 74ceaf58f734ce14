/**
 * The Store on PostgreSQL through a `pg.Pool`: a real server, or the embedded PGlite served
 * on a loopback socket (see ../embedded.ts). An issue is one jsonb document plus the columns
 * that are queried or compared (status, version); `version` lives only in its column, so the
 * compare-and-set in `saveIssue` is a single UPDATE … WHERE version = $expected.
 */
import type pg from 'pg';
import type { Issue, NewIssue } from '../../domain/issue.js';
import { reviveIssue, reviveMigration } from '../revive.js';
import {
  StoreConflictError,
  type GitVersion,
  type GitVersionQuery,
  type IssueQuery,
  type MigrationRecord,
  type SchemaSnapshot,
  type Store,
  type TaskLogEntry,
} from '../types.js';
import * as q from './queries.js';

interface IssueRow {
  id: string;
  version: number;
  doc: Record<string, unknown>;
}

/** The JSON stored in `doc`: the issue without the columns that own id and version. */
function issueDoc(issue: Omit<Issue, 'id' | 'version'> & Partial<Pick<Issue, 'id' | 'version'>>): string {
  const { id: _id, version: _version, ...doc } = issue;
  return JSON.stringify(doc);
}

function rowToIssue(row: IssueRow): Issue {
  return reviveIssue({ ...row.doc, id: row.id, version: row.version });
}

/** The SQL implementation of Store; `ownsPool` says whether close() ends the pool. */
export class SqlStore implements Store {
  constructor(
    private readonly pool: pg.Pool,
    private readonly options: { ownsPool: boolean } = { ownsPool: true },
  ) {
    // An idle client that loses its server emits 'error' on the pool, which would crash the
    // process if nobody listened; the pool drops that client and the next query reconnects or
    // fails with its own, reportable error.
    pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    // Two processes starting at once would race on CREATE … IF NOT EXISTS (it is not safe
    // under concurrency in PostgreSQL), so the whole schema step runs under one lock.
    const client = await this.pool.connect();
    try {
      await client.query(q.lockMigrate, [q.MIGRATE_LOCK_KEY]);
      try {
        for (const statement of q.SCHEMA) await client.query(statement);
      } finally {
        await client.query(q.unlockMigrate, [q.MIGRATE_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.pool.query(q.ping);
  }

  async createIssue(issue: NewIssue, now: Date): Promise<Issue> {
    const doc = issueDoc({ ...issue, createdAt: now, updatedAt: now });
    const { rows } = await this.pool.query<{ id: string }>(q.insertIssue, [issue.status, doc, now]);
    const id = rows[0]!.id;
    // Returned through the same JSON round trip as a read, so both look exactly alike.
    return reviveIssue({ ...JSON.parse(doc), id, version: 1 });
  }

  async getIssue(id: string): Promise<Issue | null> {
    const { rows } = await this.pool.query<IssueRow>(q.selectIssue, [id]);
    return rows[0] ? rowToIssue(rows[0]) : null;
  }

  async saveIssue(next: Issue, now: Date): Promise<Issue> {
    const doc = issueDoc({ ...next, updatedAt: now });
    const { rows } = await this.pool.query<{ version: number }>(q.updateIssue, [
      next.id,
      next.version,
      next.status,
      doc,
      now,
    ]);
    if (rows.length === 0) throw new StoreConflictError(next.id);
    return reviveIssue({ ...JSON.parse(doc), id: next.id, version: rows[0]!.version });
  }

  async listIssues(query: IssueQuery = {}): Promise<Issue[]> {
    const { rows } = await this.pool.query<IssueRow>(q.listIssues, [query.statuses ?? null, query.limit ?? null]);
    return rows.map(rowToIssue);
  }

  async appendTaskLogs(entries: readonly TaskLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.pool.query(q.insertTaskLogs, [
      entries.map((e) => e.issueId),
      entries.map((e) => e.taskId),
      entries.map((e) => e.at),
      entries.map((e) => e.level),
      entries.map((e) => e.text),
    ]);
  }

  async listTaskLogs(issueId: string, taskId?: string): Promise<TaskLogEntry[]> {
    const { rows } = await this.pool.query<{
      seq: string;
      issue_id: string;
      task_id: string;
      at: Date;
      level: TaskLogEntry['level'];
      text: string;
    }>(q.listTaskLogs, [issueId, taskId ?? null]);
    return rows.map((r) => ({
      issueId: r.issue_id,
      taskId: r.task_id,
      seq: Number(r.seq),
      at: r.at,
      level: r.level,
      text: r.text,
    }));
  }

  async recordMigration(record: MigrationRecord): Promise<void> {
    await this.pool.query(q.upsertMigration, [
      record.id,
      record.database,
      record.version,
      record.status,
      record.startedAt,
      JSON.stringify(record),
    ]);
  }

  async listMigrations(database: string, limit?: number): Promise<MigrationRecord[]> {
    const { rows } = await this.pool.query<{ doc: Record<string, unknown> }>(q.listMigrations, [
      database,
      limit ?? null,
    ]);
    return rows.map((r) => reviveMigration(r.doc));
  }

  async saveSnapshot(snapshot: SchemaSnapshot): Promise<void> {
    await this.pool.query(q.insertSnapshot, [snapshot.database, snapshot.takenAt, snapshot.sdl, snapshot.source]);
  }

  async latestSnapshot(database: string): Promise<SchemaSnapshot | null> {
    const { rows } = await this.pool.query<{ database: string; taken_at: Date; sdl: string; source: string }>(
      q.latestSnapshot,
      [database],
    );
    const r = rows[0];
    return r ? { database: r.database, takenAt: r.taken_at, sdl: r.sdl, source: r.source } : null;
  }

  async claimOnce(key: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(q.claimKey, [key, now]);
    return rowCount === 1;
  }

  async getCursor(key: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ value: string }>(q.selectCursor, [key]);
    return rows[0]?.value ?? null;
  }

  async setCursor(key: string, value: string): Promise<void> {
    await this.pool.query(q.upsertCursor, [key, value]);
  }

  async takeGitVersion(v: GitVersion): Promise<boolean> {
    const { rowCount } = await this.pool.query(q.insertGitVersion, [
      v.repo,
      v.database,
      v.environment,
      v.version,
      v.path,
      v.blob,
      v.commit,
      v.status,
      v.issueId ?? null,
      v.writtenBack,
      v.createdAt,
    ]);
    return rowCount === 1;
  }

  async updateGitVersion(
    key: Pick<GitVersion, 'repo' | 'database' | 'environment' | 'version'>,
    change: Partial<Pick<GitVersion, 'status' | 'issueId' | 'writtenBack'>>,
    fromStatus?: GitVersion['status'],
  ): Promise<boolean> {
    const { rowCount } = await this.pool.query(q.updateGitVersion, [
      key.repo,
      key.database,
      key.environment,
      key.version,
      change.status ?? null,
      change.issueId ?? null,
      change.writtenBack ?? null,
      fromStatus ?? null,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async listGitVersions(query: GitVersionQuery): Promise<GitVersion[]> {
    const { rows } = await this.pool.query<{
      repo: string;
      database: string;
      environment: string;
      version: string;
      path: string;
      blob: string;
      commit_sha: string;
      status: GitVersion['status'];
      issue_id: string | null;
      written_back: boolean;
      created_at: Date;
    }>(q.listGitVersions, [
      query.repo ?? null,
      query.database ?? null,
      query.environment ?? null,
      query.pendingWriteBack ?? null,
    ]);
    return rows.map((r) => ({
      repo: r.repo,
      database: r.database,
      environment: r.environment,
      version: r.version,
      path: r.path,
      blob: r.blob,
      commit: r.commit_sha,
      status: r.status,
      ...(r.issue_id !== null ? { issueId: r.issue_id } : {}),
      writtenBack: r.written_back,
      createdAt: r.created_at,
    }));
  }

  async close(): Promise<void> {
    if (this.options.ownsPool) await this.pool.end();
  }
}
