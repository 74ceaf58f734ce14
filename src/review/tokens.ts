/**
 * A small tokenizer for one statement. Token-based facts (clauses at the top level, DDL shapes)
 * work for every statement, including the ones node-sql-parser cannot parse.
 */
import type { Engine } from '../domain/engine.js';
import { SqlLexer } from '../sql/lexer.js';

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
  unterminated: boolean;
  unbalanced: boolean;
}

/**
 * The tokens of one statement's text, read as far as asked: a reader that needs only the
 * statement's head stops there, and reading on later gives the tokens one pass would have.
 */
export class TokenStream {
  readonly tokens: Token[] = [];
  readonly hints: string[] = [];
  readonly #sql: string;
  readonly #lower: boolean;
  readonly #lx: SqlLexer;
  #depth = 0;
  #minDepth = 0;
  #ended = false;

  constructor(sql: string, engine: Engine) {
    this.#sql = sql;
    this.#lower = engine !== 'mysql';
    this.#lx = new SqlLexer(sql, engine);
  }

  /** Read on until there are `limit` tokens or the text ends. */
  read(limit = Infinity): this {
    const { tokens, hints } = this;
    const sql = this.#sql;
    const lower = this.#lower;
    const lx = this.#lx;
    let depth = this.#depth;
    while (!this.#ended && tokens.length < limit) {
      const kind = lx.next();
      const pos = lx.start;
      switch (kind) {
        case 'end':
          this.#ended = true;
          break;
        case 'word': {
          const raw = sql.slice(pos, lx.end);
          const upper = raw.toUpperCase();
          tokens.push({ type: 'word', v: upper, name: lower ? raw.toLowerCase() : raw, pos, depth });
          break;
        }
        case 'string':
        case 'ident': {
          const v = lx.value();
          // An E'…' string sits at its quote, as any other string does.
          const at = kind === 'string' && (sql.charCodeAt(pos) | 32) === 101 ? pos + 1 : pos;
          tokens.push({ type: kind, v, name: v, pos: at, depth });
          break;
        }
        case 'punct': {
          const v = sql.charAt(pos);
          if (v === ')') {
            depth--;
            if (depth < this.#minDepth) this.#minDepth = depth;
          }
          tokens.push({ type: 'punct', v, name: '', pos, depth });
          if (v === '(') depth++;
          break;
        }
        case 'number':
        case 'param':
        case 'op':
          tokens.push({ type: kind, v: sql.slice(pos, lx.end), name: '', pos, depth });
          break;
        case 'hint':
          hints.push(sql.slice(lx.bodyStart, lx.bodyEnd));
          break;
        case 'exec-open':
        case 'exec-close':
          // Executable comments hold SQL: their marks are not tokens, their content is.
          break;
      }
    }
    this.#depth = depth;
    return this;
  }

  /** What has been read so far. */
  result(): Tokenized {
    return {
      tokens: this.tokens,
      hints: this.hints,
      unterminated: this.#lx.unterminated,
      unbalanced: this.#depth !== 0 || this.#minDepth < 0,
    };
  }
}

/** Tokenize one statement's text; with `limit`, stop after that many tokens (the statement's head). */
export function tokenize(sql: string, engine: Engine, limit = Infinity): Tokenized {
  return new TokenStream(sql, engine).read(limit).result();
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
