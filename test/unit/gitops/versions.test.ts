import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, versionOrderOf, versionProblem } from '../../../src/gitops/versions.js';

describe('migration version order', () => {
  test('the default template orders versions alphabetically, as Bytebase documents', () => {
    const order = versionOrderOf('{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql');
    assert.equal(order, 'alphabetical');
    assert.deepEqual(
      ['10', '9', '0002', '0001'].sort((a, b) => compareVersions(a, b, order)),
      ['0001', '0002', '10', '9'],
    );
  });

  test('a Flyway-style template orders versions numerically, part by part', () => {
    const order = versionOrderOf('{{DB_NAME}}/V{{VERSION}}__{{DESCRIPTION}}.sql');
    assert.equal(order, 'numeric');
    assert.deepEqual(
      ['10', '9', '1.10', '1.2', '2_1', '1'].sort((a, b) => compareVersions(a, b, order)),
      ['1', '1.2', '1.10', '2_1', '9', '10'],
    );
    assert.equal(compareVersions('1.0', '1', order), 0);
  });

  test('a numeric order rejects a version that is not numbers', () => {
    assert.match(versionProblem('1a', 'numeric') ?? '', /numbers separated by/);
    assert.equal(versionProblem('1a', 'alphabetical'), undefined);
    assert.equal(versionProblem('2.0_1', 'numeric'), undefined);
  });
});
