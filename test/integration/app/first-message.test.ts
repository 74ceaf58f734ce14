// An issue has one message: a decision made while its first message is still being posted (a
// click as soon as it shows, on a loaded machine) updates that message and tells its thread,
// instead of posting a second one. In-process, against a real PostgreSQL store.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { type Application, createApplication, type IssueNotifier } from '../../../src/app/index.js';
import { parseConfig } from '../../../src/config/load.js';
import type { Issue } from '../../../src/domain/issue.js';
import { planStages } from '../../../src/domain/plan.js';
import { type OpenedStore, openStore } from '../../../src/store/open.js';
import { type FreshDatabase, freshPostgres } from '../../support/db.js';

const NOW = new Date('2026-11-22T12:00:00Z');

describe('the first message of an issue', () => {
  let storeDb: FreshDatabase;
  let opened: OpenedStore;
  let app: Application;
  const posts: string[] = [];
  const updates: { ts: string; status: string }[] = [];
  const threaded: { ts?: string; kind: string }[] = [];
  /** While set, the first post waits at Slack: `arrived` when it got there, until `released`. */
  let gate: { arrived: () => void; released: Promise<void> } | undefined;

  before(async () => {
    storeDb = await freshPostgres('first_msg_store');
    opened = await openStore(storeDb.url);
    await opened.store.migrate();
    const config = parseConfig(
      `channel: C_X
environments:
  - id: staging
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: app, environment: staging, engine: postgres, url: "postgres://127.0.0.1:1/none" }
`,
      'test.yaml',
      {},
    );
    const notifier: IssueNotifier = {
      async issueChanged(issue: Issue) {
        if (issue.slack) {
          updates.push({ ts: issue.slack.ts, status: issue.status });
          return issue;
        }
        // The first post is parked until the test lets it through, as a slow Slack or store would.
        if (gate) {
          const { arrived, released } = gate;
          arrived();
          await released;
        }
        const ts = `1700000000.00000${posts.length + 1}`;
        posts.push(ts);
        return { ...issue, slack: { channel: 'C_X', ts } };
      },
      thread: async (issue, event) => void threaded.push({ ts: issue.slack?.ts, kind: event.kind }),
    };
    app = createApplication({
      config,
      store: opened.store,
      queue: {
        runStage: async () => {},
        scheduleStage: async () => {},
        cancelSchedule: async () => {},
        continueWavesAt: async () => {},
        approvalExpiresAt: async () => {},
      },
      notifier,
      reviewer: () => [],
      targetFor: () => {
        throw new Error('no target is reached in this test');
      },
      directory: (entries) => new Set(entries),
      now: () => NOW,
      logger: pino({ level: 'silent' }),
    });
  });

  after(async () => {
    await opened.close();
    await storeDb.drop();
  });

  test('a decision while the first message is being posted updates it and tells its thread; no second message', async () => {
    const issue = await opened.store.createIssue(
      {
        title: 'first message',
        description: '',
        labels: [],
        timing: '',
        creator: 'U_DEV',
        target: 'app',
        changeType: 'ddl',
        sql: 'CREATE TABLE t (id int PRIMARY KEY)',
        revision: 1,
        status: 'open',
        source: { kind: 'slack' },
        findings: [],
        stages: planStages(app.config, 'app', () => 'task1'),
      },
      NOW,
    );
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const atSlack = new Promise<void>((r) => (arrived = r));
    gate = { arrived, released };
    // The first decision posts the message, which is parked at Slack; the second comes meanwhile.
    const first = app.approve({ actor: { user: 'U_DBA' }, issueId: issue.id, revision: 1 });
    await atSlack;
    gate = undefined;
    const second = app.cancel({ actor: { user: 'U_DEV' }, issueId: issue.id, revision: 1 });
    // The cancel is saved while the post is parked (a second post would not be parked: it would be done).
    for (let i = 0; i < 100 && (await opened.store.getIssue(issue.id))?.status !== 'canceled'; i++)
      await new Promise((r) => setTimeout(r, 20));
    release();
    assert.equal((await first).kind, 'done');
    assert.equal((await second).kind, 'done');
    assert.deepEqual(posts, ['1700000000.000001']);
    const stored = await opened.store.getIssue(issue.id);
    assert.equal(stored?.status, 'canceled');
    assert.equal(stored?.slack?.ts, '1700000000.000001');
    // The one message was updated to show the cancel, and both decisions were told in its thread.
    assert.ok(
      updates.some((u) => u.ts === '1700000000.000001' && u.status === 'canceled'),
      JSON.stringify(updates),
    );
    assert.deepEqual(
      threaded.map((t) => [t.ts, t.kind]),
      [
        ['1700000000.000001', 'approved'],
        ['1700000000.000001', 'cancelled'],
      ],
    );
  });
});
