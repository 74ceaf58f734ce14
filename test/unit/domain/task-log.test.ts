import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureAftermath } from '../../../src/domain/task-log.js';

const cases: [string, Parameters<typeof failureAftermath>[0], 'postgres' | 'mysql', string][] = [
  [
    'a rolled-back transaction undid the statements reported done',
    { statementIndex: 2, applied: 0, rolledBack: true },
    'postgres',
    'The transaction was rolled back: nothing of this attempt remains in the database (statements 1–2, reported done above, were undone).',
  ],
  [
    'one statement undone',
    { statementIndex: 1, applied: 0, rolledBack: true },
    'postgres',
    'The transaction was rolled back: nothing of this attempt remains in the database (statement 1, reported done above, was undone).',
  ],
  [
    'the first statement failed in a transaction',
    { statementIndex: 0, applied: 0, rolledBack: true },
    'postgres',
    'The transaction was rolled back: nothing of this attempt remains in the database.',
  ],
  [
    'MySQL keeps what ran before the failure',
    { statementIndex: 2, applied: 2, rolledBack: false },
    'mysql',
    'statements 1–2 stayed applied (MySQL commits each DDL statement at once); Retry runs from statement 3.',
  ],
  [
    'MySQL failed at its first statement',
    { statementIndex: 0, applied: 0, rolledBack: false },
    'mysql',
    'No statement of this task was applied.',
  ],
  [
    'PostgreSQL statements outside a transaction',
    { statementIndex: 1, applied: 1, rolledBack: false },
    'postgres',
    'statement 1 stayed applied (they cannot run inside a transaction); Retry runs from statement 2.',
  ],
  ['unknown when the database was not reached', { statementIndex: -1 }, 'postgres', ''],
];

for (const [name, outcome, engine, expected] of cases) {
  test(`failure aftermath: ${name}`, () => {
    assert.equal(failureAftermath(outcome, engine), expected);
  });
}
