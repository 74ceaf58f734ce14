// Reading PostgreSQL's AST (libpg-query) for the Squawk rules: node access, types, positions.
import type { AlterTableCmd, ColumnDef, Constraint, Node, TypeName } from 'libpg-query';
import type { Statement } from '../../statement.js';
import { as, stringValue } from '../../postgres/nodes.js';

export { as, contains, stringValue } from '../../postgres/nodes.js';

/** The kind of a node (`CreateStmt`, `AlterTableStmt` …). */
export function kindOf(node: Node | undefined | null): string {
  if (!node) return '';
  for (const k in node) return k;
  return '';
}

/** The last part of a type name, lower-case (`pg_catalog.int4` → `int4`). */
export function typeName(t: TypeName | undefined): string {
  const names = t?.names ?? [];
  return stringValue(names[names.length - 1]).toLowerCase();
}

/** The smallest location in a subtree: where an expression starts in the text. */
export function startOf(node: unknown): number | undefined {
  let min: number | undefined;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (k === 'location' && typeof x === 'number' && x >= 0) {
        if (min === undefined || x < min) min = x;
      } else if (typeof x === 'object' && x !== null) walk(x);
    }
  };
  walk(node);
  return min;
}

/**
 * The commands of an ALTER TABLE, each with the offset where it starts in the statement. Only
 * ALTER TABLE itself: PostgreSQL parses ALTER FOREIGN TABLE, VIEW, MATERIALIZED VIEW, INDEX,
 * SEQUENCE and TYPE (attributes) into the same node, and Squawk 2.66's rules pass those by.
 */
export function alterCommands(s: Statement): Array<{ cmd: AlterTableCmd; pos: number; end: number }> {
  if (as<{ objtype?: string }>(s.ast, 'AlterTableStmt')?.objtype !== 'OBJECT_TABLE') return NONE;
  return s.cached('pg.alterCommands', readAlterCommands);
}

const NONE: Array<{ cmd: AlterTableCmd; pos: number; end: number }> = [];

const ADD_PREFIX = new Set(['COLUMN', 'IF', 'NOT', 'EXISTS']);

/** What `/\s/` matches, without a regular expression for the ASCII characters. */
function isWhitespace(sql: string, i: number): boolean {
  const c = sql.charCodeAt(i);
  return c === 32 || (c >= 9 && c <= 13) || (c >= 128 && /\s/.test(sql[i]!));
}
function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Where an ADD COLUMN / ADD constraint command starts (its ADD), read back from the location of
 * what it adds; -1 when the text between is not just those keywords (a comment, another form).
 */
function addKeywordBefore(sql: string, from: number): number {
  let i = from;
  for (let words = 0; words < 5; words++) {
    while (i > 0 && isWhitespace(sql, i - 1)) i--;
    let j = i;
    while (j > 0 && isLetter(sql.charCodeAt(j - 1))) j--;
    const word = sql.slice(j, i).toUpperCase();
    if (word === 'ADD') return j;
    if (!ADD_PREFIX.has(word)) return -1;
    i = j;
  }
  return -1;
}

/** Command positions from the AST alone (every command adds a column or a constraint), or null. */
function astPositions(s: Statement, cmds: AlterTableCmd[]): number[] | null {
  const out: number[] = [];
  for (const cmd of cmds) {
    if (cmd.subtype !== 'AT_AddColumn' && cmd.subtype !== 'AT_AddConstraint') return null;
    const def = (as<{ location?: number }>(cmd.def, 'ColumnDef') ?? as<{ location?: number }>(cmd.def, 'Constraint'))
      ?.location;
    if (def === undefined || def < 0) return null;
    const pos = addKeywordBefore(s.sql, s.at(def));
    if (pos < 0 || (out.length > 0 && pos <= out[out.length - 1]!)) return null;
    out.push(pos);
  }
  return out;
}

function readAlterCommands(s: Statement): Array<{ cmd: AlterTableCmd; pos: number; end: number }> {
  const stmt = as<{ cmds?: Node[] }>(s.ast, 'AlterTableStmt');
  if (!stmt) return [];
  const cmds = (stmt.cmds ?? []).map((c) => as<AlterTableCmd>(c, 'AlterTableCmd')!).filter(Boolean);
  // Most ALTERs add columns or constraints: their positions come from the AST without tokenizing.
  const fast = astPositions(s, cmds);
  if (fast)
    return cmds.map((cmd, i) => ({ cmd, pos: fast[i]!, end: i + 1 < fast.length ? fast[i + 1]! : s.sql.length }));
  const actions = s.alterTable?.actions ?? [];
  return cmds.map((cmd, i) => {
    const pos = actions.length === cmds.length ? actions[i]!.pos : 0;
    const end = actions.length === cmds.length && i + 1 < actions.length ? actions[i + 1]!.pos : s.sql.length;
    return { cmd, pos, end };
  });
}

/** Offset of the first keyword `word` (upper-case) in [from, to) of the statement, or -1. */
export function findWordAt(s: Statement, word: string, from: number, to = s.sql.length): number {
  for (const t of s.tokens) if (t.pos >= from && t.pos < to && t.type === 'word' && t.v === word) return t.pos;
  return -1;
}

/** Offset of the first keyword `word` in [from, to), or `from` when it is not there. */
export function wordAt(s: Statement, word: string, from: number, to = s.sql.length): number {
  const at = findWordAt(s, word, from, to);
  return at < 0 ? from : at;
}

/** The identifier as written at an offset of the statement (PostgreSQL's AST holds it truncated to 63 bytes). */
export function writtenName(s: Statement, pos: number): string | undefined {
  for (const t of s.tokens) if (t.pos === pos && (t.type === 'word' || t.type === 'ident')) return t.name;
  return undefined;
}

/** The constraints of a column definition. */
export function constraintsOf(c: ColumnDef): Constraint[] {
  const nodes = c.constraints;
  if (!nodes || nodes.length === 0) return NO_CONSTRAINTS;
  const out: Constraint[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const k = as<Constraint>(nodes[i], 'Constraint');
    if (k) out.push(k);
  }
  return out;
}
const NO_CONSTRAINTS: Constraint[] = [];

/** The column a command adds, when it is ADD COLUMN. */
export function addedColumn(cmd: AlterTableCmd): ColumnDef | undefined {
  return cmd.subtype === 'AT_AddColumn' ? as<ColumnDef>(cmd.def, 'ColumnDef') : undefined;
}

/** Qualified name of a RangeVar-like relation, for comparing tables within a script. */
export function relKey(r: { schemaname?: string; relname?: string } | undefined): string {
  return r?.relname ?? '';
}

const FALSE_WORDS = new Set(['false', 'off', 'no', '0']);

/**
 * True when an option list (VACUUM's, REINDEX's …) turns the named option on: `FULL`, `(FULL)`,
 * `(FULL true)`, `(FULL 1)`; not `(FULL false)`, `(FULL off)` or `(FULL 0)`.
 */
export function optionOn(options: readonly Node[] | undefined, name: string): boolean {
  return (options ?? []).some((o) => {
    const d = as<{ defname?: string; arg?: Node }>(o, 'DefElem');
    if (d?.defname?.toLowerCase() !== name) return false;
    if (!d.arg) return true;
    // PostgreSQL's AST leaves a zero out of an Integer node.
    const value = as<{ sval?: string }>(d.arg, 'String')?.sval ?? as<{ ival?: number }>(d.arg, 'Integer')?.ival ?? 0;
    return !FALSE_WORDS.has(String(value).toLowerCase());
  });
}
