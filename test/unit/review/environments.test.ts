// Per-environment policies and the Slack-sized grouping of findings.
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  loadReviewPolicies,
  policyFor,
  createReviewer,
  DEFAULT_POLICY,
  DEFAULT_PRODUCTION_POLICY,
  type Finding,
} from '../../../src/review/index.js';
import { isDbchangeError } from '../../../src/errors.js';
import { groupFindings } from '../../../src/slack/views/group-findings.js';

const files: Record<string, string> = {
  'base.yaml': 'ruleList:\n  - {type: STATEMENT_SELECT_NO_SELECT_ALL, level: WARNING}\n',
  'prod.yaml': 'ruleList:\n  - {type: statement.select.no-select-all, level: ERROR}\n',
};
const readText = async (path: string): Promise<string> => {
  const text = files[path];
  if (text === undefined) throw new Error('ENOENT: no such file');
  return text;
};

describe('per-environment review policies', () => {
  it('uses the environment policy where there is one and the base policy elsewhere', async () => {
    const policies = await loadReviewPolicies({ policy: 'base.yaml', environments: { prod: 'prod.yaml' } }, readText);
    const review = createReviewer(policies);
    const sql = 'SELECT * FROM t WHERE id = 1';
    assert.deepEqual(
      review({ engine: 'postgres', sql, environment: 'prod' }).map((f) => f.level),
      ['ERROR'],
    );
    assert.deepEqual(
      review({ engine: 'postgres', sql, environment: 'staging' }).map((f) => f.level),
      ['WARNING'],
    );
  });

  it('falls back to the built-in default policy when the config names none', async () => {
    const policies = await loadReviewPolicies(undefined, readText);
    assert.equal(policyFor(policies, 'dev'), DEFAULT_POLICY);
  });

  it('gives the last environment the production defaults when no policy is configured', async () => {
    const policies = await loadReviewPolicies({}, readText, ['dev', 'staging', 'prod']);
    assert.equal(policyFor(policies, 'dev'), DEFAULT_POLICY);
    assert.equal(policyFor(policies, 'staging'), DEFAULT_POLICY);
    assert.equal(policyFor(policies, 'prod'), DEFAULT_PRODUCTION_POLICY);
    const configured = await loadReviewPolicies({ policy: 'base.yaml' }, readText, ['dev', 'prod']);
    assert.equal(policyFor(configured, 'prod'), configured.fallback);
  });

  it('reviews a script once for the environments that share a policy, and the last one with its own', async () => {
    const review = createReviewer(await loadReviewPolicies({}, readText, ['dev', 'staging', 'prod']));
    const sql = 'DELETE FROM t';
    const dev = review({ engine: 'postgres', sql, environment: 'dev' });
    assert.equal(review({ engine: 'postgres', sql, environment: 'staging' }), dev);
    assert.deepEqual(
      dev.map((f) => f.level),
      ['WARNING'],
    );
    assert.deepEqual(
      review({ engine: 'postgres', sql, environment: 'prod' }).map((f) => f.level),
      ['ERROR'],
    );
    assert.notEqual(review({ engine: 'mysql', sql, environment: 'staging' }), dev);
  });

  it('names the config key and the file when a policy file cannot be read', async () => {
    await assert.rejects(loadReviewPolicies({ environments: { prod: 'missing.yaml' } }, readText), (e: unknown) => {
      assert.ok(isDbchangeError(e, 'dbchange_config_invalid'));
      assert.match(e.message, /^review\.environments\.prod: cannot read the policy file missing\.yaml/);
      return true;
    });
  });
});

describe('groupFindings', () => {
  const f = (level: 'ERROR' | 'WARNING', line: number): Finding => ({
    rule: 'r',
    level,
    line,
    column: 1,
    statement: 's',
    message: 'm',
  });
  it('puts errors first and counts what the cap leaves out', () => {
    const g = groupFindings([f('WARNING', 1), f('ERROR', 2), f('WARNING', 3), f('ERROR', 4)], 3);
    assert.deepEqual(
      g.errors.map((x) => x.line),
      [2, 4],
    );
    assert.deepEqual(
      g.warnings.map((x) => x.line),
      [1],
    );
    assert.equal(g.hidden, 1);
    assert.equal(g.total, 4);
  });
});
