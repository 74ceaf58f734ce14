import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  ANY_SERVER,
  cannotRunInTransaction,
  runsInOneTransaction,
} from '../../../src/targets/postgres/non-transactional.js';

const PG15 = 150004;
const CASES: Array<[string, boolean, number?]> = [
  ['CREATE INDEX CONCURRENTLY i ON t (a)', true],
  ['create unique index concurrently i on t (a)', true],
  ['CREATE INDEX i ON t (a)', false],
  ['DROP INDEX CONCURRENTLY IF EXISTS i', true],
  ['DROP INDEX i', false],
  ['REINDEX INDEX CONCURRENTLY i', true],
  ['REINDEX (VERBOSE) TABLE CONCURRENTLY t', true],
  ['REINDEX TABLE t', false],
  ['REINDEX DATABASE app', true],
  ['VACUUM ANALYZE t', true],
  ['vacuum', true],
  ['CREATE DATABASE other', true],
  ['DROP DATABASE other', true],
  ['ALTER DATABASE app SET TABLESPACE fast', true],
  ['ALTER DATABASE app SET work_mem = 1', false],
  ['ALTER SYSTEM SET work_mem = 1', true],
  ["CREATE TABLESPACE fast LOCATION '/x'", true],
  ["CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p", true],
  ["ALTER TYPE mood ADD VALUE 'meh'", false, PG15],
  ["ALTER TYPE mood ADD VALUE 'meh'", true, 110000],
  ["ALTER TYPE mood RENAME VALUE 'a' TO 'b'", false, 110000],
  ['ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY', true],
  ['ALTER TABLE p DETACH PARTITION p1', false],
  ['BEGIN', true],
  ['COMMIT', true],
  ["PREPARE TRANSACTION 'x'", true],
  ['PREPARE q AS SELECT 1', false],
  ['CLUSTER', true],
  ['CLUSTER t USING i', false],
  ['REFRESH MATERIALIZED VIEW CONCURRENTLY mv', false],
  ['-- CREATE INDEX CONCURRENTLY in a comment\nCREATE INDEX i ON t (a)', false],
  ["/* VACUUM */ INSERT INTO log VALUES ('VACUUM')", false],
  ['INSERT INTO t VALUES ($$ CONCURRENTLY $$)', false],
  ['/* note */ CREATE INDEX CONCURRENTLY i ON t (a)', true],
];

for (const [sql, expected, version = PG15] of CASES) {
  test(`${JSON.stringify(sql)} ${expected ? 'cannot' : 'can'} run in a transaction block on server ${version}`, () => {
    assert.equal(cannotRunInTransaction(sql, version), expected);
  });
}

test('a task runs in one transaction unless one of its statements cannot; with the server unknown, on any server', () => {
  const of = (...sql: string[]) => sql.map((s) => ({ sql: s }));
  assert.equal(runsInOneTransaction(of('CREATE TABLE t (a int)', 'CREATE INDEX i ON t (a)'), PG15), true);
  assert.equal(runsInOneTransaction(of('CREATE TABLE t (a int)', 'CREATE INDEX CONCURRENTLY i ON t (a)'), PG15), false);
  assert.equal(runsInOneTransaction(of("ALTER TYPE e ADD VALUE 'x'"), PG15), true);
  assert.equal(runsInOneTransaction(of("ALTER TYPE e ADD VALUE 'x'"), ANY_SERVER), false);
});
