/**
 * The upper-cased words of a statement, skipping comments, string literals and quoted
 * identifiers: enough to classify a statement by its keywords without a parser.
 */
import type { Engine } from '../domain/engine.js';

/** Up to `limit` keywords/identifiers of `sql`, upper-cased, outside comments and quotes. */
export function wordsOf(sql: string, engine: Engine, limit = Infinity): string[] {
  const mysql = engine === 'mysql';
  const out: string[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n && out.length < limit) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      i = lineEnd(sql, i);
    } else if (mysql && c === '#') {
      i = lineEnd(sql, i);
    } else if (c === '/' && next === '*') {
      i = blockCommentEnd(sql, i, !mysql);
    } else if (c === "'" || c === '"' || (mysql && c === '`')) {
      i = quoteEnd(sql, i, c, mysql || (i > 0 && /[eE]/.test(sql[i - 1]!)));
    } else if (!mysql && c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else {
        i++;
      }
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      out.push(sql.slice(i, j).toUpperCase());
      i = j;
    } else {
      i++;
    }
  }
  return out;
}

function lineEnd(sql: string, i: number): number {
  const nl = sql.indexOf('\n', i);
  return nl < 0 ? sql.length : nl + 1;
}

function blockCommentEnd(sql: string, i: number, nested: boolean): number {
  let depth = 0;
  let k = i;
  while (k < sql.length) {
    if (sql[k] === '/' && sql[k + 1] === '*') {
      depth = nested ? depth + 1 : 1;
      k += 2;
    } else if (sql[k] === '*' && sql[k + 1] === '/') {
      depth--;
      k += 2;
      if (depth === 0) return k;
    } else {
      k++;
    }
  }
  return sql.length;
}

function quoteEnd(sql: string, i: number, quote: string, backslash: boolean): number {
  let k = i + 1;
  while (k < sql.length) {
    const c = sql[k]!;
    if (backslash && c === '\\') {
      k += 2;
    } else if (c === quote) {
      if (sql[k + 1] === quote) k += 2;
      else return k + 1;
    } else {
      k++;
    }
  }
  return sql.length;
}
