import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWideningTypeChange } from '../../../src/schema/type-change.js';

describe('type changes', () => {
  const cases: [string, 'postgres' | 'mysql', string, string, boolean][] = [
    ['varchar grows', 'postgres', 'character varying(20)', 'character varying(100)', true],
    ['varchar shrinks', 'postgres', 'character varying(100)', 'character varying(10)', false],
    ['varchar to text', 'postgres', 'character varying(100)', 'text', true],
    ['text to bounded varchar', 'postgres', 'text', 'character varying(10)', false],
    ['integer to bigint', 'postgres', 'integer', 'bigint', true],
    ['bigint to integer', 'postgres', 'bigint', 'integer', false],
    ['numeric gains scale and digits', 'postgres', 'numeric(10,2)', 'numeric(12,4)', true],
    ['numeric loses scale', 'postgres', 'numeric(10,2)', 'numeric(10,0)', false],
    ['text to integer', 'postgres', 'text', 'integer', false],
    ['mysql int to bigint', 'mysql', 'int(11)', 'bigint(20)', true],
    ['mysql unsigned int to signed int', 'mysql', 'int(10) unsigned', 'int(11)', false],
    ['mysql unsigned int to signed bigint', 'mysql', 'int(10) unsigned', 'bigint(20)', true],
    ['mysql varchar grows', 'mysql', 'varchar(10)', 'varchar(20)', true],
    ['mysql varchar to text', 'mysql', 'varchar(200)', 'text', true],
    ['mysql text to varchar', 'mysql', 'text', 'varchar(200)', false],
    ['mysql enum gains a value', 'mysql', "enum('a','b')", "enum('a','b','c')", true],
    ['mysql enum loses a value', 'mysql', "enum('a','b')", "enum('a')", false],
    ['mysql decimal grows', 'mysql', 'decimal(10,2)', 'decimal(12,4)', true],
    ['mysql float to double', 'mysql', 'float', 'double', true],
  ];
  for (const [name, engine, from, to, widening] of cases) {
    it(`${name} is ${widening ? 'widening' : 'narrowing'} on ${engine}`, () => {
      assert.equal(isWideningTypeChange(engine, from, to), widening);
    });
  }
});
