// The permission table of the README (actor role × action × stage), checked cell by cell through
// the state machine and the permission functions the use cases call. A cell is "yes" when the
// action goes through, "no" when it is refused as not allowed; every other refusal fails the test.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/load.js';
import type { Issue, Stage } from '../../../src/domain/issue.js';
import { mayBaseline, mayDecideHeldMigration, mayRollback, maySeeQueries } from '../../../src/domain/permissions.js';
import { continueWaves, haltWaves } from '../../../src/domain/wave-transitions.js';
import {
  approve,
  cancel,
  type Decision,
  editSql,
  reject,
  reschedule,
  resolveAttention,
  retry,
  rolloutNow,
  schedule,
  setRolloutAnyway,
  tasksToStop,
} from '../../../src/domain/transitions.js';

const config = parseConfig(
  `channel: C_CHANGES
admins: [U_ADMIN, S_ADMINS]
environments:
  - id: dev
    rollout: automatic
  - id: qa
    approvers: [U_APP_QA]
    rollout: automatic
  - id: staging
    approvers: [U_APP_ST]
    releasers: [U_REL_ST]
    rollout: manual
  - id: prod
    approvers: [U_APP_PR]
    releasers: [U_REL_PR]
    rollout: manual
databases:
  - { name: app, environment: dev, engine: postgres, url: "postgres://h/dev" }
  - { name: app, environment: qa, engine: postgres, url: "postgres://h/qa" }
  - { name: app, environment: staging, engine: postgres, url: "postgres://h/staging" }
  - { name: app, environment: prod, engine: postgres, url: "postgres://h/prod" }
`,
  'permissions.yaml',
  {},
);
const directory = (entries: string[]) => new Set(entries.flatMap((e) => (e === 'S_ADMINS' ? ['U_GROUP_ADMIN'] : [e])));
const now = new Date('2026-11-22T12:00:00Z');
const ctx = { config, now, directory };

type Env = 'dev' | 'qa' | 'staging';
const ENVS: Env[] = ['dev', 'qa', 'staging'];
const ORDER = ['dev', 'qa', 'staging', 'prod'];

const ROLES = [
  'creator',
  'approver',
  'releaser',
  'approver elsewhere',
  'releaser elsewhere',
  'admin',
  'admin by group',
  'outsider',
] as const;
type Role = (typeof ROLES)[number];

/** The user who has `role` for a stage in `env`; undefined where the environment has no such role. */
function userFor(role: Role, env: Env): string | undefined {
  switch (role) {
    case 'creator':
      return 'U_DEV';
    case 'approver':
      return { dev: undefined, qa: 'U_APP_QA', staging: 'U_APP_ST' }[env];
    case 'releaser':
      return { dev: undefined, qa: undefined, staging: 'U_REL_ST' }[env];
    case 'approver elsewhere':
      return 'U_APP_PR';
    case 'releaser elsewhere':
      return 'U_REL_PR';
    case 'admin':
      return 'U_ADMIN';
    case 'admin by group':
      return 'U_GROUP_ADMIN';
    case 'outsider':
      return 'U_NOBODY';
  }
}

type Cell = 'yes' | 'no';
/** Per environment; an environment left out is not applicable (dev needs no approval). */
type Row = Partial<Record<Env, Partial<Record<Role, Cell>>>>;
const y = 'yes' as const;

/**
 * The table: who may, per stage environment. dev names neither approvers nor releasers, qa names
 * approvers only, staging both. A role left out is "no".
 */
const TABLE: Record<string, { row: Row; act: (issue: Issue, user: string, env: Env) => Decision | boolean }> = {
  approve: {
    row: { qa: { approver: y }, staging: { approver: y } },
    act: (issue, user, env) => approve(at(issue, env), user, ctx),
  },
  reject: {
    row: { dev: {}, qa: { approver: y }, staging: { approver: y } },
    act: (issue, user, env) => reject(at(issue, env), user, ctx),
  },
  'roll out now': {
    row: { dev: { creator: y }, qa: { creator: y }, staging: { releaser: y } },
    act: (issue, user, env) => rolloutNow(approved(at(issue, env)), user, ctx),
  },
  schedule: {
    row: { dev: { creator: y }, qa: { creator: y }, staging: { releaser: y } },
    act: (issue, user, env) => schedule(approved(at(issue, env)), user, new Date(now.getTime() + 3600_000), ctx),
  },
  'roll out anyway': {
    row: {
      dev: { admin: y, 'admin by group': y },
      qa: { approver: y, admin: y, 'admin by group': y },
      staging: { releaser: y, admin: y, 'admin by group': y },
    },
    act: (issue, user, env) => setRolloutAnyway(withFindings(at(issue, env)), user, true, ctx),
  },
  retry: {
    row: { dev: { creator: y }, qa: { creator: y }, staging: { releaser: y } },
    act: (issue, user, env) => retry(approved(failedAt(issue, env, 'failed')), user, ctx),
  },
  'resolve needs attention': {
    row: {
      dev: { creator: y, admin: y, 'admin by group': y },
      qa: { creator: y, admin: y, 'admin by group': y },
      staging: { releaser: y, admin: y, 'admin by group': y },
    },
    act: (issue, user, env) => resolveAttention(failedAt(issue, env, 'needs-attention'), user, `t-${env}`, false, ctx),
  },
  'stop a running task (Cancel run, Cancel my statement, Keep waiting)': {
    row: {
      dev: { creator: y, admin: y, 'admin by group': y },
      qa: { creator: y, admin: y, 'admin by group': y },
      staging: { releaser: y, admin: y, 'admin by group': y },
    },
    act: (issue, user, env) => {
      const r = tasksToStop(runningAt(issue, env), user, ctx);
      return r.ok || (r.code === 'not-allowed' ? false : assert.fail(`refused for another reason: ${r.message}`));
    },
  },
  'continue or halt a rollout in waves': {
    row: { dev: { creator: y }, qa: { creator: y }, staging: { releaser: y } },
    act: (issue, user, env) => {
      const halt = haltWaves(inWaves(issue, env, 'running'), user, ctx);
      const go = continueWaves(inWaves(issue, env, 'waiting'), user, ctx);
      assert.equal(halt.ok, go.ok, 'Halt and Continue are for the same people');
      return go;
    },
  },
  'cancel the change': {
    row: {
      dev: { creator: y, admin: y, 'admin by group': y },
      qa: { creator: y, admin: y, 'admin by group': y },
      staging: { creator: y, releaser: y, admin: y, 'admin by group': y },
    },
    act: (issue, user, env) => cancel(at(issue, env), user, ctx),
  },
  'cancel a schedule': {
    // Scheduled by whoever may release the stage: the creator on dev and qa, the releaser on staging.
    row: {
      dev: { creator: y, admin: y, 'admin by group': y },
      qa: { creator: y, admin: y, 'admin by group': y },
      staging: { releaser: y, admin: y, 'admin by group': y },
    },
    act: (issue, user, env) => cancel(scheduledAt(issue, env), user, ctx),
  },
  'reschedule a schedule': {
    // As cancelling one: admins may move anybody's schedule; others with a role elsewhere may not.
    row: {
      dev: { creator: y, admin: y, 'admin by group': y },
      qa: { creator: y, admin: y, 'admin by group': y },
      staging: { releaser: y, admin: y, 'admin by group': y },
    },
    act: (issue, user, env) => reschedule(scheduledAt(issue, env), user, new Date(now.getTime() + 7200_000), ctx),
  },
  'edit the SQL': {
    // Only while no stage is done (then the SQL is frozen: a follow-up change amends it).
    row: { dev: { creator: y, admin: y, 'admin by group': y } },
    act: (issue, user, env) => editSql(at(issue, env), user, 'SELECT 2;', [], ctx),
  },
  baseline: {
    row: {
      dev: { admin: y, 'admin by group': y },
      qa: { approver: y, admin: y, 'admin by group': y },
      staging: { approver: y, releaser: y, admin: y, 'admin by group': y },
    },
    act: (_issue, user, env) => mayBaseline(user, env, config, directory),
  },
  'apply or skip a held git migration': {
    row: Object.fromEntries(ENVS.map((e) => [e, { admin: y, 'admin by group': y }])) as Row,
    act: (_issue, user) => mayDecideHeldMigration(user, config, directory),
  },
  'see query text, drift and errors': {
    row: {
      dev: { admin: y, 'admin by group': y },
      qa: { approver: y, admin: y, 'admin by group': y },
      staging: { approver: y, releaser: y, admin: y, 'admin by group': y },
    },
    act: (_issue, user, env) => maySeeQueries(user, env, config, directory),
  },
  'generate rollback': {
    // Anyone with a role in one of the change's environments (all four here), its creator, admins.
    row: Object.fromEntries(
      ENVS.map((e) => [
        e,
        {
          creator: y,
          approver: y,
          releaser: y,
          'approver elsewhere': y,
          'releaser elsewhere': y,
          admin: y,
          'admin by group': y,
        },
      ]),
    ) as Row,
    act: (issue, user) => mayRollback(user, issue, config, directory),
  },
};

function stage(environment: string): Stage {
  return {
    environment,
    status: 'waiting',
    approvals: [],
    tasks: [{ id: `t-${environment}`, database: 'app', engine: 'postgres', status: 'pending', attempt: 0 }],
  };
}

function baseIssue(): Issue {
  return {
    id: '7',
    version: 1,
    title: 'Add a column',
    description: '',
    labels: [],
    timing: '',
    creator: 'U_DEV',
    target: 'app',
    changeType: 'ddl',
    sql: 'SELECT 1;',
    revision: 1,
    status: 'open',
    source: { kind: 'slack' },
    findings: [],
    stages: ORDER.map(stage),
    createdAt: now,
    updatedAt: now,
  };
}

/** The issue with every stage before `env` done, `env` waiting. */
function at(issue: Issue, env: Env): Issue {
  const i = ORDER.indexOf(env);
  return {
    ...issue,
    stages: issue.stages.map((s, j) =>
      j < i ? { ...s, status: 'done', tasks: s.tasks.map((t) => ({ ...t, status: 'done' })) } : s,
    ),
  };
}

function approved(issue: Issue): Issue {
  return {
    ...issue,
    stages: issue.stages.map((s) =>
      s.status === 'waiting' || s.status === 'failed' ? { ...s, approvals: [{ user: 'U_SOMEONE', at: now }] } : s,
    ),
  };
}

function withFindings(issue: Issue): Issue {
  return {
    ...issue,
    findings: [{ rule: 'table.require-pk', level: 'WARNING', line: 1, column: 1, statement: 'x', message: 'no pk' }],
  };
}

function failedAt(issue: Issue, env: Env, taskStatus: 'failed' | 'needs-attention'): Issue {
  const i = ORDER.indexOf(env);
  const base = at(issue, env);
  return {
    ...base,
    status: 'failed',
    stages: base.stages.map((s, j) =>
      j === i ? { ...s, status: 'failed', tasks: s.tasks.map((t) => ({ ...t, status: taskStatus, error: 'x' })) } : s,
    ),
  };
}

function runningAt(issue: Issue, env: Env): Issue {
  const i = ORDER.indexOf(env);
  const base = approved(at(issue, env));
  return {
    ...base,
    status: 'running',
    stages: base.stages.map((s, j) =>
      j === i ? { ...s, status: 'running', tasks: s.tasks.map((t) => ({ ...t, status: 'running' })) } : s,
    ),
  };
}

/** The stage at `env` rolls out in two waves: the first one running, or ended and waiting for Continue. */
function inWaves(issue: Issue, env: Env, status: 'running' | 'waiting'): Issue {
  const i = ORDER.indexOf(env);
  const base = runningAt(issue, env);
  return {
    ...base,
    stages: base.stages.map((s, j) =>
      j === i ? { ...s, waves: { plan: [['app'], ['app']], current: 0, status } } : s,
    ),
  };
}

function scheduledAt(issue: Issue, env: Env): Issue {
  const by = env === 'staging' ? 'U_REL_ST' : 'U_DEV';
  return {
    ...approved(at(issue, env)),
    status: 'scheduled',
    schedule: { at: new Date(now.getTime() + 3600_000), by, stageIndex: ORDER.indexOf(env) },
  };
}

function outcome(result: Decision | boolean): Cell {
  if (typeof result === 'boolean') return result ? 'yes' : 'no';
  if (result.ok) return 'yes';
  assert.equal(result.code, 'not-allowed', `refused for another reason: ${result.code}: ${result.message}`);
  return 'no';
}

describe('the permission table', () => {
  for (const [action, { row, act }] of Object.entries(TABLE)) {
    for (const env of ENVS) {
      const cells = row[env];
      if (!cells) continue;
      test(`${action} at ${env}: ${ROLES.filter((r) => cells[r] === 'yes').join(', ') || 'nobody'}`, () => {
        for (const role of ROLES) {
          const user = userFor(role, env);
          if (!user) continue;
          const got = outcome(act(baseIssue(), user, env));
          assert.equal(got, cells[role] ?? 'no', `${role} (${user}) may ${action} at ${env}?`);
        }
      });
    }
  }

  test('an acknowledgement counts for its stage and its SQL revision only', () => {
    const issue = withFindings(at(baseIssue(), 'qa'));
    const acked = setRolloutAnyway(issue, 'U_APP_QA', true, ctx);
    assert.ok(acked.ok);
    // The next stage (staging) is held again until its own releaser acknowledges.
    const atStaging = approved({ ...at(acked.issue, 'staging'), status: 'open' });
    const held = rolloutNow(atStaging, 'U_REL_ST', ctx);
    assert.equal(held.ok, false);
    assert.equal(!held.ok && held.code, 'needs-acknowledgement');
    // A new revision of the SQL drops it too.
    const edited = approved({ ...acked.issue, revision: 2, status: 'open' });
    const stale = rolloutNow({ ...edited, stages: edited.stages }, 'U_DEV', ctx);
    assert.equal(!stale.ok && stale.code, 'needs-acknowledgement');
  });
});
