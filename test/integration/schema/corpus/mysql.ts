// MySQL / MariaDB (from, to) pairs: every object kind, created, changed and dropped.
import type { SchemaPair } from './types.js';

const users = `CREATE TABLE users (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, email varchar(100) NOT NULL, name varchar(50)) ENGINE=InnoDB;`;
const posts = `CREATE TABLE posts (id int NOT NULL PRIMARY KEY, user_id int, title varchar(200), CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id));`;
const trigger = (timing: string, body: string): string =>
  `CREATE TRIGGER users_bi ${timing} INSERT ON users FOR EACH ROW ${body};`;

export const mysqlPairs: SchemaPair[] = [
  { name: 'create a table', from: '', to: users },
  { name: 'drop a table', from: `${users} CREATE TABLE extra (a int);`, to: users },
  {
    name: 'add a column after another',
    from: users,
    to: users.replace('NOT NULL,', "NOT NULL, nick varchar(20) NOT NULL DEFAULT '',"),
  },
  { name: 'add a column first', from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (z int, a int);` },
  { name: 'drop a column', from: users, to: users.replace(', name varchar(50)', '') },
  { name: 'widen a varchar', from: users, to: users.replace('varchar(100)', 'varchar(255)') },
  { name: 'narrow a varchar', from: users, to: users.replace('varchar(100)', 'varchar(20)') },
  {
    name: 'make a column nullable and back',
    from: `CREATE TABLE t (a int NOT NULL, b int);`,
    to: `CREATE TABLE t (a int, b int NOT NULL);`,
  },
  {
    name: 'defaults added, changed and dropped',
    from: `CREATE TABLE t (a int DEFAULT 1, b varchar(5) DEFAULT 'x', c int);`,
    to: `CREATE TABLE t (a int DEFAULT 2, b varchar(5), c int DEFAULT (1 + 1));`,
  },
  {
    name: 'add an auto-increment key column',
    from: `CREATE TABLE t (a int);`,
    to: `CREATE TABLE t (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, a int);`,
  },
  {
    name: 'add an auto-increment key column after the others',
    from: `CREATE TABLE t (a int, b int);`,
    to: `CREATE TABLE t (a int, b int, id int NOT NULL AUTO_INCREMENT PRIMARY KEY);`,
  },
  {
    name: 'an index of its own takes over from the key a foreign key made',
    from: `CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int, a_id int, CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id));`,
    to: `CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int, a_id int, KEY b_by_a (a_id, id), CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id));`,
  },
  {
    name: 'a foreign key whose index goes gets a key of its own again',
    from: `CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int, a_id int, KEY b_by_a (a_id), CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id));`,
    to: `CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int, a_id int, CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id));`,
  },
  {
    name: 'a check written on a column stays when the column is widened',
    from: `CREATE TABLE o (id int PRIMARY KEY, state varchar(20) CHECK (state IN ('new', 'done')));`,
    to: `CREATE TABLE o (id int PRIMARY KEY, state varchar(40) CHECK (state IN ('new', 'done')));`,
  },
  {
    name: 'a check written on a column is dropped, and another one changed',
    from: `CREATE TABLE o (id int PRIMARY KEY, state varchar(20) CHECK (state IN ('new', 'done')), n int CHECK (n > 0));`,
    to: `CREATE TABLE o (id int PRIMARY KEY, state varchar(20), n int CHECK (n > 1));`,
  },
  {
    name: 'a column goes with the check written on it',
    from: `CREATE TABLE o (id int PRIMARY KEY, state varchar(20) CHECK (state IN ('new', 'done')), n int);`,
    to: `CREATE TABLE o (id int PRIMARY KEY, n int);`,
  },
  {
    name: 'explicit table options are set, changed and taken back',
    from: `CREATE TABLE a (id int) ROW_FORMAT=DYNAMIC; CREATE TABLE b (id int) KEY_BLOCK_SIZE=8 STATS_PERSISTENT=1;`,
    to: `CREATE TABLE a (id int) ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=4; CREATE TABLE b (id int); CREATE TABLE c (id int) ROW_FORMAT=REDUNDANT;`,
  },
  {
    name: 'a primary key gets a comment',
    from: `CREATE TABLE t (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a));`,
    to: `CREATE TABLE t (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b) COMMENT 'both halves');`,
  },
  {
    name: 'the primary key of an auto-increment column takes in a second column',
    from: `CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, other int NOT NULL, PRIMARY KEY (id));`,
    to: `CREATE TABLE t (id bigint NOT NULL AUTO_INCREMENT, other int NOT NULL, PRIMARY KEY (id, other));`,
  },
  {
    name: 'the primary key of an auto-increment column drops its second column',
    from: `CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, other int NOT NULL, PRIMARY KEY (id, other));`,
    to: `CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, other int NOT NULL, PRIMARY KEY (id));`,
  },
  {
    name: 'a point column with a spatial key',
    from: `CREATE TABLE places (id int NOT NULL);`,
    to: `CREATE TABLE places (id int NOT NULL, at point NOT NULL, SPATIAL KEY places_at (at));`,
  },
  {
    name: 'drop auto-increment and the primary key',
    from: `CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, a int);`,
    to: `CREATE TABLE t (id int NOT NULL, a int);`,
  },
  {
    name: 'make an existing key column auto-increment',
    from: `CREATE TABLE t (id int NOT NULL PRIMARY KEY);`,
    to: `CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY);`,
  },
  {
    name: 'timestamp with on update',
    from: `CREATE TABLE t (a int, at timestamp NULL);`,
    to: `CREATE TABLE t (a int, at timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp());`,
  },
  {
    name: 'add a virtual generated column',
    from: `CREATE TABLE t (a int);`,
    to: `CREATE TABLE t (a int, b int AS (a * 2) VIRTUAL);`,
  },
  {
    name: 'change a stored generated column',
    from: `CREATE TABLE t (a int, b int AS (a * 2) STORED);`,
    to: `CREATE TABLE t (a int, b bigint AS (a * 3) STORED);`,
  },
  {
    name: 'change a column collation',
    from: `CREATE TABLE t (a varchar(10)) DEFAULT CHARSET=utf8mb4;`,
    to: `CREATE TABLE t (a varchar(10) COLLATE utf8mb4_bin) DEFAULT CHARSET=utf8mb4;`,
  },
  {
    name: 'column comments',
    from: `CREATE TABLE t (a int COMMENT 'old', b int COMMENT 'gone');`,
    to: `CREATE TABLE t (a int COMMENT 'new ''quoted'' \\\\ slash', b int);`,
  },
  {
    name: 'change the table engine',
    from: `CREATE TABLE t (a int) ENGINE=InnoDB;`,
    to: `CREATE TABLE t (a int) ENGINE=MyISAM;`,
  },
  {
    name: 'change the table charset and collation',
    from: `CREATE TABLE t (a varchar(10), b text, c int) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;`,
    to: `CREATE TABLE t (a varchar(10), b text, c int) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;`,
  },
  {
    name: 'table comment added and removed',
    from: `CREATE TABLE a (x int); CREATE TABLE b (x int) COMMENT='b table';`,
    to: `CREATE TABLE a (x int) COMMENT='a table'; CREATE TABLE b (x int);`,
  },
  {
    name: 'add a primary key',
    from: `CREATE TABLE t (a int NOT NULL, b int NOT NULL);`,
    to: `CREATE TABLE t (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b));`,
  },
  {
    name: 'change a primary key',
    from: `CREATE TABLE t (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a));`,
    to: `CREATE TABLE t (a int NOT NULL, b int NOT NULL, PRIMARY KEY (b, a));`,
  },
  {
    name: 'add and drop unique keys',
    from: `${users} ALTER TABLE users ADD UNIQUE KEY users_name (name);`,
    to: `${users} ALTER TABLE users ADD UNIQUE KEY users_email (email);`,
  },
  {
    name: 'prefix index length change',
    from: `${users} CREATE INDEX users_e ON users (email(10));`,
    to: `${users} CREATE INDEX users_e ON users (email(20), name);`,
  },
  { name: 'descending index', from: users, to: `${users} CREATE INDEX users_name_desc ON users (name DESC);` },
  {
    name: 'fulltext index',
    from: `CREATE TABLE d (body text);`,
    to: `CREATE TABLE d (body text, FULLTEXT KEY d_body (body));`,
  },
  {
    name: 'index comment',
    from: `CREATE TABLE t (a int, KEY t_a (a));`,
    to: `CREATE TABLE t (a int, KEY t_a (a) COMMENT 'for lookups');`,
  },
  {
    name: 'add a check constraint',
    from: `CREATE TABLE t (a int);`,
    to: `CREATE TABLE t (a int, CONSTRAINT a_pos CHECK (a > 0));`,
  },
  {
    name: 'change and drop check constraints',
    from: `CREATE TABLE t (a int, b int, CONSTRAINT a_pos CHECK (a > 0), CONSTRAINT b_pos CHECK (b > 0));`,
    to: `CREATE TABLE t (a int, b int, CONSTRAINT a_pos CHECK (a >= 0));`,
  },
  {
    name: 'add a foreign key',
    from: `${users} ${posts.replace(', CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id)', '')}`,
    to: `${users} ${posts}`,
  },
  {
    name: 'change foreign key actions',
    from: `${users} ${posts}`,
    to: `${users} ${posts.replace('REFERENCES users (id)', 'REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE')}`,
  },
  {
    name: 'drop a foreign key',
    from: `${users} ${posts}`,
    to: `${users} ${posts.replace(', CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id)', '')}`,
  },
  {
    name: 'create two tables that reference each other',
    from: '',
    to: `CREATE TABLE a (id int PRIMARY KEY, b_id int); CREATE TABLE b (id int PRIMARY KEY, a_id int, FOREIGN KEY (a_id) REFERENCES a (id)); ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id);`,
  },
  {
    name: 'drop two tables that reference each other',
    from: `CREATE TABLE a (id int PRIMARY KEY, b_id int); CREATE TABLE b (id int PRIMARY KEY, a_id int, FOREIGN KEY (a_id) REFERENCES a (id)); ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id); CREATE TABLE keep (x int);`,
    to: `CREATE TABLE keep (x int);`,
  },
  {
    name: 'self-referencing foreign key',
    from: `CREATE TABLE n (id int PRIMARY KEY, parent int);`,
    to: `CREATE TABLE n (id int PRIMARY KEY, parent int, CONSTRAINT n_parent FOREIGN KEY (parent) REFERENCES n (id) ON DELETE SET NULL);`,
  },
  {
    name: 'create a view',
    from: users,
    to: `${users} CREATE VIEW named AS SELECT id, name FROM users WHERE name IS NOT NULL;`,
  },
  {
    name: 'change a view',
    from: `${users} CREATE VIEW v AS SELECT id FROM users;`,
    to: `${users} CREATE VIEW v AS SELECT id, email FROM users;`,
  },
  { name: 'drop a view', from: `${users} CREATE VIEW v AS SELECT id FROM users;`, to: users },
  {
    name: 'view options',
    from: `${users} CREATE VIEW v AS SELECT * FROM users WHERE id > 0;`,
    to: `${users} CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW v AS SELECT * FROM users WHERE id > 0 WITH LOCAL CHECK OPTION;`,
  },
  {
    name: 'change a table under a view over a view',
    from: `${users} CREATE VIEW v1 AS SELECT id, email FROM users; CREATE VIEW v2 AS SELECT email FROM v1;`,
    to: `${users.replace(', name varchar(50)', '')} CREATE VIEW v1 AS SELECT id, email FROM users; CREATE VIEW v2 AS SELECT email FROM v1;`,
  },
  { name: 'create a trigger', from: users, to: `${users} ${trigger('BEFORE', 'SET NEW.email = lower(NEW.email)')}` },
  {
    name: 'change a trigger with a compound body',
    from: `${users} ${trigger('BEFORE', 'SET NEW.email = lower(NEW.email)')}`,
    to: `${users} ${trigger('AFTER', 'BEGIN IF NEW.name IS NULL THEN SET @n = 1; END IF; SET @last = NEW.id; END')}`,
  },
  { name: 'drop a trigger', from: `${users} ${trigger('BEFORE', 'SET NEW.email = lower(NEW.email)')}`, to: users },
  { name: 'create a function', from: '', to: `CREATE FUNCTION add1(x INT) RETURNS INT DETERMINISTIC RETURN x + 1;` },
  {
    name: 'change a function',
    from: `CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1;`,
    to: `CREATE FUNCTION f(x INT, y INT) RETURNS BIGINT NO SQL COMMENT 'sum' RETURN x + y;`,
  },
  {
    name: 'create and change a procedure',
    from: `CREATE PROCEDURE p(IN a INT) BEGIN SELECT a; END;`,
    to: `CREATE PROCEDURE p(IN a INT, OUT b INT) SQL SECURITY INVOKER BEGIN SET b = a * 2; END; CREATE PROCEDURE q() READS SQL DATA SELECT 1;`,
  },
  {
    name: 'drop a function and a procedure',
    from: `CREATE FUNCTION f() RETURNS INT RETURN 1; CREATE PROCEDURE p() SELECT 1; CREATE TABLE t (a int);`,
    to: `CREATE TABLE t (a int);`,
  },
  {
    name: 'enum and set values',
    from: `CREATE TABLE t (e enum('a','b'), s set('x','y'));`,
    to: `CREATE TABLE t (e enum('a','b','c') NOT NULL DEFAULT 'c', s set('x','y','z'));`,
  },
  { name: 'json column', from: `CREATE TABLE t (a int);`, to: `CREATE TABLE t (a int, doc json);` },
  {
    name: 'decimal precision and unsigned',
    from: `CREATE TABLE t (p decimal(10,2), n int);`,
    to: `CREATE TABLE t (p decimal(12,4), n int unsigned);`,
  },
  {
    name: 'retype a column used by a foreign key on both sides',
    from: `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int, CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id));`,
    to: `CREATE TABLE p (id bigint PRIMARY KEY); CREATE TABLE c (p_id bigint, CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id));`,
  },
  {
    name: 'many changes at once',
    from: `${users} ${posts} CREATE INDEX posts_title ON posts (title); CREATE VIEW pv AS SELECT p.id, u.email FROM posts p JOIN users u ON u.id = p.user_id;`,
    to: `${users.replace('name varchar(50)', 'name varchar(80) NOT NULL, created datetime DEFAULT current_timestamp()')} ${posts.replace('title varchar(200)', "title varchar(250), state enum('draft','live') NOT NULL DEFAULT 'draft'")} CREATE INDEX posts_state ON posts (state, title(20)); CREATE VIEW pv AS SELECT p.id, u.email, p.state FROM posts p JOIN users u ON u.id = p.user_id;`,
  },
];
