import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffSchemas } from '../../../src/schema/index.js';
import { renameHints } from '../../../src/schema/renames.js';
import { col, index, model, mysqlTable, table } from './builders.js';

const pg = (parts: Parameters<typeof model>[1]) => model('postgres', parts);

describe('rename annotations in a desired schema', () => {
  const cases: { name: string; engine: 'postgres' | 'mysql'; sdl: string; want: ReturnType<typeof renameHints> }[] = [
    {
      name: 'an annotation on the CREATE TABLE line renames the table',
      engine: 'postgres',
      sdl: 'CREATE TABLE people ( -- @renamed from=person\n  id int\n);',
      want: {
        tables: [{ schema: 'public', from: 'person', to: 'people' }],
        columns: [],
        keys: [],
        types: [],
        enumValues: [],
      },
    },
    {
      name: 'an annotation on a column line renames the column, in a qualified table',
      engine: 'postgres',
      sdl: 'CREATE TABLE app.Users (\n  id int,\n  "E-mail" text NOT NULL, -- @renamed from=Mail\n  x int\n);',
      want: {
        tables: [],
        columns: [{ schema: 'app', table: 'users', from: 'mail', to: 'E-mail' }],
        keys: [],
        types: [],
        enumValues: [],
      },
    },
    {
      name: 'MySQL names keep their case and lose their backquotes',
      engine: 'mysql',
      sdl: 'CREATE TABLE `Users` (\n  id int,\n  `eMail` varchar(9) -- @renamed from=`Mail`\n);',
      want: {
        tables: [],
        columns: [{ schema: '', table: 'Users', from: 'Mail', to: 'eMail' }],
        keys: [],
        types: [],
        enumValues: [],
      },
    },
    {
      name: 'an annotation after the closing parenthesis renames the table',
      engine: 'mysql',
      sdl: 'CREATE TABLE b (\n  id int\n); -- @renamed from=a\nCREATE TABLE c (id int);',
      want: { tables: [{ schema: '', from: 'a', to: 'b' }], columns: [], keys: [], types: [], enumValues: [] },
    },
    {
      name: 'a schema without annotations has no hints',
      engine: 'postgres',
      sdl: 'CREATE TABLE t (a int); -- renamed from=x, but not an annotation',
      want: { tables: [], columns: [], keys: [], types: [], enumValues: [] },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(renameHints(c.sdl, c.engine), c.want));
});

describe('rename annotations in block comments and on keys', () => {
  const none = { tables: [], columns: [], keys: [], types: [], enumValues: [] };
  const cases: { name: string; engine: 'postgres' | 'mysql'; sdl: string; want: ReturnType<typeof renameHints> }[] = [
    {
      name: 'a block comment between the table name and its parenthesis renames the table',
      engine: 'postgres',
      sdl: 'CREATE TABLE fresh /* @renamed from=stale */ (\n  id int\n);',
      want: { ...none, tables: [{ schema: 'public', from: 'stale', to: 'fresh' }] },
    },
    {
      name: 'a block comment after a column renames the column',
      engine: 'mysql',
      sdl: 'CREATE TABLE t (\n  id int,\n  title varchar(9), /* @renamed from=heading */\n  n int\n);',
      want: { ...none, columns: [{ schema: '', table: 't', from: 'heading', to: 'title' }] },
    },
    {
      name: 'a standalone CREATE INDEX names the index and the table it is on',
      engine: 'postgres',
      sdl: 'CREATE TABLE app.t (a int);\nCREATE UNIQUE INDEX t_a /* @renamed from=a_idx */ ON app.t (a);',
      want: { ...none, keys: [{ schema: 'app', table: 't', from: 'a_idx', to: 't_a' }] },
    },
    {
      name: 'a CONSTRAINT line in CREATE TABLE renames the constraint, not a column',
      engine: 'postgres',
      sdl: 'CREATE TABLE t (\n  a int,\n  CONSTRAINT t_a_uniq UNIQUE (a) -- @renamed from=old_uniq\n);',
      want: { ...none, keys: [{ schema: 'public', table: 't', from: 'old_uniq', to: 't_a_uniq' }] },
    },
    {
      name: 'MySQL KEY and UNIQUE INDEX lines rename the index',
      engine: 'mysql',
      sdl: 'CREATE TABLE t (\n  a int,\n  b int,\n  KEY by_a (a), -- @renamed from=ka\n  UNIQUE INDEX `by b` (b) -- @renamed from=kb\n);',
      want: {
        ...none,
        keys: [
          { schema: '', table: 't', from: 'ka', to: 'by_a' },
          { schema: '', table: 't', from: 'kb', to: 'by b' },
        ],
      },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(renameHints(c.sdl, c.engine), c.want));
});

describe('rename annotations on enum types and their values', () => {
  const none = { tables: [], columns: [], keys: [], types: [], enumValues: [] };
  it('an annotation after the type name, or after the opening parenthesis, renames the type', () => {
    assert.deepEqual(renameHints("CREATE TYPE app.tone /* @renamed from=mood */ AS ENUM ('a');", 'postgres'), {
      ...none,
      types: [{ schema: 'app', from: 'mood', to: 'tone' }],
    });
    assert.deepEqual(renameHints("CREATE TYPE tone AS ENUM ( -- @renamed from=mood\n  'a'\n);", 'postgres'), {
      ...none,
      types: [{ schema: 'public', from: 'mood', to: 'tone' }],
    });
  });
  it('an annotation after a value renames the value, with or without a comma between', () => {
    assert.deepEqual(
      renameHints(
        "CREATE TYPE tone AS ENUM (\n  'it''s' /* @renamed from=its */,\n  'b', -- @renamed from=a\n  'c'\n);",
        'postgres',
      ),
      {
        ...none,
        enumValues: [
          { schema: 'public', type: 'tone', from: 'its', to: "it's" },
          { schema: 'public', type: 'tone', from: 'a', to: 'b' },
        ],
      },
    );
  });
});

describe('the differ and declared enum renames', () => {
  const mood = (name: string, values: string[]) => ({ schema: 'public', name, values, comment: null });
  const hints = (parts: Partial<ReturnType<typeof renameHints>>) => ({
    tables: [],
    columns: [],
    keys: [],
    types: [],
    enumValues: [],
    ...parts,
  });

  it('a renamed enum type is renamed in place, and the columns that use it are left alone', () => {
    const uses = (type: string) => [table('t', [col('m', `public.${type}`, { default: `'ok'::public.${type}` })])];
    const before = pg({ enums: [mood('mood', ['ok'])], tables: uses('mood') });
    const after = pg({ enums: [mood('tone', ['ok'])], tables: uses('tone') });
    assert.deepEqual(
      diffSchemas(before, after, { renames: hints({ types: [{ schema: 'public', from: 'mood', to: 'tone' }] }) }).map(
        (c) => c.sql,
      ),
      ['ALTER TYPE public.mood RENAME TO tone'],
    );
  });

  it('a renamed enum value is renamed in place, with the defaults that name it', () => {
    const uses = (v: string) => [table('t', [col('m', 'public.mood', { default: `'${v}'::public.mood` })])];
    const before = pg({ enums: [mood('mood', ['sad', 'ok'])], tables: uses('ok') });
    const after = pg({ enums: [mood('mood', ['sad', 'fine'])], tables: uses('fine') });
    const renames = hints({ enumValues: [{ schema: 'public', type: 'mood', from: 'ok', to: 'fine' }] });
    assert.deepEqual(
      diffSchemas(before, after, { renames }).map((c) => c.sql),
      ["ALTER TYPE public.mood RENAME VALUE 'ok' TO 'fine'"],
    );
    // Without the hint the type is rebuilt around the columns, and the old value is lost.
    assert.ok(diffSchemas(before, after).some((c) => c.kind === 'drop-type' && c.destructive));
  });
});

describe('the differ and declared key renames', () => {
  const keyHint = (t: string, from: string, to: string, schema = 'public') => ({
    tables: [],
    columns: [],
    keys: [{ schema, table: t, from, to }],
    types: [],
    enumValues: [],
  });

  it('a PostgreSQL index renamed by a hint is renamed in place, not rebuilt', () => {
    const at = (name: string) => index(name, `CREATE INDEX ${name} ON public.t USING btree (a)`);
    const before = pg({ tables: [table('t', [col('a', 'integer')], { indexes: [at('old_a')] })] });
    const after = pg({ tables: [table('t', [col('a', 'integer')], { indexes: [at('new_a')] })] });
    assert.deepEqual(
      diffSchemas(before, after, { renames: keyHint('t', 'old_a', 'new_a') }).map((c) => c.sql),
      ['ALTER INDEX public.old_a RENAME TO new_a'],
    );
  });

  it('a renamed index whose definition changed too is dropped and built again', () => {
    const before = pg({
      tables: [table('t', [col('a', 'integer')], { indexes: [index('old_a', 'CREATE INDEX old_a ON public.t (a)')] })],
    });
    const after = pg({
      tables: [
        table('t', [col('a', 'integer')], { indexes: [index('new_a', 'CREATE INDEX new_a ON public.t (a DESC)')] }),
      ],
    });
    assert.deepEqual(
      diffSchemas(before, after, { renames: keyHint('t', 'old_a', 'new_a') }).map((c) => c.kind),
      ['drop-index', 'create-index'],
    );
  });

  it('a PostgreSQL unique constraint renamed by a hint keeps its index', () => {
    const uniq = (name: string) => ({
      name,
      kind: 'unique' as const,
      definition: 'UNIQUE (a)',
      columns: ['a'],
      references: null,
    });
    const before = pg({ tables: [table('t', [col('a', 'integer')], { constraints: [uniq('old_u')] })] });
    const after = pg({ tables: [table('t', [col('a', 'integer')], { constraints: [uniq('new_u')] })] });
    assert.deepEqual(
      diffSchemas(before, after, { renames: keyHint('t', 'old_u', 'new_u') }).map((c) => c.sql),
      ['ALTER TABLE public.t RENAME CONSTRAINT old_u TO new_u'],
    );
  });

  it('a MySQL key renamed by a hint is renamed with RENAME INDEX', () => {
    const key = (name: string) => index(name, `KEY \`${name}\` (\`a\`)`);
    const before = model('mysql', { tables: [mysqlTable('t', [col('a', 'int(11)')], { indexes: [key('ka')] })] });
    const after = model('mysql', { tables: [mysqlTable('t', [col('a', 'int(11)')], { indexes: [key('by_a')] })] });
    assert.deepEqual(
      diffSchemas(before, after, { renames: keyHint('t', 'ka', 'by_a', '') }).map((c) => c.sql),
      ['ALTER TABLE `t` RENAME INDEX `ka` TO `by_a`'],
    );
  });
});

describe('the differ and declared renames', () => {
  const before = pg({ tables: [table('users', [col('id', 'integer'), col('mail', 'text')])] });
  const after = pg({ tables: [table('users', [col('id', 'integer'), col('email', 'text')])] });
  const hints = {
    tables: [],
    columns: [{ schema: 'public', table: 'users', from: 'mail', to: 'email' }],
    keys: [],
    types: [],
    enumValues: [],
  };

  it('without a hint a vanished column is dropped, and the drop is destructive', () => {
    const changes = diffSchemas(before, after);
    assert.deepEqual(
      changes.map((c) => [c.kind, c.destructive]),
      [
        ['drop-column', true],
        ['add-column', false],
      ],
    );
  });

  it('with a hint the column is renamed, nothing is destructive', () => {
    assert.deepEqual(
      diffSchemas(before, after, { renames: hints }).map((c) => c.sql),
      ['ALTER TABLE public.users RENAME COLUMN mail TO email'],
    );
  });

  it('a hint that already ran (the old name is gone) changes nothing', () => {
    assert.deepEqual(diffSchemas(after, after, { renames: hints }), []);
  });
});
