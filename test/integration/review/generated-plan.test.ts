// The DDL dbchange generates for a desired-schema change passes its own review under the default
// policies, on both engines, against real databases.
import { after, before, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import type { Engine } from '../../../src/domain/engine.js';
import { diffSchemas, introspectUrl, loadSdlIntoShadow, renderDdl } from '../../../src/schema/index.js';
import { DEFAULT_POLICY, DEFAULT_PRODUCTION_POLICY, reviewScript } from '../../../src/review/index.js';
import { freshDatabase, MYSQL_ADMIN_URL, PG_ADMIN_URL, type FreshDatabase } from '../../support/db.js';
import { query } from '../../support/sql.js';

const DEV_URL: Record<Engine, string> = { postgres: PG_ADMIN_URL, mysql: MYSQL_ADMIN_URL };

// Customers and orders exist with rows; the desired schema adds columns to both, an index and a
// foreign key on orders: the generator builds the index CONCURRENTLY (PostgreSQL), adds the key
// NOT VALID and validates it in a statement of its own, so its ALTERs on orders cannot be one.
const LIVE: Record<Engine, string[]> = {
  postgres: [
    'CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL)',
    'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total numeric(10,2) NOT NULL)',
    "INSERT INTO customers VALUES (1, 'a@example.com')",
    'INSERT INTO orders VALUES (1, 1, 9.5)',
  ],
  mysql: [
    'CREATE TABLE customers (id bigint NOT NULL PRIMARY KEY, email varchar(200) NOT NULL) ENGINE=InnoDB',
    'CREATE TABLE orders (id bigint NOT NULL PRIMARY KEY, customer_id bigint NOT NULL, total decimal(10,2) NOT NULL) ENGINE=InnoDB',
    "INSERT INTO customers VALUES (1, 'a@example.com')",
    'INSERT INTO orders VALUES (1, 1, 9.5)',
  ],
};
const DESIRED: Record<Engine, string> = {
  postgres: `CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, region text, currency char(3) DEFAULT 'EUR');
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  total numeric(10,2) NOT NULL,
  note text
);
CREATE INDEX orders_customer_id ON orders (customer_id);
`,
  mysql: `CREATE TABLE customers (id bigint NOT NULL PRIMARY KEY, email varchar(200) NOT NULL, region varchar(50), currency char(3) DEFAULT 'EUR') ENGINE=InnoDB;
CREATE TABLE orders (
  id bigint NOT NULL PRIMARY KEY,
  customer_id bigint NOT NULL,
  total decimal(10,2) NOT NULL,
  note varchar(200),
  KEY orders_customer_id (customer_id),
  CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB;
`,
};

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`generated DDL of a desired-schema change on ${engine}`, () => {
    let db: FreshDatabase;
    let ddl: string;
    before(async () => {
      db = await freshDatabase(engine, 'generated_plan');
      for (const sql of LIVE[engine]) await query(db, sql);
      const [have, want] = await Promise.all([
        introspectUrl(db.url),
        loadSdlIntoShadow(engine, DESIRED[engine], DEV_URL[engine]),
      ]);
      ddl = renderDdl(diffSchemas(have, want));
    });
    after(() => db?.drop());

    it('adds the columns, the index and the foreign key', () => {
      for (const part of ['region', 'currency', 'note', 'orders_customer_id', 'FOREIGN KEY'])
        assert.ok(ddl.includes(part), `${part} missing from:\n${ddl}`);
    });

    it('draws no finding from the default policies, before production and in it', () => {
      for (const policy of [DEFAULT_POLICY, DEFAULT_PRODUCTION_POLICY]) {
        const { findings } = reviewScript({ engine, sql: ddl, policy, generated: true });
        assert.deepEqual(findings, [], ddl);
      }
    });

    if (engine === 'postgres')
      it('reviewed as a hand-written script, the same DDL still draws the statement-layout findings', () => {
        const { findings } = reviewScript({ engine, sql: ddl, policy: DEFAULT_POLICY });
        const rules = new Set(findings.map((f) => f.rule));
        assert.ok(rules.has('statement.merge-alter-table'), JSON.stringify(findings));
        assert.ok(rules.has('statement.non-transactional'), JSON.stringify(findings));
      });
  });
}
