/**
 * What a PostgreSQL statement's text says about what its tree can hold, so rules that look for
 * something in every query block, or in every statement nested in another, need not walk the
 * whole tree of a plain statement. Words inside strings and names count too, so each answer may
 * say "maybe" too often, never too rarely.
 */
import type { Statement } from '../statement.js';

/** Words without which a statement holds no query block but its SELECTs: WITH, set operations, VALUES, TABLE. */
const NESTS = /with|table|union|intersect|except|values/i;

/** How often `word` (a regular expression with the g flag) occurs in `sql`, counted up to `max + 1`. */
function occurrences(sql: string, word: RegExp, max: number): number {
  let n = 0;
  while (n <= max && word.exec(sql)) n++;
  return n;
}

/**
 * The number of query blocks the statement's tree can hold: the SELECTs written in its text, or
 * Infinity when the text may hold others (a WITH query, a set operation, VALUES or TABLE). A
 * count over 1 is given as 2.
 */
export function queryBlocks(sql: string): number {
  if (NESTS.test(sql)) return Number.POSITIVE_INFINITY;
  return occurrences(sql, /select/gi, 1);
}

/**
 * True when the statement may hold another one: a data-modifying WITH query, or a SELECT … INTO
 * inside a set operation. Neither is written without its keyword (INSERT and MERGE have one INTO
 * of their own), so a statement without them holds no other.
 */
export function mayHoldStatements(s: Statement): boolean {
  if (/with/i.test(s.sql)) return true;
  const own = s.node === 'InsertStmt' || s.node === 'MergeStmt' ? 1 : 0;
  return occurrences(s.sql, /into/gi, own) > own;
}
