import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { splitStatements } from '../../../src/sql/split.js';
import type { Engine } from '../../../src/domain/engine.js';

interface Case {
  name: string;
  engine: Engine;
  input: string;
  expected: string[];
}

const cases: Case[] = [
  {
    name: 'splits plain statements on semicolons',
    engine: 'postgres',
    input: 'SELECT 1; SELECT 2;',
    expected: ['SELECT 1', 'SELECT 2'],
  },
  {
    name: 'keeps a last statement without a delimiter',
    engine: 'mysql',
    input: 'SELECT 1;\nSELECT 2',
    expected: ['SELECT 1', 'SELECT 2'],
  },
  {
    name: 'ignores semicolons inside single-quoted strings',
    engine: 'postgres',
    input: "INSERT INTO t VALUES ('a;b'); SELECT 1",
    expected: ["INSERT INTO t VALUES ('a;b')", 'SELECT 1'],
  },
  {
    name: 'treats doubled quotes as an escape',
    engine: 'postgres',
    input: "SELECT 'it''s; fine'; SELECT 2",
    expected: ["SELECT 'it''s; fine'", 'SELECT 2'],
  },
  {
    name: 'treats backslash as an escape in MySQL strings',
    engine: 'mysql',
    input: "SELECT 'a\\';b'; SELECT 2",
    expected: ["SELECT 'a\\';b'", 'SELECT 2'],
  },
  {
    name: 'does not treat backslash as an escape in standard PostgreSQL strings',
    engine: 'postgres',
    input: "SELECT 'a\\'; SELECT 2",
    expected: ["SELECT 'a\\'", 'SELECT 2'],
  },
  {
    name: "treats backslash as an escape in PostgreSQL E'' strings",
    engine: 'postgres',
    input: "SELECT E'a\\';b'; SELECT 2",
    expected: ["SELECT E'a\\';b'", 'SELECT 2'],
  },
  {
    name: 'ignores semicolons inside double-quoted identifiers',
    engine: 'postgres',
    input: 'CREATE TABLE "a;b" (id int); SELECT 1',
    expected: ['CREATE TABLE "a;b" (id int)', 'SELECT 1'],
  },
  {
    name: 'ignores semicolons inside backtick identifiers',
    engine: 'mysql',
    input: 'CREATE TABLE `a;b` (id int); SELECT 1',
    expected: ['CREATE TABLE `a;b` (id int)', 'SELECT 1'],
  },
  {
    name: 'ignores semicolons in line comments',
    engine: 'postgres',
    input: 'SELECT 1 -- x; y\n; SELECT 2',
    expected: ['SELECT 1 -- x; y', 'SELECT 2'],
  },
  {
    name: 'ignores semicolons in block comments',
    engine: 'mysql',
    input: 'SELECT /* ; */ 1; SELECT 2',
    expected: ['SELECT /* ; */ 1', 'SELECT 2'],
  },
  {
    name: 'handles nested block comments on PostgreSQL',
    engine: 'postgres',
    input: 'SELECT /* a /* b; */ c; */ 1; SELECT 2',
    expected: ['SELECT /* a /* b; */ c; */ 1', 'SELECT 2'],
  },
  { name: 'treats # as a comment on MySQL', engine: 'mysql', input: '# note; here\nSELECT 1;', expected: ['SELECT 1'] },
  {
    name: 'requires whitespace after -- for a MySQL comment',
    engine: 'mysql',
    input: 'SELECT 5--1; SELECT 2',
    expected: ['SELECT 5--1', 'SELECT 2'],
  },
  {
    name: 'drops statements made only of comments',
    engine: 'postgres',
    input: '-- only\n/* a */ ; ;  SELECT 1; -- trailing',
    expected: ['SELECT 1'],
  },
  {
    name: 'skips $$ dollar-quoted bodies',
    engine: 'postgres',
    input: 'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql; SELECT 1',
    expected: ['CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql', 'SELECT 1'],
  },
  {
    name: 'skips tagged dollar-quoted bodies containing $$',
    engine: 'postgres',
    input: 'DO $body$ SELECT $$;$$; $body$; SELECT 2',
    expected: ['DO $body$ SELECT $$;$$; $body$', 'SELECT 2'],
  },
  {
    name: 'does not take positional parameters for dollar quotes',
    engine: 'postgres',
    input: 'SELECT $1; SELECT $2',
    expected: ['SELECT $1', 'SELECT $2'],
  },
  {
    name: 'follows MySQL DELIMITER lines',
    engine: 'mysql',
    input: 'DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\nDELIMITER ;\nSELECT 3;',
    expected: ['CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END', 'SELECT 3'],
  },
  {
    name: 'ends a statement at a custom delimiter written against a word, as the mysql client does',
    engine: 'mysql',
    input: 'DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\nSELECT 2;',
    expected: ['CREATE PROCEDURE p() BEGIN SELECT 1; END', 'SELECT 2'],
  },
  {
    name: 'keeps BEGIN … END routine bodies whole without a custom delimiter',
    engine: 'mysql',
    input:
      'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN IF NEW.a > 1 THEN SET NEW.a = 1; END IF; SET NEW.b = 2; END; SELECT 1',
    expected: [
      'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN IF NEW.a > 1 THEN SET NEW.a = 1; END IF; SET NEW.b = 2; END',
      'SELECT 1',
    ],
  },
  {
    name: 'counts CASE … END CASE inside a routine body',
    engine: 'mysql',
    input: 'CREATE PROCEDURE p(x int) BEGIN CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; END; SELECT 3',
    expected: ['CREATE PROCEDURE p(x int) BEGIN CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; END', 'SELECT 3'],
  },
  {
    name: 'keeps PostgreSQL BEGIN ATOMIC bodies whole',
    engine: 'postgres',
    input: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; SELECT 2',
    expected: ['CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END', 'SELECT 2'],
  },
  {
    name: 'does not treat a transaction BEGIN as a block',
    engine: 'postgres',
    input: 'BEGIN; UPDATE t SET a = 1 WHERE id = 1; COMMIT;',
    expected: ['BEGIN', 'UPDATE t SET a = 1 WHERE id = 1', 'COMMIT'],
  },
  {
    name: 'does not treat CASE in a table definition as a routine block',
    engine: 'mysql',
    input: 'CREATE TABLE t (a int, b int AS (CASE WHEN a > 0 THEN 1 END)); SELECT 1',
    expected: ['CREATE TABLE t (a int, b int AS (CASE WHEN a > 0 THEN 1 END))', 'SELECT 1'],
  },
  {
    name: 'keeps MySQL executable comments as statements',
    engine: 'mysql',
    input: '/*!40101 SET NAMES utf8 */;\nSELECT 1;',
    expected: ['/*!40101 SET NAMES utf8 */', 'SELECT 1'],
  },
  {
    name: 'runs an unterminated string to the end of the input',
    engine: 'postgres',
    input: "SELECT 'abc; SELECT 2",
    expected: ["SELECT 'abc; SELECT 2"],
  },
  {
    name: 'skips psql meta-commands at statement boundaries',
    engine: 'postgres',
    input: '\\connect mydb\nSELECT 1;\n\\restrict abc\nSELECT 2;',
    expected: ['SELECT 1', 'SELECT 2'],
  },
  {
    name: 'skips COPY FROM stdin data up to the \\. line',
    engine: 'postgres',
    input: 'COPY t (a, b) FROM stdin;\n1\tx;y\n2\t\\N\n\\.\nSELECT 3;',
    expected: ['COPY t (a, b) FROM stdin', 'SELECT 3'],
  },
  { name: 'returns nothing for an empty script', engine: 'mysql', input: '  \n\t ', expected: [] },
];

describe('splitStatements', () => {
  for (const c of cases) {
    it(`${c.name} (${c.engine})`, () => {
      assert.deepEqual(
        splitStatements(c.input, c.engine).map((s) => s.sql),
        c.expected,
      );
    });
  }

  it('reports 1-based line and column of each statement and offsets that slice back to its text', () => {
    const input = '-- header\nSELECT 1;\n\n  UPDATE t\n  SET a = 1;   DELETE FROM t WHERE id = 2;';
    const got = splitStatements(input, 'postgres');
    assert.deepEqual(
      got.map((s) => [s.line, s.column]),
      [
        [2, 1],
        [4, 3],
        [5, 16],
      ],
    );
    for (const s of got) assert.equal(input.slice(s.start, s.end), s.sql);
  });

  it('counts lines inside multi-line strings and dollar quotes', () => {
    const input = "SELECT 'a\nb';\nDO $$\nx;\n$$;\nSELECT 3;";
    assert.deepEqual(
      splitStatements(input, 'postgres').map((s) => s.line),
      [1, 3, 6],
    );
  });

  it('splits a large script in linear time', () => {
    const one = "INSERT INTO t (a, b) VALUES (1, 'x;y'); -- c\n";
    const small = one.repeat(2_000);
    const big = one.repeat(40_000);
    const t0 = performance.now();
    assert.equal(splitStatements(small, 'mysql').length, 2_000);
    const t1 = performance.now();
    assert.equal(splitStatements(big, 'mysql').length, 40_000);
    const t2 = performance.now();
    // 20x the input should cost well under 100x the time (a quadratic splitter would be ~400x).
    assert.ok(t2 - t1 < Math.max(100 * (t1 - t0), 500), `took ${t2 - t1} ms for 40k statements`);
  });
});
