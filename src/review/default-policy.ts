// The policy used when none is configured: rules that catch what breaks production, few false alarms.
import type { PolicyRule, ReviewPolicy } from './types.js';

const E = 'ERROR' as const;
const W = 'WARNING' as const;

const rules: PolicyRule[] = [
  { rule: 'statement.where.require.update-delete', level: E, payload: {} },
  { rule: 'statement.disallow-commit', level: E, payload: {} },
  { rule: 'table.require-pk', level: E, payload: {} },
  { rule: 'engine.mysql.use-innodb', level: E, payload: {} },
  { rule: 'statement.disallow-rm-tbl-cascade', level: E, payload: {} },
  { rule: 'column.auto-increment-must-integer', level: E, payload: {} },
  { rule: 'index.no-duplicate-column', level: E, payload: {} },
  { rule: 'index.type-no-blob', level: E, payload: {} },
  { rule: 'builtin.statement.maximum-sql-size', level: E, payload: { number: 10 } },
  { rule: 'statement.dml-dry-run', level: E, payload: {} },
  { rule: 'builtin.walk-through-check', level: E, payload: {} },
  { rule: 'statement.insert.must-specify-column', level: W, payload: {} },
  { rule: 'statement.select.no-select-all', level: W, payload: {} },
  { rule: 'statement.where.no-leading-wildcard-like', level: W, payload: {} },
  { rule: 'statement.where.no-equal-null', level: W, payload: {} },
  { rule: 'statement.insert.row-limit', level: W, payload: { number: 1000 } },
  { rule: 'statement.affected-row-limit', level: W, payload: { number: 1000 } },
  { rule: 'statement.merge-alter-table', level: W, payload: {} },
  { rule: 'statement.non-transactional', level: W, payload: {} },
  { rule: 'statement.add-check-not-valid', level: W, payload: {} },
  { rule: 'statement.add-foreign-key-not-valid', level: W, payload: {} },
  { rule: 'statement.disallow-add-not-null', level: W, payload: {} },
  { rule: 'statement.disallow-truncate', level: W, payload: {} },
  { rule: 'column.default-disallow-volatile', level: W, payload: {} },
  { rule: 'column.disallow-change-type', level: W, payload: {} },
  { rule: 'index.create-concurrently', level: W, payload: {} },
  { rule: 'table.no-duplicate-index', level: W, payload: {} },
  { rule: 'schema.backward-compatibility', level: W, payload: {} },
];

/** Production-suited default policy. */
export const DEFAULT_POLICY: ReviewPolicy = { rules };
