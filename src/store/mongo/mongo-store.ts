/**
 * The Store on MongoDB (driver 7). Numeric issue ids come from a counter document bumped with
 * `$inc`; the compare-and-set of `saveIssue` is a findOneAndReplace filtered on the expected
 * `version`, so a racing save finds nothing and loses. Log, migration and snapshot order uses
 * counters too, because timestamps can tie within a millisecond.
 */
import { MongoServerError, type Collection, type Db, type MongoClient } from 'mongodb';
import type { Issue, NewIssue } from '../../domain/issue.js';
import { DbchangeError, ErrorCode } from '../../errors.js';
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
import {
  COLLECTIONS,
  gitVersionId,
  withoutUndefined,
  type GitVersionDoc,
  type ClaimDoc,
  type CounterDoc,
  type CursorDoc,
  type IssueDoc,
  type MigrationDoc,
  type SnapshotDoc,
  type TaskLogDoc,
} from './documents.js';

const DUPLICATE_KEY = 11000;

function isDuplicateKey(e: unknown): boolean {
  return e instanceof MongoServerError && e.code === DUPLICATE_KEY;
}

function docToIssue(doc: IssueDoc): Issue {
  const { _id, seq: _seq, ...rest } = doc;
  return reviveIssue({ ...rest, id: _id });
}

function issueToDoc(issue: Issue): IssueDoc {
  const { id, ...rest } = issue;
  return withoutUndefined({ ...rest, _id: id, seq: Number(id) });
}

/** The MongoDB implementation of Store; `client` is closed by close() when given. */
export class MongoStore implements Store {
  private readonly issues: Collection<IssueDoc>;
  private readonly counters: Collection<CounterDoc>;
  private readonly taskLogs: Collection<TaskLogDoc>;
  private readonly migrations: Collection<MigrationDoc>;
  private readonly snapshots: Collection<SnapshotDoc>;
  private readonly claims: Collection<ClaimDoc>;
  private readonly cursors: Collection<CursorDoc>;
  private readonly gitVersions: Collection<GitVersionDoc>;

  constructor(
    private readonly db: Db,
    private readonly client?: MongoClient,
  ) {
    // ignoreUndefined: an absent optional field must stay absent, not come back as null.
    const opts = { ignoreUndefined: true };
    this.issues = db.collection<IssueDoc>(COLLECTIONS.issues, opts);
    this.counters = db.collection<CounterDoc>(COLLECTIONS.counters, opts);
    this.taskLogs = db.collection<TaskLogDoc>(COLLECTIONS.taskLogs, opts);
    this.migrations = db.collection<MigrationDoc>(COLLECTIONS.migrations, opts);
    this.snapshots = db.collection<SnapshotDoc>(COLLECTIONS.snapshots, opts);
    this.claims = db.collection<ClaimDoc>(COLLECTIONS.claims, opts);
    this.cursors = db.collection<CursorDoc>(COLLECTIONS.cursors, opts);
    this.gitVersions = db.collection<GitVersionDoc>(COLLECTIONS.gitVersions, opts);
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async migrate(): Promise<void> {
    // createIndex is idempotent, also when two processes run it at once.
    await this.issues.createIndex({ seq: -1 }, { unique: true });
    await this.issues.createIndex({ status: 1, seq: -1 });
    await this.taskLogs.createIndex({ issueId: 1, taskId: 1, seq: 1 });
    await this.taskLogs.createIndex({ seq: 1 }, { unique: true });
    await this.migrations.createIndex({ database: 1, startedAt: -1, seq: -1 });
    await this.snapshots.createIndex({ database: 1, takenAt: -1, seq: -1 });
    await this.gitVersions.createIndex({ database: 1, environment: 1, seq: 1 });
    await this.gitVersions.createIndex({ repo: 1, writtenBack: 1, seq: 1 });
  }

  /** The next value of a named counter: 1, 2, 3, …; `by` > 1 reserves that many and returns the last. */
  private async next(name: string, by = 1): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.counters.findOneAndUpdate(
          { _id: name },
          { $inc: { seq: by } },
          { upsert: true, returnDocument: 'after' },
        );
        if (!doc)
          throw new DbchangeError(
            ErrorCode.StoreUnavailable,
            `MongoDB returned no counter ${name} from findOneAndUpdate with upsert; check that the store is a MongoDB 4.4 or later`,
          );
        return doc.seq;
      } catch (e) {
        // Two first-ever upserts race on the same _id: one inserts, the other retries as an update.
        if (attempt === 0 && isDuplicateKey(e)) continue;
        throw e;
      }
    }
  }

  async createIssue(issue: NewIssue, now: Date): Promise<Issue> {
    const seq = await this.next(COLLECTIONS.issues);
    const created: Issue = { ...issue, id: String(seq), version: 1, createdAt: now, updatedAt: now };
    const doc = issueToDoc(created);
    await this.issues.insertOne(doc);
    return docToIssue(doc);
  }

  async getIssue(id: string): Promise<Issue | null> {
    const doc = await this.issues.findOne({ _id: id });
    return doc ? docToIssue(doc) : null;
  }

  async saveIssue(next: Issue, now: Date): Promise<Issue> {
    const doc = issueToDoc({ ...next, version: next.version + 1, updatedAt: now });
    const { _id, ...replacement } = doc;
    // A replacement, not $set: fields the new value dropped (e.g. a cancelled schedule) must go.
    const saved = await this.issues.findOneAndReplace({ _id, version: next.version }, replacement, {
      returnDocument: 'after',
    });
    if (!saved) throw new StoreConflictError(next.id);
    return docToIssue(saved);
  }

  async listIssues(query: IssueQuery = {}): Promise<Issue[]> {
    const filter = query.statuses ? { status: { $in: query.statuses } } : {};
    let cursor = this.issues.find(filter).sort({ seq: -1 });
    if (query.limit !== undefined) cursor = cursor.limit(query.limit);
    return (await cursor.toArray()).map(docToIssue);
  }

  async appendTaskLogs(entries: readonly TaskLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const last = await this.next(COLLECTIONS.taskLogs, entries.length);
    const first = last - entries.length + 1;
    await this.taskLogs.insertMany(
      entries.map(({ issueId, taskId, at, level, text }, i) => ({ issueId, taskId, at, level, text, seq: first + i })),
    );
  }

  async listTaskLogs(issueId: string, taskId?: string): Promise<TaskLogEntry[]> {
    const filter = taskId === undefined ? { issueId } : { issueId, taskId };
    const docs = await this.taskLogs.find(filter).sort({ seq: 1 }).toArray();
    return docs.map(({ issueId, taskId, seq, at, level, text }) => ({ issueId, taskId, seq, at, level, text }));
  }

  async recordMigration(record: MigrationRecord): Promise<void> {
    const seq = await this.next(COLLECTIONS.migrations);
    const { id, ...rest } = withoutUndefined(record);
    await this.migrations.replaceOne({ _id: id }, { ...rest, seq }, { upsert: true });
  }

  async listMigrations(database: string, limit?: number): Promise<MigrationRecord[]> {
    let cursor = this.migrations.find({ database }).sort({ startedAt: -1, seq: -1 });
    if (limit !== undefined) cursor = cursor.limit(limit);
    const docs = await cursor.toArray();
    return docs.map(({ _id, seq: _seq, ...rest }) => reviveMigration({ ...rest, id: _id }));
  }

  async saveSnapshot(snapshot: SchemaSnapshot): Promise<void> {
    const seq = await this.next(COLLECTIONS.snapshots);
    const { database, takenAt, sdl, source } = snapshot;
    await this.snapshots.insertOne({ database, takenAt, sdl, source, seq });
  }

  async latestSnapshot(database: string): Promise<SchemaSnapshot | null> {
    const doc = await this.snapshots.find({ database }).sort({ takenAt: -1, seq: -1 }).limit(1).next();
    return doc ? { database: doc.database, takenAt: doc.takenAt, sdl: doc.sdl, source: doc.source } : null;
  }

  async claimOnce(key: string, now: Date): Promise<boolean> {
    try {
      await this.claims.insertOne({ _id: key, at: now });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async getCursor(key: string): Promise<string | null> {
    const doc = await this.cursors.findOne({ _id: key });
    return doc?.value ?? null;
  }

  async setCursor(key: string, value: string): Promise<void> {
    await this.cursors.updateOne({ _id: key }, { $set: { value } }, { upsert: true });
  }

  async takeGitVersion(v: GitVersion): Promise<boolean> {
    const _id = gitVersionId(v);
    if (await this.gitVersions.findOne({ _id }, { projection: { _id: 1 } })) return false;
    const seq = await this.next(COLLECTIONS.gitVersions);
    try {
      await this.gitVersions.insertOne(withoutUndefined({ ...v, _id, seq }));
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async updateGitVersion(
    key: Pick<GitVersion, 'repo' | 'database' | 'environment' | 'version'>,
    change: Partial<Pick<GitVersion, 'status' | 'issueId' | 'writtenBack'>>,
    fromStatus?: GitVersion['status'],
  ): Promise<boolean> {
    const set = withoutUndefined(change);
    const filter = { _id: gitVersionId(key), ...(fromStatus ? { status: fromStatus } : {}) };
    if (!Object.keys(set).length) return (await this.gitVersions.countDocuments(filter)) > 0;
    return (await this.gitVersions.updateOne(filter, { $set: set })).matchedCount > 0;
  }

  async listGitVersions(query: GitVersionQuery): Promise<GitVersion[]> {
    const filter: Record<string, unknown> = {};
    if (query.repo !== undefined) filter.repo = query.repo;
    if (query.database !== undefined) filter.database = query.database;
    if (query.environment !== undefined) filter.environment = query.environment;
    if (query.pendingWriteBack) filter.writtenBack = false;
    const docs = await this.gitVersions.find(filter).sort({ seq: 1 }).toArray();
    return docs.map(({ _id, seq: _seq, ...rest }) => rest);
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}
