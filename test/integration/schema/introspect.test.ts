// Introspection and dumps on real databases, for both engines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SchemaConnection } from '../../../src/schema/connection.js';
import {
  diffSchemas,
  dumpSdl,
  introspect,
  introspectUrl,
  loadSdlIntoShadow,
  schemaEquals,
} from '../../../src/schema/index.js';
import { runSdl } from '../../../src/schema/shadow.js';
import { freshDatabase, type FreshDatabase } from '../../support/db.js';
import { connect, DEV_URL } from './support.js';

const RICH = {
  postgres: `
    CREATE SCHEMA app;
    CREATE TYPE mood AS ENUM ('sad', 'ok');
    CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE, m mood DEFAULT 'ok', at timestamptz DEFAULT now());
    CREATE TABLE app.posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id int REFERENCES users(id), title text);
    CREATE INDEX posts_title ON app.posts (lower(title)) WHERE title IS NOT NULL;
    CREATE VIEW app.v AS SELECT p.id, u.email FROM app.posts p JOIN users u ON u.id = p.user_id;
    CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END; $$;
    CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
    CREATE DOMAIN app.score AS smallint DEFAULT 0 NOT NULL CONSTRAINT score_range CHECK (VALUE BETWEEN 0 AND 10);
    CREATE TABLE app.ratings (post_id bigint, score app.score, history app.score[]);
    CREATE MATERIALIZED VIEW app.mv AS SELECT v.email, count(*) AS n FROM app.v GROUP BY v.email;
    CREATE UNIQUE INDEX mv_email ON app.mv (email);
    COMMENT ON MATERIALIZED VIEW app.mv IS 'posts per email';
    COMMENT ON INDEX app.mv_email IS 'one row per email';
    COMMENT ON VIEW app.v IS 'posts with emails';
    COMMENT ON FUNCTION touch() IS 'sets at';
    COMMENT ON SEQUENCE users_id_seq IS 'user ids';
    COMMENT ON INDEX app.posts_title IS 'by title';
    COMMENT ON TYPE mood IS 'moods';
    COMMENT ON DOMAIN app.score IS '0 to 10';
  `,
  mysql: `
    CREATE TABLE users (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, at timestamp NULL) COMMENT='people';
    CREATE TABLE posts (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id int, title text, CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id));
    CREATE VIEW v AS SELECT p.id, u.email FROM posts p JOIN users u ON u.id = p.user_id;
    CREATE TRIGGER users_bi BEFORE INSERT ON users FOR EACH ROW BEGIN SET NEW.at = now(); END;
    CREATE FUNCTION add1(x INT) RETURNS INT DETERMINISTIC RETURN x + 1;
  `,
} as const;

const LEDGER = {
  postgres: `CREATE TABLE dbchange_ledger (id serial PRIMARY KEY, task_id text UNIQUE); CREATE INDEX dbchange_ledger_t ON dbchange_ledger (task_id);
             CREATE TABLE agenda_jobs (id int); CREATE TABLE dbchange_other (id int);`,
  mysql: `CREATE TABLE dbchange_ledger (id int AUTO_INCREMENT PRIMARY KEY, task_id varchar(64) UNIQUE); CREATE TABLE agenda_jobs (id int);`,
} as const;

const INSERT_ROWS = {
  postgres: `INSERT INTO users (email) VALUES ('a@x'), ('b@x')`,
  mysql: `INSERT INTO users (email) VALUES ('a@x'), ('b@x')`,
} as const;

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`introspection on ${engine}`, () => {
    let db: FreshDatabase;
    let conn: SchemaConnection;
    before(async () => {
      db = await freshDatabase(engine, 'introspect');
      conn = await connect(engine, db.url);
      await runSdl(engine, conn, RICH[engine]);
    });
    after(async () => {
      await conn.close();
      await db.drop();
    });

    it('re-dumping an unchanged database gives byte-identical text', async () => {
      const first = dumpSdl(await introspect(engine, conn.query));
      const second = dumpSdl(await introspectUrl(db.url));
      assert.equal(second, first);
      assert.match(first, /CREATE TABLE/);
    });

    it('loading the dump into an empty database and dumping again gives the same text', async () => {
      const model = await introspect(engine, conn.query);
      const reloaded = await loadSdlIntoShadow(engine, dumpSdl(model), DEV_URL[engine]);
      assert.equal(dumpSdl(reloaded), dumpSdl(model));
      assert.ok(schemaEquals(reloaded, model));
    });

    it('the same SDL in a differently named database gives an equal model', async () => {
      const shadow = await loadSdlIntoShadow(engine, RICH[engine], DEV_URL[engine]);
      assert.ok(schemaEquals(shadow, await introspect(engine, conn.query)));
    });

    it("the bot's ledger and queue tables are never part of a model, a dump or a diff", async () => {
      const without = await introspect(engine, conn.query);
      await runSdl(engine, conn, LEDGER[engine]);
      try {
        const withLedger = await introspect(engine, conn.query);
        assert.ok(schemaEquals(withLedger, without));
        assert.doesNotMatch(dumpSdl(withLedger), /dbchange_|agenda_jobs/);
        assert.deepEqual(diffSchemas(withLedger, without), []);
      } finally {
        await runSdl(
          engine,
          conn,
          `DROP TABLE dbchange_ledger; DROP TABLE agenda_jobs;${engine === 'postgres' ? ' DROP TABLE dbchange_other;' : ''}`,
        );
      }
    });

    it('rows, auto-increment counters and sequence positions are not schema', async () => {
      const beforeRows = await introspect(engine, conn.query);
      await conn.exec(INSERT_ROWS[engine]);
      if (engine === 'mysql') await conn.exec('ANALYZE TABLE users');
      assert.ok(schemaEquals(await introspect(engine, conn.query), beforeRows));
    });

    if (engine === 'mysql') {
      it('explicit table options, a primary key comment and checks written on a column are in the model', async () => {
        const sdl = `CREATE TABLE o (id int, state varchar(9) CHECK (state <> ''), PRIMARY KEY (id) COMMENT 'the id',
          CONSTRAINT o_id CHECK (id > 0)) ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8;`;
        const [o] = (await loadSdlIntoShadow(engine, sdl, DEV_URL[engine])).tables;
        assert.deepEqual(o!.options?.createOptions, ['row_format=COMPRESSED', 'key_block_size=8']);
        assert.equal(
          o!.constraints.find((c) => c.kind === 'primary-key')!.definition,
          "PRIMARY KEY (`id`) COMMENT 'the id'",
        );
        assert.deepEqual(o!.columnChecks, ['state']);
      });
    }

    if (engine === 'postgres') {
      it("a constraint's comment is in the model, and a diff sets it and takes it away", async () => {
        const bare = 'CREATE TABLE c (a int CONSTRAINT c_a_positive CHECK (a > 0), CONSTRAINT c_pk PRIMARY KEY (a));';
        const noted = `${bare} COMMENT ON CONSTRAINT c_a_positive ON c IS 'positive'; COMMENT ON CONSTRAINT c_pk ON c IS 'the key';`;
        const [c] = (await loadSdlIntoShadow(engine, noted, DEV_URL[engine])).tables;
        assert.deepEqual(
          c!.constraints.map((k) => [k.name, k.comment]),
          [
            ['c_a_positive', 'positive'],
            ['c_pk', 'the key'],
          ],
        );
        const there = await freshDatabase(engine, 'constraint_comment');
        const other = await connect(engine, there.url);
        try {
          await runSdl(engine, other, bare);
          for (const [from, to] of [
            [bare, noted],
            [noted, bare],
          ] as const) {
            const want = await loadSdlIntoShadow(engine, to, DEV_URL[engine]);
            const changes = diffSchemas(await introspect(engine, other.query), want);
            assert.ok(
              changes.every((k) => k.kind === 'comment'),
              `only comments change from ${from}`,
            );
            for (const k of changes) await other.exec(k.sql);
            assert.equal(dumpSdl(await introspect(engine, other.query)), dumpSdl(want));
          }
        } finally {
          await other.close();
          await there.drop();
        }
      });

      it('read in one round trip with statements kept prepared, or one query at a time, the model is the same', async () => {
        const sent: string[] = [];
        const counted = Object.assign(
          <R>(text: string, params?: unknown[]) => {
            sent.push(text);
            return conn.query<R>(text, params);
          },
          {
            prepared: (statements: Parameters<NonNullable<typeof conn.query.prepared>>[0]) => {
              sent.push(`batch of ${statements.length}`);
              return conn.query.prepared!(statements);
            },
          },
        );
        // Without `prepared` (another engine's QueryFn, a wrapper): one query per part.
        const oneByOne = await introspect(engine, (text, params) => conn.query(text, params));
        const first = await introspect(engine, counted);
        assert.equal(sent.length, 3, 'search_path cleared, the whole schema, search_path restored');
        assert.ok(schemaEquals(first, oneByOne));
        assert.equal(dumpSdl(first), dumpSdl(oneByOne));
        const kept = await conn.query<{ name: string }>(
          "SELECT name FROM pg_prepared_statements WHERE name LIKE 'dbchange\\_schema\\_%'",
        );
        assert.equal(kept.length, 17);
        assert.deepEqual(await conn.query('SHOW search_path'), [{ search_path: '"$user", public' }]);
        // The planner settings it was planned with lasted only as long as its round trip.
        assert.deepEqual(await conn.query('SHOW join_collapse_limit'), [{ join_collapse_limit: '8' }]);

        // The second read on the connection runs the prepared statements and still sees every change.
        await conn.exec('CREATE TABLE app.prepared_seen (id int PRIMARY KEY, note text)');
        try {
          const second = await introspect(engine, counted);
          assert.deepEqual(
            second.tables.find((t) => t.name === 'prepared_seen')?.columns.map((c) => c.name),
            ['id', 'note'],
          );
          assert.equal(dumpSdl(second), dumpSdl(await introspect(engine, (text, params) => conn.query(text, params))));
        } finally {
          await conn.exec('DROP TABLE app.prepared_seen');
        }
      });

      it('a connection where a batch failed part way reads one query at a time from then on', async () => {
        const other = await connect(engine, db.url);
        try {
          // A statement of that name already there: the batch fails at its PREPARE.
          await other.exec('PREPARE dbchange_schema_tables_v2 AS SELECT 1');
          await assert.rejects(introspect(engine, other.query), /already exists/);
          const model = await introspect(engine, other.query);
          assert.equal(dumpSdl(model), dumpSdl(await introspect(engine, conn.query)));
          assert.deepEqual(await other.query('SHOW search_path'), [{ search_path: '"$user", public' }]);
        } finally {
          await other.close();
        }
      });

      it('domains, materialized views with their indexes, and comments are in the model', async () => {
        const m = await introspect(engine, conn.query);
        assert.deepEqual(m.domains, [
          {
            schema: 'app',
            name: 'score',
            type: 'smallint',
            default: '0',
            notNull: true,
            constraints: [{ name: 'score_range', definition: 'CHECK (((VALUE >= 0) AND (VALUE <= 10)))' }],
            comment: '0 to 10',
          },
        ]);
        const ratings = m.tables.find((t) => t.name === 'ratings')!;
        assert.deepEqual(
          ratings.columns.map((c) => c.type),
          ['bigint', 'app.score', 'app.score[]'],
        );
        assert.deepEqual(
          m.matviews.map((v) => ({ ...v, definition: v.definition.replace(/\s+/g, ' ') })),
          [
            {
              schema: 'app',
              name: 'mv',
              definition: 'SELECT v.email, count(*) AS n FROM app.v GROUP BY v.email',
              indexes: [
                {
                  name: 'mv_email',
                  unique: true,
                  definition: 'CREATE UNIQUE INDEX mv_email ON app.mv USING btree (email)',
                  comment: 'one row per email',
                },
              ],
              comment: 'posts per email',
            },
          ],
        );
        assert.equal(m.views.find((v) => v.name === 'v')!.comment, 'posts with emails');
        assert.equal(m.routines.find((r) => r.name === 'touch')!.comment, 'sets at');
        assert.equal(m.sequences.find((q) => q.name === 'users_id_seq')!.comment, 'user ids');
        assert.equal(m.tables.find((t) => t.name === 'posts')!.indexes[0]!.comment, 'by title');
        assert.equal(m.enums[0]!.comment, 'moods');
      });

      it("introspection leaves the connection's search_path as it found it", async () => {
        await conn.exec('SET search_path = app, public');
        const model = await introspect(engine, conn.query);
        const [row] = await conn.query<{ search_path: string }>('SHOW search_path');
        assert.equal(row!.search_path, 'app, public');
        await conn.exec('RESET search_path');
        assert.ok(
          schemaEquals(model, await introspect(engine, conn.query)),
          'the search_path does not change the model',
        );
      });
    }
  });
}
