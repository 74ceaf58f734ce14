import assert from 'node:assert/strict';
import { it } from 'node:test';
import { mysqlPairs } from './corpus/mysql.js';
import { postgresPairs } from './corpus/postgres.js';

it('the round-trip corpus holds at least 80 pairs over both engines, each name used once per engine', () => {
  assert.ok(postgresPairs.length + mysqlPairs.length >= 80, `only ${postgresPairs.length + mysqlPairs.length} pairs`);
  for (const pairs of [postgresPairs, mysqlPairs]) assert.equal(new Set(pairs.map((p) => p.name)).size, pairs.length);
});
