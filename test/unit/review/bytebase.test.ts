// Findings as Bytebase's advisor reports them, per family: positions, and script state followed across statements.
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { reviewScript } from '../../../src/review/index.js';
import type { Engine } from '../../../src/domain/engine.js';

function lines(rule: string, engine: Engine, sql: string): number[] {
  return reviewScript({ engine, sql, policy: { rules: [{ rule, level: 'WARNING', payload: {} }] } })
    .findings.filter((f) => f.rule === rule)
    .map((f) => f.line);
}

describe('Bytebase positions', () => {
  const cases: Array<[string, string, Engine, string, number[]]> = [
    [
      'statement-level advice at the line where a 12-line CREATE TABLE ends',
      'engine.mysql.use-innodb',
      'mysql',
      `CREATE TABLE t (\n${Array.from({ length: 9 }, (_, i) => `  c${i} INT,`).join('\n')}\n  id INT PRIMARY KEY\n) ENGINE=MyISAM;`,
      [12],
    ],
    [
      'statement-level advice at the end of a multi-line UPDATE',
      'statement.where.require.update-delete',
      'postgres',
      'SELECT 1;\nUPDATE t\n   SET a = 1\n;',
      [3],
    ],
    [
      'statement-level advice on a one-line statement at its line',
      'statement.disallow-truncate',
      'mysql',
      'SELECT 1;\nTRUNCATE t;',
      [2],
    ],
  ];
  for (const [what, rule, engine, sql, want] of cases)
    it(`${rule}: ${what}`, () => assert.deepEqual(lines(rule, engine, sql), want));
});

describe('Bytebase script state: table.require-pk', () => {
  const cases: Array<[string, Engine, string, number[]]> = [
    ['a table created without a primary key', 'mysql', 'CREATE TABLE t (a INT)', [1]],
    [
      'a primary key added by a later ALTER counts',
      'postgres',
      'CREATE TABLE t (a int);\nALTER TABLE t ADD PRIMARY KEY (a)',
      [],
    ],
    [
      'a primary key dropped later is flagged at the drop',
      'mysql',
      'CREATE TABLE t (a INT PRIMARY KEY, b INT);\nSELECT 1;\nALTER TABLE t DROP PRIMARY KEY',
      [3],
    ],
    [
      'DROP INDEX `PRIMARY` drops the primary key',
      'mysql',
      'CREATE TABLE t (a INT, PRIMARY KEY (a));\nDROP INDEX `PRIMARY` ON t',
      [2],
    ],
    [
      'dropping the key columns drops the primary key',
      'mysql',
      'CREATE TABLE t (a INT, b INT, PRIMARY KEY (a));\nALTER TABLE t DROP COLUMN a',
      [2],
    ],
    ['a table dropped later in the script is not flagged', 'mysql', 'CREATE TABLE t (a INT);\nDROP TABLE t', []],
    [
      'dropping and re-adding the key in one statement is fine',
      'mysql',
      'ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (a, b)',
      [],
    ],
    ['dropping the key of a live table without a new one', 'postgres', 'ALTER TABLE t DROP CONSTRAINT t_pkey', [1]],
  ];
  for (const [what, engine, sql, want] of cases)
    it(`${what} (${engine})`, () => assert.deepEqual(lines('table.require-pk', engine, sql), want));
});

describe('Bytebase statement.where.disallow-functions-and-calculations: on columns, one finding each', () => {
  const cases: Array<[string, number]> = [
    ["SELECT a FROM t WHERE lower(name) = 'x'", 1],
    ['SELECT a FROM t WHERE a + 1 = 2', 1],
    ['SELECT a FROM t WHERE t.a * 2 > 10 AND year(created_at) = 2024', 2],
    ['SELECT a FROM t WHERE created_at > NOW() - INTERVAL 1 DAY', 0],
    ['SELECT a FROM t WHERE id = 1 + 2', 0],
    ["SELECT a FROM t WHERE name = concat('a', 'b')", 0],
    ['SELECT a FROM t WHERE a > -1', 0],
    ['UPDATE t SET a = a + 1 WHERE id = 5', 0],
    ['DELETE FROM t WHERE abs(balance) > 100 OR (qty - 1) = 0', 2],
  ];
  for (const [sql, n] of cases)
    it(`reports ${n} finding(s) for "${sql}"`, () => {
      for (const engine of ['mysql', 'postgres'] as const)
        assert.equal(lines('statement.where.disallow-functions-and-calculations', engine, sql).length, n, engine);
    });
});
