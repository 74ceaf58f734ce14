/**
 * node-sql-parser on one statement, and what a parse failure means. The parser does not know
 * every valid statement, so a failure is a syntax error only when the text itself shows it
 * (unknown first keyword, a misspelt keyword where the parser stopped, unbalanced parentheses,
 * an unterminated string, a dangling operator); otherwise the statement is valid SQL we cannot
 * fully review, reported as such. A MySQL statement is first given a second chance: rewritten
 * into forms the parser knows, or checked for the shape of a kind it cannot read (mysql-forms.ts).
 */
import { createRequire } from 'node:module';
import type { Parser } from 'node-sql-parser';
import type { Engine } from '../domain/engine.js';
import type { Statement } from './statement.js';
import { OBJECT_KINDS, STATEMENT_VERBS } from './model/kind.js';
import { hasMysqlShape, parserForm, reservedName } from './mysql-forms.js';

// node-sql-parser's one-dialect builds, each loaded on first use: the all-dialect build is ten
// times larger, and loading it was most of a `dbchange review` start-up.
const load = createRequire(import.meta.url);
const BUILDS: Record<Engine, string> = {
  postgres: 'node-sql-parser/build/postgresql.js',
  mysql: 'node-sql-parser/build/mysql.js',
};
const parsers: Partial<Record<Engine, Parser>> = {};
function parserFor(engine: Engine): Parser {
  return (parsers[engine] ??= new (load(BUILDS[engine]) as { Parser: new () => Parser }).Parser());
}

export type ParseOutcome =
  | { ok: true }
  | { ok: false; syntax: true; message: string; offset: number }
  | { ok: false; syntax: false; message: string };

interface PegError {
  message?: string;
  location?: { start?: { offset?: number } };
}

/** The node-sql-parser dialect for an engine. */
export function dialectOf(engine: Engine): string {
  return engine === 'postgres' ? 'PostgresQL' : 'MySQL';
}

/** Parse one statement with node-sql-parser; throws what the parser throws. */
export function astify(sql: string, engine: Engine): unknown {
  return parserFor(engine).astify(sql, { database: dialectOf(engine) });
}

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'UPDATE',
  'DELETE',
  'INSERT',
  'INTO',
  'VALUES',
  'SET',
  'GROUP',
  'ORDER',
  'LIMIT',
  'JOIN',
  'HAVING',
  'CREATE',
  'ALTER',
  'DROP',
  'TABLE',
  'INDEX',
  'COLUMN',
  'PRIMARY',
  'FOREIGN',
  'REFERENCES',
  'DEFAULT',
  'CONSTRAINT',
  'UNIQUE',
  'BETWEEN',
  'DISTINCT',
  'UNION',
  'RETURNING',
  'VARCHAR',
  'INTEGER',
  'NULL',
  'WHEN',
  'THEN',
  'CASE',
  'ELSE',
];

// Real words one edit away from a keyword: never a typo.
const VALID_WORDS = new Set([
  ...KEYWORDS,
  'TEXT',
  'NEXT',
  'INTO',
  'INT',
  'DATE',
  'TIME',
  'CHAR',
  'FORMAT',
  'SETS',
  'RESET',
  'LIMITS',
  'ORDERS',
  'GROUPS',
  'TABLES',
  'INDEXES',
  'COLUMNS',
  'VALUE',
  'CASES',
  'ELSEIF',
  'WHEN',
  'THAN',
  'THEM',
  'JOINS',
  'ALTERED',
  'DROPS',
  'CREATED',
  'UPDATED',
  'DELETED',
  'INSERTED',
  'SELECTED',
  'NULLS',
  'UNIONS',
  'DEFAULTS',
]);

/** Edit distance at most 1 (one insertion, deletion, substitution or adjacent swap). */
function nearMiss(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1 || a.length < 3) return false;
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) diff.push(k);
    if (diff.length === 1) return true;
    return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  for (let k = 0; k < l.length; k++) if (l.slice(0, k) + l.slice(k + 1) === s) return true;
  return false;
}

const DANGLING = new Set(['=', '<', '>', '<=', '>=', '<>', '!=', '+', '-', '*', '/', ',', '.']);
const COMPARE = new Set(['=', '<', '>', '<=', '>=', '<>', '!=']);
const CLAUSE = new Set([
  'WHERE',
  'FROM',
  'SET',
  'AND',
  'OR',
  'GROUP',
  'ORDER',
  'LIMIT',
  'HAVING',
  'VALUES',
  'ON',
  'JOIN',
  'BY',
]);

/** Why the text of a statement that failed to parse is invalid, or null when it looks valid. */
export function syntaxProblem(s: Statement, errorOffset: number): { message: string; offset: number } | null {
  const tokens = s.tokens;
  const first = tokens[0];
  if (s.lex.unterminated) return { message: 'a quoted string, identifier or comment is not closed', offset: 0 };
  if (s.lex.unbalanced) return { message: 'parentheses are not balanced', offset: 0 };
  if (!first) return null;
  if (first.type !== 'word' || !STATEMENT_VERBS.has(first.v)) {
    const guess = first.type === 'word' ? [...STATEMENT_VERBS].find((v) => nearMiss(first.v, v)) : undefined;
    return {
      message: `"${s.sql.slice(first.pos, first.pos + 20).split(/\s/)[0]}" does not start a SQL statement${guess ? ` (did you mean ${guess}?)` : ''}`,
      offset: first.pos,
    };
  }
  if ((first.v === 'CREATE' || first.v === 'ALTER' || first.v === 'DROP') && !s.kind.object) {
    const second = tokens[1];
    const guess = second?.type === 'word' ? [...OBJECT_KINDS].find((v) => nearMiss(second.v, v)) : undefined;
    return {
      message: `${first.v} is not followed by a known object kind (TABLE, INDEX, VIEW …)${guess ? `; did you mean ${first.v} ${guess}?` : ''}`,
      offset: second?.pos ?? 0,
    };
  }
  // A keyword misspelt right where the parser stopped (the token there or the one before it).
  let at = tokens.findIndex((t) => t.pos >= errorOffset);
  if (at < 0) at = tokens.length - 1;
  for (const t of [tokens[at - 1], tokens[at]]) {
    if (t?.type !== 'word' || t.v.length < 4 || VALID_WORDS.has(t.v)) continue;
    const kw = KEYWORDS.find((k) => nearMiss(t.v, k));
    if (kw)
      return { message: `"${s.sql.slice(t.pos, t.pos + t.v.length)}" looks like a misspelt ${kw}`, offset: t.pos };
  }
  // DML without the clause it cannot do without.
  const needs: Record<string, string[]> = {
    DELETE: ['FROM'],
    UPDATE: ['SET'],
    INSERT: ['VALUES', 'VALUE', 'SELECT', 'SET', 'DEFAULT', 'TABLE', 'WITH'],
  };
  const required = needs[s.verb];
  if (required && !required.some((w) => s.has(w)))
    return {
      message: `${s.verb} needs ${required.slice(0, 3).join(' or ')}`,
      offset: tokens[s.kind.at]?.pos ?? 0,
    };
  // An operator or clause keyword with nothing after it.
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const next = tokens[k + 1];
    const danglingOp = t.type === 'op' || (t.type === 'punct' && (t.v === ',' || t.v === '.'));
    if (
      danglingOp &&
      DANGLING.has(t.v) &&
      !(t.v === '*' && (next === undefined || next.v === 'FROM' || next.v === ','))
    ) {
      if (!next || (next.type === 'word' && CLAUSE.has(next.v)) || (next.type === 'punct' && next.v === ')')) {
        return { message: `"${t.v}" is not followed by an operand`, offset: t.pos };
      }
    }
    if (t.type === 'op' && COMPARE.has(t.v) && next?.type === 'op' && COMPARE.has(next.v))
      return { message: `"${t.v} ${next.v}" is not a valid comparison`, offset: t.pos };
    if (
      t.type === 'word' &&
      CLAUSE.has(t.v) &&
      t.v !== 'BY' &&
      (!next || (next.type === 'word' && CLAUSE.has(next.v) && next.v !== 'BY'))
    ) {
      if (!(t.v === 'ON' && next?.v === 'UPDATE') && !(t.v === 'SET' && next?.v === 'DEFAULT')) {
        return { message: `${t.v} is not followed by what it needs`, offset: t.pos };
      }
    }
  }
  return null;
}

/**
 * Session and transaction-control statements carry nothing for the rules to review; when the
 * parser does not know their syntax (SET ROLE, SHOW …) that is not worth a warning.
 */
const SESSION_VERBS = new Set([
  'SET',
  'RESET',
  'SHOW',
  'USE',
  'BEGIN',
  'START',
  'COMMIT',
  'END',
  'ROLLBACK',
  'ABORT',
  'SAVEPOINT',
  'RELEASE',
  'DEALLOCATE',
  'DISCARD',
  'LISTEN',
  'UNLISTEN',
  'NOTIFY',
  'CHECKPOINT',
]);

/** Statements longer than this skip the parser: its cost grows faster than linearly with input size. */
export const MAX_PARSED_STATEMENT = 512 * 1024;

/** True when node-sql-parser reads the statement once the MySQL forms it does not know are rewritten into ones it does. */
function readsRewritten(s: Statement): boolean {
  const text = parserForm(s);
  if (text === null) return false;
  try {
    astify(text, s.engine);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a MySQL statement the parser rejected (and that shows no syntax error of its own) is:
 * valid once rewritten, or of a kind the parser cannot read in the shape MySQL requires; a
 * syntax error when a reserved word stands unquoted as a name where the parser stopped; null
 * when that cannot be told.
 */
function mysqlOutcome(s: Statement, errorOffset: number): ParseOutcome | null {
  if (readsRewritten(s) || hasMysqlShape(s)) return { ok: true };
  const reserved = reservedName(s, errorOffset);
  if (!reserved) return null;
  const word = s.sql.slice(reserved.pos, reserved.pos + reserved.name.length);
  return {
    ok: false,
    syntax: true,
    message: `"${word}" is a reserved word in MySQL and cannot be a name unless quoted (\`${word}\`)`,
    offset: reserved.pos,
  };
}

/** Parse a statement and classify a failure. Never throws. */
export function parseStatement(s: Statement): ParseOutcome {
  if (s.sql.length > MAX_PARSED_STATEMENT) {
    const problem = syntaxProblem(s, s.sql.length);
    if (problem) return { ok: false, syntax: true, message: problem.message, offset: problem.offset };
    return {
      ok: false,
      syntax: false,
      message: `the statement is ${Math.round(s.sql.length / 1024)} KB, above the parser's ${MAX_PARSED_STATEMENT / 1024} KB limit`,
    };
  }
  try {
    astify(s.sql, s.engine);
    return { ok: true };
  } catch (e) {
    const err = e as PegError;
    const offset = err.location?.start?.offset ?? 0;
    const problem = syntaxProblem(s, offset);
    if (problem) return { ok: false, syntax: true, message: problem.message, offset: problem.offset };
    if (SESSION_VERBS.has(s.verb)) return { ok: true };
    const mysql = s.engine === 'mysql' ? mysqlOutcome(s, offset) : null;
    if (mysql) return mysql;
    const found = /but (.+) found\.?$/.exec(String(err.message ?? ''));
    return { ok: false, syntax: false, message: found ? `stopped at ${found[1]}` : '' };
  }
}
