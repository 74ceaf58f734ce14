// An issue as the bot would have created it from Slack, for tests of the pure state machine:
// one stage per environment of `target`, every task pending.
import type { Config } from '../../src/config/model.js';
import type { Issue } from '../../src/domain/issue.js';
import { planStages } from '../../src/domain/plan.js';

export function issueFixture(config: Config, target: string, now: Date, over: Partial<Issue> = {}): Issue {
  let n = 0;
  return {
    id: '1',
    version: 1,
    title: 't',
    description: '',
    labels: [],
    timing: '',
    creator: 'U_DEV',
    target,
    changeType: 'ddl',
    sql: 'CREATE TABLE a (id int PRIMARY KEY);',
    revision: 1,
    status: 'open',
    source: { kind: 'slack' },
    findings: [],
    stages: planStages(config, target, () => `task${++n}`),
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}
