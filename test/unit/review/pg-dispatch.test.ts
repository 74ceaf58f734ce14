// PostgreSQL rules dispatched by statement node kind, and the per-statement facts rules share.
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { STATIC_RULES } from '../../../src/review/catalog.js';
import { readStatements } from '../../../src/review/engine.js';
import type { RuleContext } from '../../../src/review/types.js';
import type { Statement } from '../../../src/review/statement.js';
import { alterCommands, constraintsOf, kindOf } from '../../../src/review/rules/squawk/ast.js';
import { definedPgColumns } from '../../../src/review/rules/squawk/columns.js';

const dir = new URL('../../fixtures/squawk/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => readFileSync(new URL(f, dir), 'utf8'));
// Statements of many node kinds, each of which some rule flags on the kinds it names.
const extra = `
CREATE TABLE t (id serial PRIMARY KEY, c char(3), v varchar(10), ts timestamp, s smallint);
ALTER TABLE t ADD COLUMN a int NOT NULL, ADD CONSTRAINT u UNIQUE (a), ALTER COLUMN v TYPE text;
ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES o (id), DROP COLUMN c, ALTER COLUMN a DROP NOT NULL;
ALTER TABLE t ALTER COLUMN a SET NOT NULL, ADD PRIMARY KEY (id), DETACH PARTITION p;
CREATE INDEX i ON t (a); CREATE INDEX CONCURRENTLY j ON t (a); DROP INDEX i; DROP TABLE t; DROP DATABASE d;
TRUNCATE t CASCADE; ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE t RENAME TO u; ALTER TYPE e ADD VALUE 'x';
CREATE DOMAIN d AS int CHECK (VALUE > 0); ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 1);
UPDATE t SET a = 1, a = 2; CREATE VIEW w AS SELECT 1; CREATE SEQUENCE q; ALTER SEQUENCE q RESTART;
BEGIN; CREATE TABLE n (id int); CREATE INDEX k ON n (id); COMMIT; SELECT 1; VACUUM FULL t; REINDEX TABLE t;
`;
const scripts = [...fixtures, extra].map((sql) => readStatements(sql, 'postgres'));

function findingsOf(check: NonNullable<(typeof STATIC_RULES)[number]['check']>, s: Statement, all: Statement[]) {
  const out: number[] = [];
  for (const assumeInTransaction of [false, true])
    for (const pgVersion of [undefined, 10, 12]) {
      const ctx: RuleContext = {
        engine: 'postgres',
        payload: {},
        statements: all,
        ...(pgVersion !== undefined ? { pgVersion } : {}),
        ...(assumeInTransaction ? { assumeInTransaction } : {}),
        report: (_s, _m, pos) => out.push(pos ?? -1),
      };
      check(s, ctx);
    }
  return out;
}

describe('PostgreSQL rules dispatched by node kind', () => {
  const withNodes = STATIC_RULES.filter((r) => r.nodes && r.check);
  it('covers the Squawk rules that read one kind of statement', () => {
    assert.ok(withNodes.length >= 25, `${withNodes.length} rules name their node kinds`);
  });
  for (const rule of withNodes) {
    it(`${rule.id} flags nothing on a statement of a kind it does not name, and flags the kinds it names`, () => {
      let flaggedNamed = 0;
      for (const all of scripts)
        for (const s of all) {
          const found = findingsOf(rule.check!, s, all);
          if (rule.nodes!.includes(s.node)) flaggedNamed += found.length;
          else assert.deepEqual(found, [], `${rule.id} on ${s.node}: ${s.sql}`);
        }
      assert.ok(flaggedNamed > 0, `${rule.id} flags some statement of the kinds it names`);
    });
  }
});

describe('per-statement facts', () => {
  it('Statement.node is the kind of the statement’s AST node, and empty without one', () => {
    for (const all of scripts) for (const s of all) assert.equal(s.node, kindOf(s.ast));
    const [bad] = readStatements('SELEC 1', 'postgres');
    assert.equal(bad!.node, '');
  });
  it('a cached fact is computed once, from the statement it is given, and equals a fresh read', () => {
    const [s] = readStatements('ALTER TABLE t ADD COLUMN a int NOT NULL, ADD COLUMN b text', 'postgres');
    let calls = 0;
    const read = (x: Statement): number => {
      calls++;
      assert.equal(x, s);
      return x.index + 41;
    };
    assert.equal(s!.cached('test.fact', read), 41);
    assert.equal(s!.cached('test.fact', read), 41);
    assert.equal(calls, 1);
    const cols = definedPgColumns(s!);
    assert.equal(definedPgColumns(s!), cols);
    const [fresh] = readStatements(s!.sql, 'postgres');
    assert.deepEqual(definedPgColumns(fresh!), cols);
    assert.deepEqual(
      alterCommands(fresh!).map((c) => c.pos),
      alterCommands(s!).map((c) => c.pos),
    );
    assert.deepEqual(
      cols.map((c) => c.colname),
      ['a', 'b'],
    );
  });
  it('constraintsOf reads a column’s constraints in order, and none when it has none', () => {
    const [s] = readStatements('CREATE TABLE t (a int NOT NULL DEFAULT 1 UNIQUE, b int)', 'postgres');
    const [a, b] = definedPgColumns(s!);
    assert.deepEqual(
      constraintsOf(a!).map((c) => c.contype),
      ['CONSTR_NOTNULL', 'CONSTR_DEFAULT', 'CONSTR_UNIQUE'],
    );
    assert.deepEqual(constraintsOf(b!), []);
  });
});
