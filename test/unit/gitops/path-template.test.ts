import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMigrationFiles, compileTemplate, matchMigrationPath } from '../../../src/gitops/path-template.js';

const DEFAULT = '{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql';

describe('migration file path templates', () => {
  const cases: [string, string, string, object | string][] = [
    [
      'the default template reads every part',
      DEFAULT,
      'prod/app##0001##ddl##create_users.sql',
      { envId: 'prod', dbName: 'app', version: '0001', type: 'ddl', description: 'create_users' },
    ],
    [
      'ENV_ID is matched lower-case',
      DEFAULT,
      'Prod/app##0001##dml##fill.sql',
      { envId: 'prod', dbName: 'app', version: '0001', type: 'dml', description: 'fill' },
    ],
    [
      'TYPE accepts baseline',
      DEFAULT,
      'dev/app##0000##baseline##init.sql',
      { envId: 'dev', dbName: 'app', version: '0000', type: 'baseline', description: 'init' },
    ],
    [
      'DB_NAME keeps its case',
      DEFAULT,
      'dev/App##1##ddl##x.sql',
      { envId: 'dev', dbName: 'App', version: '1', type: 'ddl', description: 'x' },
    ],
    [
      'TYPE accepts migrate and data as ddl and dml',
      DEFAULT,
      'dev/app##2##data##fill.sql',
      { envId: 'dev', dbName: 'app', version: '2', type: 'dml', description: 'fill' },
    ],
    ['a wrong TYPE is refused', DEFAULT, 'dev/app##1##alter##x.sql', 'TYPE "alter" must be ddl, dml or baseline'],
    ['a missing part does not match', DEFAULT, 'dev/app##1.sql', 'does not match'],
    ['an extra directory does not match', DEFAULT, 'a/dev/app##1##ddl##x.sql', 'does not match'],
    [
      'placeholders may hold UTF-8',
      '{{DB_NAME}}__{{VERSION}}.sql',
      'bestellungen__2026-11-22_größe.sql',
      { dbName: 'bestellungen', version: '2026-11-22_größe', type: 'ddl', typeInferred: true },
    ],
    [
      '_ matches exactly one directory',
      '_/{{DB_NAME}}/{{VERSION}}.sql',
      'team/app/v1.sql',
      { dbName: 'app', version: 'v1', type: 'ddl', typeInferred: true },
    ],
    ['_ does not match two directories', '_/{{DB_NAME}}/{{VERSION}}.sql', 'a/b/app/v1.sql', 'does not match'],
    [
      '** matches several directories',
      '**/{{DB_NAME}}/{{VERSION}}.sql',
      'a/b/c/app/v2.sql',
      { dbName: 'app', version: 'v2', type: 'ddl', typeInferred: true },
    ],
    [
      'forbidden characters never match a placeholder',
      '{{DB_NAME}}##{{VERSION}}.sql',
      'app##1:2.sql',
      'does not match',
    ],
  ];
  for (const [name, template, path, expected] of cases) {
    test(name, () => {
      const m = matchMigrationPath(compileTemplate(template), path);
      if (typeof expected === 'string') {
        assert.equal(m.ok, false);
        assert.match((m as { reason: string }).reason, new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      } else {
        assert.ok(m.ok, (m as { reason?: string }).reason);
        assert.deepEqual(m.file, { path, ...expected });
      }
    });
  }

  test('a template without VERSION or with an unknown placeholder is refused', () => {
    assert.throws(() => compileTemplate('{{DB_NAME}}.sql'), /must contain \{\{VERSION\}\}/);
    assert.throws(
      () => compileTemplate('{{DB_NAME}}##{{VERSION}}##{{AUTHOR}}.sql'),
      /unknown placeholder \{\{AUTHOR\}\}/,
    );
  });

  test('files are ordered by version, duplicates and unknown databases are reported, LATEST files are not migrations', () => {
    const { files, problems } = checkMigrationFiles(
      [
        'db/prod/app##0002##ddl##b.sql',
        'db/prod/app##0001##ddl##a.sql',
        'db/prod/app##0001##dml##again.sql',
        'db/prod/nope##0003##ddl##c.sql',
        'db/prod/.app##LATEST.sql',
        'README.md',
        'other/x.sql',
        'db/prod/bad.sql',
      ],
      { template: DEFAULT, baseDirectory: 'db', knownDatabases: ['app'], knownEnvironments: ['prod'] },
    );
    assert.deepEqual(
      files.map((f) => f.version),
      ['0001', '0002'],
    );
    assert.deepEqual(
      problems.map((p) => p.path),
      ['db/prod/app##0001##dml##again.sql', 'db/prod/nope##0003##ddl##c.sql', 'db/prod/bad.sql'],
    );
    assert.match(problems[0]!.message, /VERSION 0001 of app is already used/);
    assert.match(problems[1]!.message, /not a configured database/);
  });
});
