import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileLayout, planPoll, type ChangedFile, type TakenVersion } from '../../../src/gitops/poll-plan.js';

const DEFAULT = {
  baseDirectory: 'bytebase',
  filePathTemplate: '{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql',
  schemaPathTemplate: '{{ENV_ID}}/.{{DB_NAME}}##LATEST.sql',
};
const DBS = [
  { name: 'app', environment: 'dev' },
  { name: 'app', environment: 'prod' },
  { name: 'other', environment: 'dev' },
];
const commit = { sha: 'c1', author: 'Ann', email: 'ann@example.com', subject: 'add' };
const added = (path: string, blob = `b-${path}`): ChangedFile => ({ path, change: 'added', blob, commit });

function plan(files: ChangedFile[], taken: TakenVersion[] = [], layout = DEFAULT) {
  return planPoll({ compiled: compileLayout(layout), databases: DBS, files, taken });
}

describe('what a poll means', () => {
  test('files become migrations in VERSION order, each on the environment its ENV_ID names', () => {
    const p = plan([
      added('bytebase/prod/app##0002##ddl##b.sql'),
      added('bytebase/dev/app##0002##ddl##b.sql'),
      added('bytebase/dev/app##0001##ddl##a.sql'),
    ]);
    assert.deepEqual(
      p.migrations.map((m) => [m.file.version, m.targets.map((t) => t.environment)]),
      [
        ['0001', ['dev']],
        ['0002', ['prod']],
        ['0002', ['dev']],
      ],
    );
    assert.deepEqual(p.stray, []);
  });

  test('without ENV_ID a file targets every environment where DB_NAME exists', () => {
    const p = plan([added('app/V1__init.sql')], [], {
      baseDirectory: '',
      filePathTemplate: '{{DB_NAME}}/V{{VERSION}}__{{DESCRIPTION}}.sql',
      schemaPathTemplate: '',
    });
    assert.deepEqual(p.migrations[0]!.targets, [
      { name: 'app', environment: 'dev' },
      { name: 'app', environment: 'prod' },
    ]);
    assert.equal(p.migrations[0]!.file.typeInferred, true);
  });

  test('a Flyway-style template applies 9 before 10', () => {
    const p = plan([added('app/V10__b.sql'), added('app/V9__a.sql')], [], {
      baseDirectory: '',
      filePathTemplate: '{{DB_NAME}}/V{{VERSION}}__{{DESCRIPTION}}.sql',
      schemaPathTemplate: '',
    });
    assert.deepEqual(
      p.migrations.map((m) => m.file.version),
      ['9', '10'],
    );
  });

  test('a malformed name, an unknown database and an unknown environment are stray, with the reason', () => {
    const p = plan([
      added('bytebase/dev/app-0001.sql'),
      added('bytebase/dev/App##0001##ddl##x.sql'),
      added('bytebase/staging/app##0001##ddl##x.sql'),
      added('bytebase/dev/app##0001##sql##x.sql'),
      added('outside/app##0001##ddl##x.sql'),
    ]);
    assert.deepEqual(
      p.stray.map((s) => s.reason),
      [
        'does not match the file path template {{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql',
        'TYPE "sql" must be ddl, dml or baseline (also migrate, data)',
        'DB_NAME "App" is not a configured database (names are case-sensitive)',
        'database app has no environment "staging"; it is in dev, prod',
      ],
    );
    assert.deepEqual(p.migrations, []);
  });

  test('LATEST files are schema files, never stray migrations', () => {
    const p = plan([added('bytebase/dev/.app##LATEST.sql')]);
    assert.deepEqual(p.stray, []);
    assert.deepEqual(
      p.latest.map((l) => [l.dbName, l.envId]),
      [['app', 'dev']],
    );
  });

  test('a version taken with the same content is skipped; with other content it is a checksum mismatch', () => {
    const path = 'bytebase/dev/app##0001##ddl##a.sql';
    const taken = [{ database: 'app', environment: 'dev', version: '0001', path, blob: 'old' }];
    assert.deepEqual(plan([added(path, 'old')], taken), {
      migrations: [],
      stray: [],
      mismatches: [],
      outOfOrder: [],
      latest: [],
    });
    const p = plan([{ ...added(path, 'new'), change: 'modified' }], taken);
    assert.deepEqual(
      p.mismatches.map((m) => [m.version, m.target.environment, m.takenBy]),
      [['0001', 'dev', path]],
    );
    assert.deepEqual(p.migrations, []);
  });

  test('a version lower than one already taken is held, not applied', () => {
    const taken = [{ database: 'app', environment: 'dev', version: '0005', path: 'x', blob: 'x' }];
    const p = plan(
      [added('bytebase/dev/app##0003##ddl##late.sql'), added('bytebase/dev/app##0006##ddl##next.sql')],
      taken,
    );
    assert.deepEqual(
      p.outOfOrder.map((o) => [o.file.version, o.highest]),
      [['0003', '0005']],
    );
    assert.deepEqual(
      p.migrations.map((m) => m.file.version),
      ['0006'],
    );
  });

  test('a file added and then modified in one poll counts once, with its last content', () => {
    const path = 'bytebase/dev/app##0001##ddl##a.sql';
    const p = plan([added(path, 'v1'), { ...added(path, 'v2'), change: 'modified' }]);
    assert.equal(p.migrations.length, 1);
    assert.equal(p.migrations[0]!.blob, 'v2');
  });
});
