// Bytebase-compatible policy files: both id spellings, levels, engines, payloads, and errors that say what is allowed.
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { loadPolicy, reviewScript, listRules, resolveRuleId } from '../../../src/review/index.js';
import { isDbchangeError } from '../../../src/errors.js';

describe('loadPolicy', () => {
  it('accepts the enum name and the dotted id for the same rule', () => {
    const yaml = `
ruleList:
  - type: STATEMENT_WHERE_REQUIRE_UPDATE_DELETE
    level: ERROR
  - type: statement.select.no-select-all
    level: WARNING
`;
    assert.deepEqual(loadPolicy(yaml).rules, [
      { rule: 'statement.where.require.update-delete', level: 'ERROR', payload: {} },
      { rule: 'statement.select.no-select-all', level: 'WARNING', payload: {} },
    ]);
  });

  it('reads JSON too, as JSON is valid YAML', () => {
    const json = JSON.stringify({
      ruleList: [{ type: 'TABLE_REQUIRE_PK', level: 'ERROR', engine: 'MYSQL', payload: {} }],
    });
    assert.deepEqual(loadPolicy(json).rules, [
      { rule: 'table.require-pk', level: 'ERROR', engine: 'mysql', payload: {} },
    ]);
  });

  it('turns DISABLED and absent levels off', () => {
    const yaml = 'ruleList:\n  - type: TABLE_REQUIRE_PK\n    level: DISABLED\n  - type: TABLE_NO_FOREIGN_KEY\n';
    assert.deepEqual(loadPolicy(yaml).rules, []);
  });

  it('keeps an engine-scoped entry to that engine only', () => {
    const policy = loadPolicy('ruleList:\n  - {type: TABLE_REQUIRE_PK, level: ERROR, engine: POSTGRES}\n');
    assert.equal(reviewScript({ engine: 'postgres', sql: 'CREATE TABLE t (a int)', policy }).findings.length, 1);
    assert.equal(reviewScript({ engine: 'mysql', sql: 'CREATE TABLE t (a int)', policy }).findings.length, 0);
  });

  it("ignores other engines' entries and catalogue rules that apply to neither engine", () => {
    const yaml = `
ruleList:
  - {type: NAMING_TABLE, level: ERROR, engine: ORACLE, payload: {format: "^x$"}}
  - {type: NAMING_TABLE_NO_KEYWORD, level: ERROR, engine: MYSQL}
  - {type: COLUMN_DISALLOW_DROP, level: WARNING}
`;
    assert.deepEqual(loadPolicy(yaml).rules, []);
  });

  it('reads payloads given as mappings and as JSON strings, as Bytebase exports them', () => {
    const yaml = `
ruleList:
  - type: NAMING_TABLE
    level: WARNING
    payload: {format: "^[a-z]+$", maxLength: 10}
  - type: STATEMENT_INSERT_ROW_LIMIT
    level: ERROR
    payload: '{"number": 5}'
  - type: COLUMN_TYPE_DISALLOW_LIST
    level: ERROR
    payload: {list: [JSON, BLOB]}
  - type: TABLE_COMMENT
    level: WARNING
    payload: {required: true, maxLength: 20}
  - type: naming.index.idx
    level: WARNING
    payload: {format: "^idx_{{table}}_{{column_list}}$", maxLength: 64}
`;
    const rules = loadPolicy(yaml).rules;
    assert.deepEqual(
      rules.map((r) => r.payload),
      [
        { format: '^[a-z]+$', maxLength: 10 },
        { number: 5 },
        { list: ['JSON', 'BLOB'] },
        { required: true, maxLength: 20 },
        { format: '^idx_{{table}}_{{column_list}}$', maxLength: 64 },
      ],
    );
    const r = reviewScript({
      engine: 'mysql',
      sql: 'INSERT INTO t (a) VALUES (1),(2),(3),(4),(5),(6)',
      policy: { rules },
    });
    assert.deepEqual(
      r.findings.map((f) => f.rule),
      ['statement.insert.row-limit'],
    );
  });

  const bad: Array<[string, string, RegExp]> = [
    [
      'an unknown type',
      'ruleList:\n  - {type: STATEMENT_NO_SUCH_RULE, level: ERROR}\n',
      /ruleList\[0\] \(type STATEMENT_NO_SUCH_RULE\): unknown rule type; run `dbchange review --list-rules`/,
    ],
    [
      'a bad level',
      'ruleList:\n  - {type: TABLE_REQUIRE_PK, level: FATAL}\n',
      /ruleList\[0\] \(type TABLE_REQUIRE_PK\): level "FATAL" is not allowed; use ERROR, WARNING or DISABLED/,
    ],
    ['a missing type', 'ruleList:\n  - {level: ERROR}\n', /ruleList\[0\]: type is required/],
    [
      'a non-numeric number',
      'ruleList:\n  - {type: STATEMENT_INSERT_ROW_LIMIT, level: ERROR, payload: {number: many}}\n',
      /payload\.number must be a number/,
    ],
    [
      'an invalid regex',
      'ruleList:\n  - {type: NAMING_TABLE, level: ERROR, payload: {format: "^[a-z"}}\n',
      /payload\.format is not a valid regular expression/,
    ],
    [
      'a list that is not a list',
      'ruleList:\n  - {type: COLUMN_TYPE_DISALLOW_LIST, level: ERROR, payload: {list: JSON}}\n',
      /payload\.list must be a list of strings/,
    ],
    [
      'an unknown engine',
      'ruleList:\n  - {type: TABLE_REQUIRE_PK, level: ERROR, engine: MYSLQ}\n',
      /engine "MYSLQ" is unknown; use MYSQL or POSTGRES/,
    ],
    ['no ruleList', 'rules: []\n', /expected a mapping with ruleList/],
    ['broken YAML', 'ruleList: [\n', /not valid YAML or JSON/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what} with a message naming the entry and what is allowed`, () => {
      assert.throws(
        () => loadPolicy(text, 'policies/prod.yaml'),
        (e: unknown) => {
          assert.ok(isDbchangeError(e, 'dbchange_config_invalid'));
          assert.match(e.message, /^policies\/prod\.yaml: /);
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }
});

describe('rule ids', () => {
  it('resolves every listed rule from its dotted id and its enum name', () => {
    assert.equal(resolveRuleId('STATEMENT_DISALLOW_TRUNCATE'), 'statement.disallow-truncate');
    assert.equal(resolveRuleId('BUILTIN_WALK_THROUGH_CHECK'), 'builtin.walk-through-check');
    for (const id of listRules()) assert.equal(resolveRuleId(id), id);
  });

  it('lists engine-specific rules only for their engine', () => {
    assert.ok(listRules('mysql').includes('engine.mysql.use-innodb'));
    assert.ok(!listRules('postgres').includes('engine.mysql.use-innodb'));
    assert.ok(listRules('postgres').includes('index.create-concurrently'));
    assert.ok(!listRules('mysql').includes('index.create-concurrently'));
  });
});
