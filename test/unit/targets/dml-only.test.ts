import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { isDml, isDmlOnly } from '../../../src/targets/mysql/dml-only.js';

const CASES: Array<[string, boolean]> = [
  ['INSERT INTO t VALUES (1)', true],
  ['update t set a = 1', true],
  ['DELETE FROM t', true],
  ['REPLACE INTO t VALUES (1)', true],
  ['# a comment\nINSERT INTO t VALUES (1)', true],
  ['/* c */ DELETE FROM t', true],
  ['CREATE TABLE t (id int)', false],
  ['ALTER TABLE t ADD c int', false],
  ['SELECT 1', false],
  ['WITH x AS (SELECT 1) UPDATE t SET a = 1', false],
  ['/*!40000 ALTER TABLE t DISABLE KEYS */', false],
  ['-- only a comment', false],
];

for (const [sql, expected] of CASES) {
  test(`${JSON.stringify(sql)} ${expected ? 'is' : 'is not'} DML`, () => {
    assert.equal(isDml(sql), expected);
  });
}

test('a task is DML-only when every statement is DML, and an empty task is not', () => {
  const s = (sql: string) => ({ sql, line: 1 });
  assert.equal(isDmlOnly([s('INSERT INTO t VALUES (1)'), s('DELETE FROM t')]), true);
  assert.equal(isDmlOnly([s('INSERT INTO t VALUES (1)'), s('CREATE TABLE u (id int)')]), false);
  assert.equal(isDmlOnly([]), false);
});
