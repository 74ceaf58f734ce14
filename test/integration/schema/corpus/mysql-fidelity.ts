// MySQL / MariaDB (from, to) pairs for default expressions, regular and generated columns,
// dependency order and rename annotations.
import type { SchemaPair } from './types.js';

const t = `CREATE TABLE t (id int NOT NULL PRIMARY KEY, a int, b varchar(20));`;

export const mysqlFidelityPairs: SchemaPair[] = [
  {
    name: 'default expressions on a new table',
    from: '',
    to: `CREATE TABLE t (id int NOT NULL PRIMARY KEY, a int DEFAULT (1 + 1), u varchar(36) DEFAULT (uuid()),
  j json DEFAULT (json_array()), d date DEFAULT (curdate()), n bigint DEFAULT (unix_timestamp()),
  x text DEFAULT ('x'), s varchar(10) DEFAULT 'it''s', c datetime DEFAULT current_timestamp());`,
  },
  {
    name: 'default expressions added, changed and dropped',
    from: `CREATE TABLE t (a int DEFAULT (1 + 1), b varchar(36), c json DEFAULT (json_object()));`,
    to: `CREATE TABLE t (a int DEFAULT (2 * 3), b varchar(36) DEFAULT (uuid()), c json);`,
  },
  {
    name: 'a literal default becomes an expression',
    from: `CREATE TABLE t (a int DEFAULT 5, b varchar(40) DEFAULT 'x');`,
    to: `CREATE TABLE t (a int DEFAULT (5 + 1), b varchar(40) DEFAULT (concat('x', 'y')));`,
  },
  {
    name: 'a regular column becomes a stored generated one',
    from: t,
    to: t.replace('b varchar(20)', "b varchar(20) GENERATED ALWAYS AS (concat(a, '!')) STORED"),
  },
  {
    name: 'a regular column becomes a virtual generated one',
    from: t,
    to: t.replace('b varchar(20)', "b varchar(20) AS (concat(a, '?')) VIRTUAL"),
  },
  {
    name: 'a stored generated column becomes a regular one',
    from: t.replace('b varchar(20)', "b varchar(20) AS (concat(a, '!')) STORED"),
    to: t,
  },
  {
    name: 'a virtual generated column becomes a regular one',
    from: t.replace('b varchar(20)', "b varchar(20) AS (concat(a, '!')) VIRTUAL"),
    to: t,
  },
  {
    name: 'a virtual generated column becomes stored',
    from: t.replace('a int,', 'a int, g int AS (a * 2) VIRTUAL,'),
    to: t.replace('a int,', 'a int, g int AS (a * 2) STORED,'),
  },
  {
    name: 'a generated expression changes',
    from: t.replace('a int,', 'a int, g int AS (a * 2) VIRTUAL, h int AS (a + 1) STORED,'),
    to: t.replace('a int,', 'a int, g int AS (a * 3) VIRTUAL, h int AS (a + 2) STORED,'),
  },
  {
    name: 'an index on a new generated column',
    from: t,
    to: `CREATE TABLE t (id int NOT NULL PRIMARY KEY, a int, b varchar(20), g int AS (a * 2) STORED, KEY t_g (g));`,
  },
  {
    name: 'drop a table a view depends on, with the view',
    from: `${t} CREATE TABLE keep (x int); CREATE VIEW v AS SELECT id, a FROM t;`,
    to: `CREATE TABLE keep (x int);`,
  },
  {
    name: 'a table name reused by a view',
    from: `CREATE TABLE base (id int); CREATE TABLE report (id int);`,
    to: `CREATE TABLE base (id int); CREATE VIEW report AS SELECT id FROM base;`,
  },
  {
    name: 'a view name reused by a table',
    from: `CREATE TABLE base (id int); CREATE VIEW report AS SELECT id FROM base;`,
    to: `CREATE TABLE base (id int); CREATE TABLE report (id int, total int);`,
  },
  {
    name: 'rename a column by annotation',
    from: `CREATE TABLE users (id int NOT NULL PRIMARY KEY, mail varchar(100) NOT NULL, KEY users_mail (mail));`,
    to: `CREATE TABLE users (
  id int NOT NULL PRIMARY KEY,
  email varchar(100) NOT NULL, -- @renamed from=mail
  KEY users_mail (email)
);`,
  },
  {
    name: 'rename a table by annotation',
    from: `CREATE TABLE person (id int NOT NULL PRIMARY KEY, name varchar(50));
CREATE TABLE post (id int NOT NULL PRIMARY KEY, author int, CONSTRAINT post_author FOREIGN KEY (author) REFERENCES person (id));`,
    to: `CREATE TABLE people ( -- @renamed from=person
  id int NOT NULL PRIMARY KEY,
  name varchar(50)
);
CREATE TABLE post (id int NOT NULL PRIMARY KEY, author int, CONSTRAINT post_author FOREIGN KEY (author) REFERENCES people (id));`,
  },
  {
    name: 'rename a table and one of its columns together',
    from: `CREATE TABLE person (id int NOT NULL PRIMARY KEY, mail varchar(50), UNIQUE KEY person_mail (mail));`,
    to: `CREATE TABLE people ( -- @renamed from=person
  id int NOT NULL PRIMARY KEY,
  email varchar(50), -- @renamed from=mail
  UNIQUE KEY person_mail (email)
);`,
  },
  {
    name: 'a generated column over a renamed column',
    from: `CREATE TABLE t (id int NOT NULL PRIMARY KEY, a int, g int AS (a * 2) VIRTUAL);`,
    to: `CREATE TABLE t (
  id int NOT NULL PRIMARY KEY,
  b int, -- @renamed from=a
  g int AS (b * 2) VIRTUAL
);`,
  },
  {
    name: 'default expressions with on update and a check',
    from: `CREATE TABLE t (id int NOT NULL PRIMARY KEY, n int);`,
    to: `CREATE TABLE t (id int NOT NULL PRIMARY KEY, n int DEFAULT (floor(rand() * 10)) CHECK (n >= 0), changed datetime DEFAULT (now()) ON UPDATE current_timestamp());`,
  },
  {
    name: 'blob and text columns with expression defaults',
    from: '',
    to: `CREATE TABLE t (id int NOT NULL PRIMARY KEY, b blob DEFAULT ('abc'), t text DEFAULT (concat('x', 'y')), l longtext DEFAULT (repeat('-', 3)));`,
  },
  {
    name: 'a json column added and dropped',
    from: `CREATE TABLE t (id int NOT NULL PRIMARY KEY, a json);`,
    to: `CREATE TABLE t (id int NOT NULL PRIMARY KEY, b json NOT NULL DEFAULT ('{}'));`,
  },
  {
    name: 'a view over a function',
    from: `CREATE TABLE t (a int);`,
    to: `CREATE TABLE t (a int); CREATE FUNCTION dbl(x int) RETURNS int DETERMINISTIC RETURN x * 2; CREATE VIEW v AS SELECT dbl(a) AS d FROM t;`,
  },
];
