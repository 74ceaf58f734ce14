/**
 * The upper-cased words of a statement, skipping comments, string literals and quoted
 * identifiers: enough to classify a statement by its keywords without a parser.
 */
import type { Engine } from '../domain/engine.js';
import { SqlLexer } from '../sql/lexer.js';

/** Up to `limit` keywords/identifiers of `sql`, upper-cased, outside comments and quotes. */
export function wordsOf(sql: string, engine: Engine, limit = Infinity): string[] {
  const lx = new SqlLexer(sql, engine);
  const out: string[] = [];
  for (let kind = lx.next(); kind !== 'end' && out.length < limit; kind = lx.next()) {
    if (kind === 'word') out.push(sql.slice(lx.start, lx.end).toUpperCase());
  }
  return out;
}
