// Findings as Bytebase's advisor reports them, per family: positions, and script state followed across statements.
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { reviewScript } from '../../../src/review/index.js';
import type { Engine } from '../../../src/domain/engine.js';

function lines(rule: string, engine: Engine, sql: string, payload: Record<string, unknown> = {}): number[] {
  return reviewScript({ engine, sql, policy: { rules: [{ rule, level: 'WARNING', payload }] } })
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

describe('Bytebase positions: rules reported at the line a statement starts', () => {
  const cases: Array<[string, Engine, string, number[]]> = [
    [
      'system.procedure.disallow-create',
      'mysql',
      "SELECT 1;\nCREATE PROCEDURE tally()\nBEGIN\n  SELECT 'n' AS total;\nEND;",
      [2],
    ],
    [
      'system.function.disallow-create',
      'mysql',
      'CREATE FUNCTION twice(n INT)\nRETURNS INT\nDETERMINISTIC\nRETURN n * 2;',
      [1],
    ],
    [
      'system.event.disallow-create',
      'mysql',
      'SELECT 1;\n\nCREATE EVENT nightly\nON SCHEDULE EVERY 1 DAY\nDO\n  DELETE FROM audit WHERE id < 0;',
      [3],
    ],
    [
      'table.disallow-trigger',
      'mysql',
      'CREATE TABLE ledger (id INT, amount INT);\nCREATE TRIGGER ledger_sum BEFORE INSERT ON ledger\n  FOR EACH ROW SET @total = @total + NEW.amount;',
      [2],
    ],
    ['table.disallow-set-charset', 'mysql', 'CREATE TABLE note (\n  id INT,\n  body TEXT\n) CHARSET=latin1;', [1]],
    [
      'table.disallow-partition',
      'mysql',
      'CREATE TABLE sale (d INT)\nPARTITION BY RANGE (d) (\n  PARTITION p1 VALUES LESS THAN (10)\n);',
      [1],
    ],
    ['table.disallow-partition', 'postgres', 'SELECT 1;\nCREATE TABLE sale (d int)\n  PARTITION BY RANGE (d);', [2]],
    ['table.comment', 'mysql', 'SELECT 1;\nCREATE TABLE memo (\n  id INT\n)', [2]],
    ['table.drop-naming-convention', 'mysql', 'DROP TABLE a_del,\n  b', [1]],
    ['table.drop-naming-convention', 'postgres', 'SELECT 1;\nDROP TABLE\n  old_a,\n  old_b', [2, 2]],
  ];
  for (const [rule, engine, sql, want] of cases)
    it(`${rule} (${engine})`, () => assert.deepEqual(lines(rule, engine, sql), want));
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

describe('Bytebase script state: table.require-pk, more forms', () => {
  const cases: Array<[string, Engine, string, number[]]> = [
    [
      'MODIFY COLUMN … PRIMARY KEY adds the key',
      'mysql',
      'CREATE TABLE t (a INT);\nALTER TABLE t MODIFY COLUMN a INT PRIMARY KEY',
      [],
    ],
    [
      'CHANGE COLUMN … PRIMARY KEY adds the key',
      'mysql',
      'CREATE TABLE t (a INT);\nALTER TABLE t CHANGE COLUMN a b INT PRIMARY KEY',
      [],
    ],
    [
      'renaming a key column keeps the key',
      'mysql',
      'CREATE TABLE t (a INT PRIMARY KEY);\nALTER TABLE t CHANGE COLUMN a b INT;\nALTER TABLE t DROP COLUMN b',
      [3],
    ],
    [
      'dropping every key column in one statement',
      'mysql',
      'CREATE TABLE t (a INT, b INT, c INT, PRIMARY KEY (a, b));\nALTER TABLE t DROP COLUMN a, DROP COLUMN b',
      [2],
    ],
    [
      'the key of a live table dropped and re-added by a later statement',
      'mysql',
      'ALTER TABLE t DROP PRIMARY KEY;\nALTER TABLE t ADD PRIMARY KEY (id)',
      [],
    ],
    [
      'PostgreSQL reports at the last statement about the table',
      'postgres',
      'CREATE TABLE t (id int, note text);\nALTER TABLE t ADD COLUMN x int;\nSELECT 1',
      [2],
    ],
    ['a rename is a statement about the table', 'postgres', 'CREATE TABLE t (id int);\nALTER TABLE t RENAME TO u', [2]],
    [
      'the renamed table gets its key later',
      'postgres',
      'CREATE TABLE t (id int);\nALTER TABLE t RENAME TO u;\nALTER TABLE u ADD PRIMARY KEY (id)',
      [],
    ],
    ['a key constraint named *_pk', 'postgres', 'ALTER TABLE t DROP CONSTRAINT old_pk', [1]],
    ['another constraint', 'postgres', 'ALTER TABLE t DROP CONSTRAINT old_index', []],
    [
      'dropping a key the script added to a live table leaves it as it was',
      'postgres',
      'ALTER TABLE t ADD PRIMARY KEY (a);\nALTER TABLE t DROP CONSTRAINT t_pkey',
      [],
    ],
    [
      'a live table whose key is dropped and re-added later',
      'postgres',
      'ALTER TABLE t DROP CONSTRAINT t_pkey;\nALTER TABLE t ADD PRIMARY KEY (id)',
      [],
    ],
    [
      'a table re-created without a key after DROP TABLE',
      'postgres',
      'DROP TABLE t;\nCREATE TABLE t (id int, name text)',
      [2],
    ],
    [
      'dropping the key column drops the primary key',
      'postgres',
      'CREATE TABLE t (a int, b int, PRIMARY KEY (a));\nALTER TABLE t DROP COLUMN a',
      [2],
    ],
    [
      'dropping an inline key column',
      'postgres',
      'CREATE TABLE t (a int CONSTRAINT p PRIMARY KEY, b int);\nALTER TABLE t DROP COLUMN IF EXISTS a',
      [2],
    ],
    [
      'tables dropped together later are not flagged',
      'postgres',
      'CREATE TABLE t (a int);\nCREATE TABLE s.u (a int);\nDROP TABLE IF EXISTS t, s.u CASCADE',
      [],
    ],
    [
      'ADD COLUMN … PRIMARY KEY adds the key',
      'postgres',
      'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN id bigint PRIMARY KEY',
      [],
    ],
    [
      'tables whose columns come from elsewhere are not checked',
      'postgres',
      'CREATE TABLE t AS SELECT 1 AS a;\nCREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);\nCREATE TABLE l (LIKE t)',
      [],
    ],
    [
      'an index or view of the table is not a statement about its key',
      'postgres',
      'CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);\nALTER INDEX i RENAME TO j',
      [1],
    ],
  ];
  for (const [what, engine, sql, want] of cases)
    it(`${what} (${engine})`, () => assert.deepEqual(lines('table.require-pk', engine, sql), want));
});

describe('Bytebase: one finding per offending element, and statement forms', () => {
  const cases: Array<[string, string, Engine, string, number[], Record<string, unknown>?]> = [
    [
      'each partition of TRUNCATE PARTITION',
      'statement.disallow-truncate',
      'mysql',
      'ALTER TABLE sales TRUNCATE PARTITION p_jan, p_feb',
      [1, 1],
    ],
    [
      'TRUNCATE PARTITION ALL once',
      'statement.disallow-truncate',
      'mysql',
      'ALTER TABLE s TRUNCATE PARTITION ALL',
      [1],
    ],
    ['each table of TRUNCATE a, b', 'statement.disallow-truncate', 'postgres', 'SELECT 1;\nTRUNCATE a, ONLY b', [2, 2]],
    [
      'each table of a multi-line TRUNCATE at its own line',
      'statement.disallow-truncate',
      'postgres',
      'TRUNCATE TABLE a,\n  b,\n  c',
      [1, 2, 3],
    ],
    [
      'each leading-wildcard LIKE at its line',
      'statement.where.no-leading-wildcard-like',
      'mysql',
      "SELECT *\nFROM t\nWHERE a LIKE '%acc'\n  OR a LIKE '%abc'",
      [3, 4],
    ],
    [
      'the statement once, at its first leading-wildcard LIKE',
      'statement.where.no-leading-wildcard-like',
      'postgres',
      "SELECT *\nFROM t\nWHERE a LIKE '%acc'\n  OR a LIKE '%abc'",
      [3],
    ],
    [
      'a subquery without WHERE, at its SELECT',
      'statement.where.require.select',
      'postgres',
      'SELECT id\nFROM book\nWHERE id > (\n  SELECT max(id)\n  FROM book\n)',
      [4],
    ],
    [
      'a UNION branch without WHERE',
      'statement.where.require.select',
      'mysql',
      'SELECT a FROM t WHERE a > 1\nUNION ALL SELECT b FROM u',
      [2],
    ],
    ['a SELECT without FROM needs no WHERE', 'statement.where.require.select', 'mysql', 'SELECT CURDATE()', []],
    [
      'each foreign key of a CREATE TABLE at its line',
      'table.no-foreign-key',
      'mysql',
      'CREATE TABLE b (\n  id INT,\n  a INT,\n  FOREIGN KEY (a) REFERENCES x (id),\n  FOREIGN KEY (id) REFERENCES y (id)\n)',
      [4, 5],
    ],
    [
      'a PostgreSQL comment too long, at its COMMENT ON',
      'column.comment',
      'postgres',
      "CREATE TABLE t (a int);\nCOMMENT ON COLUMN t.a IS 'loooooooong comments'",
      [2],
      { required: true, maxLength: 10 },
    ],
    [
      'the last COMMENT ON wins',
      'table.comment',
      'postgres',
      "CREATE TABLE t (a int);\nCOMMENT ON TABLE t IS 'comments';\nCOMMENT ON TABLE t IS NULL",
      [1],
      { required: true, maxLength: 10 },
    ],
    [
      'a PostgreSQL primary key column needs a DEFAULT too',
      'column.require-default',
      'postgres',
      'CREATE TABLE t (\n  a int NOT NULL,\n  b text,\n  PRIMARY KEY (a)\n)',
      [2, 3],
    ],
    [
      'a disallowed column charset at its line, once per statement',
      'system.charset.allowlist',
      'mysql',
      'CREATE TABLE t (\n  id int,\n  a varchar(255) CHARSET ascii,\n  b varchar(255) CHARSET latin1\n)',
      [3],
      { list: ['utf8mb4'] },
    ],
    [
      'the table charset first, at the end of the statement',
      'system.charset.allowlist',
      'mysql',
      'CREATE TABLE t (\n  a varchar(255) CHARSET ascii\n) CHARSET ascii',
      [3],
      { list: ['utf8mb4'] },
    ],
    [
      'a breaking ALTER is statement-level advice',
      'schema.backward-compatibility',
      'mysql',
      'ALTER TABLE t\n  DROP COLUMN a,\n  ADD COLUMN b int',
      [3],
    ],
    [
      'a CHECK … NOT ENFORCED breaks nothing',
      'schema.backward-compatibility',
      'mysql',
      'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT ENFORCED',
      [],
    ],
    [
      'a named inline foreign key at its column',
      'naming.index.fk',
      'postgres',
      'CREATE TABLE book (\n  id int,\n  author_id int CONSTRAINT fk_book_author_id REFERENCES author (id)\n)',
      [3],
    ],
    [
      'a named inline unique key',
      'naming.index.uk',
      'postgres',
      'ALTER TABLE t ADD COLUMN name text CONSTRAINT bad_name UNIQUE',
      [1],
    ],
    [
      'ALTER COLUMN … TYPE char(n)',
      'column.maximum-character-length',
      'postgres',
      'ALTER TABLE t ALTER COLUMN a SET DATA TYPE char(225);\nALTER TABLE t ALTER COLUMN b TYPE character varying(225)',
      [1],
    ],
    [
      'each disallowed call at its line',
      'system.function.disallowed-list',
      'mysql',
      'SELECT RAND(),\n  SLEEP(1)',
      [1, 2],
      { list: ['RAND', 'SLEEP'] },
    ],
    [
      'CREATE SPATIAL INDEX is an index',
      'index.type-allow-list',
      'mysql',
      'CREATE TABLE l (id INT PRIMARY KEY, g GEOMETRY NOT NULL);\nCREATE SPATIAL INDEX sx ON l (g)',
      [2],
      { list: ['BTREE', 'HASH'] },
    ],
    [
      'ALTER COLUMN … TYPE … COLLATE',
      'system.collation.allowlist',
      'postgres',
      'ALTER TABLE t ALTER COLUMN id TYPE text COLLATE "unknown"',
      [1],
      { list: ['C'] },
    ],
    [
      'each added column whose DEFAULT calls a function, at its column',
      'column.default-disallow-volatile',
      'postgres',
      'CREATE TABLE t (id int);\nALTER TABLE t\n  ADD COLUMN a timestamptz DEFAULT now(),\n  ADD COLUMN b uuid DEFAULT gen_random_uuid()',
      [3, 4],
    ],
    [
      'a primary key column of the wrong type at its definition',
      'index.primary-key-type-allowlist',
      'postgres',
      'CREATE TABLE t (\n  a varchar(20),\n  PRIMARY KEY (a)\n)',
      [2],
      { list: ['serial', 'bigserial', 'int', 'bigint'] },
    ],
    [
      'a foreign key added to a table the script created',
      'statement.add-foreign-key-not-valid',
      'postgres',
      'CREATE TABLE r (id int);\nALTER TABLE r ADD CONSTRAINT f FOREIGN KEY (id) REFERENCES t (id)',
      [2],
    ],
    ['DROP PARTITION is not a truncate', 'statement.disallow-truncate', 'mysql', 'ALTER TABLE s DROP PARTITION p1', []],
    [
      'each column of ADD COLUMN (…, …)',
      'column.set-default-for-not-null',
      'mysql',
      'CREATE TABLE book (a int);\nALTER TABLE book ADD COLUMN (b int NOT NULL, c int NOT NULL)',
      [2, 2],
    ],
    [
      'each nullable column of ADD COLUMN (…, …)',
      'column.no-null',
      'mysql',
      'ALTER TABLE book ADD COLUMN (id int, name varchar(255) NOT NULL, note text)',
      [1, 1],
    ],
    [
      'MODIFY … PRIMARY KEY needs no DEFAULT',
      'column.set-default-for-not-null',
      'mysql',
      'ALTER TABLE book MODIFY COLUMN id int PRIMARY KEY;\nALTER TABLE book CHANGE COLUMN uid id int PRIMARY KEY',
      [],
    ],
    [
      'types that take no DEFAULT',
      'column.set-default-for-not-null',
      'mysql',
      'CREATE TABLE t (\n  a serial NOT NULL,\n  b long varchar NOT NULL,\n  c long varbinary NOT NULL,\n  d json NOT NULL,\n  e int NOT NULL\n)',
      [6],
    ],
    [
      'spatial columns take no DEFAULT',
      'column.require-default',
      'mysql',
      'CREATE TABLE t (\n  a point,\n  b multipolygon,\n  c geometrycollection,\n  d int\n)',
      [5],
    ],
    [
      'DROP NOT NULL makes a column nullable',
      'column.no-null',
      'postgres',
      'ALTER TABLE t ALTER COLUMN a SET NOT NULL;\nALTER TABLE t ALTER COLUMN b DROP NOT NULL',
      [2],
    ],
    ['ATTACH PARTITION', 'table.disallow-partition', 'postgres', 'ALTER TABLE t ATTACH PARTITION p1 DEFAULT', [1]],
    [
      'MODIFY COLUMN … PRIMARY KEY defines the key',
      'index.pk-type-limit',
      'mysql',
      'CREATE TABLE t (id int);\nALTER TABLE t MODIFY COLUMN id VARCHAR(5) PRIMARY KEY;\nALTER TABLE t CHANGE COLUMN id id2 INT PRIMARY KEY',
      [2],
    ],
    [
      'a name too long and off the template: two findings',
      'naming.index.idx',
      'mysql',
      `CREATE INDEX ${'x'.repeat(65)} ON t (id, name)`,
      [1, 1],
      { format: '^$|^idx_{{table}}_{{column_list}}$', maxLength: 64 },
    ],
    [
      'a column name too long and off the format: two findings',
      'naming.column',
      'mysql',
      `CREATE TABLE t (id int,\n  ${'A'.repeat(65)} int)`,
      [2, 2],
    ],
    [
      'each column of a key over BLOBs',
      'index.type-no-blob',
      'mysql',
      'CREATE TABLE t (b BLOB, mb MEDIUMBLOB, id INT, INDEX (b(1), mb(2), id))',
      [1, 1],
    ],
  ];
  for (const [what, rule, engine, sql, want, payload] of cases)
    it(`${rule}: ${what} (${engine})`, () => assert.deepEqual(lines(rule, engine, sql, payload), want));
});

describe('Bytebase: what counts, for index and auto-increment rules (MySQL)', () => {
  const cases: Array<[string, string, string, number[], Record<string, unknown>?]> = [
    [
      'a ZEROFILL column is unsigned',
      'column.auto-increment-must-unsigned',
      'CREATE TABLE seq (n INT ZEROFILL AUTO_INCREMENT, PRIMARY KEY (n));\nALTER TABLE seq ADD COLUMN m INT AUTO_INCREMENT',
      [2],
    ],
    [
      'ALTER TABLE … AUTO_INCREMENT = n is checked too',
      'column.auto-increment-initial-value',
      "CREATE TABLE c (id INT AUTO_INCREMENT PRIMARY KEY) AUTO_INCREMENT = 20;\nALTER TABLE c COMMENT = 'counter';\nALTER TABLE c AUTO_INCREMENT = 500",
      [3],
      { number: 20 },
    ],
    [
      'a FULLTEXT index is not counted',
      'index.key-number-limit',
      'CREATE TABLE d (a TEXT, b TEXT, c TEXT, FULLTEXT (a, b, c));\nCREATE FULLTEXT INDEX ft ON d (c, b, a);\nCREATE INDEX ix ON d (a(5), b(5), c(5))',
      [3],
      { number: 2 },
    ],
    [
      'a unique and a plain index on the same column are not duplicates',
      'table.no-duplicate-index',
      'CREATE TABLE u (\n  id INT PRIMARY KEY,\n  email VARCHAR(80),\n  INDEX (email),\n  UNIQUE (email),\n  INDEX (email)\n)',
      [6],
    ],
    [
      'indexes of another method are not duplicates',
      'table.no-duplicate-index',
      'CREATE TABLE u (id INT PRIMARY KEY, code INT);\nCREATE INDEX c1 USING BTREE ON u (code);\nCREATE INDEX c2 USING HASH ON u (code);\nCREATE INDEX c3 USING HASH ON u (code)',
      [4],
    ],
  ];
  for (const [what, rule, sql, want, payload] of cases)
    it(`${rule}: ${what}`, () => assert.deepEqual(lines(rule, 'mysql', sql, payload), want));
});

describe('Bytebase: statement forms of script and naming rules', () => {
  const cases: Array<[string, string, Engine, string, number[]]> = [
    [
      'the table of CREATE TRIGGER … ON, where the statement ends',
      'naming.fully-qualified',
      'postgres',
      'CREATE TRIGGER audit_row\nBEFORE UPDATE ON ledger\nFOR EACH ROW\nEXECUTE FUNCTION public.audit();\nCREATE TRIGGER audit_ok BEFORE UPDATE ON public.ledger FOR EACH ROW EXECUTE FUNCTION public.audit()',
      [4],
    ],
    [
      'a cap set only after the first query does not count',
      'statement.max-execution-time',
      'mysql',
      'SELECT id FROM orders WHERE id = 7;\nSET SESSION max_execution_time = 500',
      [1],
    ],
    [
      'a cap among the SETs the script starts with counts',
      'statement.max-execution-time',
      'mysql',
      'SET NAMES utf8mb4;\nSET SESSION max_execution_time = 500;\nSELECT id FROM orders WHERE id = 7',
      [],
    ],
  ];
  for (const [what, rule, engine, sql, want] of cases)
    it(`${rule}: ${what} (${engine})`, () => assert.deepEqual(lines(rule, engine, sql), want));
});

describe('Bytebase builtin.prior-backup-check', () => {
  const upd = (table: string, n: number): string => `UPDATE ${table} SET qty = ${n} WHERE id = ${n};`;
  const script = (tables: string[]): string => tables.map((t, k) => upd(t, k + 1)).join('\n');
  const cases: Array<[string, Engine, string, number[]]> = [
    [
      'more than five data changes over two tables',
      'postgres',
      script(['stock', 'stock', 'stock', 'stock', 'stock', 'price']),
      [6],
    ],
    ['as many UPDATEs of one table pass', 'mysql', script(Array(7).fill('stock')), []],
    ['five over two tables pass', 'mysql', script(['stock', 'stock', 'stock', 'stock', 'price']), []],
    [
      'a PostgreSQL data change under SET ROLE, at the SET',
      'postgres',
      'SET ROLE app_owner;\nDELETE FROM stock WHERE qty < 0',
      [1],
    ],
    ['SET ROLE alone is no data change', 'postgres', 'SET ROLE app_owner;\nSELECT 1', []],
  ];
  for (const [what, engine, sql, want] of cases)
    it(`${what} (${engine})`, () => assert.deepEqual(lines('builtin.prior-backup-check', engine, sql), want));
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
    // A subquery's own WHERE is checked once, and its select list is not the outer WHERE.
    ["SELECT * FROM t WHERE id IN (SELECT a FROM u WHERE upper(b) = 'X')", 1],
    ['SELECT * FROM t WHERE id IN (SELECT a FROM u WHERE a IN (SELECT c FROM v WHERE abs(d) > 0))', 1],
    ["SELECT * FROM t WHERE a > (SELECT avg(a) FROM u WHERE lower(b) = 'x')", 1],
    ['SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a + 10 > 100)', 1],
    // The outermost call or calculation applied to a column is the finding.
    ['SELECT * FROM t WHERE abs(id + 1) > 5', 1],
    ["SELECT * FROM t WHERE upper(cast(name AS text)) = 'A'", 1],
    ['SELECT * FROM t WHERE -id > -5', 1],
    ['SELECT * FROM t WHERE id ^ 2 > 4', 1],
  ];
  for (const [sql, n] of cases)
    it(`reports ${n} finding(s) for "${sql}"`, () => {
      for (const engine of ['mysql', 'postgres'] as const)
        assert.equal(lines('statement.where.disallow-functions-and-calculations', engine, sql).length, n, engine);
    });
});

describe('Bytebase statement.where.disallow-functions-and-calculations on PostgreSQL: views, joins and MERGE', () => {
  const cases: Array<[string, number, number]> = [
    // [sql, PostgreSQL findings, MySQL findings]
    ["CREATE VIEW v AS SELECT * FROM t WHERE upper(name) = 'x'", 1, 0],
    ['CREATE TABLE n AS SELECT * FROM t WHERE id + 1 > 5', 1, 0],
    ['CREATE MATERIALIZED VIEW m AS SELECT * FROM t WHERE abs(id) > 5', 1, 0],
    ["SELECT * FROM t JOIN u ON upper(t.name) = 'X' WHERE t.id = u.id", 1, 0],
    ['SELECT * FROM t JOIN u ON t.id + 1 = u.id', 1, 0],
    ["MERGE INTO t USING p ON (upper(t.c) = p.title) WHEN MATCHED THEN UPDATE SET note = 'x'", 1, 0],
    ["MERGE INTO t USING p ON (t.id = p.id) WHEN MATCHED AND t.amount * 2 > 100 THEN UPDATE SET note = 'x'", 1, 0],
    ['MERGE INTO t USING (SELECT * FROM p WHERE abs(price) > 100) q ON (t.id = q.id) WHEN MATCHED THEN DELETE', 1, 0],
    ['SELECT DISTINCT ON (lower(a)) a FROM t WHERE id = 1', 0, 0],
    ['SELECT * FROM t JOIN u ON t.id = u.id WHERE t.a = 1', 0, 0],
    ['CREATE INDEX i ON t (lower(a)) WHERE abs(b) > 0', 0, 0],
    // Only a join's ON is a condition: not ON CONFLICT (ON CONSTRAINT), not ON COMMIT.
    ['INSERT INTO t (a) VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO UPDATE SET a = t.a + 1', 0, 0],
    ['CREATE TEMP TABLE x ON COMMIT DROP AS SELECT * FROM t WHERE abs(a) > 1', 1, 0],
    ['INSERT INTO t SELECT a.id FROM a CROSS JOIN b ON CONFLICT (id) DO UPDATE SET n = t.n + 1', 0, 0],
    ['SELECT * FROM t JOIN u ON t.id + 1 = u.id JOIN v USING (id) JOIN w ON lower(w.a) = u.b', 2, 0],
  ];
  for (const [sql, pg, my] of cases)
    it(`reports ${pg} finding(s) on PostgreSQL for "${sql}"`, () => {
      assert.equal(lines('statement.where.disallow-functions-and-calculations', 'postgres', sql).length, pg);
      assert.equal(lines('statement.where.disallow-functions-and-calculations', 'mysql', sql).length, my);
    });
});

describe('Bytebase script state: counted per table over the script', () => {
  const need = { list: ['id', 'creator_id', 'updater_id'] };
  const cases: Array<[string, string, string, number[], Record<string, unknown>]> = [
    [
      'a created table lacking a required column, at the line its statement ends',
      'column.required',
      'CREATE TABLE book (\n  id int,\n  creator_id int\n);\nCREATE TABLE ok (id int, creator_id int, updater_id int)',
      [4],
      need,
    ],
    [
      'a column added later completes the table',
      'column.required',
      'CREATE TABLE book (id int, creator_id int);\nALTER TABLE book ADD COLUMN updater_id int',
      [],
      need,
    ],
    [
      'a column renamed into place completes the table',
      'column.required',
      'CREATE TABLE book (id int, creator_id int, updater int);\nALTER TABLE book RENAME COLUMN updater TO updater_id',
      [],
      need,
    ],
    [
      'a required column renamed away is flagged at the rename',
      'column.required',
      'CREATE TABLE book (id int, creator_id int, updater_id int);\nSELECT 1;\nALTER TABLE book CHANGE COLUMN updater_id updater int',
      [3],
      need,
    ],
    [
      'a required column dropped from a live table and added back',
      'column.required',
      'ALTER TABLE book DROP COLUMN creator_id;\nALTER TABLE book ADD COLUMN creator_id int',
      [],
      need,
    ],
    [
      'a table dropped later is not checked',
      'column.required',
      'CREATE TABLE book (id int);\nDROP TABLE book',
      [],
      need,
    ],
    [
      'ON UPDATE columns added by two statements',
      'column.current-time-count-limit',
      'ALTER TABLE b ADD COLUMN x timestamp DEFAULT now() ON UPDATE now();\nALTER TABLE b ADD COLUMN y timestamp DEFAULT now() ON UPDATE now()',
      [2],
      {},
    ],
    [
      'three current-time defaults, at the line of the last one',
      'column.current-time-count-limit',
      'CREATE TABLE t (\n  a timestamp DEFAULT now(),\n  b timestamp DEFAULT current_timestamp(),\n  c timestamp DEFAULT now()\n)',
      [4],
      {},
    ],
    [
      'two ON UPDATE columns in a longer CREATE TABLE, at the second',
      'column.current-time-count-limit',
      'CREATE TABLE t (\n  id int,\n  a timestamp DEFAULT now() ON UPDATE now(),\n  b timestamp DEFAULT now() ON UPDATE now(),\n  note text\n)',
      [4],
      {},
    ],
  ];
  for (const [what, rule, sql, want, payload] of cases)
    it(`${rule}: ${what}`, () => assert.deepEqual(lines(rule, 'mysql', sql, payload), want));
  it('column.required follows the script on PostgreSQL too', () =>
    assert.deepEqual(
      lines(
        'column.required',
        'postgres',
        'CREATE TABLE b (id int);\nALTER TABLE b ADD COLUMN creator_id int, ADD COLUMN updater_id int',
        need,
      ),
      [],
    ));
});

describe('Bytebase statement.check-set-role-variable', () => {
  const cases: Array<[string, number[]]> = [
    ['SET SESSION ROLE joe;\nSELECT * FROM t', []],
    ['SET LOCAL ROLE joe;\nSELECT 1', []],
    ['SET search_path = app;\nSET ROLE owner;\nCREATE TABLE t (id int)', []],
    ['INSERT INTO t (id) VALUES (1)', [1]],
  ];
  for (const [sql, want] of cases)
    it(`"${sql}"`, () => assert.deepEqual(lines('statement.check-set-role-variable', 'postgres', sql), want));
});
