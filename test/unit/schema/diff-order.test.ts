// Dependency order of the differ's output, independent of the statements' exact text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DdlChange, SchemaModel } from '../../../src/schema/index.js';
import { diffSchemas } from '../../../src/schema/index.js';
import { col, fk, model, pk, table, view } from './builders.js';

const idx = (changes: DdlChange[], pattern: RegExp): number => {
  const i = changes.findIndex((c) => pattern.test(c.sql));
  assert.ok(i >= 0, `no statement matches ${pattern}:\n${changes.map((c) => c.sql).join('\n')}`);
  return i;
};
const before = (changes: DdlChange[], a: RegExp, b: RegExp): void => {
  assert.ok(
    idx(changes, a) < idx(changes, b),
    `${a} should come before ${b}:\n${changes.map((c) => c.sql).join('\n')}`,
  );
};

const a = table('a', [col('id', 'integer'), col('b_id', 'integer')], {
  constraints: [pk('a_pkey', ['id']), fk('a_b', ['b_id'], 'b', ['id'])],
});
const b = table('b', [col('id', 'integer'), col('a_id', 'integer')], {
  constraints: [pk('b_pkey', ['id']), fk('b_a', ['a_id'], 'a', ['id'])],
});
const pg = (parts: Partial<SchemaModel>): SchemaModel => model('postgres', parts);

describe('diff order', () => {
  it('creates every table before adding the foreign keys between them', () => {
    const changes = diffSchemas(pg({}), pg({ tables: [a, b] }));
    before(changes, /CREATE TABLE public\.b/, /ADD CONSTRAINT a_b FOREIGN KEY/);
    before(changes, /CREATE TABLE public\.b/, /ADD CONSTRAINT b_a FOREIGN KEY/);
  });

  it('drops the foreign keys between dropped tables before the tables', () => {
    const changes = diffSchemas(pg({ tables: [a, b] }), pg({}));
    before(changes, /DROP CONSTRAINT a_b/, /DROP TABLE public\.a/);
    before(changes, /DROP CONSTRAINT b_a/, /DROP TABLE public\.a/);
    assert.ok(changes.every((c) => c.destructive));
  });

  it('a foreign key onto a dropped table is dropped before that table', () => {
    const c = table('c', [col('a_id', 'integer')], { constraints: [fk('c_a', ['a_id'], 'a', ['id'])] });
    const changes = diffSchemas(pg({ tables: [a, c] }), pg({ tables: [table('c', [col('a_id', 'integer')])] }));
    before(changes, /DROP CONSTRAINT c_a/, /DROP TABLE public\.a/);
  });

  it('creates views after their tables and after the views they read', () => {
    const t = table('t', [col('x', 'integer')]);
    const v1 = view('v1', ' SELECT t.x\n   FROM public.t');
    const v2 = view('v0', ' SELECT v1.x\n   FROM public.v1');
    const changes = diffSchemas(pg({}), pg({ tables: [t], views: [v2, v1] }));
    assert.deepEqual(
      changes.map((c) => c.kind),
      ['create-table', 'create-view', 'create-view'],
    );
    before(changes, /VIEW public\.v1/, /VIEW public\.v0/);
    const drops = diffSchemas(pg({ tables: [t], views: [v2, v1] }), pg({}));
    before(drops, /DROP VIEW public\.v0/, /DROP VIEW public\.v1/);
    before(drops, /DROP VIEW public\.v1/, /DROP TABLE public\.t/);
  });

  it('rebuilds a view around a type change of its table, and the views over it', () => {
    const from = pg({
      tables: [table('t', [col('x', 'integer')])],
      views: [
        view('v', ' SELECT t.x FROM public.t'),
        view('w', ' SELECT v.x FROM public.v'),
        view('other', ' SELECT 1'),
      ],
    });
    const to = pg({ ...from, tables: [table('t', [col('x', 'bigint')])] });
    const changes = diffSchemas(from, to);
    before(changes, /DROP VIEW public\.w/, /DROP VIEW public\.v$/);
    before(changes, /DROP VIEW public\.v$/, /TYPE bigint/);
    before(changes, /TYPE bigint/, /CREATE VIEW public\.v /);
    before(changes, /CREATE VIEW public\.v /, /CREATE VIEW public\.w /);
    assert.ok(!changes.some((c) => /other/.test(c.sql)), 'an unrelated view is left alone');
  });

  it('creates a sequence before the table whose default uses it and sets its owner after', () => {
    const seq = {
      schema: 'public',
      name: 't_id_seq',
      type: 'integer',
      start: '1',
      increment: '1',
      min: '1',
      max: '2147483647',
      cache: '1',
      cycle: false,
      ownedBy: { table: 't', column: 'id' },
    };
    const t = table('t', [col('id', 'integer', { nullable: false, default: "nextval('public.t_id_seq'::regclass)" })]);
    const changes = diffSchemas(pg({}), pg({ tables: [t], sequences: [seq] }));
    before(changes, /CREATE SEQUENCE/, /CREATE TABLE/);
    before(changes, /CREATE TABLE/, /OWNED BY public\.t\.id/);
    assert.deepEqual(
      diffSchemas(pg({ tables: [t], sequences: [seq] }), pg({})).map((c) => c.sql),
      ['DROP TABLE public.t'],
      'the owned sequence goes with its table',
    );
  });

  it('creates functions before the triggers that call them and drops triggers first', () => {
    const t = table('t', [col('x', 'integer')]);
    const f = {
      schema: 'public',
      name: 'fx',
      kind: 'function' as const,
      signature: '',
      returns: 'trigger',
      definition:
        'CREATE OR REPLACE FUNCTION public.fx() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$',
    };
    const tg = {
      schema: 'public',
      table: 't',
      name: 'tg',
      definition: 'CREATE TRIGGER tg BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.fx()',
    };
    const full = pg({ tables: [t], routines: [f], triggers: [tg] });
    before(diffSchemas(pg({ tables: [t] }), full), /FUNCTION public\.fx/, /CREATE TRIGGER/);
    const drop = diffSchemas(full, pg({ tables: [t] }));
    before(drop, /DROP TRIGGER/, /DROP FUNCTION/);
    const recreated = diffSchemas(full, pg({ ...full, routines: [{ ...f, returns: 'event_trigger' }] }));
    assert.deepEqual(
      recreated.map((c) => c.kind),
      ['drop-trigger', 'drop-function', 'create-function', 'create-trigger'],
    );
  });

  it('rebuilds foreign keys around a recreated primary key they reference', () => {
    const p1 = table('p', [col('id', 'integer')], { constraints: [pk('p_pkey', ['id'])] });
    const p2 = table('p', [col('id', 'integer')], {
      constraints: [pk('p_pkey', ['id'], 'PRIMARY KEY (id) INCLUDE (id)')],
    });
    const c = table('c', [col('p', 'integer')], { constraints: [fk('c_p', ['p'], 'p', ['id'])] });
    const changes = diffSchemas(pg({ tables: [p1, c] }), pg({ tables: [p2, c] }));
    assert.deepEqual(
      changes.map((x) => x.kind),
      ['drop-foreign-key', 'drop-constraint', 'add-constraint', 'add-foreign-key', 'validate-constraint'],
    );
    assert.ok(!changes[0]!.destructive, 'a rebuilt foreign key is not a destructive drop');
  });

  it('gives the same statements whatever order the models list their objects in', () => {
    const from = pg({ tables: [a, b], views: [view('v', ' SELECT 1')] });
    const to = pg({
      tables: [table('z', [col('q', 'text')]), table('y', [col('q', 'text')])],
      views: [view('w', ' SELECT 2'), view('u', ' SELECT 3')],
    });
    const reversed = (m: SchemaModel): SchemaModel => ({
      ...m,
      tables: [...m.tables].reverse(),
      views: [...m.views].reverse(),
    });
    assert.deepEqual(diffSchemas(from, to), diffSchemas(reversed(from), reversed(to)));
  });
});
