// Shadow loading: SDL runs in a temporary database that is always dropped, errors name the line.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { Engine } from '../../../src/domain/engine.js';
import { isDbchangeError } from '../../../src/errors.js';
import { loadSdlIntoShadow } from '../../../src/schema/index.js';
import { loadSdlIntoNamedShadow } from '../../../src/schema/shadow.js';
import { DEV_URL } from './support.js';

async function databaseExists(engine: Engine, name: string): Promise<boolean> {
  if (engine === 'postgres') {
    const c = new pg.Client({ connectionString: DEV_URL.postgres });
    await c.connect();
    try {
      return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    } finally {
      await c.end();
    }
  }
  const c = await mysql.createConnection(DEV_URL.mysql);
  try {
    const [rows] = await c.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    return (rows as unknown[]).length === 1;
  } finally {
    await c.end();
  }
}

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`shadow loading on ${engine}`, () => {
    it('a failing statement names its line and the database message, and the shadow database is dropped', async () => {
      const name = `dbchange_shadow_test_${randomBytes(4).toString('hex')}`;
      const sdl = 'CREATE TABLE a (id int);\n\n-- a comment\nCREATE TABLE b (\n  id int,\n  x no_such_type\n);\n';
      await assert.rejects(loadSdlIntoNamedShadow(engine, sdl, DEV_URL[engine], name), (e: unknown) => {
        assert.ok(isDbchangeError(e));
        // PostgreSQL points at the offending line inside the statement; MySQL at the statement.
        assert.match(
          e.message,
          engine === 'postgres'
            ? /^SDL line 6: type "no_such_type" does not exist/
            : /^SDL line 4: Unknown data type: 'no_such_type'/,
        );
        return true;
      });
      assert.equal(await databaseExists(engine, name), false);
    });

    it('a successful load drops its shadow database too', async () => {
      const name = `dbchange_shadow_test_${randomBytes(4).toString('hex')}`;
      const model = await loadSdlIntoNamedShadow(engine, 'CREATE TABLE a (id int);', DEV_URL[engine], name);
      assert.deepEqual(
        model.tables.map((t) => t.name),
        ['a'],
      );
      assert.equal(await databaseExists(engine, name), false);
    });

    it('statements that would leave the shadow database are refused', async () => {
      const leave = engine === 'postgres' ? 'CREATE DATABASE elsewhere' : 'USE mysql';
      await assert.rejects(
        loadSdlIntoShadow(engine, `CREATE TABLE a (id int);\n${leave};`, DEV_URL[engine]),
        /SDL line 2: .*would leave the shadow database/,
      );
    });

    it('a dev URL of the other engine is refused before anything is created', async () => {
      const other = engine === 'postgres' ? DEV_URL.mysql : DEV_URL.postgres;
      await assert.rejects(
        loadSdlIntoShadow(engine, 'CREATE TABLE a (id int);', other),
        new RegExp(`is not a ${engine} server`),
      );
    });
  });
}
