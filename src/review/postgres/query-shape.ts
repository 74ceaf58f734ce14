/**
 * What a PostgreSQL statement's text says about the queries its tree can hold, so rules that look
 * for something in every query block need not walk the whole tree of a plain statement.
 */

/** Words without which a statement holds no query block but its SELECTs: WITH, set operations, VALUES, TABLE. */
const NESTS = /with|table|union|intersect|except|values/i;

/**
 * The number of query blocks the statement's tree can hold: the SELECTs written in its text, or
 * Infinity when the text may hold others (a WITH query, a set operation, VALUES or TABLE). A
 * count over 1 is given as 2. Words inside strings and names count too, so it may be too high,
 * never too low.
 */
export function queryBlocks(sql: string): number {
  if (NESTS.test(sql)) return Number.POSITIVE_INFINITY;
  const select = /select/gi;
  let n = 0;
  while (select.exec(sql)) if (++n > 1) return 2;
  return n;
}
