// Every static rule, for each engine it applies to: statements it must flag and statements it must not.
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { reviewScript, listRules, type Payload } from '../../../src/review/index.js';
import type { Engine } from '../../../src/domain/engine.js';

interface Case {
  rule: string;
  engines: Engine[];
  payload?: Payload;
  /** The PostgreSQL major version the script is for (version-aware rules). */
  pgVersion?: number;
  flag: string[];
  pass: string[];
}

const M: Engine[] = ['mysql'];
const P: Engine[] = ['postgres'];
const MP: Engine[] = ['mysql', 'postgres'];

const cases: Case[] = [
  {
    rule: 'engine.mysql.use-innodb',
    engines: M,
    flag: [
      'CREATE TABLE t (id int PRIMARY KEY) ENGINE=MyISAM',
      'ALTER TABLE t ENGINE = MEMORY',
      'SET default_storage_engine = MyISAM',
    ],
    pass: ['CREATE TABLE t (id int PRIMARY KEY) ENGINE=InnoDB', 'CREATE TABLE t (id int PRIMARY KEY)'],
  },
  {
    rule: 'naming.fully-qualified',
    engines: P,
    flag: [
      'CREATE TABLE t (id int)',
      'SELECT a FROM t WHERE a = 1',
      'UPDATE t SET a = 1 WHERE b = 2',
      'DROP TABLE t',
      'CREATE INDEX i ON t (a)',
      'ALTER TABLE IF EXISTS ONLY t ADD COLUMN a int',
      'SELECT a FROM public.t JOIN u ON u.id = t.id',
      'SELECT a FROM public.t WHERE a IN (SELECT b FROM u)',
      'INSERT INTO public.t SELECT * FROM u',
      'WITH x AS (SELECT 1 FROM u) SELECT * FROM x',
      'SELECT coalesce((SELECT max(b) FROM u), 0) FROM public.t',
      "SELECT CAST((SELECT b FROM u LIMIT 1) AS int), 'x' || a FROM public.t WHERE a = 1",
      'UPDATE public.t SET a = 1 FROM u WHERE u.id = t.id',
      'INSERT INTO public.t VALUES ((SELECT 1 FROM u))',
      'SELECT a FROM public.t UNION SELECT b FROM u',
      'INSERT INTO public.t TABLE u',
    ],
    pass: [
      'CREATE TABLE public.t (id int)',
      'SELECT a FROM public.t WHERE a = 1',
      'WITH x AS (SELECT 1 AS a) SELECT a FROM x',
      'SELECT extract(year FROM ts), substring(a FROM 2) FROM public.t',
      'SELECT * FROM generate_series(1, 3)',
      'DELETE FROM public.t USING public.u WHERE t.id = u.id',
      'DROP INDEX i',
    ],
  },
  {
    rule: 'naming.table',
    engines: M,
    flag: ['CREATE TABLE UserInfo (id int)', 'ALTER TABLE t RENAME TO BadName', 'RENAME TABLE a TO BadName'],
    pass: ['CREATE TABLE user_info (id int)'],
  },
  {
    rule: 'naming.table',
    engines: P,
    flag: ['CREATE TABLE "UserInfo" (id int)', 'ALTER TABLE t RENAME TO "BadName"'],
    pass: ['CREATE TABLE user_info (id int)', 'CREATE TABLE UserInfo (id int)'],
  },
  {
    rule: 'naming.table',
    engines: MP,
    payload: { format: '^[a-z_]+$', maxLength: 5 },
    flag: ['CREATE TABLE too_long (id int)'],
    pass: ['CREATE TABLE short (id int)'],
  },
  {
    rule: 'naming.column',
    engines: M,
    flag: [
      'CREATE TABLE t (userId int)',
      'ALTER TABLE t ADD COLUMN BadCol int',
      'ALTER TABLE t RENAME COLUMN a TO BadCol',
      'ALTER TABLE t CHANGE a BadCol int',
    ],
    pass: ['CREATE TABLE t (user_id int)', 'ALTER TABLE t ADD COLUMN good_col int'],
  },
  {
    rule: 'naming.column',
    engines: P,
    flag: [
      'CREATE TABLE t ("userId" int)',
      'ALTER TABLE t ADD COLUMN "BadCol" int',
      'ALTER TABLE t RENAME COLUMN a TO "BadCol"',
    ],
    pass: ['CREATE TABLE t (user_id int)', 'CREATE TABLE t (userId int)'],
  },
  {
    rule: 'naming.index.pk',
    engines: P,
    flag: [
      'CREATE TABLE t (id int, CONSTRAINT t_primary PRIMARY KEY (id))',
      'ALTER TABLE t ADD CONSTRAINT pk_t PRIMARY KEY USING INDEX i',
    ],
    pass: [
      'CREATE TABLE t (id int, CONSTRAINT pk_t_id PRIMARY KEY (id))',
      'CREATE TABLE t (id int PRIMARY KEY)',
      'ALTER TABLE t ADD CONSTRAINT pk_t_id_name PRIMARY KEY USING INDEX i',
    ],
  },
  {
    rule: 'naming.index.uk',
    engines: MP,
    flag: ['CREATE UNIQUE INDEX u1 ON t (a)', 'ALTER TABLE t ADD CONSTRAINT u2 UNIQUE (a, b)'],
    pass: ['CREATE UNIQUE INDEX uk_t_a ON t (a)', 'ALTER TABLE t ADD CONSTRAINT uk_t_a_b UNIQUE (a, b)'],
  },
  {
    rule: 'naming.index.fk',
    engines: MP,
    flag: ['ALTER TABLE t ADD CONSTRAINT t_u FOREIGN KEY (u_id) REFERENCES u (id)'],
    pass: ['ALTER TABLE t ADD CONSTRAINT fk_t_u_id_u_id FOREIGN KEY (u_id) REFERENCES u (id)'],
  },
  {
    rule: 'naming.index.idx',
    engines: MP,
    flag: ['CREATE INDEX i ON t (a, b)'],
    pass: ['CREATE INDEX idx_t_a_b ON t (a, b)'],
  },
  {
    rule: 'naming.index.idx',
    engines: MP,
    payload: { format: '^ix_{{table}}_{{column_list}}$', maxLength: 64 },
    flag: ['CREATE INDEX idx_t_a ON t (a)'],
    pass: ['CREATE INDEX ix_t_a ON t (a)'],
  },
  {
    rule: 'naming.index.idx',
    engines: M,
    flag: ['CREATE TABLE t (id int PRIMARY KEY, a int, KEY k_a (a))'],
    pass: ['CREATE TABLE t (id int PRIMARY KEY, a int, KEY idx_t_a (a))'],
  },
  {
    rule: 'naming.column.auto-increment',
    engines: M,
    flag: ['CREATE TABLE t (pk int AUTO_INCREMENT PRIMARY KEY)'],
    pass: ['CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY)'],
  },
  {
    rule: 'naming.identifier.no-keyword',
    engines: M,
    flag: ['CREATE TABLE `order` (id int)', 'CREATE TABLE t (`select` int)'],
    pass: ['CREATE TABLE orders (id int)'],
  },
  {
    rule: 'statement.select.no-select-all',
    engines: MP,
    flag: [
      'SELECT * FROM t',
      'SELECT t.* FROM t',
      'INSERT INTO a (x) SELECT * FROM b',
      'SELECT\n*\nFROM t',
      'SELECT count(*), * FROM t',
    ],
    pass: ['SELECT a, b FROM t', 'SELECT count(*) FROM t', 'SELECT count( * ) FROM t', 'SELECT a * b FROM t'],
  },
  {
    rule: 'statement.where.require.select',
    engines: MP,
    flag: ['SELECT a FROM t'],
    pass: ['SELECT a FROM t WHERE id = 1', 'SELECT 1'],
  },
  {
    rule: 'statement.where.require.select',
    engines: P,
    flag: [
      'SELECT a FROM t UNION SELECT b FROM u WHERE b = 1',
      'WITH x AS (SELECT a FROM t) SELECT a FROM x WHERE a = 1',
      'SELECT a FROM t WHERE a IN (SELECT b FROM u)',
      'SELECT * FROM generate_series(1, 3)',
    ],
    pass: [
      'SELECT a IS DISTINCT FROM b',
      "SELECT substring('abc' FROM 2)",
      'SELECT a FROM t WHERE a IN (SELECT b FROM u WHERE b > 1)',
      'WITH x AS (SELECT a FROM t WHERE a > 0) SELECT a FROM x WHERE a = 1',
    ],
  },
  {
    rule: 'statement.where.require.update-delete',
    engines: MP,
    flag: ['UPDATE t SET a = 1', 'DELETE FROM t', 'UPDATE t SET a = (SELECT b FROM u WHERE u.id = 1)'],
    pass: ['UPDATE t SET a = 1 WHERE id = 1', 'DELETE FROM t WHERE id = 1'],
  },
  {
    rule: 'statement.where.no-leading-wildcard-like',
    engines: MP,
    flag: ["SELECT a FROM t WHERE a LIKE '%x'", "DELETE FROM t WHERE a LIKE '%x%'"],
    pass: ["SELECT a FROM t WHERE a LIKE 'x%'"],
  },
  {
    rule: 'statement.where.no-leading-wildcard-like',
    engines: P,
    flag: ["SELECT a FROM t WHERE a ILIKE '%x'"],
    pass: ["SELECT a FROM t WHERE a ILIKE 'x%'"],
  },
  {
    rule: 'statement.disallow-on-del-cascade',
    engines: P,
    flag: [
      'CREATE TABLE t (id int, u_id int REFERENCES u (id) ON DELETE CASCADE)',
      'ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) ON DELETE CASCADE',
    ],
    pass: ['ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) ON DELETE RESTRICT'],
  },
  {
    rule: 'statement.disallow-rm-tbl-cascade',
    engines: P,
    flag: ['DROP TABLE t CASCADE', 'drop table t cascade', 'TRUNCATE a, b Cascade'],
    pass: ['DROP TABLE t', 'DROP TABLE t RESTRICT'],
  },
  { rule: 'statement.disallow-commit', engines: MP, flag: ['COMMIT'], pass: ['BEGIN', 'ROLLBACK'] },
  {
    rule: 'statement.disallow-limit',
    engines: M,
    flag: ['UPDATE t SET a = 1 WHERE b = 2 LIMIT 10', 'DELETE FROM t WHERE b = 2 LIMIT 10'],
    pass: ['UPDATE t SET a = 1 WHERE b = 2', 'SELECT a FROM t WHERE b = 2 LIMIT 10'],
  },
  {
    rule: 'statement.disallow-order-by',
    engines: M,
    flag: ['UPDATE t SET a = 1 WHERE b = 2 ORDER BY c', 'DELETE FROM t WHERE b = 2 ORDER BY c'],
    pass: ['SELECT a FROM t WHERE b = 2 ORDER BY c', 'UPDATE t SET a = 1 WHERE b = 2'],
  },
  {
    rule: 'statement.merge-alter-table',
    engines: MP,
    flag: [
      'ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ADD COLUMN b int',
      'CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN b int',
    ],
    pass: [
      'ALTER TABLE t ADD COLUMN a int, ADD COLUMN b int',
      'ALTER TABLE t ADD COLUMN a int; ALTER TABLE u ADD COLUMN a int',
    ],
  },
  {
    rule: 'statement.merge-alter-table',
    engines: P,
    flag: [
      'CREATE TABLE t AS SELECT 1 AS a; ALTER TABLE t ADD COLUMN b int',
      'ALTER TABLE s.t ADD COLUMN a int; ALTER TABLE t RENAME COLUMN a TO b',
      'ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE t ADD COLUMN c int',
    ],
    pass: [
      'CREATE TABLE t (id int); CREATE INDEX i ON t (id); ALTER INDEX i RENAME TO j',
      'CREATE MATERIALIZED VIEW t AS SELECT 1 AS a; ALTER TABLE u ADD COLUMN b int',
      'ALTER TABLE t ADD COLUMN a int; DROP TABLE t; CREATE TABLE t (id int)',
    ],
  },
  {
    rule: 'statement.insert.row-limit',
    engines: MP,
    payload: { number: 2 },
    flag: ['INSERT INTO t (a) VALUES (1), (2), (3)', 'INSERT INTO t VALUES (1), (2), (3)'],
    pass: ['INSERT INTO t (a) VALUES (1), (2)', 'INSERT INTO t VALUES (1), (2)'],
  },
  {
    rule: 'statement.insert.must-specify-column',
    engines: MP,
    flag: ['INSERT INTO t VALUES (1, 2)', 'INSERT INTO t SELECT a, b FROM u WHERE a = 1'],
    pass: ['INSERT INTO t (a, b) VALUES (1, 2)', 'INSERT INTO t (a) SELECT a FROM u WHERE a = 1'],
  },
  { rule: 'statement.insert.must-specify-column', engines: M, flag: [], pass: ['INSERT INTO t SET a = 1'] },
  {
    rule: 'statement.insert.must-specify-column',
    engines: P,
    flag: [
      'INSERT INTO t DEFAULT VALUES',
      'INSERT INTO t (SELECT a FROM u)',
      'WITH x AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM x',
    ],
    pass: ['INSERT INTO t AS x (a) VALUES (1)', 'WITH x AS (SELECT 1 AS a) INSERT INTO t (a) SELECT a FROM x'],
  },
  {
    rule: 'statement.where.require.update-delete',
    engines: P,
    flag: ['WITH x AS (SELECT 1 AS a) DELETE FROM t', 'DELETE FROM t RETURNING (SELECT 1 WHERE true)'],
    pass: [
      'UPDATE t SET a = 1 WHERE CURRENT OF c',
      'WITH x AS (SELECT 1 AS a) UPDATE t SET a = 1 WHERE a IN (SELECT a FROM x)',
    ],
  },
  {
    rule: 'statement.where.no-leading-wildcard-like',
    engines: P,
    flag: ['SELECT a FROM t WHERE a LIKE $$%x$$', "SELECT a FROM t WHERE a ILIKE E'%x'"],
    pass: ["SELECT a FROM t WHERE a LIKE 'x%' AND b = '50%'"],
  },
  {
    rule: 'statement.insert.disallow-order-by-rand',
    engines: M,
    flag: ['INSERT INTO t (a) SELECT a FROM u WHERE a > 1 ORDER BY RAND()'],
    pass: ['INSERT INTO t (a) SELECT a FROM u WHERE a > 1 ORDER BY a'],
  },
  {
    rule: 'statement.insert.disallow-order-by-rand',
    engines: P,
    flag: ['INSERT INTO t (a) SELECT a FROM u WHERE a > 1 ORDER BY random()'],
    pass: ['INSERT INTO t (a) SELECT a FROM u WHERE a > 1 ORDER BY a'],
  },
  {
    rule: 'statement.disallow-add-column-with-default',
    engines: P,
    flag: ['ALTER TABLE t ADD COLUMN a int DEFAULT 0'],
    pass: ['ALTER TABLE t ADD COLUMN a int'],
  },
  {
    rule: 'statement.add-check-not-valid',
    engines: P,
    flag: ['ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)'],
    pass: ['ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID'],
  },
  {
    rule: 'statement.add-foreign-key-not-valid',
    engines: P,
    // As Bytebase: also on a table the same script created.
    flag: [
      'ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id)',
      'CREATE TABLE t (id int, a int); ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id)',
    ],
    pass: ['ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID'],
  },
  {
    rule: 'statement.disallow-add-not-null',
    engines: P,
    flag: ['ALTER TABLE t ALTER COLUMN a SET NOT NULL'],
    pass: ['ALTER TABLE t ALTER COLUMN a DROP NOT NULL'],
  },
  {
    rule: 'statement.create-specify-schema',
    engines: P,
    flag: ['CREATE TABLE t (id int)', 'CREATE VIEW v AS SELECT 1'],
    pass: ['CREATE TABLE s.t (id int)', 'CREATE TEMPORARY TABLE t (id int)'],
  },
  {
    rule: 'statement.check-set-role-variable',
    engines: P,
    flag: ['CREATE TABLE s.t (id int)'],
    pass: ['SET ROLE owner; CREATE TABLE s.t (id int)'],
  },
  {
    rule: 'statement.where.no-equal-null',
    engines: M,
    flag: ['SELECT a FROM t WHERE a = NULL', 'UPDATE t SET a = 1 WHERE b != NULL'],
    pass: ['SELECT a FROM t WHERE a IS NULL', 'UPDATE t SET a = NULL WHERE b = 1'],
  },
  {
    rule: 'statement.where.disallow-functions-and-calculations',
    engines: MP,
    flag: [
      "SELECT a FROM t WHERE lower(name) = 'x'",
      'SELECT a FROM t WHERE a + 1 = 2',
      "SELECT a FROM t WHERE lower (name) = 'x'",
      'SELECT a FROM t WHERE s.f(a) = 1',
      "DELETE FROM t WHERE b = 'it''s' AND abs(a) = 1",
      'UPDATE t SET a = 1 WHERE id IN (SELECT b FROM u WHERE abs(c) > 1)',
      "SELECT a FROM t WHERE a || 'x' = 'y'",
      'SELECT a FROM t WHERE a * 2 = 4',
    ],
    pass: [
      'SELECT a FROM t WHERE a = 2 AND b IN (1, 2)',
      'SELECT a FROM t WHERE a > -1',
      "SELECT a FROM t WHERE b = '1+1' AND c NOT IN (2) AND d > '2024-01-01'",
      'SELECT lower(a), a + 1 FROM t WHERE id = 1',
      'UPDATE t SET a = 1 WHERE id IN (SELECT max(b) FROM u)',
    ],
  },
  {
    rule: 'statement.where.maximum-logical-operator-count',
    engines: M,
    payload: { number: 3 },
    flag: [
      'SELECT a FROM t WHERE a IN (1, 2, 3, 4)',
      'SELECT a FROM t WHERE a = 1 OR a = 2 OR a = 3 OR a = 4 OR a = 5',
    ],
    pass: ['SELECT a FROM t WHERE a IN (1, 2, 3)', 'SELECT a FROM t WHERE a = 1 OR a = 2'],
  },
  {
    rule: 'statement.maximum-statements-in-transaction',
    engines: M,
    payload: { number: 2 },
    flag: ['INSERT INTO t (a) VALUES (1); INSERT INTO t (a) VALUES (2); INSERT INTO t (a) VALUES (3)'],
    pass: ['INSERT INTO t (a) VALUES (1); INSERT INTO t (a) VALUES (2); COMMIT; INSERT INTO t (a) VALUES (3)'],
  },
  {
    rule: 'statement.non-transactional',
    engines: P,
    flag: [
      'CREATE INDEX CONCURRENTLY i ON t (a)',
      'VACUUM t',
      'vacuum full t',
      'CREATE DATABASE d',
      'DROP DATABASE d',
      "Create Tablespace ts Location '/x'",
      'ALTER SYSTEM SET work_mem = 1',
      'REINDEX INDEX CONCURRENTLY i',
      'DROP INDEX CONCURRENTLY i',
      "ALTER TYPE e ADD VALUE 'x'",
    ],
    pass: [
      'CREATE INDEX i ON t (a)',
      'ALTER TABLE t ADD COLUMN a int',
      'ALTER DATABASE d SET work_mem = 1',
      'CREATE TABLE values_x (a int)',
    ],
  },
  {
    rule: 'statement.max-execution-time',
    engines: M,
    flag: ['SELECT a FROM t WHERE id = 1'],
    pass: [
      'SET SESSION max_execution_time = 1000; SELECT a FROM t WHERE id = 1',
      'SET SESSION max_statement_time = 1; SELECT a FROM t WHERE id = 1',
    ],
  },
  {
    rule: 'statement.require-algorithm-option',
    engines: M,
    flag: ['ALTER TABLE t ADD COLUMN a int, LOCK=NONE'],
    pass: ['ALTER TABLE t ADD COLUMN a int, ALGORITHM=INSTANT'],
  },
  {
    rule: 'statement.require-lock-option',
    engines: M,
    flag: ['ALTER TABLE t ADD COLUMN a int, ALGORITHM=INPLACE'],
    pass: ['ALTER TABLE t ADD COLUMN a int, ALGORITHM=INPLACE, LOCK=NONE'],
  },
  {
    rule: 'statement.disallow-truncate',
    engines: MP,
    flag: ['TRUNCATE TABLE t', 'TRUNCATE t'],
    pass: ['DELETE FROM t WHERE id = 1'],
  },
  {
    rule: 'statement.disallow-truncate',
    engines: M,
    flag: ['ALTER TABLE t TRUNCATE PARTITION p0', 'ALTER TABLE t TRUNCATE PARTITION p0, p1'],
    pass: ['ALTER TABLE t DROP COLUMN a', 'ALTER TABLE t ADD COLUMN truncated int'],
  },
  {
    rule: 'table.require-pk',
    engines: MP,
    flag: ['CREATE TABLE t (a int)', 'CREATE TABLE t (id int, a int, UNIQUE (a))'],
    pass: [
      'CREATE TABLE t (id int PRIMARY KEY)',
      'CREATE TABLE t (id int, PRIMARY KEY (id))',
      'CREATE TABLE t AS SELECT 1 AS a',
      'CREATE TABLE t (id int NOT NULL); ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (id)',
    ],
  },
  {
    rule: 'table.require-pk',
    engines: M,
    flag: ['ALTER TABLE t DROP PRIMARY KEY'],
    pass: ['ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)'],
  },
  {
    rule: 'table.no-foreign-key',
    engines: MP,
    flag: [
      'CREATE TABLE t (id int PRIMARY KEY, u int, FOREIGN KEY (u) REFERENCES u (id))',
      'ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id)',
    ],
    pass: ['CREATE TABLE t (id int PRIMARY KEY, u int)'],
  },
  // MySQL parses and ignores an inline column REFERENCES (no key is created); PostgreSQL creates one.
  {
    rule: 'table.no-foreign-key',
    engines: P,
    flag: ['CREATE TABLE t (id int PRIMARY KEY, u int REFERENCES u (id))'],
    pass: [],
  },
  {
    rule: 'table.no-foreign-key',
    engines: M,
    flag: [],
    pass: ['CREATE TABLE t (id int PRIMARY KEY, u int REFERENCES u (id))'],
  },
  { rule: 'table.drop-naming-convention', engines: MP, flag: ['DROP TABLE users'], pass: ['DROP TABLE users_del'] },
  {
    rule: 'table.drop-naming-convention',
    engines: MP,
    payload: { format: '^old_' },
    flag: ['DROP TABLE users_del'],
    pass: ['DROP TABLE old_users'],
  },
  {
    rule: 'table.comment',
    engines: M,
    payload: { required: true, maxLength: 10 },
    flag: ['CREATE TABLE t (id int)', "CREATE TABLE t (id int) COMMENT 'this comment is too long'"],
    pass: ["CREATE TABLE t (id int) COMMENT='users'"],
  },
  {
    rule: 'table.comment',
    engines: P,
    payload: { required: true, maxLength: 10 },
    flag: ['CREATE TABLE t (id int)', "CREATE TABLE t (id int); COMMENT ON TABLE t IS 'this comment is too long'"],
    pass: ["CREATE TABLE t (id int); COMMENT ON TABLE t IS 'users'"],
  },
  {
    rule: 'table.disallow-partition',
    engines: MP,
    flag: ['CREATE TABLE t (id int) PARTITION BY HASH (id)'],
    pass: ['CREATE TABLE t (id int)'],
  },
  {
    rule: 'table.disallow-trigger',
    engines: M,
    flag: ['CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1'],
    pass: ['CREATE TABLE t (id int)'],
  },
  {
    rule: 'table.no-duplicate-index',
    engines: M,
    flag: [
      'CREATE TABLE t (id int PRIMARY KEY, a int, KEY i1 (a), KEY i2 (a))',
      'CREATE INDEX i1 ON t (a); CREATE INDEX i2 ON t (a)',
    ],
    pass: ['CREATE TABLE t (id int PRIMARY KEY, a int, b int, KEY i1 (a), KEY i2 (a, b))'],
  },
  {
    rule: 'table.text-fields-total-length',
    engines: M,
    payload: { number: 100 },
    flag: ['CREATE TABLE t (a varchar(60), b varchar(60))', 'CREATE TABLE t (a text)'],
    pass: ['CREATE TABLE t (a varchar(50), b char(50))'],
  },
  {
    rule: 'table.disallow-set-charset',
    engines: M,
    flag: ['CREATE TABLE t (id int) DEFAULT CHARSET=utf8mb4', 'ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4'],
    pass: ['CREATE TABLE t (id int)'],
  },
  {
    rule: 'table.disallow-ddl',
    engines: M,
    payload: { list: ['payments'] },
    flag: ['ALTER TABLE payments ADD COLUMN a int', 'DROP TABLE payments'],
    pass: ['ALTER TABLE orders ADD COLUMN a int'],
  },
  {
    rule: 'table.disallow-dml',
    engines: M,
    payload: { list: ['payments'] },
    flag: ['UPDATE payments SET a = 1 WHERE id = 1', 'INSERT INTO payments (a) VALUES (1)'],
    pass: ['UPDATE orders SET a = 1 WHERE id = 1'],
  },
  {
    rule: 'table.require-charset',
    engines: M,
    flag: ['CREATE TABLE t (id int)'],
    pass: ['CREATE TABLE t (id int) DEFAULT CHARSET=utf8mb4', 'CREATE TABLE t (id int) CHARACTER SET = utf8mb4'],
  },
  {
    rule: 'table.require-collation',
    engines: M,
    flag: ['CREATE TABLE t (id int)'],
    pass: ['CREATE TABLE t (id int) COLLATE=utf8mb4_bin'],
  },
  {
    rule: 'column.required',
    engines: MP,
    payload: { list: ['id', 'created_ts'] },
    flag: ['CREATE TABLE t (id int)', 'ALTER TABLE t DROP COLUMN created_ts'],
    pass: ['CREATE TABLE t (id int, created_ts int)'],
  },
  {
    rule: 'column.no-null',
    engines: MP,
    flag: ['CREATE TABLE t (id int PRIMARY KEY, a int)', 'ALTER TABLE t ADD COLUMN a int NULL'],
    pass: [
      'CREATE TABLE t (id int PRIMARY KEY, a int NOT NULL)',
      'CREATE TABLE t (id int, a int NOT NULL, PRIMARY KEY (id))',
    ],
  },
  {
    rule: 'column.disallow-change-type',
    engines: P,
    flag: ['ALTER TABLE t ALTER COLUMN a TYPE bigint', 'ALTER TABLE t ALTER COLUMN a SET DATA TYPE text'],
    pass: ['ALTER TABLE t ALTER COLUMN a SET DEFAULT 1'],
  },
  {
    rule: 'column.disallow-change-type',
    engines: M,
    flag: ['CREATE TABLE t (a int); ALTER TABLE t MODIFY COLUMN a bigint'],
    pass: ['CREATE TABLE t (a int); ALTER TABLE t MODIFY COLUMN a int NOT NULL'],
  },
  {
    rule: 'column.set-default-for-not-null',
    engines: M,
    flag: ['CREATE TABLE t (id int PRIMARY KEY, a int NOT NULL)'],
    pass: ['CREATE TABLE t (id int PRIMARY KEY, a int NOT NULL DEFAULT 0, b text NOT NULL)'],
  },
  {
    rule: 'column.disallow-change',
    engines: M,
    flag: ['ALTER TABLE t CHANGE COLUMN a b int'],
    pass: ['ALTER TABLE t RENAME COLUMN a TO b'],
  },
  {
    rule: 'column.disallow-changing-order',
    engines: M,
    flag: ['ALTER TABLE t MODIFY COLUMN a int FIRST', 'ALTER TABLE t CHANGE a b int AFTER c'],
    pass: ['ALTER TABLE t MODIFY COLUMN a int', 'ALTER TABLE t ADD COLUMN a int AFTER c'],
  },
  {
    rule: 'column.disallow-drop-in-index',
    engines: M,
    flag: ['CREATE TABLE t (id int PRIMARY KEY, a int, KEY idx_t_a (a)); ALTER TABLE t DROP COLUMN a'],
    pass: ['CREATE TABLE t (id int PRIMARY KEY, a int, b int, KEY idx_t_a (a)); ALTER TABLE t DROP COLUMN b'],
  },
  {
    rule: 'column.comment',
    engines: M,
    payload: { required: true, maxLength: 10 },
    flag: ['CREATE TABLE t (a int)', "CREATE TABLE t (a int COMMENT 'much too long comment')"],
    pass: ["CREATE TABLE t (a int COMMENT 'short')"],
  },
  {
    rule: 'column.comment',
    engines: P,
    payload: { required: true, maxLength: 10 },
    flag: ['CREATE TABLE t (a int)'],
    pass: ["CREATE TABLE t (a int); COMMENT ON COLUMN t.a IS 'short'"],
  },
  {
    rule: 'column.comment',
    engines: MP,
    payload: { required: false, maxLength: 10 },
    flag: [],
    pass: ['CREATE TABLE t (a int)'],
  },
  {
    rule: 'column.auto-increment-must-integer',
    engines: M,
    flag: ['CREATE TABLE t (id varchar(10) AUTO_INCREMENT PRIMARY KEY)'],
    pass: ['CREATE TABLE t (id bigint AUTO_INCREMENT PRIMARY KEY)'],
  },
  {
    rule: 'column.type-disallow-list',
    engines: MP,
    payload: { list: ['JSON', 'BLOB'] },
    flag: ['CREATE TABLE t (a json)', 'ALTER TABLE t ADD COLUMN b blob'],
    pass: ['CREATE TABLE t (a text)'],
  },
  {
    rule: 'column.type-disallow-list',
    engines: P,
    payload: { list: ['JSON'] },
    flag: ['ALTER TABLE t ALTER COLUMN a TYPE json'],
    pass: ['ALTER TABLE t ALTER COLUMN a TYPE jsonb'],
  },
  {
    rule: 'column.disallow-set-charset',
    engines: M,
    flag: ['CREATE TABLE t (a varchar(10) CHARACTER SET latin1)'],
    pass: ['CREATE TABLE t (a varchar(10))'],
  },
  {
    rule: 'column.maximum-character-length',
    engines: MP,
    payload: { number: 20 },
    flag: ['CREATE TABLE t (a char(21))'],
    pass: ['CREATE TABLE t (a char(20), b varchar(500))'],
  },
  {
    rule: 'column.maximum-varchar-length',
    engines: M,
    payload: { number: 100 },
    flag: ['CREATE TABLE t (a varchar(101))'],
    pass: ['CREATE TABLE t (a varchar(100))'],
  },
  {
    rule: 'column.auto-increment-initial-value',
    engines: M,
    payload: { number: 1 },
    flag: ['CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY) AUTO_INCREMENT=100'],
    pass: [
      'CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY) AUTO_INCREMENT=1',
      'CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY)',
    ],
  },
  {
    rule: 'column.auto-increment-must-unsigned',
    engines: M,
    flag: ['CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY)'],
    pass: ['CREATE TABLE t (id int unsigned AUTO_INCREMENT PRIMARY KEY)'],
  },
  {
    rule: 'column.current-time-count-limit',
    engines: M,
    flag: [
      'CREATE TABLE t (a timestamp DEFAULT CURRENT_TIMESTAMP, b timestamp DEFAULT NOW(), c timestamp DEFAULT CURRENT_TIMESTAMP)',
      'CREATE TABLE t (a timestamp ON UPDATE CURRENT_TIMESTAMP, b timestamp ON UPDATE CURRENT_TIMESTAMP)',
    ],
    pass: [
      'CREATE TABLE t (a timestamp DEFAULT CURRENT_TIMESTAMP, b timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)',
    ],
  },
  {
    rule: 'column.require-default',
    engines: MP,
    flag: ['CREATE TABLE t (id int PRIMARY KEY, a int)'],
    pass: ['CREATE TABLE t (id serial PRIMARY KEY, a int DEFAULT 0)'],
  },
  {
    rule: 'column.require-default',
    engines: M,
    flag: [],
    pass: ['CREATE TABLE t (id int PRIMARY KEY, a int DEFAULT 0)'],
  },
  {
    rule: 'column.require-default',
    engines: P,
    flag: ['CREATE TABLE t (id int PRIMARY KEY, a int DEFAULT 0)'],
    pass: ['CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a int DEFAULT 0)'],
  },
  {
    rule: 'column.require-default',
    engines: M,
    flag: [],
    pass: ['CREATE TABLE t (id int PRIMARY KEY, a text, b json)'],
  },
  {
    rule: 'column.default-disallow-volatile',
    engines: P,
    // As Bytebase: any function call in the DEFAULT of an added column (it cannot tell stable from volatile).
    flag: [
      'ALTER TABLE t ADD COLUMN a timestamptz DEFAULT clock_timestamp()',
      'ALTER TABLE t ADD COLUMN a timestamptz DEFAULT now()',
      'ALTER TABLE t ADD COLUMN a text DEFAULT current_user',
    ],
    pass: [
      "ALTER TABLE t ADD COLUMN a varchar(10) DEFAULT 'x'::varchar(10)",
      'ALTER TABLE t ADD COLUMN a int DEFAULT 1',
      'CREATE TABLE t (a timestamptz DEFAULT now())',
    ],
  },
  {
    rule: 'column.require-charset',
    engines: M,
    flag: ['CREATE TABLE t (a varchar(10))'],
    pass: ['CREATE TABLE t (a varchar(10) CHARACTER SET utf8mb4, b int)'],
  },
  {
    rule: 'column.require-collation',
    engines: M,
    flag: ['CREATE TABLE t (a varchar(10))'],
    pass: ['CREATE TABLE t (a varchar(10) COLLATE utf8mb4_bin, b int)'],
  },
  {
    rule: 'schema.backward-compatibility',
    engines: MP,
    flag: [
      'DROP TABLE t',
      'ALTER TABLE t DROP COLUMN a',
      'ALTER TABLE t RENAME COLUMN a TO b',
      'ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)',
    ],
    pass: [
      'ALTER TABLE t ADD COLUMN a int',
      'CREATE TABLE t (id int)',
      'CREATE TABLE t (id int, a int); ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)',
    ],
  },
  {
    rule: 'schema.backward-compatibility',
    engines: M,
    flag: ['RENAME TABLE a TO b', 'ALTER TABLE t MODIFY COLUMN a bigint'],
    pass: [],
  },
  {
    rule: 'index.no-duplicate-column',
    engines: MP,
    flag: ['CREATE INDEX i ON t (a, b, a)'],
    pass: ['CREATE INDEX i ON t (a, b)'],
  },
  {
    rule: 'index.no-duplicate-column',
    engines: P,
    flag: [
      'CREATE UNIQUE INDEX CONCURRENTLY i ON t USING btree (a DESC, b, a)',
      'CREATE TABLE t (a int, b int, PRIMARY KEY (a, a))',
      'CREATE TABLE t (a int, FOREIGN KEY (a, a) REFERENCES u (x, y))',
      'ALTER TABLE t ADD COLUMN c int, ADD CONSTRAINT k UNIQUE (a, b, a)',
    ],
    pass: [
      'CREATE INDEX i ON t (a, (a + 1)) INCLUDE (a)',
      'CREATE INDEX i ON t (lower(a))',
      'CREATE TABLE t (a int PRIMARY KEY, b int UNIQUE REFERENCES u, CHECK (a > b AND a < 10))',
      'ALTER TABLE t ADD CONSTRAINT k UNIQUE (a, b), ADD CONSTRAINT c CHECK (a > a)',
    ],
  },
  {
    rule: 'index.key-number-limit',
    engines: MP,
    payload: { number: 2 },
    flag: ['CREATE INDEX i ON t (a, b, c)'],
    pass: ['CREATE INDEX i ON t (a, b)'],
  },
  {
    rule: 'index.pk-type-limit',
    engines: M,
    flag: ['CREATE TABLE t (id varchar(36) PRIMARY KEY)'],
    pass: ['CREATE TABLE t (id bigint PRIMARY KEY)'],
  },
  {
    rule: 'index.type-no-blob',
    engines: M,
    flag: ['CREATE TABLE t (id int PRIMARY KEY, b blob, KEY idx_t_b (b))'],
    pass: ['CREATE TABLE t (id int PRIMARY KEY, b varchar(10), KEY idx_t_b (b))'],
  },
  {
    rule: 'index.total-number-limit',
    engines: MP,
    payload: { number: 2 },
    flag: ['CREATE INDEX a1 ON t (a); CREATE INDEX a2 ON t (b); CREATE INDEX a3 ON t (c)'],
    pass: ['CREATE INDEX a1 ON t (a); CREATE INDEX a2 ON t (b); CREATE INDEX a3 ON u (c)'],
  },
  {
    rule: 'index.primary-key-type-allowlist',
    engines: MP,
    payload: { list: ['BIGINT'] },
    flag: ['CREATE TABLE t (id int PRIMARY KEY)'],
    pass: ['CREATE TABLE t (id bigint PRIMARY KEY)'],
  },
  {
    rule: 'index.create-concurrently',
    engines: P,
    flag: ['CREATE INDEX i ON t (a)', 'DROP INDEX i'],
    pass: ['CREATE INDEX CONCURRENTLY i ON t (a)', 'CREATE TABLE s.t (a int); CREATE INDEX i ON s.t (a)'],
  },
  {
    rule: 'index.type-allow-list',
    engines: M,
    payload: { list: ['BTREE'] },
    flag: ['CREATE INDEX i ON t (a) USING HASH', 'CREATE FULLTEXT INDEX f ON t (a)'],
    pass: ['CREATE INDEX i ON t (a)', 'CREATE INDEX i ON t (a) USING BTREE'],
  },
  {
    rule: 'system.charset.allowlist',
    engines: M,
    payload: { list: ['utf8mb4'] },
    flag: [
      'CREATE TABLE t (id int) CHARSET=latin1',
      'CREATE TABLE t (a varchar(5) CHARACTER SET latin1)',
      'CREATE DATABASE d CHARACTER SET latin1',
    ],
    pass: ['CREATE TABLE t (id int) CHARSET=utf8mb4'],
  },
  {
    rule: 'system.charset.allowlist',
    engines: P,
    payload: { list: ['utf8'] },
    flag: ["CREATE DATABASE d ENCODING 'LATIN1'"],
    pass: ["CREATE DATABASE d ENCODING 'UTF8'"],
  },
  {
    rule: 'system.collation.allowlist',
    engines: M,
    payload: { list: ['utf8mb4_bin'] },
    flag: ['CREATE TABLE t (id int) COLLATE=latin1_swedish_ci'],
    pass: ['CREATE TABLE t (id int) COLLATE=utf8mb4_bin'],
  },
  {
    rule: 'system.collation.allowlist',
    engines: P,
    payload: { list: ['c'] },
    flag: ['CREATE TABLE t (a text COLLATE "de_DE")'],
    pass: ['CREATE TABLE t (a text COLLATE "C")'],
  },
  {
    rule: 'system.comment.length',
    engines: P,
    payload: { number: 10 },
    flag: ["COMMENT ON TABLE t IS 'a comment that is long'"],
    pass: ["COMMENT ON TABLE t IS 'short'"],
  },
  {
    rule: 'system.procedure.disallow-create',
    engines: M,
    flag: ['CREATE PROCEDURE p() BEGIN SELECT 1; END'],
    pass: ['CREATE TABLE t (id int)'],
  },
  {
    rule: 'system.event.disallow-create',
    engines: M,
    flag: ['CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t WHERE a < 1'],
    pass: ['CREATE TABLE t (id int)'],
  },
  {
    rule: 'system.view.disallow-create',
    engines: M,
    flag: ['CREATE VIEW v AS SELECT a FROM t', 'CREATE OR REPLACE VIEW v AS SELECT a FROM t'],
    pass: ['CREATE TABLE t (id int)'],
  },
  {
    rule: 'system.function.disallow-create',
    engines: M,
    flag: ['CREATE FUNCTION f() RETURNS int DETERMINISTIC RETURN 1'],
    pass: ['CREATE TABLE t (id int)'],
  },
  {
    rule: 'system.function.disallowed-list',
    engines: M,
    payload: { list: ['SLEEP', 'benchmark'] },
    flag: ['SELECT SLEEP(1)', 'SELECT a FROM t WHERE b = BENCHMARK(10, 1)'],
    pass: ['SELECT NOW()'],
  },
  {
    rule: 'builtin.prior-backup-check',
    engines: MP,
    flag: ['ALTER TABLE t ADD COLUMN a int; UPDATE t SET a = 1 WHERE id = 1'],
    pass: ['UPDATE t SET a = 1 WHERE id = 1', 'ALTER TABLE t ADD COLUMN a int'],
  },
  // Squawk's rules (exact positions against Squawk itself: squawk.test.ts).
  {
    rule: 'adding-required-field',
    engines: MP,
    flag: ['ALTER TABLE t ADD COLUMN a bigint NOT NULL'],
    pass: ['ALTER TABLE t ADD COLUMN a bigint NOT NULL DEFAULT 0', 'ALTER TABLE t ADD COLUMN a bigint'],
  },
  {
    rule: 'adding-field-with-default',
    engines: P,
    flag: [
      'ALTER TABLE t ADD COLUMN a uuid DEFAULT gen_random_uuid()',
      'ALTER TABLE t ADD COLUMN b bigint GENERATED ALWAYS AS (a * 2) STORED',
    ],
    pass: ['ALTER TABLE t ADD COLUMN a bigint DEFAULT 0', 'ALTER TABLE t ADD COLUMN a timestamptz DEFAULT now()'],
  },
  {
    rule: 'adding-not-nullable-field',
    engines: P,
    flag: ['ALTER TABLE t ALTER COLUMN a SET NOT NULL'],
    pass: ['ALTER TABLE t ALTER COLUMN a DROP NOT NULL'],
  },
  {
    rule: 'adding-foreign-key-constraint',
    engines: P,
    flag: [
      'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id)',
      'ALTER TABLE t ADD COLUMN a bigint REFERENCES u (id)',
    ],
    pass: [
      'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID',
      'BEGIN; CREATE TABLE t (a bigint); ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id); COMMIT',
    ],
  },
  {
    rule: 'adding-serial-primary-key-field',
    engines: P,
    flag: ['ALTER TABLE t ADD PRIMARY KEY (id)', 'ALTER TABLE t ADD COLUMN id bigserial PRIMARY KEY'],
    pass: ['ALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY USING INDEX t_pk'],
  },
  {
    rule: 'constraint-missing-not-valid',
    engines: P,
    flag: ['ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)'],
    pass: [
      'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID',
      'ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX u',
    ],
  },
  {
    rule: 'disallowed-unique-constraint',
    engines: MP,
    flag: ['ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)'],
    pass: ['ALTER TABLE t ADD COLUMN a bigint'],
  },
  {
    rule: 'changing-column-type',
    engines: P,
    flag: ['ALTER TABLE t ALTER COLUMN a TYPE text'],
    pass: ['ALTER TABLE t ALTER COLUMN a SET DEFAULT 1'],
  },
  {
    rule: 'changing-column-type',
    engines: M,
    flag: ['ALTER TABLE t MODIFY COLUMN a bigint NOT NULL'],
    pass: ['ALTER TABLE t ADD COLUMN a bigint'],
  },
  {
    rule: 'ban-drop-column',
    engines: MP,
    flag: ['ALTER TABLE t DROP COLUMN a'],
    pass: ['ALTER TABLE t ADD COLUMN a bigint'],
  },
  {
    rule: 'ban-drop-not-null',
    engines: P,
    flag: ['ALTER TABLE t ALTER COLUMN a DROP NOT NULL'],
    pass: ['ALTER TABLE t ALTER COLUMN a SET NOT NULL'],
  },
  { rule: 'ban-drop-table', engines: MP, flag: ['DROP TABLE t'], pass: ['DROP VIEW v'] },
  { rule: 'ban-drop-database', engines: MP, flag: ['DROP DATABASE d'], pass: ['DROP TABLE t'] },
  { rule: 'ban-truncate-cascade', engines: P, flag: ['TRUNCATE t CASCADE'], pass: ['TRUNCATE t'] },
  { rule: 'ban-char-field', engines: P, flag: ['CREATE TABLE t (a char(3))'], pass: ['CREATE TABLE t (a varchar(3))'] },
  {
    rule: 'prefer-bigint-over-int',
    engines: P,
    flag: ['CREATE TABLE t (a int)', 'ALTER TABLE t ADD COLUMN a serial'],
    pass: ['CREATE TABLE t (a bigint)'],
  },
  {
    rule: 'prefer-bigint-over-smallint',
    engines: P,
    flag: ['CREATE TABLE t (a smallint)'],
    pass: ['CREATE TABLE t (a bigint)'],
  },
  {
    rule: 'prefer-identity',
    engines: P,
    flag: ['CREATE TABLE t (id bigserial)'],
    pass: ['CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY)'],
  },
  {
    rule: 'prefer-text-field',
    engines: P,
    flag: ['CREATE TABLE t (a varchar(10))'],
    pass: ['CREATE TABLE t (a varchar)', 'CREATE TABLE t (a text)'],
  },
  {
    rule: 'prefer-timestamp-tz',
    engines: P,
    flag: ['CREATE TABLE t (a timestamp)'],
    pass: ['CREATE TABLE t (a timestamptz)'],
  },
  {
    rule: 'renaming-column',
    engines: MP,
    flag: ['ALTER TABLE t RENAME COLUMN a TO b'],
    pass: ['ALTER TABLE t ADD COLUMN a bigint'],
  },
  {
    rule: 'renaming-table',
    engines: MP,
    flag: ['ALTER TABLE t RENAME TO u'],
    pass: ['ALTER TABLE t RENAME COLUMN a TO b'],
  },
  {
    rule: 'require-concurrent-index-creation',
    engines: P,
    flag: ['CREATE INDEX i ON t (a)'],
    pass: ['CREATE INDEX CONCURRENTLY i ON t (a)'],
  },
  {
    rule: 'require-concurrent-index-deletion',
    engines: P,
    flag: ['DROP INDEX i'],
    pass: ['DROP INDEX CONCURRENTLY i'],
  },
  { rule: 'require-concurrent-reindex', engines: P, flag: ['REINDEX INDEX i'], pass: ['REINDEX INDEX CONCURRENTLY i'] },
  {
    rule: 'require-concurrent-partition-detach',
    engines: P,
    flag: ['ALTER TABLE p DETACH PARTITION p1'],
    pass: ['ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY'],
  },
  {
    rule: 'ban-concurrent-index-creation-in-transaction',
    engines: P,
    flag: ['BEGIN; CREATE INDEX CONCURRENTLY i ON t (a); COMMIT'],
    pass: ['CREATE INDEX CONCURRENTLY i ON t (a)'],
  },
  {
    rule: 'ban-create-domain-with-constraint',
    engines: P,
    flag: ['CREATE DOMAIN d AS int CHECK (VALUE > 0)'],
    pass: ['CREATE DOMAIN d AS int'],
  },
  {
    rule: 'ban-alter-domain-with-add-constraint',
    engines: P,
    flag: ['ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0)'],
    pass: ['ALTER DOMAIN d DROP CONSTRAINT c'],
  },
  {
    rule: 'require-enum-value-ordering',
    engines: P,
    flag: ["ALTER TYPE e ADD VALUE 'x'"],
    pass: ["ALTER TYPE e ADD VALUE 'x' AFTER 'w'"],
  },
  {
    rule: 'identifier-too-long',
    engines: P,
    flag: [`CREATE TABLE ${'a'.repeat(64)} (id bigint)`],
    pass: [`CREATE TABLE ${'a'.repeat(63)} (id bigint)`],
  },
  {
    rule: 'ban-duplicate-column-assignments',
    engines: P,
    flag: [
      'UPDATE t SET a = 1, a = 2 WHERE id = 1',
      'INSERT INTO t (a, a) VALUES (1, 2)',
      'INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 1, b = 2',
      'MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = 1, a = 2',
      'WITH x AS (UPDATE t SET a = 1, a = 2 RETURNING a) SELECT a FROM x',
      'CREATE TABLE t (a int, a int)',
      `CREATE TABLE t (${Array.from({ length: 40 }, (_, i) => `c${i} int`).join(', ')}, c3 int)`,
    ],
    pass: [
      'UPDATE t SET a = 1, b = 2 WHERE id = 1',
      'WITH x AS (UPDATE t SET a = 1, b = 2 RETURNING a) SELECT a FROM x',
      'MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = 1, b = 2',
    ],
  },
  {
    rule: 'require-table-schema',
    engines: P,
    flag: ['CREATE TABLE t (id bigint)'],
    pass: ['CREATE TABLE public.t (id bigint)'],
  },
  {
    rule: 'transaction-nesting',
    engines: P,
    flag: ['BEGIN; BEGIN; COMMIT', 'COMMIT'],
    pass: ['BEGIN; SELECT 1; COMMIT'],
  },
  { rule: 'ban-uncommitted-transaction', engines: P, flag: ['BEGIN; SELECT 1'], pass: ['BEGIN; SELECT 1; COMMIT'] },
  {
    rule: 'prefer-robust-stmts',
    engines: P,
    flag: ['CREATE TABLE t (id bigint)', 'ALTER TABLE t ADD COLUMN a bigint', 'DROP INDEX CONCURRENTLY i'],
    pass: ['CREATE TABLE IF NOT EXISTS t (id bigint)', 'BEGIN; ALTER TABLE t ADD COLUMN a bigint; COMMIT'],
  },
  {
    rule: 'require-lock-timeout',
    engines: P,
    flag: ['ALTER TABLE t ADD COLUMN a bigint'],
    pass: ["SET lock_timeout = '1s'; ALTER TABLE t ADD COLUMN a bigint", 'CREATE TABLE t (id bigint)'],
  },
  {
    rule: 'require-statement-timeout',
    engines: P,
    flag: ['CREATE INDEX i ON t (a)'],
    pass: ["SET statement_timeout = '5s'; CREATE INDEX i ON t (a)", 'UPDATE t SET a = 1'],
  },
  {
    rule: 'prefer-repack',
    engines: P,
    pgVersion: 19,
    flag: ['VACUUM FULL t', 'VACUUM (FULL, ANALYZE) t', 'CLUSTER t USING t_pkey', 'CLUSTER'],
    pass: ['VACUUM t', 'VACUUM (FULL false) t', 'VACUUM (ANALYZE) t'],
  },
  {
    rule: 'prefer-repack',
    engines: P,
    pgVersion: 18,
    flag: [],
    pass: ['VACUUM FULL t', 'CLUSTER t USING t_pkey'],
  },
  {
    rule: 'unused-ignore',
    engines: P,
    flag: ['-- squawk-ignore ban-drop-tables\nDROP TABLE t', '/* squawk-ignore-file nope */ SELECT 1'],
    pass: [
      '-- squawk-ignore ban-drop-table\nDROP TABLE t',
      "SELECT '-- squawk-ignore nope'",
      '-- squawk-ignore\nSELECT 1',
    ],
  },
];

function findingsOf(rule: string, engine: Engine, sql: string, payload: Payload = {}, pgVersion?: number): string[] {
  return reviewScript({
    engine,
    sql,
    policy: { rules: [{ rule, level: 'ERROR', payload }] },
    ...(pgVersion ? { pgVersion } : {}),
  })
    .findings.filter((f) => f.rule === rule)
    .map((f) => f.message);
}

describe('static review rules', () => {
  for (const c of cases) {
    for (const engine of c.engines) {
      const suffix = `${c.payload ? ` with payload ${JSON.stringify(c.payload)}` : ''}${c.pgVersion ? ` for PostgreSQL ${c.pgVersion}` : ''}`;
      for (const sql of c.flag) {
        it(`${c.rule} flags "${sql}" on ${engine}${suffix}`, () => {
          const found = findingsOf(c.rule, engine, sql, c.payload, c.pgVersion);
          assert.ok(found.length > 0, `expected a ${c.rule} finding`);
        });
      }
      for (const sql of c.pass) {
        it(`${c.rule} accepts "${sql}" on ${engine}${suffix}`, () => {
          assert.deepEqual(findingsOf(c.rule, engine, sql, c.payload, c.pgVersion), []);
        });
      }
    }
  }

  it('covers every static rule of the catalogue for each engine it applies to', () => {
    const live = new Set([
      'statement.affected-row-limit',
      'statement.dml-dry-run',
      'table.limit-size',
      'advice.online-migration',
      'database.drop-empty-database',
      'statement.object-owner-check',
      'builtin.walk-through-check',
      'builtin.statement.maximum-sql-size',
    ]);
    for (const engine of ['mysql', 'postgres'] as const) {
      const tested = new Set(cases.filter((c) => c.engines.includes(engine) && c.flag.length > 0).map((c) => c.rule));
      const untested = listRules(engine).filter((id) => !live.has(id) && !tested.has(id));
      assert.deepEqual(untested, [], `rules without a flagging case on ${engine}`);
    }
  });

  it('does not run a rule on an engine it does not apply to', () => {
    assert.deepEqual(findingsOf('statement.disallow-limit', 'postgres', 'UPDATE t SET a = 1 WHERE b = 2 LIMIT 1'), []);
    assert.deepEqual(findingsOf('statement.disallow-rm-tbl-cascade', 'mysql', 'DROP TABLE t CASCADE'), []);
  });
});
