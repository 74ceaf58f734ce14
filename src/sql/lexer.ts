/**
 * The one SQL lexer: the splitter, the review tokenizer and the statement-word helpers all read
 * SQL through it, so comments, quotes and dollar quotes mean the same thing everywhere.
 *
 * A cursor over the text: `next()` skips whitespace and comments and stops on the next token,
 * setting `kind`, `start` and `end` (nothing is allocated per token). Engine rules:
 * - `--` line comments (MySQL: only when followed by whitespace or the end), `#` line comments
 *   (MySQL), `/* *\/` block comments (nested on PostgreSQL). `/*+ … *\/` optimizer hints are
 *   returned as `hint` tokens. MySQL `/*!NNNNN … *\/` executable comments hold SQL: `exec-open`
 *   is returned for the opening and `exec-close` for its `*\/`, the content is lexed as SQL in
 *   between (or skipped with `skipExecutable()` by a reader that keeps it opaque).
 * - '…' strings ('' doubling; backslash escapes on MySQL and in PostgreSQL E'…'), "…" (identifier
 *   on PostgreSQL, string with backslash escapes on MySQL), `…` identifiers (MySQL), PostgreSQL
 *   $$…$$ / $tag$…$tag$ strings, `$1` parameters (PostgreSQL) and `?` (MySQL).
 * - Words ([A-Za-z_] or non-ASCII, then also digits and `$`), numbers (MySQL: `1abc` is a word),
 *   punctuation `( ) , ; . [ ]`, and operators (the usual multi-character ones as one token).
 * Unterminated strings and comments run to the end of the text and set `unterminated`.
 * The lexer knows nothing of statements: delimiters, `DELIMITER` lines and routine bodies are
 * the splitter's business (it moves `pos` itself).
 */
import type { Engine } from '../domain/engine.js';

export type LexKind =
  | 'word'
  | 'ident'
  | 'string'
  | 'number'
  | 'param'
  | 'punct'
  | 'op'
  | 'hint'
  | 'exec-open'
  | 'exec-close'
  | 'end';

const OPS = ['<=>', '::', '<>', '!=', '<=', '>=', '||', '->>', '->', '#>>', '#>', '@>', '<@', '&&', ':='];
// The multi-character operators by their first character, longest first.
const OPS_BY_START: Array<string[] | undefined> = [];
for (const op of OPS) (OPS_BY_START[op.charCodeAt(0)] ??= []).push(op);
for (const list of OPS_BY_START) list?.sort((a, b) => b.length - a.length);
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/** First character of an unquoted word. */
export function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}
/** Later character of an unquoted word. */
export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}
/** SQL whitespace. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A cursor over one SQL text; see the module comment for the rules. */
export class SqlLexer {
  readonly sql: string;
  readonly mysql: boolean;
  readonly #n: number;
  /** Where the next token is looked for; a reader may move it (past a delimiter, a line …). */
  pos = 0;
  kind: LexKind = 'end';
  /** Span of the current token; for an E'…' string `start` is at the E. */
  start = 0;
  end = 0;
  /** Body of a string, identifier or hint token: without quotes, dollar tags or comment marks. */
  bodyStart = 0;
  bodyEnd = 0;
  /** The quoted body holds doubled quotes or backslash escapes: `value()` decodes them. */
  escaped = false;
  /** Some string, identifier or comment ran to the end of the text. */
  unterminated = false;
  #backslash = false;
  #quote = 0;
  #openExecutable = 0;

  constructor(sql: string, engine: Engine) {
    this.sql = sql;
    this.mysql = engine === 'mysql';
    this.#n = sql.length;
  }

  /** Advance to the next token and return its kind ('end' at the end of the text). */
  next(): LexKind {
    const sql = this.sql;
    const n = this.#n;
    const mysql = this.mysql;
    let i = this.pos;
    while (i < n) {
      const c = sql.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === 45 && sql.charCodeAt(i + 1) === 45 && (!mysql || i + 2 >= n || isSpace(sql.charCodeAt(i + 2)))) {
        i = this.#lineEnd(i);
        continue;
      }
      if (c === 35 && mysql) {
        i = this.#lineEnd(i);
        continue;
      }
      if (c === 47 && sql.charCodeAt(i + 1) === 42) {
        if (mysql && sql.charCodeAt(i + 2) === 33) {
          let k = i + 3;
          while (k < n && isDigit(sql.charCodeAt(k))) k++;
          this.#openExecutable++;
          return this.#token('exec-open', i, k);
        }
        const close = this.#blockCommentEnd(i);
        if (close < 0) this.unterminated = true;
        if (sql.charCodeAt(i + 2) === 43) {
          this.bodyStart = i + 3;
          this.bodyEnd = close < 0 ? n : close - 2;
          return this.#token('hint', i, close < 0 ? n : close);
        }
        i = close < 0 ? n : close;
        continue;
      }
      if (c === 42 && this.#openExecutable > 0 && sql.charCodeAt(i + 1) === 47) {
        this.#openExecutable--;
        return this.#token('exec-close', i, i + 2);
      }
      return this.#lexToken(i, c);
    }
    this.pos = n;
    this.kind = 'end';
    this.start = n;
    this.end = n;
    return 'end';
  }

  /** The current string or identifier token's value, quotes removed and escapes decoded. */
  value(): string {
    const sql = this.sql;
    if (!this.escaped) return sql.slice(this.bodyStart, this.bodyEnd);
    const q = this.#quote;
    let out = '';
    let from = this.bodyStart;
    for (let k = from; k < this.bodyEnd; k++) {
      const c = sql.charCodeAt(k);
      if (this.#backslash && c === 92) {
        out += sql.slice(from, k) + sql.charAt(k + 1);
        k++;
        from = k + 1;
      } else if (c === q) {
        out += sql.slice(from, k + 1);
        k++;
        from = k + 1;
      }
    }
    return out + sql.slice(from, this.bodyEnd);
  }

  /** After `exec-open`: skip to just past the executable comment, keeping its content opaque. */
  skipExecutable(): void {
    const close = this.sql.indexOf('*/', this.end);
    this.pos = close < 0 ? this.#n : close + 2;
    this.#openExecutable--;
  }

  /** End the current token early, at `at` (inside it): the rest is lexed again. */
  cut(at: number): void {
    this.end = at;
    this.pos = at;
  }

  /** Offset of the end of the line holding `from` (the newline itself, or the end of the text). */
  lineEnd(from: number): number {
    return this.#lineEnd(from);
  }

  #token(kind: LexKind, start: number, end: number): LexKind {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.pos = end;
    return kind;
  }

  #lineEnd(from: number): number {
    const k = this.sql.indexOf('\n', from);
    return k < 0 ? this.#n : k;
  }

  // Just past the block comment opened at `i` (nested on PostgreSQL), or -1 when unterminated.
  #blockCommentEnd(i: number): number {
    const sql = this.sql;
    const n = this.#n;
    if (this.mysql) {
      const close = sql.indexOf('*/', i + 2);
      return close < 0 ? -1 : close + 2;
    }
    let level = 1;
    let k = i + 2;
    while (k < n) {
      const d = sql.charCodeAt(k);
      if (d === 47 && sql.charCodeAt(k + 1) === 42) {
        level++;
        k += 2;
      } else if (d === 42 && sql.charCodeAt(k + 1) === 47) {
        k += 2;
        if (--level === 0) return k;
      } else k++;
    }
    return -1;
  }

  // A quoted run opened at `open` by `quote`: doubling escapes, and backslash when asked.
  #quoted(kind: 'string' | 'ident', start: number, open: number, quote: number, backslash: boolean): LexKind {
    const sql = this.sql;
    const n = this.#n;
    this.#quote = quote;
    this.#backslash = backslash;
    this.escaped = false;
    this.bodyStart = open + 1;
    let k = open + 1;
    while (k < n) {
      const c = sql.charCodeAt(k);
      if (backslash && c === 92) {
        this.escaped = true;
        k += 2;
        continue;
      }
      if (c === quote) {
        if (sql.charCodeAt(k + 1) === quote) {
          this.escaped = true;
          k += 2;
          continue;
        }
        this.bodyEnd = k;
        return this.#token(kind, start, k + 1);
      }
      k++;
    }
    this.unterminated = true;
    this.bodyEnd = n;
    return this.#token(kind, start, n);
  }

  #lexToken(i: number, c: number): LexKind {
    const sql = this.sql;
    const n = this.#n;
    const mysql = this.mysql;
    if (c === 39) return this.#quoted('string', i, i, 39, mysql);
    if (c === 34) return this.#quoted(mysql ? 'string' : 'ident', i, i, 34, mysql);
    if (c === 96 && mysql) return this.#quoted('ident', i, i, 96, false);
    if (c === 36 && !mysql) {
      DOLLAR_TAG.lastIndex = i;
      const m = DOLLAR_TAG.exec(sql);
      if (m) {
        const tag = m[0];
        const close = sql.indexOf(tag, i + tag.length);
        this.escaped = false;
        this.bodyStart = i + tag.length;
        if (close < 0) this.unterminated = true;
        this.bodyEnd = close < 0 ? n : close;
        return this.#token('string', i, close < 0 ? n : close + tag.length);
      }
      if (isDigit(sql.charCodeAt(i + 1))) {
        let k = i + 1;
        while (k < n && isDigit(sql.charCodeAt(k))) k++;
        return this.#token('param', i, k);
      }
    }
    if (isIdentStart(c)) {
      // PostgreSQL E'…': backslash escapes; the E belongs to the string.
      if (!mysql && (c === 69 || c === 101) && sql.charCodeAt(i + 1) === 39) {
        return this.#quoted('string', i, i + 1, 39, true);
      }
      let k = i + 1;
      while (k < n && isIdentPart(sql.charCodeAt(k))) k++;
      return this.#token('word', i, k);
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
        return this.#token('word', i, k);
      }
      return this.#token('number', i, k);
    }
    if (c === 40 || c === 41 || c === 44 || c === 59 || c === 46 || c === 91 || c === 93) {
      return this.#token('punct', i, i + 1);
    }
    if (c === 63 && mysql) return this.#token('param', i, i + 1);
    const ops = c < 128 ? OPS_BY_START[c] : undefined;
    if (ops) for (const o of ops) if (sql.startsWith(o, i)) return this.#token('op', i, i + o.length);
    return this.#token('op', i, i + 1);
  }
}
