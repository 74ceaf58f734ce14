// One statement of a script with everything rules read from it, computed on first use.
import type { Engine } from '../domain/engine.js';
import type { SplitStatement } from '../sql/split.js';
import { TokenStream, type Token, type Tokenized } from './tokens.js';
import { kindOf, type StatementKind } from './model/kind.js';
import { readCreateTable, type CreateTable } from './model/create-table.js';
import { readAlterTable, type AlterTable } from './model/alter-table.js';
import { readCreateIndex, type CreateIndex } from './model/create-index.js';
import type { Node } from 'libpg-query';

/** kindOf reads at most this many tokens of a statement, except after WITH. */
const HEAD_TOKENS = 18;

export class Statement {
  readonly index: number;
  readonly split: SplitStatement;
  readonly engine: Engine;
  #lex: Tokenized | undefined;
  /** The tokens read so far for the statement's kind, until the whole statement is read. */
  #stream: TokenStream | undefined;
  #kind: StatementKind | undefined;
  #verb: string | undefined;
  /** False when node-sql-parser could not parse the statement (AST-only facts are unknown). */
  parsed = true;
  /** Per-statement memo for facts several rules derive (defined columns, WHERE ranges …). */
  #memo: Map<string, unknown> | undefined;
  #createTable: CreateTable | null | undefined;
  #alterTable: AlterTable | null | undefined;
  #createIndex: CreateIndex | null | undefined;
  #node: string | undefined;
  /** PostgreSQL: the statement's node from PostgreSQL's own parser (null when it did not parse or on MySQL). */
  readonly ast: Node | null;
  /** Byte offset of the statement's first character in the text the AST's locations refer to. */
  readonly #base: number;
  readonly #ascii: boolean;
  /** The statement's keywords, upper-cased (from its tokens, on first use). */
  #words: Set<string> | undefined;
  /** The text upper-cased when it is plain ASCII ('' otherwise): rules' keyword checks read it before any tokens. */
  #upper: string | undefined;

  constructor(
    index: number,
    split: SplitStatement,
    engine: Engine,
    pg?: { ast: Node | null; base: number; ascii: boolean },
  ) {
    this.index = index;
    this.split = split;
    this.engine = engine;
    this.ast = pg?.ast ?? null;
    this.#base = pg?.base ?? 0;
    this.#ascii = pg?.ascii ?? true;
  }

  /** The offset within this statement of an AST location (a byte offset into the parsed text). */
  at(location: number | undefined): number {
    if (location === undefined || location < 0) return 0;
    const rel = location - this.#base;
    if (rel <= 0) return 0;
    return this.#ascii ? rel : Buffer.from(this.split.sql).subarray(0, rel).toString().length;
  }
  /** The offset just past the statement's last character (for advice reported where a statement ends). */
  get endPos(): number {
    return this.split.sql.length - 1;
  }

  /** Tokens, computed on first use: the parser runs first, with less live memory to collect. */
  get lex(): Tokenized {
    if (!this.#lex) {
      // Reads on from the statement's head when its kind was read first.
      this.#lex = (this.#stream ?? new TokenStream(this.split.sql, this.engine)).read().result();
      this.#stream = undefined;
    }
    return this.#lex;
  }
  /**
   * The statement's first keyword, for choosing which rules see it. PostgreSQL's parser already
   * accepted the statement, so its first word is enough and the statement need not be tokenized
   * unless a rule reads its tokens; MySQL (and WITH …) take it from the tokens.
   */
  get verb(): string {
    // Rules ask for it many times: it is read once.
    if (this.#verb === undefined) {
      const w = this.ast ? firstWord(this.split.sql) : '';
      this.#verb = w && w !== 'WITH' ? w : this.kind.verb;
    }
    return this.#verb;
  }
  get kind(): StatementKind {
    return (this.#kind ??= this.#lex ? kindOf(this.#lex.tokens) : this.#headKind());
  }
  /**
   * The kind from the statement's first tokens (all kindOf reads, but after WITH), so a statement
   * no rule reads the tokens of is never tokenized whole. Token indices are those of the full list.
   */
  #headKind(): StatementKind {
    const head = (this.#stream ??= new TokenStream(this.split.sql, this.engine)).read(HEAD_TOKENS).tokens;
    const first = head[0]?.v;
    return head.length < HEAD_TOKENS || (first !== 'WITH' && first !== '(') ? kindOf(head) : kindOf(this.lex.tokens);
  }

  /** PostgreSQL: the kind of the statement's node (`CreateStmt` …), '' without one; read once. */
  get node(): string {
    if (this.#node === undefined) {
      this.#node = '';
      if (this.ast)
        for (const k in this.ast) {
          this.#node = k;
          break;
        }
    }
    return this.#node;
  }

  get sql(): string {
    return this.split.sql;
  }
  get tokens(): Token[] {
    return this.lex.tokens;
  }
  /** True when the statement contains the (upper-case) keyword anywhere outside strings and comments. */
  has(word: string): boolean {
    if (!this.#words) {
      // Before any rule tokenized it: a keyword of a plain ASCII text is in its upper-cased
      // text, and a statement without the word need not be tokenized to find that out.
      if (!this.#lex) {
        const upper = (this.#upper ??= isAscii(this.split.sql) ? this.split.sql.toUpperCase() : '');
        if (upper && !upper.includes(word)) return false;
      }
      this.#words = new Set();
      for (const t of this.lex.tokens) if (t.type === 'word') this.#words.add(t.v);
    }
    return this.#words.has(word);
  }
  /**
   * A value computed once per statement. `fn` is given the statement, so hot callers can pass a
   * module-level function instead of allocating a closure on every call.
   */
  cached<T>(key: string, fn: (s: Statement) => T): T {
    const memo = (this.#memo ??= new Map());
    const known = memo.get(key);
    if (known !== undefined || memo.has(key)) return known as T;
    const v = fn(this);
    memo.set(key, v);
    return v;
  }
  get createTable(): CreateTable | null {
    if (this.#createTable === undefined) {
      this.#createTable =
        this.verb === 'CREATE' && this.kind.label === 'CREATE TABLE'
          ? readCreateTable(this.tokens, this.kind.at)
          : null;
    }
    return this.#createTable;
  }
  get alterTable(): AlterTable | null {
    if (this.#alterTable === undefined) {
      this.#alterTable =
        this.verb === 'ALTER' && this.kind.label === 'ALTER TABLE' ? readAlterTable(this.tokens, this.kind.at) : null;
    }
    return this.#alterTable;
  }
  get createIndex(): CreateIndex | null {
    if (this.#createIndex === undefined) {
      this.#createIndex =
        this.verb === 'CREATE' && this.kind.label === 'CREATE INDEX'
          ? readCreateIndex(this.tokens, this.kind.at)
          : null;
    }
    return this.#createIndex;
  }

  /** 1-based line and column in the script of an offset within this statement. */
  locate(pos = 0): { line: number; column: number } {
    if (pos <= 0) return { line: this.split.line, column: this.split.column };
    let line = this.split.line;
    let lastNl = -1;
    const text = this.split.sql;
    for (let k = text.indexOf('\n'); k >= 0 && k < pos; k = text.indexOf('\n', k + 1)) {
      line++;
      lastNl = k;
    }
    return { line, column: lastNl < 0 ? this.split.column + pos : pos - lastNl };
  }
}

/** The text's first word (letters and underscores) upper-cased; '' when it starts otherwise. */
function firstWord(sql: string): string {
  let end = 0;
  for (let c = sql.charCodeAt(0); (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; c = sql.charCodeAt(++end));
  return sql.slice(0, end).toUpperCase();
}

function isAscii(s: string): boolean {
  return !/[^\u0000-\u007f]/.test(s);
}

/** The table name as one string for comparisons: the last part, and schema.table when qualified. */
export function tableKey(parts: readonly string[]): string {
  return parts.join('.');
}
