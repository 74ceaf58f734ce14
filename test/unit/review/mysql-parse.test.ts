// MySQL statements node-sql-parser rejects: valid forms it does not know are reviewed without a
// "review it by hand" warning, and statements that are really broken are still reported.
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { reviewScript } from '../../../src/review/index.js';

const none = { rules: [] };

/** The built-in findings (rule ids) of a MySQL statement reviewed with no rules. */
function builtins(sql: string): string[] {
  return reviewScript({ engine: 'mysql', sql, policy: none }).findings.map((f) => f.rule);
}

describe('MySQL statements node-sql-parser does not read', () => {
  const valid: Array<[string, string]> = [
    ['a column CHARSET', 'CREATE TABLE t (id int, name VARCHAR(255) CHARSET ascii)'],
    [
      'a column charset and collation, lower case',
      'create table t (id int, name varchar(255) charset ascii collate ascii_bin)',
    ],
    [
      'a column CHARSET with comments and a string holding the words',
      "CREATE TABLE t (id int, name VARCHAR(255) /* ascii only */ CHARSET -- why\n ascii COMMENT 'CHARSET utf8mb4')",
    ],
    ['ADD COLUMN with a CHARSET', 'ALTER TABLE t ADD COLUMN b varchar(20) CHARSET ascii'],
    ['MODIFY COLUMN with a CHARSET', 'ALTER TABLE t MODIFY COLUMN id varchar(20) CHARSET ascii'],
    ['CHANGE COLUMN with a CHARSET', 'ALTER TABLE t CHANGE COLUMN name name varchar(20) CHARSET ascii'],
    ['CONVERT TO CHARACTER SET', 'ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4'],
    ['convert to charset … collate, lower case', 'alter table t convert to charset utf8mb4 collate utf8mb4_bin'],
    ['ADD COLUMN (a …, b …)', 'ALTER TABLE t ADD COLUMN (a JSON, b JSON)'],
    [
      'add (a …, b …) with a comment and a string holding the words',
      "ALTER TABLE t add (a int NOT NULL DEFAULT 0, -- first\n b varchar(10) COMMENT 'x, ADD COLUMN (y)')",
    ],
    [
      'ADD COLUMN (…) with a CHARSET and a serial inside',
      'ALTER TABLE t ADD COLUMN (a varchar(20) CHARSET ascii, b serial)',
    ],
    ['a named PRIMARY KEY in CREATE TABLE', 'CREATE TABLE t (id int, PRIMARY KEY pk (id))'],
    ['a named PRIMARY KEY in ALTER TABLE', 'ALTER TABLE t ADD PRIMARY KEY pk_a (a)'],
    [
      'a quoted primary key name before USING, lower case',
      'create table t (id int, primary key `pk` using btree (id))',
    ],
    [
      'PARTITION BY RANGE with partitions',
      'CREATE TABLE t (a int) PARTITION BY RANGE (a) (PARTITION p0 VALUES LESS THAN (6), PARTITION p1 VALUES LESS THAN (11))',
    ],
    [
      'PARTITION BY LINEAR KEY … PARTITIONS n',
      'CREATE TABLE t (a int) ENGINE=InnoDB PARTITION BY LINEAR KEY ALGORITHM=2 (a) PARTITIONS 4',
    ],
    ['ALTER TABLE … PARTITION BY alone', 'ALTER TABLE t PARTITION BY HASH (a)'],
    [
      'partition by list columns, lower case, with a comment',
      'create table t (a int) partition by list columns (a) (partition p0 values in (1, 2)) /* PARTITION BY */',
    ],
    [
      'CREATE EVENT',
      'CREATE EVENT daily ON SCHEDULE EVERY 1 DAY STARTS CURRENT_TIMESTAMP DO INSERT INTO b (d) SELECT NOW()',
    ],
    [
      'CREATE FUNCTION',
      'CREATE FUNCTION add_two(a INT, b INT) RETURNS INT DETERMINISTIC BEGIN DECLARE r INT; SET r = a + b; RETURN r; END',
    ],
    ['CREATE PROCEDURE', "CREATE PROCEDURE p() BEGIN SELECT 'Hello' AS m; END"],
    [
      'create procedure with a definer, lower case',
      'create definer = `root`@`%` procedure if not exists p(in a int) select a',
    ],
    ['CREATE TRIGGER', 'CREATE TRIGGER ins_sum BEFORE INSERT ON account FOR EACH ROW SET @sum = @sum + NEW.amount'],
    ['DROP PROCEDURE', 'DROP PROCEDURE IF EXISTS p'],
    ['DROP EVENT', 'DROP EVENT e'],
    ['drop function, lower case', 'drop function f'],
    ['ALTER DATABASE … CHARSET', 'ALTER DATABASE test CHARSET ascii'],
    [
      'alter schema without a name, lower case',
      'alter schema default character set = utf8mb4 default collate utf8mb4_bin',
    ],
    ['ALTER DATABASE … READ ONLY … ENCRYPTION', "ALTER DATABASE test READ ONLY = 1 ENCRYPTION 'Y'"],
    ['RENAME INDEX', 'ALTER TABLE t RENAME INDEX a TO b'],
    ['rename key, lower case', 'alter table t rename key old_uk to uk_t_id'],
    ['ON UPDATE localtime', 'ALTER TABLE t ADD COLUMN a timestamp DEFAULT now() ON UPDATE localtime'],
    [
      'DEFAULT localtimestamp ON UPDATE localtimestamp()',
      'CREATE TABLE t (a timestamp DEFAULT localtimestamp ON UPDATE localtimestamp())',
    ],
    [
      'serial and long types',
      'CREATE TABLE t (c10 serial NOT NULL, c11 long varbinary NOT NULL, c12 long varchar, c13 long)',
    ],
  ];
  for (const [what, sql] of valid) {
    it(`reviews ${what} without a not-reviewed warning`, () => {
      assert.deepEqual(builtins(sql), []);
    });
  }

  const broken: Array<[string, string]> = [
    ['CREATE TABLE t (id int,)', 'syntax-error'],
    ['ALTER TABLE t ADD COLUMN (a int', 'syntax-error'],
    ['ALTER TABLE t ADD COLUMN (a int,)', 'syntax-error'],
    ['SELEC 1', 'syntax-error'],
    ['CREATE TABLE t (name VARCHAR(10) CHARSET)', 'statement.not-reviewed'],
    ["CREATE TABLE t (name VARCHAR(10) COMMENT 'CHARSET ascii' CHARSET)", 'statement.not-reviewed'],
    ['ALTER TABLE t ADD COLUMN ()', 'statement.not-reviewed'],
    ['ALTER TABLE t ADD COLUMN (a int, , b int)', 'statement.not-reviewed'],
    ['ALTER TABLE t ADD COLUMN (a int b int)', 'statement.not-reviewed'],
    ['ALTER TABLE t CONVERT TO CHARACTER SET = utf8mb4', 'statement.not-reviewed'],
    ['ALTER TABLE t RENAME INDEX a b', 'statement.not-reviewed'],
    ['CREATE TABLE t (a int) PARTITION BY RANG (a)', 'statement.not-reviewed'],
    ['CREATE TABLE t (a int) PARTITION BY HASH ()', 'statement.not-reviewed'],
    ['CREATE TABLE t (a int) PARTITION BY HASH (a) (p0)', 'statement.not-reviewed'],
    ['CREATE TABLE t (a int) PARTITION BY HASH (a) PARTITIONS', 'statement.not-reviewed'],
    ['CREATE EVENT e ON SCHEDULE EVERY 1 DAY', 'statement.not-reviewed'],
    ['CREATE TRIGGER t BEFORE INSERT account FOR EACH ROW SET @a = 1', 'statement.not-reviewed'],
    ['CREATE PROCEDURE p BEGIN SELECT 1; END', 'statement.not-reviewed'],
    ['CREATE FUNCTION f() BEGIN RETURN 1; END', 'statement.not-reviewed'],
    ['DROP PROCEDURE p q', 'statement.not-reviewed'],
    ['ALTER DATABASE test', 'statement.not-reviewed'],
    ['ALTER DATABASE test CHARSET', 'statement.not-reviewed'],
  ];
  for (const [sql, rule] of broken) {
    it(`still reports "${sql}" as ${rule}`, () => {
      assert.deepEqual(builtins(sql), [rule]);
    });
  }

  const reserved: Array<[string, number]> = [
    ['CREATE TABLE interval(id int)', 14],
    ['create table if not exists interval(id int)', 28],
    ['CREATE TABLE t (interval int)', 17],
    ['ALTER TABLE t ADD COLUMN interval int', 26],
  ];
  for (const [sql, column] of reserved) {
    it(`reports the unquoted reserved word in "${sql}" as a syntax error at it`, () => {
      const r = reviewScript({ engine: 'mysql', sql, policy: none });
      assert.equal(r.findings.length, 1);
      const f = r.findings[0]!;
      assert.equal(f.rule, 'syntax-error');
      assert.match(f.message, new RegExp(`near line 1, column ${column}: "interval" is a reserved word in MySQL`));
    });
  }

  it('does not call a name MariaDB accepts (GROUPS, WINDOW, RANK …) a syntax error', () => {
    for (const sql of [
      'CREATE TABLE groups (id int)',
      'CREATE TABLE t (id int, window int)',
      'CREATE TABLE rank (id int)',
    ])
      assert.ok(!builtins(sql).includes('syntax-error'), sql);
  });

  it('reviews a quoted reserved word as a name', () => {
    assert.deepEqual(builtins('CREATE TABLE `interval` (id int)'), []);
  });

  it('still reports each finding of the rules on a statement it now reads', () => {
    const r = reviewScript({
      engine: 'mysql',
      sql: 'ALTER TABLE t ADD COLUMN (a JSON, b JSON)',
      policy: { rules: [{ rule: 'column.type-disallow-list', level: 'ERROR', payload: { list: ['JSON'] } }] },
    });
    assert.deepEqual(
      r.findings.map((f) => [f.rule, f.column]),
      [
        ['column.type-disallow-list', 27],
        ['column.type-disallow-list', 35],
      ],
    );
  });
});
