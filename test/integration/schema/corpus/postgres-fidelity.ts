// PostgreSQL (from, to) pairs for the families the first corpus left out: dependency order,
// partitions, row-level security, inheritance, identity options, trigger details, composite
// types, storage options and rename annotations.
import type { SchemaPair } from './types.js';

const t = `CREATE TABLE t (id int PRIMARY KEY, a int, b text);`;
const positive = `CREATE FUNCTION is_positive(v int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT v > 0';`;
const events = (parts: string): string =>
  `CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at); ${parts}`;
const y2024 = `CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`;
const y2025 = `CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');`;
const touch = `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;`;

export const postgresFidelityPairs: SchemaPair[] = [
  // Dependency order.
  {
    name: 'drop a table a view depends on, with the view',
    from: `${t} CREATE TABLE keep (x int); CREATE VIEW v AS SELECT id, a FROM t;`,
    to: `CREATE TABLE keep (x int);`,
  },
  {
    name: 'drop a table a view depends on, the view moving to another table',
    from: `${t} CREATE TABLE s (id int, a int); CREATE VIEW v AS SELECT id, a FROM t;`,
    to: `CREATE TABLE s (id int, a int); CREATE VIEW v AS SELECT id, a FROM s;`,
  },
  {
    name: 'a check constraint calling a new function',
    from: '',
    to: `${positive} CREATE TABLE t (a int CONSTRAINT a_positive CHECK (is_positive(a)));`,
  },
  {
    name: 'a check constraint calling a function added to an existing table',
    from: `CREATE TABLE t (a int);`,
    to: `${positive} CREATE TABLE t (a int CONSTRAINT a_positive CHECK (is_positive(a)));`,
  },
  {
    name: 'drop a table with a check calling a function, and the function',
    from: `${positive} CREATE TABLE t (a int CONSTRAINT a_positive CHECK (is_positive(a))); CREATE TABLE keep (x int);`,
    to: `CREATE TABLE keep (x int);`,
  },
  {
    name: 'a default calling a new function',
    from: `CREATE TABLE t (a int);`,
    to: `CREATE FUNCTION seven() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 7'; CREATE TABLE t (a int DEFAULT seven());`,
  },
  {
    name: 'an enum column with a default moves to another enum',
    from: `CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TYPE feeling AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (m mood NOT NULL DEFAULT 'ok');`,
    to: `CREATE TYPE feeling AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (m feeling NOT NULL DEFAULT 'happy');`,
  },
  {
    name: 'an enum column with a default becomes text',
    from: `CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE t (m mood DEFAULT 'ok');`,
    to: `CREATE TABLE t (m text DEFAULT 'ok');`,
  },
  {
    name: 'a text column with a default becomes an enum',
    from: `CREATE TABLE t (m text DEFAULT 'ok');`,
    to: `CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE t (m mood DEFAULT 'ok');`,
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
    name: 'a function used by a view changes its return type',
    from: `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE VIEW v AS SELECT f() AS x;`,
    to: `CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint'; CREATE VIEW v AS SELECT f() AS x;`,
  },
  {
    name: 'an index added to an existing table',
    from: t,
    to: `${t} CREATE INDEX t_a ON t (a); CREATE UNIQUE INDEX t_b ON t (b);`,
  },
  {
    name: 'an index changed on an existing table',
    from: `${t} CREATE INDEX t_a ON t (a);`,
    to: `${t} CREATE INDEX t_a ON t (a, b);`,
  },
  {
    name: 'a check and a foreign key added to existing tables',
    from: `${t} CREATE TABLE c (id int PRIMARY KEY, t_id int);`,
    to: `${t} CREATE TABLE c (id int PRIMARY KEY, t_id int CONSTRAINT c_t REFERENCES t (id), CONSTRAINT c_id CHECK (id > 0));`,
  },
  {
    name: 'a char column with a literal default',
    from: `CREATE TABLE prices (amount numeric(12,2));`,
    to: `CREATE TABLE prices (amount numeric(12,2), currency char(3) NOT NULL DEFAULT 'EUR');`,
  },

  // Partitions.
  { name: 'create a range-partitioned table with partitions', from: '', to: events(y2024 + y2025) },
  {
    name: 'add a partition and a default partition',
    from: events(y2024),
    to: events(`${y2024} ${y2025} CREATE TABLE events_rest PARTITION OF events DEFAULT;`),
  },
  { name: 'drop a partition', from: events(y2024 + y2025), to: events(y2024) },
  {
    name: 'list and hash partitioning',
    from: '',
    to: `CREATE TABLE region (code text NOT NULL, n int) PARTITION BY LIST (code);
CREATE TABLE region_eu PARTITION OF region FOR VALUES IN ('de', 'fr');
CREATE TABLE region_us PARTITION OF region FOR VALUES IN ('us');
CREATE TABLE bucket (id int NOT NULL) PARTITION BY HASH (id);
CREATE TABLE bucket_0 PARTITION OF bucket FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE bucket_1 PARTITION OF bucket FOR VALUES WITH (MODULUS 2, REMAINDER 1);`,
  },
  {
    name: 'attach a table as a partition',
    from: `${events(y2024)} CREATE TABLE events_2025 (id bigint NOT NULL, at date NOT NULL, payload text);`,
    to: events(y2024 + y2025),
  },
  {
    name: 'detach a partition into a table of its own',
    from: events(y2024 + y2025),
    to: `${events(y2024)} CREATE TABLE events_2025 (id bigint NOT NULL, at date NOT NULL, payload text, CONSTRAINT events_2025_pkey PRIMARY KEY (id, at));`,
  },
  {
    name: 'change the bounds of a partition',
    from: events(y2024),
    to: events(`CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2023-07-01') TO ('2025-01-01');`),
  },
  {
    name: 'an index and a column on a partitioned table',
    from: events(y2024 + y2025),
    to: `${events(y2024 + y2025).replace('payload text', 'payload text, kind int')} CREATE INDEX events_kind ON events (kind);`,
  },
  {
    name: 'a partition of its own with a sub-partition',
    from: events(y2024),
    to: events(`${y2024} CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY RANGE (id);
CREATE TABLE events_2025_low PARTITION OF events_2025 FOR VALUES FROM (MINVALUE) TO (1000);`),
  },
  {
    name: 'drop a partitioned table with its partitions',
    from: `${events(y2024 + y2025)} CREATE TABLE keep (x int);`,
    to: `CREATE TABLE keep (x int);`,
  },

  // Row-level security and policies.
  {
    name: 'enable and force row level security with policies',
    from: t,
    to: `${t} ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;
CREATE POLICY t_read ON t FOR SELECT USING (a > 0);
CREATE POLICY t_write ON t AS RESTRICTIVE FOR INSERT TO PUBLIC WITH CHECK (b IS NOT NULL);`,
  },
  {
    name: 'change and drop policies, disable row level security',
    from: `${t} ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p1 ON t USING (a > 0); CREATE POLICY p2 ON t FOR DELETE USING (true);`,
    to: `${t} CREATE POLICY p1 ON t FOR UPDATE USING (a > 1) WITH CHECK (a > 2);`,
  },
  {
    name: 'a policy over a retyped column',
    from: `${t} ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON t USING (b = 'x');`,
    to: `${t.replace('b text', 'b varchar(10)')} ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON t USING (b = 'x');`,
  },
  {
    name: 'a policy calling a function',
    from: t,
    to: `${positive} ${t} ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON t USING (is_positive(a));`,
  },
  {
    name: 'drop a table with policies',
    from: `${t} CREATE TABLE keep (x int); CREATE POLICY p ON t USING (a > 0);`,
    to: `CREATE TABLE keep (x int);`,
  },

  // Inheritance.
  {
    name: 'create tables that inherit',
    from: '',
    to: `CREATE TABLE animal (id int, name text, CHECK (id > 0)); CREATE TABLE dog (bark text) INHERITS (animal);
CREATE TABLE pet (owner text); CREATE TABLE cat (purr int) INHERITS (animal, pet);`,
  },
  {
    name: 'a table starts inheriting',
    from: `CREATE TABLE animal (id int, name text); CREATE TABLE dog (bark text);`,
    to: `CREATE TABLE animal (id int, name text); CREATE TABLE dog (bark text) INHERITS (animal);`,
  },
  {
    name: 'a table stops inheriting',
    from: `CREATE TABLE animal (id int, name text); CREATE TABLE dog (bark text) INHERITS (animal);`,
    to: `CREATE TABLE animal (id int, name text); CREATE TABLE dog (id int, name text, bark text);`,
  },
  {
    name: 'a column added to an inherited parent',
    from: `CREATE TABLE animal (id int); CREATE TABLE dog (bark text) INHERITS (animal);`,
    to: `CREATE TABLE animal (id int, born date); CREATE TABLE dog (bark text) INHERITS (animal);`,
  },
  {
    name: 'drop a parent and its child',
    from: `CREATE TABLE animal (id int); CREATE TABLE dog (bark text) INHERITS (animal); CREATE TABLE keep (x int);`,
    to: `CREATE TABLE keep (x int);`,
  },

  // Identity options.
  {
    name: 'a descending identity column',
    from: '',
    to: `CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY -1), a int);`,
  },
  {
    name: 'an identity column with sequence options',
    from: '',
    to: `CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000 INCREMENT BY 5 CACHE 10), a int);`,
  },
  {
    name: 'change identity sequence options',
    from: `CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY (START WITH 10), a int);`,
    to: `CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY (START WITH 20 INCREMENT BY 2 MINVALUE 5 MAXVALUE 100000 CYCLE), a int);`,
  },
  {
    name: 'add an identity with options to an existing column',
    from: `CREATE TABLE t (id int NOT NULL);`,
    to: `CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (START WITH 500));`,
  },
  {
    name: 'widen an identity column',
    from: `CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY);`,
    to: `CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);`,
  },

  // Triggers.
  {
    name: 'a trigger changes its events, timing and condition',
    from: `${t} ${touch} CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
    to: `${t} ${touch} CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE OF a ON t FOR EACH ROW WHEN (NEW.a IS NOT NULL) EXECUTE FUNCTION touch();`,
  },
  {
    name: 'a trigger is disabled',
    from: `${t} ${touch} CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
    to: `${t} ${touch} CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch(); ALTER TABLE t DISABLE TRIGGER t_touch;`,
  },
  {
    name: 'a statement trigger with transition tables and a constraint trigger',
    from: `${t} ${touch}`,
    to: `${t} ${touch} CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END; $$;
CREATE TRIGGER t_audit AFTER UPDATE ON t REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION audit();
CREATE CONSTRAINT TRIGGER t_check AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit();`,
  },
  {
    name: 'an instead-of trigger on a view',
    from: `${t} CREATE VIEW v AS SELECT id, a FROM t;`,
    to: `${t} CREATE VIEW v AS SELECT id, a FROM t; CREATE FUNCTION v_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.t (id, a) VALUES (NEW.id, NEW.a); RETURN NEW; END; $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION v_ins();`,
  },
  {
    name: 'a trigger on a partitioned table',
    from: events(y2024),
    to: `${events(y2024)} ${touch} CREATE TRIGGER events_touch BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION touch();`,
  },

  // Composite types.
  {
    name: 'create a composite type and use it',
    from: '',
    to: `CREATE TYPE address AS (street text, city varchar(50)); CREATE TABLE customer (id int, home address, past address[]);`,
  },
  {
    name: 'change a composite type: attributes added, retyped and dropped',
    from: `CREATE TYPE address AS (street text, city varchar(50), zip int);`,
    to: `CREATE TYPE address AS (street text, city varchar(80), country text);`,
  },
  {
    name: 'a composite type of an enum and a domain',
    from: '',
    to: `CREATE TYPE kind AS ENUM ('a', 'b'); CREATE DOMAIN pos AS int CHECK (VALUE > 0); CREATE TYPE item AS (k kind, n pos);`,
  },
  {
    name: 'drop a composite type with its column',
    from: `CREATE TYPE address AS (street text); CREATE TABLE c (id int, home address);`,
    to: `CREATE TABLE c (id int);`,
  },

  // Storage options.
  {
    name: 'table storage parameters set, changed and reset',
    from: `CREATE TABLE a (x int) WITH (fillfactor = 70); CREATE TABLE b (x int) WITH (autovacuum_enabled = false);`,
    to: `CREATE TABLE a (x int) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05); CREATE TABLE b (x int);`,
  },
  {
    name: 'a new table with storage parameters',
    from: '',
    to: `CREATE TABLE a (x int) WITH (fillfactor = 50, toast_tuple_target = 256);`,
  },
  {
    name: 'column storage and compression',
    from: `CREATE TABLE a (x text, y text);`,
    to: `CREATE TABLE a (x text, y text); ALTER TABLE a ALTER COLUMN x SET STORAGE EXTERNAL; ALTER TABLE a ALTER COLUMN y SET STATISTICS 500;`,
  },

  {
    name: 'a domain gets a collation of its own, another one is created with one',
    from: `CREATE DOMAIN label AS text; CREATE DOMAIN code AS varchar(9) COLLATE "C";`,
    to: `CREATE DOMAIN label AS text COLLATE "C"; CREATE DOMAIN code AS varchar(9); CREATE DOMAIN tag AS text COLLATE "POSIX";`,
  },

  // Rename annotations.
  {
    name: 'rename a column by annotation',
    from: `CREATE TABLE users (id int PRIMARY KEY, mail text NOT NULL CHECK (mail <> ''));
CREATE INDEX users_mail ON users (mail);`,
    to: `CREATE TABLE users (
  id int PRIMARY KEY,
  email text NOT NULL CHECK (email <> '') -- @renamed from=mail
);
CREATE INDEX users_mail ON users (email);`,
  },
  {
    name: 'rename a table by annotation',
    from: `CREATE TABLE person (id int PRIMARY KEY, name text); CREATE TABLE post (id int, author int REFERENCES person (id));`,
    to: `CREATE TABLE people ( -- @renamed from=person
  id int PRIMARY KEY,
  name text
);
CREATE TABLE post (id int, author int REFERENCES people (id));`,
  },
  {
    name: 'rename a table and one of its columns together',
    from: `CREATE TABLE person (id serial PRIMARY KEY, mail text UNIQUE); CREATE INDEX person_mail_idx ON person (lower(mail));`,
    to: `CREATE TABLE people ( -- @renamed from=person
  id serial PRIMARY KEY,
  email text UNIQUE -- @renamed from=mail
);
CREATE INDEX people_email_idx ON people (lower(email));`,
  },
  {
    name: 'rename a column a foreign key points at',
    from: `CREATE TABLE a (code int PRIMARY KEY); CREATE TABLE b (a_code int REFERENCES a (code));`,
    to: `CREATE TABLE a (
  id int PRIMARY KEY -- @renamed from=code
);
CREATE TABLE b (a_code int REFERENCES a (id));`,
  },

  // More dependency order.
  {
    name: 'a domain whose check calls a function',
    from: '',
    to: `${positive} CREATE DOMAIN pos AS int CHECK (is_positive(VALUE)); CREATE TABLE t (a pos);`,
  },
  {
    name: 'an index expression calling a new function',
    from: t,
    to: `CREATE FUNCTION norm(x text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(x)'; ${t} CREATE INDEX t_norm ON t (norm(b));`,
  },
  {
    name: 'drop a column a view reads, the view changing with it',
    from: `${t} CREATE VIEW v AS SELECT id, a, b FROM t;`,
    to: `CREATE TABLE t (id int PRIMARY KEY, a int); CREATE VIEW v AS SELECT id, a FROM t;`,
  },
  {
    name: 'a check calling a function that changes its body',
    from: `${positive} CREATE TABLE t (a int CONSTRAINT a_positive CHECK (is_positive(a)));`,
    to: `${positive.replace('v > 0', 'v >= 0')} CREATE TABLE t (a int CONSTRAINT a_positive CHECK (is_positive(a)));`,
  },
  {
    name: 'retype a column a check and an index use',
    from: `CREATE TABLE t (a int CHECK (a > 0)); CREATE INDEX t_a ON t (a);`,
    to: `CREATE TABLE t (a bigint CHECK (a > 0)); CREATE INDEX t_a ON t (a);`,
  },

  // More partitions.
  {
    name: 'attach a table with its columns in another order as the default partition',
    from: `${events(y2024)} CREATE TABLE events_rest (payload text, at date NOT NULL, id bigint NOT NULL);`,
    to: events(`${y2024} CREATE TABLE events_rest PARTITION OF events DEFAULT;`),
  },
  {
    name: 'a partition with a check and an index of its own',
    from: events(y2024),
    to: events(
      `${y2024} ALTER TABLE events_2024 ADD CONSTRAINT events_2024_id CHECK (id > 0); CREATE INDEX events_2024_payload ON events_2024 (payload);`,
    ),
  },
  {
    name: 'a foreign key from a partitioned table',
    from: `CREATE TABLE owners (id bigint PRIMARY KEY); ${events(y2024)}`,
    to: `CREATE TABLE owners (id bigint PRIMARY KEY); ${events(y2024).replace('payload text', 'payload text, owner bigint REFERENCES owners (id)')}`,
  },
  {
    name: 'row security on a partitioned table',
    from: events(y2024),
    to: `${events(y2024)} ALTER TABLE events ENABLE ROW LEVEL SECURITY; CREATE POLICY recent ON events USING (at > '2024-06-01');`,
  },

  // More policies, inheritance, identity and triggers.
  {
    name: 'a policy for a role, for all commands, with both expressions',
    from: t,
    to: `${t} ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON t FOR ALL TO postgres USING (a > 0) WITH CHECK (a < 100);`,
  },
  {
    name: 'a policy keeps its name and changes its command',
    from: `${t} CREATE POLICY p ON t FOR SELECT USING (a > 0);`,
    to: `${t} CREATE POLICY p ON t FOR DELETE USING (a > 0);`,
  },
  {
    name: 'an inheriting table with a check of its own and a parent check',
    from: `CREATE TABLE animal (id int CHECK (id > 0)); CREATE TABLE dog (bark text CHECK (bark <> '')) INHERITS (animal);`,
    to: `CREATE TABLE animal (id int CHECK (id > 0), name text); CREATE TABLE dog (bark text CHECK (bark <> ''), tail int) INHERITS (animal);`,
  },
  {
    name: 'identity options back to the defaults, and others set',
    from: `CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 3 CACHE 4), d int GENERATED BY DEFAULT AS IDENTITY);`,
    to: `CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, d int GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 2 MAXVALUE 1000 NO CYCLE));`,
  },
  {
    name: 'triggers enabled always and for replicas',
    from: `${t} ${touch} CREATE TRIGGER a BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch(); CREATE TRIGGER b BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch(); ALTER TABLE t DISABLE TRIGGER b;`,
    to: `${t} ${touch} CREATE TRIGGER a BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch(); ALTER TABLE t ENABLE ALWAYS TRIGGER a; CREATE TRIGGER b BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch(); ALTER TABLE t ENABLE REPLICA TRIGGER b;`,
  },
  {
    name: 'a trigger on a view that is rebuilt',
    from: `${t} CREATE VIEW v AS SELECT id, a FROM t; CREATE FUNCTION v_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$; CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION v_ins();`,
    to: `${t} CREATE VIEW v AS SELECT id, a, b FROM t; CREATE FUNCTION v_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$; CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION v_ins();`,
  },
  {
    name: 'a composite type with a collation and a comment, used in a function',
    from: '',
    to: `CREATE TYPE pair AS (k text COLLATE "C", v int); COMMENT ON TYPE pair IS 'key and value';
CREATE FUNCTION first_pair() RETURNS pair LANGUAGE sql AS $$ SELECT ROW('a', 1)::pair $$;`,
  },
  {
    name: 'storage parameters on a partition and toast options',
    from: events(y2024),
    to: `${events(y2024)} ALTER TABLE events_2024 SET (fillfactor = 60, toast.autovacuum_enabled = false);`,
  },
  {
    name: 'unlogged tables and replica identities',
    from: `CREATE TABLE a (id int PRIMARY KEY); CREATE UNLOGGED TABLE b (x int); CREATE TABLE c (id int NOT NULL); CREATE UNIQUE INDEX c_id ON c (id);`,
    to: `CREATE UNLOGGED TABLE a (id int PRIMARY KEY); CREATE TABLE b (x int); ALTER TABLE b REPLICA IDENTITY FULL;
CREATE TABLE c (id int NOT NULL); CREATE UNIQUE INDEX c_id ON c (id); ALTER TABLE c REPLICA IDENTITY USING INDEX c_id;`,
  },
  {
    name: 'new tables with replica identities',
    from: '',
    to: `CREATE TABLE a (id int PRIMARY KEY, x int); ALTER TABLE a REPLICA IDENTITY NOTHING;
CREATE TABLE b (id int NOT NULL); CREATE UNIQUE INDEX b_id ON b (id); ALTER TABLE b REPLICA IDENTITY USING INDEX b_id;`,
  },
];
