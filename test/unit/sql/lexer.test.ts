import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { SqlLexer } from '../../../src/sql/lexer.js';
import type { Engine } from '../../../src/domain/engine.js';

/** Every token as `kind:text` (`kind=value` for strings and identifiers). */
function lex(sql: string, engine: Engine): string[] {
  const lx = new SqlLexer(sql, engine);
  const out: string[] = [];
  for (let k = lx.next(); k !== 'end'; k = lx.next()) {
    out.push(k === 'string' || k === 'ident' ? `${k}=${lx.value()}` : `${k}:${sql.slice(lx.start, lx.end)}`);
  }
  if (lx.unterminated) out.push('unterminated');
  return out;
}

const cases: Array<{ name: string; engine: Engine; sql: string; tokens: string[] }> = [
  {
    name: 'skips line and block comments',
    engine: 'postgres',
    sql: 'a -- x\n/* y */ b',
    tokens: ['word:a', 'word:b'],
  },
  {
    name: 'nests block comments on PostgreSQL',
    engine: 'postgres',
    sql: '/* a /* b */ c */ d',
    tokens: ['word:d'],
  },
  {
    name: 'does not nest block comments on MySQL',
    engine: 'mysql',
    sql: '/* a /* b */ c',
    tokens: ['word:c'],
  },
  {
    name: 'takes -- as a comment on MySQL only before whitespace',
    engine: 'mysql',
    sql: '5--1\n# note\nx -- y',
    tokens: ['number:5', 'op:-', 'op:-', 'number:1', 'word:x'],
  },
  {
    name: 'takes # as an operator on PostgreSQL',
    engine: 'postgres',
    sql: "j #>> '{a}'",
    tokens: ['word:j', 'op:#>>', 'string={a}'],
  },
  {
    name: 'decodes doubled quotes, and backslashes only where the engine does',
    engine: 'postgres',
    sql: `'it''s' 'a\\' E'b\\'c' "x""y"`,
    tokens: ["string=it's", 'string=a\\', "string=b'c", 'ident=x"y'],
  },
  {
    name: 'reads MySQL double quotes as strings and backticks as identifiers',
    engine: 'mysql',
    sql: '"a\\"b" `t``u` \'c\\\'d\'',
    tokens: ['string=a"b', 'ident=t`u', "string=c'd"],
  },
  {
    name: 'reads dollar-quoted strings with and without tags, and parameters',
    engine: 'postgres',
    sql: '$$ a;b $$ $fn$ $$ $fn$ $1',
    tokens: ['string= a;b ', 'string= $$ ', 'param:$1'],
  },
  {
    name: 'returns optimizer hints and the marks of executable comments',
    engine: 'mysql',
    sql: 'SELECT /*+ NO_ICP(t) */ /*!40101 SQL_NO_CACHE */ 1',
    tokens: [
      'word:SELECT',
      'hint:/*+ NO_ICP(t) */',
      'exec-open:/*!40101',
      'word:SQL_NO_CACHE',
      'exec-close:*/',
      'number:1',
    ],
  },
  {
    name: 'reads numbers, MySQL digit-leading names, punctuation and multi-character operators',
    engine: 'mysql',
    sql: '1.5e-3 .5 1abc (a, b); x <=> ? := y->>z',
    tokens: [
      'number:1.5e-3',
      'number:.5',
      'word:1abc',
      'punct:(',
      'word:a',
      'punct:,',
      'word:b',
      'punct:)',
      'punct:;',
      'word:x',
      'op:<=>',
      'param:?',
      'op::=',
      'word:y',
      'op:->>',
      'word:z',
    ],
  },
  {
    name: 'runs an unterminated string to the end and says so',
    engine: 'postgres',
    sql: "a 'b c",
    tokens: ['word:a', 'string=b c', 'unterminated'],
  },
  {
    name: 'runs an unterminated dollar quote to the end and says so',
    engine: 'postgres',
    sql: '$x$ never closed',
    tokens: ['string= never closed', 'unterminated'],
  },
];

describe('SqlLexer', () => {
  for (const c of cases) {
    it(`${c.name} (${c.engine})`, () => {
      assert.deepEqual(lex(c.sql, c.engine), c.tokens);
    });
  }

  it('keeps an executable comment opaque when its reader skips it', () => {
    const lx = new SqlLexer('/*!40101 SET x = 1; */ SELECT 1', 'mysql');
    assert.equal(lx.next(), 'exec-open');
    lx.skipExecutable();
    assert.equal(lx.next(), 'word');
    assert.equal(lx.sql.slice(lx.start, lx.end), 'SELECT');
  });
});
