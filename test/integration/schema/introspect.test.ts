// Introspection and dumps on real databases, for both engines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SchemaConnection } from '../../../src/schema/connection.js';
import { diffSchemas, dumpSdl, introspect, introspectUrl, loadSdlIntoShadow, schemaEquals } from '../../../src/schema/index.js';
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
        await runSdl(engine, conn, `DROP TABLE dbchange_ledger; DROP TABLE agenda_jobs;${engine === 'postgres' ? ' DROP TABLE dbchange_other;' : ''}`);
      }
    });

    it('rows, auto-increment counters and sequence positions are not schema', async () => {
      const beforeRows = await introspect(engine, conn.query);
      await conn.exec(INSERT_ROWS[engine]);
      if (engine === 'mysql') await conn.exec('ANALYZE TABLE users');
      assert.ok(schemaEquals(await introspect(engine, conn.query), beforeRows));
    });

    if (engine === 'postgres') {
      it("introspection leaves the connection's search_path as it found it", async () => {
        await conn.exec('SET search_path = app, public');
        const model = await introspect(engine, conn.query);
        const [row] = await conn.query<{ search_path: string }>('SHOW search_path');
        assert.equal(row!.search_path, 'app, public');
        await conn.exec('RESET search_path');
        assert.ok(schemaEquals(model, await introspect(engine, conn.query)), 'the search_path does not change the model');
      });
    }
  });
}
