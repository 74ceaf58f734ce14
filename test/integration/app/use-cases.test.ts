// The application's use cases in-process, against a real PostgreSQL store and real target
// databases, with a fake notifier (the events it was told), a fake queue and a fixed clock:
// the rules are tested here without spawning the bot or speaking Slack.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import {
  type Application,
  createApplication,
  type IssueNotifier,
  type Result,
  type RolloutQueue,
} from '../../../src/app/index.js';
import { parseConfig } from '../../../src/config/load.js';
import type { DatabaseConfig } from '../../../src/config/model.js';
import type { IssueEvent } from '../../../src/domain/events.js';
import type { Issue } from '../../../src/domain/issue.js';
import { planStages } from '../../../src/domain/plan.js';
import type { RefusalCode } from '../../../src/domain/refusal.js';
import { createReviewer, loadReviewPolicies } from '../../../src/review/index.js';
import { type OpenedStore, openStore } from '../../../src/store/open.js';
import { openTarget } from '../../../src/targets/index.js';
import type { Target } from '../../../src/targets/types.js';
import { type FreshDatabase, freshPostgres } from '../../support/db.js';

const NOW = new Date('2026-11-22T12:00:00Z');

describe('the application use cases', () => {
  const dbs: FreshDatabase[] = [];
  let storeDb: FreshDatabase;
  let opened: OpenedStore;
  let app: Application;
  const events: { issueId: string; event: IssueEvent }[] = [];
  const queued: { issueId: string; stageIndex: number; at?: Date }[] = [];
  const targets = new Map<string, Target>();
  let n = 0;

  before(async () => {
    storeDb = await freshPostgres('uc_store');
    for (const env of ['dev', 'staging', 'prod']) dbs.push(await freshPostgres(`uc_${env}`));
    opened = await openStore(storeDb.url);
    await opened.store.migrate();
    const config = parseConfig(
      `channel: C_X
environments:
  - id: dev
    rollout: automatic
  - id: staging
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
  - id: prod
    approvers: [U_DBA, S_DBAS]
    releasers: [U_REL]
    rollout: manual
    maintenanceWindow: { timezone: Europe/Berlin, start: "22:00", end: "06:00" }
databases:
  - { name: app, environment: dev, engine: postgres, url: "${dbs[0]!.url}" }
  - { name: app, environment: staging, engine: postgres, url: "${dbs[1]!.url}" }
  - { name: app, environment: prod, engine: postgres, url: "${dbs[2]!.url}" }
`,
      'test.yaml',
      {},
    );
    const notifier: IssueNotifier = {
      issueChanged: async (issue) => issue,
      thread: async (issue, event) => void events.push({ issueId: issue.id, event }),
    };
    const queue: RolloutQueue = {
      runStage: async (issueId, stageIndex) => void queued.push({ issueId, stageIndex }),
      scheduleStage: async (issueId, stageIndex, at) => void queued.push({ issueId, stageIndex, at }),
      cancelSchedule: async () => {},
      continueWavesAt: async () => {},
      approvalExpiresAt: async () => {},
    };
    const targetFor = (db: DatabaseConfig) => {
      const key = `${db.name}@${db.environment}`;
      let t = targets.get(key);
      if (!t) targets.set(key, (t = openTarget(db.engine, db.url)));
      return t;
    };
    // Index builds get the bot's own review, with the built-in policies.
    const review = createReviewer(await loadReviewPolicies(undefined, async () => '', ['dev', 'staging', 'prod']));
    app = createApplication({
      config,
      store: opened.store,
      queue,
      notifier,
      // Review flags every DROP, so the "roll out anyway" rule has something to hold.
      reviewer: (input) =>
        /\bCREATE INDEX\b/i.test(input.sql)
          ? review(input)
          : /\bDROP\b/i.test(input.sql)
            ? [
                {
                  rule: 'schema.backward-compatibility',
                  level: 'WARNING',
                  line: 1,
                  column: 1,
                  statement: input.sql,
                  message: 'drops',
                },
              ]
            : [],
      targetFor,
      // The user group S_DBAS has one member.
      directory: (entries) => new Set(entries.flatMap((e) => (e === 'S_DBAS' ? ['U_GROUPIE'] : [e]))),
      now: () => NOW,
      logger: pino({ level: 'silent' }),
    });
  });

  after(async () => {
    for (const t of targets.values()) await t.close();
    await opened.close();
    for (const db of [...dbs, storeDb]) await db.drop();
  });

  /** An issue whose dev stage is done and whose staging stage waits (or, with `atProd`, prod waits). */
  async function waiting(over: Partial<Issue> = {}, atProd = false): Promise<Issue> {
    const stages = planStages(app.config, 'app', () => `t${++n}`).map((s, i) =>
      i === 0 || (atProd && i === 1)
        ? { ...s, status: 'done' as const, tasks: s.tasks.map((t) => ({ ...t, status: 'done' as const })) }
        : s,
    );
    return opened.store.createIssue(
      {
        title: 'waiting',
        description: '',
        labels: [],
        timing: '',
        creator: 'U_DEV',
        target: 'app',
        changeType: 'ddl',
        sql: 'SELECT 1',
        revision: 1,
        status: 'open',
        source: { kind: 'slack' },
        findings: [],
        stages: atProd ? stages.map((s, i) => (i === 2 ? { ...s, approvals: [] } : s)) : stages,
        ...over,
      },
      NOW,
    );
  }

  const as = (user: string) => ({ user });
  type Expect = { kind: 'done' } | { kind: 'refused'; code: RefusalCode; message?: RegExp } | { kind: 'not-found' };
  function check(result: Result<object>, expect: Expect): void {
    assert.equal(result.kind, expect.kind, JSON.stringify(result));
    if (expect.kind === 'refused' && result.kind === 'refused') {
      assert.equal(result.code, expect.code, result.message);
      if (expect.message) assert.match(result.message, expect.message);
    }
  }

  const cases: { name: string; act: (issue: Issue) => Promise<Result<object>>; expect: Expect }[] = [
    {
      name: 'an approver approves the waiting stage',
      act: (i) => app.approve({ actor: as('U_DBA'), issueId: i.id, revision: 1 }),
      expect: { kind: 'done' },
    },
    {
      name: 'someone who is not an approver is refused',
      act: (i) => app.approve({ actor: as('U_REL'), issueId: i.id, revision: 1 }),
      expect: { kind: 'refused', code: 'not-allowed', message: /not an approver for staging/ },
    },
    {
      name: 'a click on a message showing an older revision is refused as stale',
      act: (i) => app.approve({ actor: as('U_DBA'), issueId: i.id, revision: 0 }),
      expect: { kind: 'refused', code: 'stale' },
    },
    {
      name: 'a releaser cannot roll out before the approvals',
      act: (i) => app.rolloutNow({ actor: as('U_REL'), issueId: i.id, revision: 1 }),
      expect: { kind: 'refused', code: 'needs-approval' },
    },
    {
      name: 'an approver who is not a releaser cannot roll out',
      act: (i) => app.rolloutNow({ actor: as('U_DBA'), issueId: i.id }),
      expect: { kind: 'refused', code: 'not-allowed', message: /not a releaser for staging/ },
    },
    {
      name: 'the creator cannot reject',
      act: (i) => app.reject({ actor: as('U_DEV'), issueId: i.id }),
      expect: { kind: 'refused', code: 'not-allowed' },
    },
    {
      name: 'an approver rejects',
      act: (i) => app.reject({ actor: as('U_DBA'), issueId: i.id }),
      expect: { kind: 'done' },
    },
    {
      name: 'a stranger cannot cancel',
      act: (i) => app.cancel({ actor: as('U_OTHER'), issueId: i.id }),
      expect: { kind: 'refused', code: 'not-allowed' },
    },
    {
      name: 'only the creator may open the edit dialog',
      act: (i) => app.prepareEdit({ actor: as('U_DBA'), issueId: i.id }),
      expect: { kind: 'refused', code: 'not-allowed', message: /only the creator/ },
    },
    {
      name: 'an edit with empty SQL is refused as invalid',
      act: (i) => app.edit({ actor: as('U_DEV'), issueId: i.id, sql: '  ' }),
      expect: { kind: 'refused', code: 'invalid' },
    },
    {
      name: 'retry of an issue that did not fail is refused',
      act: (i) => app.retry({ actor: as('U_REL'), issueId: i.id }),
      expect: { kind: 'refused', code: 'wrong-state' },
    },
    {
      name: 'resolving a task that does not need attention is refused',
      act: (i) =>
        app.resolveAttention({ actor: as('U_DEV'), issueId: i.id, taskId: i.stages[0]!.tasks[0]!.id, applied: true }),
      expect: { kind: 'refused', code: 'nothing-to-do' },
    },
    {
      name: 'a rollback needs an applied task with snapshots',
      act: (i) => app.rollback({ actor: as('U_DEV'), issueId: i.id }),
      expect: { kind: 'refused', code: 'nothing-to-do' },
    },
    {
      name: 'an unknown issue is not found',
      act: () => app.approve({ actor: as('U_DBA'), issueId: '999999' }),
      expect: { kind: 'not-found' },
    },
  ];
  for (const c of cases) {
    test(c.name, async () => check(await c.act(await waiting()), c.expect));
  }

  test('a member of an approver user group approves prod; the directory is the one passed in', async () => {
    const issue = await waiting({}, true);
    check(await app.approve({ actor: as('U_GROUPIE'), issueId: issue.id }), { kind: 'done' });
    check(await app.approve({ actor: as('U_GROUPIE2'), issueId: issue.id }), { kind: 'refused', code: 'not-allowed' });
  });

  test('the schedule dialog opens outside the maintenance window, and the schedule itself is held to it', async () => {
    const issue = await waiting({}, true);
    check(await app.approve({ actor: as('U_DBA'), issueId: issue.id }), { kind: 'done' });
    const prepared = await app.prepareSchedule({ actor: as('U_REL'), issueId: issue.id, revision: 1 });
    assert.equal(prepared.kind, 'done');
    if (prepared.kind === 'done') assert.equal(prepared.window?.timezone, 'Europe/Berlin');
    check(await app.prepareSchedule({ actor: as('U_DEV'), issueId: issue.id }), {
      kind: 'refused',
      code: 'not-allowed',
    });
    // 15:00 UTC is 16:00 in Berlin: outside 22:00–06:00.
    const outside = await app.schedule({ actor: as('U_REL'), issueId: issue.id, at: new Date('2026-11-22T15:00:00Z') });
    check(outside, { kind: 'refused', code: 'outside-window' });
    check(await app.schedule({ actor: as('U_REL'), issueId: issue.id, at: new Date('2026-11-22T11:00:00Z') }), {
      kind: 'refused',
      code: 'not-in-future',
    });
    const at = new Date('2026-11-22T22:30:00Z');
    check(await app.schedule({ actor: as('U_REL'), issueId: issue.id, at }), { kind: 'done' });
    assert.deepEqual(queued.at(-1), { issueId: issue.id, stageIndex: 2, at });
    const told = events.filter((e) => e.issueId === issue.id).map((e) => e.event);
    assert.deepEqual(told.at(-1), { kind: 'scheduled', by: 'U_REL', environment: 'prod', at });
  });

  test('review findings hold the rollout until a releaser acknowledges them; the creator may not', async () => {
    const issue = await waiting({
      findings: [{ rule: 'r', level: 'WARNING', line: 1, column: 1, statement: 's', message: 'm' }],
      stages: planStages(app.config, 'app', () => `t${++n}`).map((s, i) =>
        i === 0 ? { ...s, status: 'done' as const } : i === 1 ? { ...s, approvals: [{ user: 'U_DBA', at: NOW }] } : s,
      ),
    });
    check(await app.rolloutNow({ actor: as('U_REL'), issueId: issue.id }), {
      kind: 'refused',
      code: 'needs-acknowledgement',
    });
    check(await app.acknowledgeReview({ actor: as('U_DEV'), issueId: issue.id, checked: true }), {
      kind: 'refused',
      code: 'not-allowed',
    });
    check(await app.acknowledgeReview({ actor: as('U_REL'), issueId: issue.id, checked: true }), { kind: 'done' });
    check(await app.rolloutNow({ actor: as('U_REL'), issueId: issue.id }), { kind: 'done' });
    assert.deepEqual(queued.at(-1), { issueId: issue.id, stageIndex: 1 });
  });

  test('a submission is validated, reviewed and planned, and a re-delivered one opens nothing', async () => {
    const submission = { title: 'Add a table', target: 'app', changeType: 'ddl', sql: 'CREATE TABLE t1 (id int)' };
    check(await app.submit({ actor: as('U_DEV'), submission: { ...submission, target: 'nope' } }), {
      kind: 'refused',
      code: 'invalid',
    });
    const first = await app.submit({ actor: as('U_DEV'), submission, once: 'view-1' });
    assert.equal(first.kind, 'done');
    assert.ok(first.kind === 'done' && 'issue' in first);
    check(await app.submit({ actor: as('U_DEV'), submission, once: 'view-1' }), { kind: 'refused', code: 'duplicate' });
    // dev is automatic and needs no approval: it was released and queued at once.
    const issue = first.issue;
    assert.equal(issue.stages[0]!.status, 'running');
    assert.deepEqual(queued.at(-1), { issueId: issue.id, stageIndex: 0 });
    assert.deepEqual(events.find((e) => e.issueId === issue.id)?.event, {
      kind: 'started-automatically',
      environment: 'dev',
    });
  });

  test('a script the bot runs in one transaction is reviewed as one: indexing the table it creates holds nothing', async () => {
    const sql =
      'CREATE TABLE orders (id bigint PRIMARY KEY, total int NOT NULL DEFAULT 0);\nCREATE INDEX orders_total ON orders (total);';
    const submit = (title: string, text: string) =>
      app.submit({ actor: as('U_DEV'), submission: { title, target: 'app', changeType: 'ddl', sql: text } });
    const one = await submit('Orders', sql);
    assert.ok(one.kind === 'done' && 'issue' in one);
    assert.deepEqual(one.issue.findings, []);
    assert.equal(one.issue.stages[0]!.status, 'running');
    // Built CONCURRENTLY, the script runs statement by statement and is reviewed as it runs: no transaction to ban it in.
    const apart = await submit('Orders apart', sql.replace('CREATE INDEX', 'CREATE INDEX CONCURRENTLY'));
    assert.ok(apart.kind === 'done' && 'issue' in apart);
    assert.deepEqual(
      apart.issue.findings.map((f) => f.rule),
      ['statement.non-transactional'],
    );
  });

  test('the findings name what the production defaults make an error in the last environment', async () => {
    const sql = 'CREATE INDEX CONCURRENTLY orders_t ON orders (total);\nDELETE FROM orders;';
    const r = await app.submit({
      actor: as('U_DEV'),
      submission: { title: 'Clear orders', target: 'app', changeType: 'ddl', sql },
    });
    assert.ok(r.kind === 'done' && 'issue' in r);
    // dev and staging share the built-in policy (a warning), prod has the production one (an
    // error): the finding is listed once, as the error it is in prod.
    assert.deepEqual(
      r.issue.findings.filter((f) => f.rule === 'statement.where.require.update-delete').map((f) => f.level),
      ['ERROR'],
    );
  });

  test('a change runs stage by stage: events say what ran, the history records it, a rollback undoes it', async () => {
    const submission = { title: 'orders', target: 'app', changeType: 'ddl', sql: 'CREATE TABLE orders (id int);' };
    const submitted = await app.submit({ actor: as('U_DEV'), submission });
    assert.ok(submitted.kind === 'done' && 'issue' in submitted);
    const id = submitted.issue.id;
    await app.runStage(id, 0);
    const kinds = events.filter((e) => e.issueId === id).map((e) => e.event.kind);
    // A task this short posts no progress message: its log and its done line say what ran.
    assert.deepEqual(kinds, ['started-automatically', 'task-log', 'task-done', 'stage-done']);
    const log = events.find((e) => e.issueId === id && e.event.kind === 'task-log')!.event;
    assert.ok(log.kind === 'task-log');
    assert.equal(log.entries[0]!.event.kind, 'statement-done');
    assert.equal(log.entries[0]!.sql, 'CREATE TABLE orders (id int)');

    check(await app.approve({ actor: as('U_DBA'), issueId: id, revision: 1 }), { kind: 'done' });
    check(await app.rolloutNow({ actor: as('U_REL'), issueId: id, revision: 1 }), { kind: 'done' });
    await app.runStage(id, 1);
    const status = await app.status({ actor: as('U_DEV'), issueId: id });
    assert.ok(status.kind === 'done');
    assert.deepEqual(
      status.issue.stages.map((s) => s.status),
      ['done', 'done', 'waiting'],
    );
    const history = await app.history({ actor: as('U_DEV'), database: 'app@staging' });
    assert.ok(history.kind === 'done');
    assert.deepEqual(
      history.records.map((r) => [r.environment, r.status, r.releaser]),
      [['staging', 'done', 'U_REL']],
    );
    // The SQL that ran is frozen; a follow-up starts from it.
    const follow = await app.followUp({ actor: as('U_DEV'), issueId: id });
    assert.ok(follow.kind === 'done');
    assert.equal(follow.prefill.sql, submission.sql);
    assert.equal(follow.prefill.target, 'app');

    const rollback = await app.rollback({ actor: as('U_DEV'), issueId: id });
    assert.ok(rollback.kind === 'done');
    assert.match(rollback.issue.sql, /DROP TABLE/);
    assert.deepEqual(events.filter((e) => e.issueId === id).at(-1)?.event, {
      kind: 'rollback-generated',
      by: 'U_DEV',
      issueId: rollback.issue.id,
    });
  });

  test('baseline is for approvers and releasers of each environment named; drift then finds nothing', async () => {
    check(await app.baseline({ actor: as('U_DEV'), database: 'app@staging' }), {
      kind: 'refused',
      code: 'not-allowed',
      message: /only approvers or releasers of staging/,
    });
    check(await app.baseline({ actor: as('U_DBA'), database: 'nope' }), { kind: 'not-found' });
    const recorded = await app.baseline({ actor: as('U_DBA'), database: 'app@staging' });
    assert.ok(recorded.kind === 'done');
    assert.deepEqual(
      recorded.recorded.map((d) => d.environment),
      ['staging'],
    );
    const drift = await app.drift({ actor: as('U_DEV'), database: 'app@staging' });
    assert.ok(drift.kind === 'done');
    assert.equal(drift.reports[0]!.result.drifted, false);
    assert.notEqual(drift.reports[0]!.result.recorded, null);
  });

  test('an unknown database names the known ones', async () => {
    const result = await app.sessions({ actor: as('U_DEV'), database: 'nope' });
    assert.deepEqual(result, { kind: 'not-found', what: 'database', id: 'nope', known: ['app'] });
  });
});
