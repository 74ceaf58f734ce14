import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { syntaxErrorOffset } from '../../../src/targets/mysql/errors.js';
import { scriptPosition } from '../../../src/targets/position.js';

test('an offset on the first line of a statement is shifted by the column where the statement starts', () => {
  assert.deepEqual(scriptPosition({ sql: 'SELECT nope', line: 4, column: 11 }, 7), { line: 4, column: 18 });
});

test('an offset on a later line counts from that line, whatever the statement column', () => {
  assert.deepEqual(scriptPosition({ sql: 'SELECT id,\n       nope\n  FROM t', line: 2, column: 11 }, 18), {
    line: 3,
    column: 8,
  });
});

test('offsets count code points, as PostgreSQL does, not UTF-16 units', () => {
  assert.deepEqual(scriptPosition({ sql: "SELECT '😀', nope", line: 1 }, 12), { line: 1, column: 13 });
});

const MARIADB =
  'You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use';

test('a MySQL syntax error is located by its near text, even when the reported line runs one ahead', () => {
  const sql = 'CREATE TABLE u (\n  id int,\n  name varchar(10) NOT NUL\n)';
  const offset = syntaxErrorOffset(`${MARIADB} near 'NUL\n)' at line 4`, sql);
  assert.equal(offset, sql.indexOf('NUL\n)'));
});

test('a truncated near text is matched at its last occurrence on or before the reported line', () => {
  const sql = 'SELECT a FRM t\nUNION SELECT a FRM t WHERE x = 1 AND y = 2';
  const offset = syntaxErrorOffset(`${MARIADB} near 'FRM t' at line 1`, sql);
  assert.equal(offset, 9);
});

test('an empty near text points at the end of the statement, and other errors have no position', () => {
  assert.equal(syntaxErrorOffset(`${MARIADB} near '' at line 1`, 'SELECT * FROM'), 13);
  assert.equal(syntaxErrorOffset("Unknown column 'x' in 'field list'", 'SELECT x'), undefined);
});
