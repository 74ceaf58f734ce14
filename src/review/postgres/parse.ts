/**
 * PostgreSQL's own parser (libpg-query, compiled to WebAssembly) for review. The whole script is
 * parsed once: the parser splits it and gives each statement's location, so every statement
 * PostgreSQL accepts is read exactly and positions come from PostgreSQL's own locations. When the
 * script does not parse as a whole (a syntax error, psql meta-commands, COPY data), it is split
 * by dbchange's splitter and each statement is parsed alone, so the error is pinned to its
 * statement and the others are still reviewed.
 *
 * Locations in the AST are byte offsets (UTF-8) into the text that was parsed; `PgParsed.base` is
 * the byte offset of the statement's first character in that text.
 */
import { loadModule, parseSync, type Node } from 'libpg-query';
import { splitStatements, type SplitStatement } from '../../sql/split.js';

await loadModule();

export interface PgParsed {
  split: SplitStatement;
  /** The statement's node (`{CreateStmt: …}`), or null when it does not parse. */
  ast: Node | null;
  /** Byte offset of the statement's first character in the text whose locations `ast` holds. */
  base: number;
  /** True when the statement text is plain ASCII (byte offsets are character offsets). */
  ascii: boolean;
  /** The parser's message and offset within the statement, when it does not parse. */
  error?: { message: string; offset: number };
}

interface RawStmt {
  stmt?: Node;
  stmt_location?: number;
  stmt_len?: number;
}

interface PgError {
  message?: string;
  sqlDetails?: { cursorPosition?: number };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Offset of the first character at or after `i` that is neither whitespace nor a comment. */
function skipBlank(sql: string, i: number, end: number): number {
  while (i < end) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      const e = sql.indexOf('\n', i);
      i = e < 0 || e > end ? end : e + 1;
    } else if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      let level = 1;
      i += 2;
      while (i < end && level > 0) {
        if (sql.charCodeAt(i) === 47 && sql.charCodeAt(i + 1) === 42) {
          level++;
          i += 2;
        } else if (sql.charCodeAt(i) === 42 && sql.charCodeAt(i + 1) === 47) {
          level--;
          i += 2;
        } else i++;
      }
    } else break;
  }
  return i;
}

/** Character offsets of byte offsets (ascending), for a script that is not plain ASCII. */
function byteToChar(sql: string): (byte: number) => number {
  let b = 0;
  let c = 0;
  return (target) => {
    while (b < target && c < sql.length) {
      const code = sql.codePointAt(c)!;
      b += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      c += code >= 0x10000 ? 2 : 1;
    }
    return c;
  };
}

function isAscii(s: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  return !/[^\u0000-\u007f]/.test(s);
}

/** Split the script with the statement locations PostgreSQL's parser returned. */
function fromLocations(sql: string, stmts: RawStmt[]): PgParsed[] {
  const ascii = isAscii(sql);
  const charAt = ascii ? (b: number) => b : byteToChar(sql);
  const out: PgParsed[] = [];
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  for (const raw of stmts) {
    const loc = raw.stmt_location ?? 0;
    const from = charAt(loc);
    const to = raw.stmt_len ? charAt(loc + raw.stmt_len) : sql.length;
    const start = skipBlank(sql, from, to);
    const text = sql.slice(start, to).trimEnd();
    for (let k = sql.indexOf('\n', scanned); k >= 0 && k < start; k = sql.indexOf('\n', k + 1)) {
      line++;
      lineStart = k + 1;
    }
    scanned = start;
    const base = ascii ? start : Buffer.byteLength(sql.slice(0, start));
    out.push({
      split: { sql: text, line, column: start - lineStart + 1, start, end: start + text.length },
      ast: raw.stmt ?? null,
      base,
      ascii: ascii || isAscii(text),
    });
  }
  return out;
}

function parseOne(split: SplitStatement): PgParsed {
  const ascii = isAscii(split.sql);
  try {
    const r = parseSync(split.sql) as { stmts?: RawStmt[] };
    const stmts = r.stmts ?? [];
    // One split statement is one PostgreSQL statement; a stray second one is reviewed as the first.
    return { split, ast: stmts[0]?.stmt ?? null, base: stmts[0]?.stmt_location ?? 0, ascii };
  } catch (e) {
    const err = e as PgError;
    const cursor = err.sqlDetails?.cursorPosition ?? 0;
    const offset = ascii ? cursor : Buffer.from(split.sql).subarray(0, cursor).toString().length;
    return { split, ast: null, base: 0, ascii, error: { message: err.message ?? String(e), offset } };
  }
}

/** Parse a PostgreSQL script into statements with their ASTs; never throws. */
export function parsePostgres(sql: string): PgParsed[] {
  try {
    const r = parseSync(sql) as { stmts?: RawStmt[] };
    return fromLocations(sql, r.stmts ?? []);
  } catch {
    return splitStatements(sql, 'postgres').map(parseOne);
  }
}

/** Parse a PostgreSQL script and return only the parser's verdict (the bench's bare parse). */
export function parsePostgresBare(sql: string): number {
  return ((parseSync(sql) as { stmts?: unknown[] }).stmts ?? []).length;
}
