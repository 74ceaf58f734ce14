/**
 * A small tokenizer for one statement. Token-based facts (clauses at the top level, DDL shapes)
 * work for every statement, including the ones node-sql-parser cannot parse.
 */
import type { Engine } from '../domain/engine.js';

export type TokenType = 'word' | 'ident' | 'string' | 'number' | 'op' | 'punct' | 'param';

export interface Token {
  type: TokenType;
  /** Upper-cased for words, unquoted for identifiers and strings, as written otherwise. */
  v: string;
  /** The identifier as the engine stores it: PostgreSQL folds unquoted names to lower case. */
  name: string;
  /** Offset in the statement text. */
  pos: number;
  /** Parenthesis depth before this token (a '(' has the outer depth). */
  depth: number;
}

export interface Tokenized {
  tokens: Token[];
  /** Optimizer hint comments (`/*+ … *\/`), their inner text. */
  hints: string[];
  /** Every keyword/unquoted word of the statement, upper-cased: lets rules skip statements cheaply. */
  words: Set<string>;
  unterminated: boolean;
  unbalanced: boolean;
}

const OP_STARTS = new Set(['<', '>', '=', '!', '|', '-', '#', '@', '&', ':']);
const OPS = ['<=>', '::', '<>', '!=', '<=', '>=', '||', '->>', '->', '#>>', '#>', '@>', '<@', '&&', ':='];

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Tokenize one statement's text. */
export function tokenize(sql: string, engine: Engine): Tokenized {
  const mysql = engine === 'mysql';
  const tokens: Token[] = [];
  const hints: string[] = [];
  const words = new Set<string>();
  let unterminated = false;
  let depth = 0;
  let minDepth = 0;
  let skipExecutableClose = 0;
  const n = sql.length;
  const push = (type: TokenType, v: string, name: string, pos: number): void => {
    tokens.push({ type, v, name, pos, depth });
  };
  const quoted = (i: number, q: number, backslash: boolean): [string, number] => {
    let k = i + 1;
    let out = '';
    let from = k;
    while (k < n) {
      const c = sql.charCodeAt(k);
      if (backslash && c === 92) {
        out += sql.slice(from, k) + sql.charAt(k + 1);
        k += 2;
        from = k;
        continue;
      }
      if (c === q) {
        if (sql.charCodeAt(k + 1) === q) {
          out += sql.slice(from, k + 1);
          k += 2;
          from = k;
          continue;
        }
        return [out + sql.slice(from, k), k + 1];
      }
      k++;
    }
    unterminated = true;
    return [out + sql.slice(from), n];
  };

  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    // MySQL needs whitespace after `--` for a comment (`5--1` is arithmetic); PostgreSQL does not.
    if (c === 45 && sql.charCodeAt(i + 1) === 45 && (!mysql || i + 2 >= n || /\s/.test(sql.charAt(i + 2)))) {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (mysql && c === 35) {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      if (mysql && sql.charCodeAt(i + 2) === 33) {
        // Executable comment: its content is SQL.
        i += 3;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
        skipExecutableClose++;
        continue;
      }
      const e = sql.indexOf('*/', i + 2);
      if (e < 0) unterminated = true;
      if (sql.charCodeAt(i + 2) === 43) hints.push(sql.slice(i + 3, e < 0 ? n : e));
      i = e < 0 ? n : e + 2;
      continue;
    }
    if (skipExecutableClose > 0 && c === 42 && sql.charCodeAt(i + 1) === 47) {
      skipExecutableClose--;
      i += 2;
      continue;
    }
    if (c === 39) {
      const prev = i > 0 ? sql.charCodeAt(i - 1) : 0;
      const e = !mysql && (prev === 69 || prev === 101);
      if (e && tokens.length && tokens[tokens.length - 1]!.pos === i - 1) tokens.pop();
      const [v, next] = quoted(i, 39, mysql || e);
      push('string', v, v, i);
      i = next;
      continue;
    }
    if (c === 34) {
      const [v, next] = quoted(i, 34, false);
      if (mysql) push('string', v, v, i);
      else push('ident', v, v, i);
      i = next;
      continue;
    }
    if (c === 96 && mysql) {
      const [v, next] = quoted(i, 96, false);
      push('ident', v, v, i);
      i = next;
      continue;
    }
    if (c === 36 && !mysql) {
      const m = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        if (close < 0) unterminated = true;
        const body = sql.slice(i + m[0].length, close < 0 ? n : close);
        push('string', body, body, i);
        i = close < 0 ? n : close + m[0].length;
        continue;
      }
      if (isDigit(sql.charCodeAt(i + 1))) {
        let k = i + 1;
        while (k < n && isDigit(sql.charCodeAt(k))) k++;
        push('param', sql.slice(i, k), '', i);
        i = k;
        continue;
      }
    }
    if (isIdentStart(c)) {
      let k = i + 1;
      while (k < n && isIdentPart(sql.charCodeAt(k))) k++;
      const raw = sql.slice(i, k);
      const upper = raw.toUpperCase();
      words.add(upper);
      push('word', upper, mysql ? raw : raw.toLowerCase(), i);
      i = k;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      let k = i + 1;
      while (k < n && (isDigit(sql.charCodeAt(k)) || sql.charCodeAt(k) === 46)) k++;
      if (k < n && (sql.charCodeAt(k) === 101 || sql.charCodeAt(k) === 69)) {
        k++;
        if (sql.charCodeAt(k) === 43 || sql.charCodeAt(k) === 45) k++;
        while (k < n && isDigit(sql.charCodeAt(k))) k++;
      }
      // MySQL allows identifiers that start with digits (e.g. 1abc).
      if (mysql && k < n && isIdentStart(sql.charCodeAt(k))) {
        while (k < n && isIdentPart(sql.charCodeAt(k))) k++;
        const raw = sql.slice(i, k);
        push('word', raw.toUpperCase(), raw, i);
      } else push('number', sql.slice(i, k), '', i);
      i = k;
      continue;
    }
    if (c === 40) {
      push('punct', '(', '', i);
      depth++;
      i++;
      continue;
    }
    if (c === 41) {
      depth--;
      if (depth < minDepth) minDepth = depth;
      push('punct', ')', '', i);
      i++;
      continue;
    }
    if (c === 44 || c === 59 || c === 46 || c === 91 || c === 93) {
      push('punct', sql.charAt(i), '', i);
      i++;
      continue;
    }
    if (c === 63 && mysql) {
      push('param', '?', '', i);
      i++;
      continue;
    }
    let op = sql.charAt(i);
    // Multi-character operators only start with these characters; skip the search otherwise.
    if (OP_STARTS.has(op)) {
      for (const o of OPS) {
        if (sql.startsWith(o, i)) {
          op = o;
          break;
        }
      }
    }
    push('op', op, '', i);
    i += op.length;
  }
  return { tokens, hints, words, unterminated, unbalanced: depth !== 0 || minDepth < 0 };
}

/** A (possibly qualified) name starting at token `i`: its parts and the index after it. */
export function readName(tokens: readonly Token[], i: number): { parts: string[]; next: number } | null {
  const t = tokens[i];
  if (!t || (t.type !== 'word' && t.type !== 'ident')) return null;
  const parts = [t.name];
  let k = i + 1;
  while (tokens[k]?.v === '.' && tokens[k]!.type === 'punct') {
    const p = tokens[k + 1];
    if (!p || (p.type !== 'word' && p.type !== 'ident' && !(p.type === 'op' && p.v === '*'))) break;
    parts.push(p.type === 'op' ? '*' : p.name);
    k += 2;
  }
  return { parts, next: k };
}

/** Index of the ')' closing the '(' at `open`, or tokens.length. */
export function closeParen(tokens: readonly Token[], open: number): number {
  const d = tokens[open]!.depth;
  for (let k = open + 1; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type === 'punct' && t.v === ')' && t.depth === d) return k;
  }
  return tokens.length;
}

/** Split tokens[from, to) at commas of the given depth. */
export function splitTopLevel(
  tokens: readonly Token[],
  from: number,
  to: number,
  depth: number,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = from;
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.type === 'punct' && t.v === ',' && t.depth === depth) {
      out.push([s, k]);
      s = k + 1;
    }
  }
  if (s < to) out.push([s, to]);
  return out;
}

/** True when word `w` occurs as a keyword token in tokens[from, to). */
export function hasWord(tokens: readonly Token[], w: string, from = 0, to = tokens.length): boolean {
  for (let k = from; k < to; k++) if (tokens[k]!.type === 'word' && tokens[k]!.v === w) return true;
  return false;
}

/** Index of the first word token `w` at `depth` in tokens[from, to), or -1. */
export function findWord(tokens: readonly Token[], w: string, depth: number, from = 0, to = tokens.length): number {
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.type === 'word' && t.v === w && t.depth === depth) return k;
  }
  return -1;
}
