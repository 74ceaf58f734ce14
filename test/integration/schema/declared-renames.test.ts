// Declared renames against the real servers: the plan renames in place (nothing destructive, no
// rebuild), keeps the rows, and leaves the database equal to the desired schema.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../../src/domain/engine.js';
import type { SchemaConnection } from '../../../src/schema/connection.js';
import { diffSchemas, introspect, loadSdlIntoShadow, renderDdl, schemaEquals } from '../../../src/schema/index.js';
import { renameHints } from '../../../src/schema/renames.js';
import { runSdl } from '../../../src/schema/shadow.js';
import { splitStatements } from '../../../src/sql/split.js';
import { type FreshDatabase, freshDatabase } from '../../support/db.js';
import { connect, DEV_URL, emptyDatabase } from './support.js';

interface RenameCase {
  name: string;
  from: string;
  /** Rows put into the live database before the change; `check` must still find them after. */
  rows: string;
  to: string;
  check: string;
  /** Kinds the plan must consist of, in order. */
  kinds: string[];
}

const CASES: Record<Engine, RenameCase[]> = {
  postgres: [
    {
      name: 'an index named in a block comment of CREATE INDEX',
      from: 'CREATE TABLE t (a int); CREATE INDEX t_a_old ON t (a);',
      rows: 'INSERT INTO t VALUES (1)',
      to: 'CREATE TABLE t (a int);\nCREATE INDEX t_a_new /* @renamed from=t_a_old */ ON t (a);',
      check: 'SELECT a FROM t',
      kinds: ['rename-index'],
    },
    {
      name: 'a unique constraint named on its line in CREATE TABLE',
      from: 'CREATE TABLE t (a int, CONSTRAINT t_a_was UNIQUE (a));',
      rows: 'INSERT INTO t VALUES (1)',
      to: 'CREATE TABLE t (\n  a int,\n  CONSTRAINT t_a_is UNIQUE (a) -- @renamed from=t_a_was\n);',
      check: 'SELECT a FROM t',
      kinds: ['rename-constraint'],
    },
    {
      name: 'an enum type a column and its default use, and one of its values',
      from: "CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE t (m mood NOT NULL DEFAULT 'ok');",
      rows: "INSERT INTO t VALUES ('sad'), ('ok')",
      to: "CREATE TYPE feeling /* @renamed from=mood */ AS ENUM (\n  'sad',\n  'fine' -- @renamed from=ok\n);\nCREATE TABLE t (m feeling NOT NULL DEFAULT 'fine');",
      check: "SELECT m FROM t WHERE m = 'fine'",
      kinds: ['rename-type', 'alter-type'],
    },
    {
      name: 'a table named in a block comment before its columns',
      from: 'CREATE TABLE old_t (a int);',
      rows: 'INSERT INTO old_t VALUES (1)',
      to: 'CREATE TABLE new_t /* @renamed from=old_t */ (a int);',
      check: 'SELECT a FROM new_t',
      kinds: ['rename-table'],
    },
  ],
  mysql: [
    {
      name: 'a key named on its line in CREATE TABLE',
      from: 'CREATE TABLE t (a int, KEY t_a_old (a));',
      rows: 'INSERT INTO t VALUES (1)',
      to: 'CREATE TABLE t (\n  a int,\n  KEY t_a_new (a) -- @renamed from=t_a_old\n);',
      check: 'SELECT a FROM t',
      kinds: ['rename-index'],
    },
    {
      name: 'a unique index named in a block comment of CREATE INDEX',
      from: 'CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a_old ON t (a);',
      rows: 'INSERT INTO t VALUES (1)',
      to: 'CREATE TABLE t (a int);\nCREATE UNIQUE INDEX t_a_new /* @renamed from=t_a_old */ ON t (a);',
      check: 'SELECT a FROM t',
      kinds: ['rename-index'],
    },
    {
      name: 'a column named in a block comment after it',
      from: 'CREATE TABLE t (id int, heading varchar(20));',
      rows: "INSERT INTO t VALUES (1, 'x')",
      to: 'CREATE TABLE t (\n  id int,\n  title varchar(20) /* @renamed from=heading */\n);',
      check: "SELECT title FROM t WHERE title = 'x'",
      kinds: ['rename-column'],
    },
  ],
};

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`declared renames on ${engine}`, () => {
    let db: FreshDatabase;
    let conn: SchemaConnection;
    before(async () => {
      db = await freshDatabase(engine, 'renames');
      conn = await connect(engine, db.url);
    });
    after(async () => {
      await conn.close();
      await db.drop();
    });

    for (const c of CASES[engine]) {
      it(`${c.name} is renamed in place and keeps its rows`, async () => {
        await emptyDatabase(engine, conn, db.name);
        await runSdl(engine, conn, c.from);
        await conn.exec(c.rows);
        const to = await loadSdlIntoShadow(engine, c.to, DEV_URL[engine]);
        const changes = diffSchemas(await introspect(engine, conn.query), to, { renames: renameHints(c.to, engine) });
        assert.deepEqual(
          changes.map((x) => x.kind),
          c.kinds,
          renderDdl(changes),
        );
        assert.ok(!changes.some((x) => x.destructive), renderDdl(changes));
        for (const st of splitStatements(renderDdl(changes), engine)) await conn.exec(st.sql);
        assert.ok(schemaEquals(await introspect(engine, conn.query), to), 'the database is the desired schema');
        assert.ok((await conn.query(c.check)).length > 0, 'the rows are still there');
      });
    }
  });
}
