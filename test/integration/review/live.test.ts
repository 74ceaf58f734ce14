// The live-database rules against the real PostgreSQL and MariaDB servers, each in a fresh database.
import { after, before, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { freshDatabase, type FreshDatabase } from '../../support/db.js';
import { reviewLive, touchedTables, type PolicyRule, type Finding } from '../../../src/review/index.js';
import type { QueryFn } from '../../../src/targets/types.js';
import type { Engine } from '../../../src/domain/engine.js';

interface Conn {
  query: QueryFn;
  close(): Promise<void>;
}

async function connect(engine: Engine, url: string): Promise<Conn> {
  if (engine === 'postgres') {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return {
      query: (async (sql: string, params?: unknown[]) => (await c.query(sql, params)).rows) as QueryFn,
      close: () => c.end(),
    };
  }
  const c = await mysql.createConnection(url);
  return {
    query: (async (sql: string, params?: unknown[]) => {
      const [rows] = await c.query(sql, params);
      return Array.isArray(rows) ? rows : [];
    }) as QueryFn,
    close: () => c.end(),
  };
}

function one(rule: string, payload: Record<string, unknown> = {}): { rules: PolicyRule[] } {
  return { rules: [{ rule, level: 'ERROR', payload }] };
}

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`live review rules on ${engine}`, () => {
    let db: FreshDatabase;
    let conn: Conn;
    const live = (sql: string, rule: string, payload?: Record<string, unknown>): Promise<Finding[]> =>
      reviewLive({ engine, sql, policy: one(rule, payload), query: conn.query });

    before(async () => {
      db = await freshDatabase(engine, 'review_live');
      conn = await connect(engine, db.url);
      await conn.query('CREATE TABLE big (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, grp INT NOT NULL)');
      await conn.query('CREATE TABLE small (id INT PRIMARY KEY, name VARCHAR(20))');
      const values = Array.from({ length: 200 }, (_, i) => `(${i + 1}, 'n${i}', ${i % 2})`).join(', ');
      await conn.query(`INSERT INTO big (id, name, grp) VALUES ${values}`);
      await conn.query("INSERT INTO small (id, name) VALUES (1, 'a')");
      await conn.query(engine === 'postgres' ? 'ANALYZE' : 'ANALYZE TABLE big, small');
    });
    after(async () => {
      await conn?.close();
      await db?.drop();
    });

    it('statement.affected-row-limit flags an UPDATE estimated to touch more rows than the limit', async () => {
      const found = await live("UPDATE big SET name = 'x' WHERE grp >= 0", 'statement.affected-row-limit', {
        number: 50,
      });
      assert.equal(found.length, 1);
      assert.match(found[0]!.message, /estimated to touch \d+ rows, more than 50/);
    });

    it('statement.affected-row-limit accepts an UPDATE by primary key', async () => {
      assert.deepEqual(
        await live("UPDATE big SET name = 'x' WHERE id = 3", 'statement.affected-row-limit', { number: 50 }),
        [],
      );
    });

    it('statement.dml-dry-run reports a statement the database rejects, with its line', async () => {
      const found = await live(
        "UPDATE small SET name = 'ok' WHERE id = 1;\nUPDATE big SET nope = 1 WHERE id = 1;",
        'statement.dml-dry-run',
      );
      assert.equal(found.length, 1);
      assert.equal(found[0]!.line, 2);
      assert.match(found[0]!.message, /fails on the database/);
    });

    it('statement.dml-dry-run changes nothing in the database', async () => {
      assert.deepEqual(
        await live(
          "DELETE FROM big WHERE id <= 10; UPDATE small SET name = 'changed' WHERE id = 1",
          'statement.dml-dry-run',
        ),
        [],
      );
      const big = await conn.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM big');
      const small = await conn.query<{ name: string }>('SELECT name FROM small WHERE id = 1');
      assert.equal(Number(big[0]!.n), 200);
      assert.equal(small[0]!.name, 'a');
    });

    it('table.limit-size flags DDL on a table with more rows than the limit only', async () => {
      const found = await live(
        'ALTER TABLE big ADD COLUMN c INT;\nALTER TABLE small ADD COLUMN c INT;',
        'table.limit-size',
        { number: 100 },
      );
      assert.deepEqual(
        found.map((f) => f.line),
        [1],
      );
    });

    it('the walk-through flags tables and columns that will not exist and objects that already do', async () => {
      const sql = [
        'CREATE TABLE big (id INT PRIMARY KEY)',
        'ALTER TABLE missing ADD COLUMN a INT',
        'ALTER TABLE big ADD COLUMN name VARCHAR(5)',
        'ALTER TABLE big DROP COLUMN nope',
        'INSERT INTO ghost (a) VALUES (1)',
        'CREATE TABLE fresh (id INT PRIMARY KEY)',
        'ALTER TABLE fresh ADD COLUMN a INT',
        'CREATE INDEX idx_fresh_a ON fresh (a)',
        'CREATE INDEX idx_fresh_a2 ON fresh (zzz)',
        'DROP TABLE fresh',
        'UPDATE fresh SET a = 1 WHERE id = 1',
      ].join(';\n');
      const found = await live(sql, 'builtin.walk-through-check');
      assert.deepEqual(
        found.map((f) => f.line),
        [1, 2, 3, 4, 5, 9, 11],
      );
      assert.match(found[0]!.message, /Table big already exists/);
      assert.match(found[1]!.message, /Table missing does not exist/);
      assert.match(found[2]!.message, /Column name already exists/);
      assert.match(found[3]!.message, /Column nope does not exist/);
    });

    it('the walk-through sees the rows: NOT NULL without default, duplicates under a unique key, orphans under a foreign key', async () => {
      await conn.query('CREATE TABLE customers (id INT PRIMARY KEY, region VARCHAR(5), code INT, parent_id INT)');
      await conn.query('CREATE TABLE empty_t (id INT PRIMARY KEY)');
      await conn.query(
        "INSERT INTO customers (id, region, code, parent_id) VALUES (1, 'eu', 7, NULL), (2, NULL, 7, 1), (3, 'us', 8, 99)",
      );
      const sql = [
        'ALTER TABLE customers ADD COLUMN tier INT NOT NULL',
        'ALTER TABLE empty_t ADD COLUMN tier INT NOT NULL',
        'ALTER TABLE customers ADD COLUMN score INT NOT NULL DEFAULT 0',
        'ALTER TABLE customers\n  ADD CONSTRAINT customers_code_key UNIQUE (code)',
        'CREATE UNIQUE INDEX customers_region_key ON customers (region)',
        'ALTER TABLE customers ADD CONSTRAINT customers_parent_fk FOREIGN KEY (parent_id) REFERENCES customers (id)',
        'ALTER TABLE customers ADD COLUMN REGION INT',
      ].join(';\n');
      const found = await live(sql, 'builtin.walk-through-check');
      assert.deepEqual(
        found.map((f) => [f.line, /customers|empty_t/.exec(f.message)?.[0]]),
        [
          [1, 'customers'],
          [5, 'customers'],
          [7, 'customers'],
          [8, 'customers'],
        ],
      );
      assert.match(found[0]!.message, /Column tier is added NOT NULL without a DEFAULT to customers, which has rows/);
      assert.match(found[1]!.message, /UNIQUE customers_code_key \(code\) on customers fails/);
      assert.match(
        found[2]!.message,
        /FOREIGN KEY \(parent_id\) on customers fails: some rows have no matching customers/,
      );
      assert.match(found[3]!.message, /Column region already exists in customers/i);
      if (engine === 'postgres') {
        const nulls = await live(
          'ALTER TABLE customers ALTER COLUMN region SET NOT NULL',
          'builtin.walk-through-check',
        );
        assert.match(nulls[0]?.message ?? '', /Column region of customers holds NULLs/);
      }
    });

    it('the walk-through accepts a script that fits the live schema', async () => {
      assert.deepEqual(
        await live(
          "ALTER TABLE small ADD COLUMN note VARCHAR(10);\nUPDATE small SET note = 'x' WHERE id = 1",
          'builtin.walk-through-check',
        ),
        [],
      );
    });

    if (engine === 'mysql') {
      it('database.drop-empty-database flags dropping a database that still has tables', async () => {
        const found = await live(
          `DROP DATABASE \`${db.name}\`;\nDROP DATABASE IF EXISTS no_such_db_${randomBytes(3).toString('hex')}`,
          'database.drop-empty-database',
        );
        assert.deepEqual(
          found.map((f) => f.line),
          [1],
        );
      });

      it('advice.online-migration suggests an online tool for ALTER on a table above the threshold', async () => {
        const found = await live(
          'ALTER TABLE big ADD COLUMN c INT;\nALTER TABLE small ADD COLUMN c INT',
          'advice.online-migration',
          { number: 100 },
        );
        assert.deepEqual(
          found.map((f) => f.line),
          [1],
        );
        assert.match(found[0]!.message, /gh-ost/);
      });
    }

    if (engine === 'postgres') {
      it('statement.object-owner-check flags DDL on a table another role owns', async () => {
        const role = `r_${randomBytes(4).toString('hex')}`;
        await conn.query(`CREATE ROLE ${role}`);
        try {
          await conn.query('CREATE TABLE owned (id INT)');
          await conn.query(`ALTER TABLE owned OWNER TO ${role}`);
          const found = await live(
            'ALTER TABLE owned ADD COLUMN a INT;\nALTER TABLE small ADD COLUMN a INT',
            'statement.object-owner-check',
          );
          assert.deepEqual(
            found.map((f) => f.line),
            [1],
          );
          assert.match(found[0]!.message, new RegExp(`owned by ${role}`));
        } finally {
          await conn.query('DROP TABLE IF EXISTS owned');
          await conn.query(`DROP ROLE ${role}`);
        }
      });
    }

    it('the blast radius sizes each table a script touches from the live catalog, largest first, and names the rule that knows it rewrites the table', async () => {
      const catalog =
        engine === 'postgres'
          ? "SELECT c.relname AS t, c.reltuples::bigint AS n, pg_total_relation_size(c.oid) AS bytes FROM pg_class c WHERE c.relname IN ('big', 'small')"
          : "SELECT table_name AS t, table_rows AS n, data_length AS bytes FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('big', 'small')";
      const sizes = new Map(
        (await conn.query<{ t: string; n: unknown; bytes: unknown }>(catalog)).map((r) => [
          String(r.t),
          { rows: Number(r.n), bytes: Number(r.bytes) },
        ]),
      );
      const alter =
        engine === 'postgres' ? 'ALTER TABLE big ALTER COLUMN name TYPE text' : 'ALTER TABLE big MODIFY name TEXT';
      const touched = await touchedTables({
        engine,
        sql: `UPDATE small SET name = 'b' WHERE id = 1;\n${alter};\nCREATE TABLE fresh (id INT PRIMARY KEY);\nCREATE INDEX fresh_id ON fresh (id);`,
        query: conn.query,
      });
      assert.deepEqual(touched, [
        { table: 'big', ...sizes.get('big')!, effects: ['rewrites'], rules: ['changing-column-type'] },
        { table: 'small', ...sizes.get('small')!, effects: [], rules: [] },
      ]);
      if (engine === 'postgres') assert.equal(touched[0]!.rows, 200);
    });

    if (engine === 'postgres')
      it('the blast radius knows that a plain CREATE INDEX locks the table', async () => {
        const [t] = await touchedTables({ engine, sql: 'CREATE INDEX big_grp ON big (grp);', query: conn.query });
        assert.deepEqual(
          { table: t?.table, effects: t?.effects, rules: t?.rules },
          { table: 'big', effects: ['locks'], rules: ['require-concurrent-index-creation'] },
        );
      });
  });
}
