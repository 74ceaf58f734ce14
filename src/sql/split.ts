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
import { SqlLexer } from './lexer.js';

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
const COPY_FROM_STDIN = /^COPY\b[\s\S]*\bFROM\s+STDIN\b/i;
const COPY_DATA_END = /(^|\n)\\\.[ \t]*(\r?\n|$)/;

/** Split `sql` into statements for `engine`; never throws, unterminated constructs run to the end. */
export function splitStatements(sql: string, engine: Engine): SplitStatement[] {
  const mysql = engine === 'mysql';
  const n = sql.length;
  const lx = new SqlLexer(sql, engine);
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
        copyData = !mysql && COPY_FROM_STDIN.test(text);
      }
    }
    stmtStart = -1;
    words = 0;
    routine = 'no';
    depth = 0;
  };
  // The upper-cased word of the current token.
  const word = (): string => sql.slice(lx.start, lx.end).toUpperCase();

  for (let kind = lx.next(); kind !== 'end'; kind = lx.next()) {
    const i = lx.start;
    const c = sql.charCodeAt(i);

    // MySQL DELIMITER command, only at a statement boundary.
    if (
      mysql &&
      stmtStart < 0 &&
      kind === 'word' &&
      (c === 68 || c === 100) &&
      /^delimiter[ \t]/i.test(sql.slice(i, i + 10))
    ) {
      const eol = lx.lineEnd(i);
      const next =
        sql
          .slice(i + 10, eol)
          .trim()
          .split(/\s+/)[0] ?? '';
      if (next.length > 0) delimiter = next;
      lx.pos = eol;
      continue;
    }

    // Delimiter.
    if (depth === 0 && (delimiter === ';' ? c === 59 : sql.startsWith(delimiter, i))) {
      finish(i);
      lx.pos = i + delimiter.length;
      if (copyData) {
        // COPY data runs from the next line to a line holding only \.
        copyData = false;
        const from = lx.lineEnd(lx.pos);
        const m = COPY_DATA_END.exec(sql.slice(from));
        lx.pos = m ? from + m.index + m[0].length : n;
      }
      continue;
    }

    // psql meta-command (pg_dump output): the rest of the line.
    if (!mysql && stmtStart < 0 && c === 92) {
      lx.pos = lx.lineEnd(i);
      continue;
    }

    // A custom delimiter ends a statement even inside a word or an operator (`END$$`, `x//`).
    if (delimiter !== ';' && (kind === 'word' || kind === 'op' || kind === 'number')) {
      const at = sql.indexOf(delimiter, i + 1);
      if (at >= 0 && at < lx.end) lx.cut(at);
    }

    if (kind === 'hint') continue;
    if (stmtStart < 0) stmtStart = i;
    if (kind === 'exec-open') {
      // Executable comments are statement text, opaque to splitting.
      lx.skipExecutable();
      continue;
    }

    if (kind === 'word') {
      if (words < 12) {
        const w = word();
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
        const len = lx.end - i;
        if (len === 5 || len === 4 || len === 3) {
          const w = word();
          if (w === 'BEGIN' || w === 'CASE') depth++;
          else if (w === 'END' && depth > 0) {
            const after = lx.end;
            const suffix = lx.next() === 'word' ? word() : '';
            if (END_SUFFIXES.has(suffix)) {
              if (suffix === 'CASE') depth--;
            } else {
              lx.pos = after;
              depth--;
            }
          }
        }
      }
      continue;
    }
    if (kind === 'punct' && c === 40 && routine === 'unknown') routine = 'no';
  }
  finish(n);
  return out;
}
