import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  diffSchemas,
  dumpSdl,
  emptyModel,
  renderDdl,
  schemaEquals,
  type SchemaModel,
} from '../../../src/schema/index.js';
import { isIgnoredTable } from '../../../src/schema/model.js';
import { col, model, mysqlTable, table } from './builders.js';

describe('schema model', () => {
  it('a pure column reorder is not a schema change on either engine', () => {
    for (const engine of ['postgres', 'mysql'] as const) {
      const mk = engine === 'postgres' ? table : mysqlTable;
      const a = model(engine, { tables: [mk('t', [col('a', 'integer'), col('b', 'text')])] });
      const b = model(engine, { tables: [mk('t', [col('b', 'text'), col('a', 'integer')])] });
      assert.ok(schemaEquals(a, b));
      assert.deepEqual(diffSchemas(a, b), []);
    }
  });

  it('list order does not matter for equality but any field does', () => {
    const a = model('postgres', { tables: [table('a', [col('x', 'integer')]), table('b', [col('y', 'integer')])] });
    const b = model('postgres', { tables: [table('b', [col('y', 'integer')]), table('a', [col('x', 'integer')])] });
    assert.ok(schemaEquals(a, b));
    const c = model('postgres', {
      tables: [table('a', [col('x', 'integer', { nullable: false })]), table('b', [col('y', 'integer')])],
    });
    assert.ok(!schemaEquals(a, c));
  });

  it('an empty diff renders as the empty string and a non-empty one ends with a semicolon line', () => {
    assert.equal(renderDdl([]), '');
    assert.equal(
      renderDdl([
        { sql: 'CREATE TABLE a (x int)', destructive: false, kind: 'create-table' },
        { sql: 'CREATE TABLE b (y int)', destructive: false, kind: 'create-table' },
      ]),
      'CREATE TABLE a (x int);\nCREATE TABLE b (y int);\n',
    );
  });

  it('adjacent ALTER TABLEs on one table render as one statement; renames and validations stay alone', () => {
    const alter = (sql: string, kind = 'alter-column', destructive = false) => ({ sql, kind, destructive });
    assert.equal(
      renderDdl([
        alter('ALTER TABLE public.t DROP COLUMN a', 'drop-column', true),
        alter('ALTER TABLE public.t ADD COLUMN b integer', 'add-column'),
        alter('ALTER TABLE public.u ADD COLUMN c integer', 'add-column'),
        alter('ALTER TABLE public.u ADD CONSTRAINT u_c CHECK ((c > 0)) NOT VALID', 'add-constraint'),
        alter('ALTER TABLE public.u VALIDATE CONSTRAINT u_c', 'validate-constraint'),
        alter('ALTER TABLE public.u RENAME COLUMN c TO d', 'rename-column'),
      ]),
      "-- destructive (drop-column): the column's data is lost; if it was renamed, mark the new column with -- @renamed from=<old name>\n" +
        'ALTER TABLE public.t DROP COLUMN a,\n    ADD COLUMN b integer;\n' +
        'ALTER TABLE public.u ADD COLUMN c integer,\n    ADD CONSTRAINT u_c CHECK ((c > 0)) NOT VALID;\n' +
        'ALTER TABLE public.u VALIDATE CONSTRAINT u_c;\n' +
        'ALTER TABLE public.u RENAME COLUMN c TO d;\n',
    );
  });

  it('a statement that loses data is marked by a comment that says how to rename instead', () => {
    assert.equal(
      renderDdl([
        { sql: 'ALTER TABLE t DROP COLUMN mail', destructive: true, kind: 'drop-column' },
        { sql: 'DROP TYPE mood', destructive: true, kind: 'drop-type' },
      ]),
      "-- destructive (drop-column): the column's data is lost; if it was renamed, mark the new column with -- @renamed from=<old name>\n" +
        'ALTER TABLE t DROP COLUMN mail;\n' +
        '-- destructive (drop-type): check that nothing needed is lost\nDROP TYPE mood;\n',
    );
  });

  it('the dump is the same text whatever order the model lists things in', () => {
    const a = model('postgres', {
      tables: [table('a', [col('x', 'integer')]), table('b', [col('y', 'integer')])],
      schemas: ['s2', 's1'],
    });
    const b = model('postgres', {
      tables: [table('b', [col('y', 'integer')]), table('a', [col('x', 'integer')])],
      schemas: ['s1', 's2'],
    });
    assert.equal(dumpSdl(a), dumpSdl(b));
    assert.match(
      dumpSdl(a),
      /^-- dbchange schema dump \(postgres\)\n\nCREATE SCHEMA s1;\n\nCREATE SCHEMA s2;\n\nCREATE TABLE public.a/,
    );
  });

  it('a model stored before domains, materialized views and comments were kept diffs like an empty-commented one', () => {
    const stored = JSON.parse(
      JSON.stringify({
        engine: 'postgres',
        schemas: [],
        extensions: [],
        enums: [],
        sequences: [],
        tables: [],
        views: [{ schema: 'public', name: 'v', definition: ' SELECT 1', options: [] }],
        routines: [],
        triggers: [],
      }),
    ) as SchemaModel;
    const now = model('postgres', {
      views: [{ schema: 'public', name: 'v', definition: ' SELECT 1', options: [], comment: null }],
    });
    assert.deepEqual(diffSchemas(stored, now), []);
    assert.ok(schemaEquals(stored, now));
  });

  it('an empty model dumps to its header only', () => {
    assert.equal(dumpSdl(emptyModel('mysql')), '-- dbchange schema dump (mysql)\n');
  });

  it("the bot's own tables are recognised by name", () => {
    assert.ok(isIgnoredTable('dbchange_ledger'));
    assert.ok(isIgnoredTable('dbchange_anything'));
    assert.ok(isIgnoredTable('agenda_jobs'));
    assert.ok(!isIgnoredTable('ledger'));
  });

  it('diffing schemas of two engines is refused with a message saying what to do', () => {
    assert.throws(() => diffSchemas(emptyModel('postgres'), emptyModel('mysql')), /same engine/);
  });
});
