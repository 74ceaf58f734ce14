/**
 * Splits a SQL script into statements in one linear pass, the way the engine's own client would:
 * - `--` line comments (MySQL: only when followed by whitespace or end of input), `#` line
 *   comments (MySQL), `/* *\/` block comments (nested on PostgreSQL); MySQL `/*! … *\/`
 *   executable comments count as statement text.
 * - '…' strings ('' doubling; backslash escapes on MySQL and in PostgreSQL E'…'), "…" (identifier
 *   on PostgreSQL, string on MySQL), `…` identifiers (MySQL), PostgreSQL $$…$$ / $tag$…$tag$.
 * - MySQL `DELIMITER xx` lines at a statement boundary change the delimiter; they are not statements.
 * - In CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT, `;` inside BEGIN … END (and PostgreSQL
 *   BEGIN ATOMIC … END) does not end the statement, even without a custom delimiter.
 * - PostgreSQL dumps: psql meta-command lines (`\connect`, `\restrict` …) at a statement boundary
 *   are not statements, and the data after `COPY … FROM stdin;` up to the `\.` line is skipped.
 * Statements holding only comments and whitespace are dropped.
 */
import type { Engine } from '../domain/engine.js';

export interface SplitStatement {
  /** The statement text without its trailing delimiter, trimmed. */
  sql: string;
  /** 1-based line of the statement's first character in the input. */
  line: number;
  /** 1-based column of the statement's first character. */
  column: number;
  /** Offset of the first character in the input. */
  start: number;
  /** Offset just past the last character of `sql` in the input. */
  end: number;
}

const ROUTINE_KINDS = new Set(['PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT']);
const NOT_ROUTINE = new Set(['TABLE', 'INDEX', 'VIEW', 'DATABASE', 'SCHEMA', 'SEQUENCE', 'TYPE', 'USER', 'ROLE']);
const END_SUFFIXES = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT', 'CASE']);

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Split `sql` into statements for `engine`; never throws, unterminated constructs run to the end. */
export function splitStatements(sql: string, engine: Engine): SplitStatement[] {
  const mysql = engine === 'mysql';
  const n = sql.length;
  const out: SplitStatement[] = [];
  let delimiter = ';';
  let stmtStart = -1; // offset of the first significant character of the current statement
  let words = 0; // words seen in the current statement, for routine detection
  let routine: 'unknown' | 'yes' | 'no' = 'no';
  let depth = 0; // BEGIN/CASE nesting inside a routine body

  // Line/column of an offset, computed incrementally: offsets asked for only grow.
  let lineAt = 0;
  let line = 1;
  let lineStart = 0;
  const position = (offset: number): { line: number; column: number } => {
    for (let k = lineAt; k < offset; k++) {
      if (sql.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    lineAt = offset;
    return { line, column: offset - lineStart + 1 };
  };

  let copyData = false; // the statement just finished is COPY … FROM STDIN: data lines follow
  const finish = (endOffset: number): void => {
    copyData = false;
    if (stmtStart >= 0) {
      const text = sql.slice(stmtStart, endOffset).trimEnd();
      if (text.length > 0) {
        const p = position(stmtStart);
        out.push({ sql: text, line: p.line, column: p.column, start: stmtStart, end: stmtStart + text.length });
        copyData = !mysql && /^COPY\b[\s\S]*\bFROM\s+STDIN\b/i.test(text);
      }
    }
    stmtStart = -1;
    words = 0;
    routine = 'no';
    depth = 0;
  };
  const mark = (at: number): void => {
    if (stmtStart < 0) stmtStart = at;
  };
  const endOfLine = (from: number): number => {
    const k = sql.indexOf('\n', from);
    return k < 0 ? n : k;
  };
  // Index just past a quoted run opened at `i` by `quote`; doubling escapes, and backslash when asked.
  const skipQuoted = (i: number, quote: number, backslash: boolean): number => {
    let k = i + 1;
    while (k < n) {
      const c = sql.charCodeAt(k);
      if (backslash && c === 92) {
        k += 2;
        continue;
      }
      if (c === quote) {
        if (sql.charCodeAt(k + 1) === quote) {
          k += 2;
          continue;
        }
        return k + 1;
      }
      k++;
    }
    return n;
  };
  const readWord = (i: number): number => {
    let k = i + 1;
    while (k < n && isIdentPart(sql.charCodeAt(k))) k++;
    return k;
  };

  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);

    if (isSpace(c)) {
      i++;
      continue;
    }

    // MySQL DELIMITER command, only at a statement boundary.
    if (mysql && stmtStart < 0 && (c === 68 || c === 100) && /^delimiter[ \t]/i.test(sql.slice(i, i + 10))) {
      const eol = endOfLine(i);
      const next =
        sql
          .slice(i + 10, eol)
          .trim()
          .split(/\s+/)[0] ?? '';
      if (next.length > 0) delimiter = next;
      i = eol;
      continue;
    }

    // Comments.
    if (c === 45 && sql.charCodeAt(i + 1) === 45 && (!mysql || i + 2 >= n || isSpace(sql.charCodeAt(i + 2)))) {
      i = endOfLine(i);
      continue;
    }
    if (mysql && c === 35) {
      i = endOfLine(i);
      continue;
    }
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const executable = mysql && sql.charCodeAt(i + 2) === 33;
      if (executable) mark(i);
      if (mysql) {
        const close = sql.indexOf('*/', i + 2);
        i = close < 0 ? n : close + 2;
      } else {
        let level = 1;
        let k = i + 2;
        while (k < n && level > 0) {
          const d = sql.charCodeAt(k);
          if (d === 47 && sql.charCodeAt(k + 1) === 42) {
            level++;
            k += 2;
          } else if (d === 42 && sql.charCodeAt(k + 1) === 47) {
            level--;
            k += 2;
          } else k++;
        }
        i = k;
      }
      continue;
    }

    // Delimiter.
    if (depth === 0 && (delimiter === ';' ? c === 59 : sql.startsWith(delimiter, i))) {
      finish(i);
      i += delimiter.length;
      if (copyData) {
        // COPY data runs from the next line to a line holding only \.
        copyData = false;
        const m = /(^|\n)\\\.[ \t]*(\r?\n|$)/.exec(sql.slice(endOfLine(i)));
        i = m ? endOfLine(i) + m.index + m[0].length : n;
      }
      continue;
    }

    // psql meta-command (pg_dump output): the rest of the line.
    if (!mysql && stmtStart < 0 && c === 92) {
      i = endOfLine(i);
      continue;
    }

    mark(i);

    if (c === 39) {
      const prev = i > 0 ? sql.charCodeAt(i - 1) : 0;
      const escapeString = !mysql && (prev === 69 || prev === 101) && (i < 2 || !isIdentPart(sql.charCodeAt(i - 2)));
      i = skipQuoted(i, c, mysql || escapeString);
      continue;
    }
    if (c === 34) {
      i = skipQuoted(i, c, mysql);
      continue;
    }
    if (c === 96 && mysql) {
      i = skipQuoted(i, c, false);
      continue;
    }
    if (c === 36 && !mysql && (i === 0 || !isIdentPart(sql.charCodeAt(i - 1)))) {
      const m = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        i = close < 0 ? n : close + m[0].length;
        continue;
      }
    }

    if (isIdentStart(c) && (i === 0 || !isIdentPart(sql.charCodeAt(i - 1)))) {
      const wEnd = readWord(i);
      if (words < 12) {
        const w = sql.slice(i, wEnd).toUpperCase();
        if (words === 0) {
          if (w === 'CREATE') routine = 'unknown';
        } else if (routine === 'unknown') {
          if (ROUTINE_KINDS.has(w)) routine = 'yes';
          else if (NOT_ROUTINE.has(w)) routine = 'no';
        }
        words++;
      }
      if (routine === 'yes') {
        // Only a few keywords matter here; compare cheaply by length first.
        const len = wEnd - i;
        if (len === 5 || len === 4 || len === 3) {
          const w = sql.slice(i, wEnd).toUpperCase();
          if (w === 'BEGIN' || w === 'CASE') depth++;
          else if (w === 'END' && depth > 0) {
            let k = wEnd;
            while (k < n && isSpace(sql.charCodeAt(k))) k++;
            let after = '';
            if (k < n && isIdentStart(sql.charCodeAt(k))) after = sql.slice(k, readWord(k)).toUpperCase();
            if (END_SUFFIXES.has(after)) {
              if (after === 'CASE') depth--;
              i = readWord(k);
              continue;
            }
            depth--;
          }
        }
      }
      i = wEnd;
      continue;
    }
    if (c === 40 && routine === 'unknown') routine = 'no';
    i++;
  }
  finish(n);
  return out;
}
