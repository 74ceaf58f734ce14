// Squawk's rules against Squawk itself: each fixture's expected findings (line:column:rule) are what
// squawk-cli 2.66 reports for the same file (`squawk --reporter json`, lines and columns made 1-based).
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { reviewScript } from '../../../src/review/index.js';
import { SQUAWK_DEFAULT_RULES } from '../../../src/review/catalog.js';

const dir = new URL('../../fixtures/squawk/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as Record<string, string[]>;
// The same files under `squawk --assume-in-transaction`.
const expectedAssumed = JSON.parse(readFileSync(new URL('expected-assume-in-transaction.json', dir), 'utf8')) as Record<
  string,
  string[]
>;
const policy = { rules: SQUAWK_DEFAULT_RULES.map((r) => ({ rule: r.id, level: 'WARNING' as const, payload: {} })) };

function review(sql: string, pgVersion?: number, assumeInTransaction = false): string[] {
  return reviewScript({
    engine: 'postgres',
    sql,
    policy,
    ...(pgVersion ? { pgVersion } : {}),
    ...(assumeInTransaction ? { assumeInTransaction } : {}),
  })
    .findings.map((f) => `${f.line}:${f.column}:${f.rule}`)
    .sort();
}

describe("Squawk's rules report what Squawk reports", () => {
  for (const [file, want] of Object.entries(expected)) {
    it(`finds in ${file} exactly the violations squawk-cli finds, at the same line and column`, () => {
      assert.deepEqual(review(readFileSync(new URL(file, dir), 'utf8')), want);
    });
  }

  for (const [file, want] of Object.entries(expectedAssumed)) {
    it(`finds in ${file} what squawk-cli --assume-in-transaction finds with assumeInTransaction`, () => {
      assert.deepEqual(review(readFileSync(new URL(file, dir), 'utf8'), undefined, true), want);
    });
  }

  // Squawk's own examples for the rules assume-in-transaction changes: [rule, sql, without, with].
  const assumed: Array<[string, string, string[], string[]]> = [
    [
      'require-concurrent-index-creation',
      'CREATE TABLE t (id bigint);\nCREATE INDEX i ON t (id);',
      ['2:1:require-concurrent-index-creation'],
      [],
    ],
    [
      'require-concurrent-index-creation',
      'CREATE INDEX i ON t (id);',
      ['1:1:require-concurrent-index-creation'],
      ['1:1:require-concurrent-index-creation'],
    ],
    [
      'constraint-missing-not-valid',
      'CREATE TABLE core_foo (id bigint PRIMARY KEY, age bigint NOT NULL);\nALTER TABLE core_foo ADD CONSTRAINT age_restriction CHECK (age >= 25);',
      ['2:22:constraint-missing-not-valid'],
      [],
    ],
    [
      'constraint-missing-not-valid',
      'ALTER TABLE app_email ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES app_user (id) NOT VALID;\nALTER TABLE app_email VALIDATE CONSTRAINT fk_user;',
      [],
      ['2:23:constraint-missing-not-valid'],
    ],
    [
      'adding-foreign-key-constraint',
      'CREATE TABLE email (id bigint, user_id bigint);\nALTER TABLE email ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES app_user (id);',
      ['2:23:adding-foreign-key-constraint'],
      [],
    ],
    [
      'ban-concurrent-index-creation-in-transaction',
      'CREATE UNIQUE INDEX CONCURRENTLY i ON t (a);\nALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i;',
      [],
      ['1:21:ban-concurrent-index-creation-in-transaction'],
    ],
    ['ban-concurrent-index-creation-in-transaction', 'CREATE UNIQUE INDEX CONCURRENTLY i ON t (a);', [], []],
    [
      'ban-concurrent-index-creation-in-transaction',
      'COMMIT;\nCREATE UNIQUE INDEX CONCURRENTLY i ON t (a);\nBEGIN;\nALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i;',
      [],
      [],
    ],
    ['transaction-nesting', 'SELECT 1;\nCOMMIT;', ['2:1:transaction-nesting'], ['2:1:transaction-nesting']],
    ['transaction-nesting', 'BEGIN;\nSELECT 1;\nCOMMIT;', [], ['1:1:transaction-nesting', '3:1:transaction-nesting']],
    ['transaction-nesting', 'SELECT 1;', [], []],
    [
      'prefer-robust-stmts',
      'ALTER TABLE t ADD COLUMN a bigint;\nCREATE INDEX i ON t (a);',
      ['1:15:prefer-robust-stmts', '2:1:prefer-robust-stmts'],
      [],
    ],
    [
      'prefer-robust-stmts',
      'ALTER TABLE t ADD COLUMN a bigint;\nCREATE INDEX CONCURRENTLY i ON t (a);',
      ['1:15:prefer-robust-stmts', '2:1:prefer-robust-stmts'],
      ['2:1:prefer-robust-stmts'],
    ],
  ];
  for (const [rule, sql, without, withOption] of assumed) {
    it(`${rule}: ${JSON.stringify(sql)} without and with assumeInTransaction`, () => {
      const only = (findings: string[]) => findings.filter((f) => f.endsWith(`:${rule}`));
      assert.deepEqual(only(review(sql)), without);
      assert.deepEqual(only(review(sql, undefined, true)), withOption);
    });
  }

  // Short scripts with every finding squawk-cli reports on them (flags as in `squawk --pg-version`,
  // `--assume-in-transaction`): [sql, findings, options].
  const scripts: Array<[string, string[], { pgVersion?: number; assumeInTransaction?: boolean }?]> = [
    // Which statements call for lock and statement timeouts.
    ['LOCK TABLE accounts IN SHARE MODE;', ['1:1:require-lock-timeout', '1:1:require-statement-timeout']],
    ['LOCK accounts;', ['1:1:require-lock-timeout', '1:1:require-statement-timeout']],
    ['ANALYZE accounts;', []],
    ['VACUUM (ANALYZE) accounts;', ['1:1:require-lock-timeout', '1:1:require-statement-timeout']],
    ['SELECT id, total INTO order_copy FROM orders;', ['1:1:require-lock-timeout', '1:1:require-statement-timeout']],
    ['REASSIGN OWNED BY old_owner TO new_owner;', []],
    ["SECURITY LABEL FOR selinux ON TABLE accounts IS 'system_u:object_r:sepgsql_table_t:s0';", []],
    ['SET CONSTRAINTS ALL IMMEDIATE;', []],
    ['DECLARE order_cursor CURSOR FOR SELECT * FROM orders;', []],
    [
      'CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));',
      ['1:1:prefer-robust-stmts', '1:1:require-lock-timeout', '1:1:require-statement-timeout'],
    ],
    [
      'CREATE TABLE IF NOT EXISTS invoices (id bigint, order_id bigint, FOREIGN KEY (order_id) REFERENCES orders (id));',
      ['1:1:require-lock-timeout', '1:1:require-statement-timeout'],
    ],
    ['CREATE TABLE IF NOT EXISTS invoices (id bigint PRIMARY KEY, total numeric CHECK (total >= 0));', []],
    // VACUUM (FULL 0) is no VACUUM FULL.
    ['VACUUM (FULL 0) invoices;', ['1:1:require-lock-timeout', '1:1:require-statement-timeout'], { pgVersion: 19 }],
    // RESET does not set a timeout; SET LOCAL and SET … TO DEFAULT do.
    [
      "RESET lock_timeout;\nSET statement_timeout = '5s';\nALTER TABLE accounts ADD COLUMN IF NOT EXISTS note text;",
      ['3:1:require-lock-timeout'],
    ],
    [
      "SET LOCAL lock_timeout = '1s';\nSET statement_timeout TO DEFAULT;\nALTER TABLE accounts ADD COLUMN IF NOT EXISTS note text;",
      [],
    ],
  ];
  for (const [sql, want, opts] of scripts) {
    it(`finds in ${JSON.stringify(sql)}${opts ? ` (${JSON.stringify(opts)})` : ''} what squawk-cli finds`, () => {
      assert.deepEqual(review(sql, opts?.pgVersion, opts?.assumeInTransaction), want);
    });
  }

  // require-lock-timeout names the lock the statement takes, with squawk-cli's message and help.
  const lockMessages: Array<[string, string]> = [
    [
      'ALTER TABLE invoices VALIDATE CONSTRAINT invoices_total_check;',
      'Missing `set lock_timeout` before potentially slow SHARE UPDATE EXCLUSIVE lock operations Configure a `lock_timeout` before this statement. Statement requires: SHARE UPDATE EXCLUSIVE lock; blocking: schema changes.',
    ],
    [
      'LOCK TABLE invoices IN ROW EXCLUSIVE MODE;',
      'Missing `set lock_timeout` before potentially slow ROW EXCLUSIVE lock operations Configure a `lock_timeout` before this statement. Statement requires: ROW EXCLUSIVE lock; blocking: schema changes.',
    ],
    [
      'CREATE INDEX invoices_due_idx ON invoices (due_at);',
      'Missing `set lock_timeout` before potentially slow SHARE lock operations Configure a `lock_timeout` before this statement. Statement requires: SHARE lock; blocking: writes, schema changes.',
    ],
    [
      'REFRESH MATERIALIZED VIEW CONCURRENTLY invoice_months;',
      'Missing `set lock_timeout` before potentially slow EXCLUSIVE lock operations Configure a `lock_timeout` before this statement. Statement requires: EXCLUSIVE lock; blocking: writes, schema changes.',
    ],
    [
      'ALTER TABLE invoices ENABLE TRIGGER audit, ADD COLUMN memo text;',
      'Missing `set lock_timeout` before potentially slow ACCESS EXCLUSIVE lock operations Configure a `lock_timeout` before this statement. Statement requires: ACCESS EXCLUSIVE lock; blocking: reads, writes, schema changes.',
    ],
    [
      'CREATE SEQUENCE invoice_numbers;',
      'Missing `set lock_timeout` before potentially slow operations Configure a `lock_timeout` before this statement.',
    ],
  ];
  for (const [sql, message] of lockMessages) {
    it(`require-lock-timeout on ${JSON.stringify(sql)} says what squawk-cli says`, () => {
      const found = reviewScript({ engine: 'postgres', sql, policy }).findings.find(
        (f) => f.rule === 'require-lock-timeout',
      );
      assert.equal(found?.message, message);
    });
  }

  // Messages as squawk-cli writes them (message and help): [sql, rule, message, assumeInTransaction].
  const messages: Array<[string, string, string, boolean?]> = [
    [
      'ALTER TABLE IF EXISTS invoices ADD COLUMN IF NOT EXISTS invoices_grouped_by_customer_region_and_fiscal_quarter_and_currency_x text;',
      'identifier-too-long',
      '`invoices_grouped_by_customer_region_and_fiscal_quarter_and_currency_x` is too long and will be truncated to 63 bytes.',
    ],
    [
      'SELECT 1;\nCOMMIT;',
      'transaction-nesting',
      'There is no transaction to `COMMIT` or `ROLLBACK`. `BEGIN` a transaction at an earlier point in the migration or remove this statement.',
    ],
    [
      'SELECT 1;\nCOMMIT;',
      'transaction-nesting',
      "Attempting to end the transaction that is managed by your migration tool Put migration statements in separate files to have them be in separate transactions or don't use the assume-in-transaction setting.",
      true,
    ],
    [
      'CREATE INDEX CONCURRENTLY invoices_due_idx ON invoices (due_at);',
      'prefer-robust-stmts',
      "Missing `IF NOT EXISTS`, the migration can't be rerun if it fails part way through. Use an explicit name for a concurrently created index",
    ],
    [
      'ALTER TABLE invoices RENAME TO bills;',
      'require-lock-timeout',
      'Missing `set lock_timeout` before potentially slow ACCESS EXCLUSIVE lock operations Configure a `lock_timeout` before this statement. Statement requires: ACCESS EXCLUSIVE lock; blocking: reads, writes, schema changes.',
    ],
  ];
  for (const [sql, rule, message, assumeInTransaction] of messages) {
    it(`${rule} on ${JSON.stringify(sql)}${assumeInTransaction ? ' (assumed transaction)' : ''} says what squawk-cli says`, () => {
      const found = reviewScript({
        engine: 'postgres',
        sql,
        policy,
        ...(assumeInTransaction ? { assumeInTransaction } : {}),
      }).findings.find((f) => f.rule === rule);
      assert.equal(found?.message, message);
    });
  }

  // Squawk's opt-in require-table-schema, as `squawk --include require-table-schema` reports it.
  const withSchemaRule = {
    rules: [...policy.rules, { rule: 'require-table-schema', level: 'WARNING' as const, payload: {} }],
  };
  const schemaScripts: Array<[string, string[]]> = [
    [
      'DROP TABLE IF EXISTS staging_rows, archive.old_rows, "Imports" CASCADE;',
      [
        '1:1:ban-drop-table',
        '1:1:require-lock-timeout',
        '1:1:require-statement-timeout',
        '1:22:require-table-schema',
        '1:54:require-table-schema',
      ],
    ],
    [
      'CREATE TABLE monthly_totals AS SELECT 1 AS total;',
      ['1:14:require-table-schema', '1:1:require-lock-timeout', '1:1:require-statement-timeout'],
    ],
    [
      'CREATE TEMPORARY TABLE scratch_totals AS SELECT 1 AS total;',
      ['1:1:require-lock-timeout', '1:1:require-statement-timeout'],
    ],
    [
      'CREATE TABLE reports.monthly_totals AS SELECT 1 AS total;',
      ['1:1:require-lock-timeout', '1:1:require-statement-timeout'],
    ],
    [
      'ALTER FOREIGN TABLE remote_rows ADD COLUMN IF NOT EXISTS note text;',
      ['1:1:require-lock-timeout', '1:1:require-statement-timeout'],
    ],
    [
      'ALTER INDEX IF EXISTS rows_idx RENAME TO rows_id_idx;',
      ['1:1:require-lock-timeout', '1:1:require-statement-timeout'],
    ],
  ];
  for (const [sql, want] of schemaScripts) {
    it(`finds in ${JSON.stringify(sql)} what squawk-cli --include require-table-schema finds`, () => {
      const got = reviewScript({ engine: 'postgres', sql, policy: withSchemaRule })
        .findings.map((f) => `${f.line}:${f.column}:${f.rule}`)
        .sort();
      assert.deepEqual(got, want);
    });
  }
  it('require-table-schema says what squawk-cli says', () => {
    const found = reviewScript({
      engine: 'postgres',
      sql: 'DROP TABLE IF EXISTS invoices;',
      policy: withSchemaRule,
    }).findings.find((f) => f.rule === 'require-table-schema');
    assert.equal(found?.message, 'Table name is not schema-qualified. Use schema.table (e.g., public.my_table).');
  });

  it('flags every constant default up to PostgreSQL 11 (squawk-cli --pg-version 11) and only volatile ones after', () => {
    const sql = 'ALTER TABLE IF EXISTS x ADD COLUMN IF NOT EXISTS q bigint DEFAULT 1;';
    const only = (findings: string[]) => findings.filter((f) => f.endsWith('adding-field-with-default'));
    assert.deepEqual(only(review(sql, 10)), ['1:67:adding-field-with-default']);
    assert.deepEqual(only(review(sql, 11)), ['1:67:adding-field-with-default']);
    assert.deepEqual(only(review(sql, 12)), []);
    assert.deepEqual(only(review('ALTER TABLE x ADD COLUMN q bigint DEFAULT random();', 12)), [
      '1:43:adding-field-with-default',
    ]);
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
