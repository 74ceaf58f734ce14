// Builders for the values the store keeps, with every date field filled in.
import type { NewIssue } from '../../../src/domain/issue.js';
import type { MigrationRecord } from '../../../src/store/types.js';

export const T0 = new Date('2026-03-01T09:00:00.000Z');

/** A moment `minutes` after T0. */
export function at(minutes: number): Date {
  return new Date(T0.getTime() + minutes * 60_000);
}

/** A plain new issue; `overrides` replace top-level fields. */
export function newIssue(overrides: Partial<NewIssue> = {}): NewIssue {
  return {
    title: 'Add index on orders.created_at',
    description: 'Speeds up the daily report',
    labels: ['rollout:night'],
    timing: 'after 22:00',
    creator: 'U_DEV',
    target: 'orders',
    changeType: 'ddl',
    sql: 'CREATE INDEX orders_created_at_idx ON orders (created_at);',
    revision: 1,
    status: 'open',
    source: { kind: 'slack' },
    findings: [
      {
        rule: 'statement.disallow-add-index',
        level: 'WARNING',
        line: 1,
        column: 1,
        statement: 'CREATE INDEX …',
        message: 'lock',
      },
    ],
    stages: [
      {
        environment: 'dev',
        status: 'waiting',
        approvals: [],
        tasks: [{ id: 't1', database: 'orders_dev', engine: 'postgres', status: 'pending', attempt: 0 }],
      },
    ],
    ...overrides,
  };
}

/** An issue in the middle of its life: approved, scheduled, acknowledged, one task running. */
export function busyIssue(): NewIssue {
  return newIssue({
    status: 'scheduled',
    source: { kind: 'git', commit: 'abc123', path: 'dev/orders##0001##ddl##idx.sql', version: '0001' },
    rolloutAnyway: { user: 'U_REL', at: at(5) },
    schedule: { at: at(120), by: 'U_REL', stageIndex: 1 },
    slack: { channel: 'C1', ts: '1700000000.000100' },
    stages: [
      {
        environment: 'dev',
        status: 'done',
        approvals: [{ user: 'U_A', at: at(1) }],
        releasedBy: 'automatic',
        tasks: [
          {
            id: 't1',
            database: 'orders_dev',
            engine: 'postgres',
            status: 'done',
            attempt: 1,
            startedAt: at(2),
            finishedAt: at(3),
          },
          {
            id: 't2',
            database: 'orders_dev2',
            engine: 'mysql',
            status: 'failed',
            attempt: 1,
            startedAt: at(2),
            finishedAt: at(4),
            error: 'boom',
          },
        ],
      },
      {
        environment: 'prod',
        status: 'running',
        approvals: [
          { user: 'U_A', at: at(10) },
          { user: 'U_B', at: at(11) },
        ],
        tasks: [
          { id: 't3', database: 'orders', engine: 'postgres', status: 'running', attempt: 1, startedAt: at(121) },
        ],
      },
    ],
  });
}

/** A migration record on `database` that started at `at(minute)`. */
export function migration(id: string, database: string, minute: number): MigrationRecord {
  return {
    id,
    database,
    environment: 'dev',
    engine: 'postgres',
    issueId: '1',
    taskId: 't1',
    type: 'ddl',
    version: `000${minute}`,
    sql: 'CREATE TABLE t (id int);',
    checksum: 'sha256:abc',
    approvers: ['U_A'],
    releaser: 'U_REL',
    startedAt: at(minute),
    finishedAt: at(minute + 1),
    status: 'done',
    schemaBefore: null,
    schemaAfter: 'CREATE TABLE t (id int);',
  };
}
