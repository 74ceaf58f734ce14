/**
 * The policies used when none is configured, the way a careful DBA would set them (docs/review.md
 * gives the reason for each level):
 * - destructive statements (DROP TABLE/DATABASE/COLUMN, TRUNCATE, UPDATE/DELETE without WHERE) are
 *   errors in the last environment (production) and warnings before it, so they can be tried in
 *   dev and staging but need an explicit "Roll out anyway" where data is lost for good;
 * - statements that lock or rewrite a table in use are warnings everywhere;
 * - what would fail on the target (the live walk-through, DML dry run) and what breaks the rollout
 *   (COMMIT inside the change, a table without a primary key) are errors everywhere.
 */
import type { PolicyRule, ReviewLevel, ReviewPolicy } from './types.js';

const E = 'ERROR' as const;
const W = 'WARNING' as const;

const rule = (id: string, level: ReviewLevel, payload: PolicyRule['payload'] = {}): PolicyRule => ({
  rule: id,
  level,
  payload,
});

/** Statements that lose data for good. */
export const DESTRUCTIVE_RULES = [
  'ban-drop-table',
  'ban-drop-database',
  'ban-drop-column',
  'ban-truncate-cascade',
  'statement.disallow-truncate',
  'statement.where.require.update-delete',
];

/** Statements that lock or rewrite a table other sessions are using. */
export const LOCKING_RULES = [
  'adding-required-field',
  'adding-field-with-default',
  'adding-not-nullable-field',
  'adding-foreign-key-constraint',
  'adding-serial-primary-key-field',
  'constraint-missing-not-valid',
  'disallowed-unique-constraint',
  'changing-column-type',
  'require-concurrent-index-creation',
  'require-concurrent-index-deletion',
  'require-concurrent-reindex',
  'require-concurrent-partition-detach',
  'ban-concurrent-index-creation-in-transaction',
  'statement.non-transactional',
];

const always: PolicyRule[] = [
  rule('statement.disallow-commit', E),
  rule('table.require-pk', E),
  rule('engine.mysql.use-innodb', E),
  rule('statement.disallow-rm-tbl-cascade', E),
  rule('column.auto-increment-must-integer', E),
  rule('index.no-duplicate-column', E),
  rule('index.type-no-blob', E),
  rule('builtin.statement.maximum-sql-size', E, { number: 10 }),
  rule('statement.dml-dry-run', E),
  rule('builtin.walk-through-check', E),
  rule('transaction-nesting', E),
  rule('ban-uncommitted-transaction', E),
  ...LOCKING_RULES.map((id) => rule(id, W)),
  rule('renaming-column', W),
  rule('renaming-table', W),
  rule('ban-drop-not-null', W),
  rule('statement.insert.must-specify-column', W),
  rule('statement.select.no-select-all', W),
  rule('statement.where.no-leading-wildcard-like', W),
  rule('statement.where.no-equal-null', W),
  rule('statement.insert.row-limit', W, { number: 1000 }),
  rule('statement.affected-row-limit', W, { number: 1000 }),
  rule('statement.merge-alter-table', W),
  rule('table.no-duplicate-index', W),
];

/** The default policy for every environment before the last one. */
export const DEFAULT_POLICY: ReviewPolicy = { rules: [...always, ...DESTRUCTIVE_RULES.map((id) => rule(id, W))] };

/** The default policy for the last environment (production), and for `dbchange review` in pull requests. */
export const DEFAULT_PRODUCTION_POLICY: ReviewPolicy = {
  rules: [...always, ...DESTRUCTIVE_RULES.map((id) => rule(id, E))],
};
