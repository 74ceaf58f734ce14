import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffSchemas } from '../../../src/schema/index.js';
import { renameHints } from '../../../src/schema/renames.js';
import { col, model, table } from './builders.js';

const pg = (parts: Parameters<typeof model>[1]) => model('postgres', parts);

describe('rename annotations in a desired schema', () => {
  const cases: { name: string; engine: 'postgres' | 'mysql'; sdl: string; want: ReturnType<typeof renameHints> }[] = [
    {
      name: 'an annotation on the CREATE TABLE line renames the table',
      engine: 'postgres',
      sdl: 'CREATE TABLE people ( -- @renamed from=person\n  id int\n);',
      want: { tables: [{ schema: 'public', from: 'person', to: 'people' }], columns: [] },
    },
    {
      name: 'an annotation on a column line renames the column, in a qualified table',
      engine: 'postgres',
      sdl: 'CREATE TABLE app.Users (\n  id int,\n  "E-mail" text NOT NULL, -- @renamed from=Mail\n  x int\n);',
      want: { tables: [], columns: [{ schema: 'app', table: 'users', from: 'mail', to: 'E-mail' }] },
    },
    {
      name: 'MySQL names keep their case and lose their backquotes',
      engine: 'mysql',
      sdl: 'CREATE TABLE `Users` (\n  id int,\n  `eMail` varchar(9) -- @renamed from=`Mail`\n);',
      want: { tables: [], columns: [{ schema: '', table: 'Users', from: 'Mail', to: 'eMail' }] },
    },
    {
      name: 'an annotation after the closing parenthesis renames the table',
      engine: 'mysql',
      sdl: 'CREATE TABLE b (\n  id int\n); -- @renamed from=a\nCREATE TABLE c (id int);',
      want: { tables: [{ schema: '', from: 'a', to: 'b' }], columns: [] },
    },
    {
      name: 'a schema without annotations has no hints',
      engine: 'postgres',
      sdl: 'CREATE TABLE t (a int); -- renamed from=x, but not an annotation',
      want: { tables: [], columns: [] },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(renameHints(c.sdl, c.engine), c.want));
});

describe('the differ and declared renames', () => {
  const before = pg({ tables: [table('users', [col('id', 'integer'), col('mail', 'text')])] });
  const after = pg({ tables: [table('users', [col('id', 'integer'), col('email', 'text')])] });
  const hints = { tables: [], columns: [{ schema: 'public', table: 'users', from: 'mail', to: 'email' }] };

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
