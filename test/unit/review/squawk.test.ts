// Squawk's rules against Squawk itself: each fixture's expected findings (line:column:rule) are what
// squawk-cli 2.66 reports for the same file (`squawk --reporter json`, lines and columns made 1-based).
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { reviewScript } from '../../../src/review/index.js';
import { STATIC_RULES } from '../../../src/review/catalog.js';

const dir = new URL('../../fixtures/squawk/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as Record<string, string[]>;
const squawkRules = STATIC_RULES.filter((r) => 'squawk' in r && !(r as { optIn?: boolean }).optIn);
const policy = { rules: squawkRules.map((r) => ({ rule: r.id, level: 'WARNING' as const, payload: {} })) };

function review(sql: string, pgVersion?: number): string[] {
  return reviewScript({ engine: 'postgres', sql, policy, ...(pgVersion ? { pgVersion } : {}) })
    .findings.map((f) => `${f.line}:${f.column}:${f.rule}`)
    .sort();
}

describe("Squawk's rules report what Squawk reports", () => {
  for (const [file, want] of Object.entries(expected)) {
    it(`finds in ${file} exactly the violations squawk-cli finds, at the same line and column`, () => {
      assert.deepEqual(review(readFileSync(new URL(file, dir), 'utf8')), want);
    });
  }

  it('flags every constant default before PostgreSQL 11 and only volatile ones from 11 on', () => {
    const sql = 'ALTER TABLE IF EXISTS x ADD COLUMN IF NOT EXISTS q bigint DEFAULT 1;';
    assert.deepEqual(
      review(sql, 10).filter((f) => f.endsWith('adding-field-with-default')),
      ['1:67:adding-field-with-default'],
    );
    assert.deepEqual(
      review(sql, 11).filter((f) => f.endsWith('adding-field-with-default')),
      [],
    );
  });

  it('lets a policy name a rule by its Squawk name, including the deprecated require-timeout-settings', async () => {
    const { loadPolicy } = await import('../../../src/review/index.js');
    const p = loadPolicy(
      'ruleList:\n  - {type: ban-drop-column, level: ERROR, engine: POSTGRES}\n  - {type: require-timeout-settings, level: WARNING}\n  - {type: prefer-timestamptz, level: WARNING}\n',
    );
    assert.deepEqual(
      p.rules.map((r) => [r.rule, r.level]),
      [
        ['ban-drop-column', 'ERROR'],
        ['require-lock-timeout', 'WARNING'],
        ['require-statement-timeout', 'WARNING'],
        ['prefer-timestamp-tz', 'WARNING'],
      ],
    );
  });
});
