// Running a stage (an application use case) on real databases: ordering on one database, concurrency across databases,
// failures that do not block, and a job re-run that applies nothing twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import pino from 'pino';
import { type Application, createApplication, type IssueNotifier, type RolloutQueue } from '../../../src/app/index.js';
import { parseConfig } from '../../../src/config/load.js';
import type { DatabaseConfig } from '../../../src/config/model.js';
import type { IssueEvent } from '../../../src/domain/events.js';
import type { Issue, NewIssue, Task } from '../../../src/domain/issue.js';
import { openStore, type OpenedStore } from '../../../src/store/open.js';
import { openTarget } from '../../../src/targets/index.js';
import type { Target } from '../../../src/targets/types.js';
import { freshPostgres, type FreshDatabase } from '../../support/db.js';

describe('running a stage', () => {
  let storeDb: FreshDatabase;
  let one: FreshDatabase;
  let two: FreshDatabase;
  let opened: OpenedStore;
  let app: Application;
  const thread: IssueEvent[] = [];
  const queued: { issueId: string; stageIndex: number }[] = [];
  const targets = new Map<string, Target>();
  const logger = pino({ level: 'silent' });

  before(async () => {
    storeDb = await freshPostgres('exec_store');
    one = await freshPostgres('exec_one');
    two = await freshPostgres('exec_two');
    opened = await openStore(storeDb.url);
    await opened.store.migrate();
    const config = parseConfig(
      `channel: C_X
environments:
  - id: dev
    rollout: automatic
databases:
  - { name: one, environment: dev, engine: postgres, url: "${one.url}", group: both }
  - { name: two, environment: dev, engine: postgres, url: "${two.url}", group: both }
`,
      'test.yaml',
      {},
    );
    const notifier: IssueNotifier = {
      issueChanged: async (issue) => issue,
      thread: async (_issue, event) => void thread.push(event),
    };
    const queue: RolloutQueue = {
      runStage: async (issueId, stageIndex) => void queued.push({ issueId, stageIndex }),
      scheduleStage: async () => {},
      cancelSchedule: async () => {},
      continueWavesAt: async () => {},
      approvalExpiresAt: async () => {},
    };
    app = createApplication({
      config,
      store: opened.store,
      queue,
      notifier,
      reviewer: () => [],
      targetFor,
      directory: (entries) => new Set(entries),
      now: () => new Date(),
      logger,
    });
  });

  after(async () => {
    for (const t of targets.values()) await t.close();
    await opened.close();
    await one.drop();
    await two.drop();
    await storeDb.drop();
  });

  const targetFor = (db: DatabaseConfig) => {
    let t = targets.get(db.name);
    if (!t) targets.set(db.name, (t = openTarget(db.engine, db.url)));
    return t;
  };

  async function issueWith(tasks: Partial<Task>[]): Promise<Issue> {
    const n: NewIssue = {
      title: 'executor',
      description: '',
      labels: [],
      timing: '',
      creator: 'U_DEV',
      target: 'both',
      changeType: 'ddl',
      sql: 'SELECT 1',
      revision: 1,
      status: 'running',
      source: { kind: 'slack' },
      findings: [],
      stages: [
        {
          environment: 'dev',
          status: 'running',
          approvals: [],
          releasedBy: 'automatic',
          tasks: tasks.map((t, i) => ({
            id: `task-${Date.now()}-${i}`,
            database: 'one',
            engine: 'postgres',
            status: 'pending',
            attempt: 0,
            ...t,
          })),
        },
      ],
    };
    return opened.store.createIssue(n, new Date());
  }

  async function count(db: FreshDatabase, sql: string): Promise<number> {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return Number((await c.query(sql)).rows[0].n);
    } finally {
      await c.end();
    }
  }

  test('tasks on one database run in order, and a failed task does not block the task after it', async () => {
    const issue = await issueWith([
      { name: 'v1', version: 'v1', sql: 'CREATE TABLE ordered (id int PRIMARY KEY);' },
      { name: 'v2', version: 'v2', sql: 'INSERT INTO missing_table VALUES (1);' },
      { name: 'v3', version: 'v3', sql: 'INSERT INTO ordered (id) VALUES (3);' },
    ]);
    await app.runStage(issue.id, 0);
    const after = (await opened.store.getIssue(issue.id))!;
    assert.deepEqual(
      after.stages[0]!.tasks.map((t) => t.status),
      ['done', 'failed', 'done'],
    );
    assert.equal(after.stages[0]!.status, 'failed');
    assert.equal(after.status, 'failed');
    assert.match(after.stages[0]!.tasks[1]!.error ?? '', /missing_table/);
    assert.equal(await count(one, 'SELECT count(*) AS n FROM ordered'), 1);
    const history = await opened.store.listMigrations('one', 10);
    assert.deepEqual(history.map((h) => h.version).sort(), ['v1', 'v2', 'v3']);
    const v1 = history.find((h) => h.version === 'v1')!;
    assert.equal(v1.status, 'done');
    assert.doesNotMatch(v1.schemaBefore ?? '', /ordered/);
    assert.match(v1.schemaAfter ?? '', /ordered/);
  });

  test('tasks on different databases run at the same time', async () => {
    const issue = await issueWith([
      { database: 'one', sql: 'SELECT pg_sleep(0.4);' },
      { database: 'two', sql: 'SELECT pg_sleep(0.4);' },
    ]);
    await app.runStage(issue.id, 0);
    const [a, b] = (await opened.store.getIssue(issue.id))!.stages[0]!.tasks;
    assert.equal(a!.status, 'done');
    assert.equal(b!.status, 'done');
    // Overlap: each started before the other finished.
    assert.ok(a!.startedAt! < b!.finishedAt! && b!.startedAt! < a!.finishedAt!, JSON.stringify([a, b]));
  });

  test('a stage job that runs again after a crash applies nothing twice', async () => {
    const issue = await issueWith([
      { sql: 'CREATE TABLE IF NOT EXISTS counted (n int); INSERT INTO counted VALUES (1);' },
    ]);
    await app.runStage(issue.id, 0);
    // Simulate a crash after the change committed but before the issue was saved: the task is
    // back to running, the stage too, and the job runs again.
    const saved = (await opened.store.getIssue(issue.id))!;
    const rewound: Issue = {
      ...saved,
      status: 'running',
      stages: saved.stages.map((s) => ({
        ...s,
        status: 'running',
        tasks: s.tasks.map((t) => ({ ...t, status: 'running' })),
      })),
    };
    await opened.store.saveIssue(rewound, new Date());
    await app.runStage(issue.id, 0);
    assert.equal(await count(one, 'SELECT count(*) AS n FROM counted'), 1);
    assert.equal((await opened.store.getIssue(issue.id))!.stages[0]!.status, 'done');
    assert.ok(
      thread.some((e) => e.kind === 'task-already-applied'),
      JSON.stringify(thread),
    );
  });

  test('the job keeps its queue lock while one long statement runs, not only between statements', async () => {
    const issue = await issueWith([{ name: 'slow', version: 'slow', sql: 'SELECT pg_sleep(12);' }]);
    // A beat counts when the statement is still running on the server at that moment.
    let during = 0;
    await app.runStage(issue.id, 0, async () => {
      const active = await count(
        one,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(12)%'",
      );
      if (active > 0) during++;
    });
    assert.equal((await opened.store.getIssue(issue.id))!.status, 'done');
    assert.ok(during >= 1, 'a heartbeat while the 12 s statement ran');
  });
});
