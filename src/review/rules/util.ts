// Helpers shared by the rules: payload access, clause ranges, table references.
import type { Payload, RuleContext } from '../types.js';
import type { Statement } from '../statement.js';
import type { Token } from '../tokens.js';
import { findWord, readName } from '../tokens.js';

/** A numeric payload value, or the fallback. */
export function num(p: Payload, key = 'number', fallback = 0): number {
  const v = p[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
/** A list payload value as strings (empty when absent). */
export function list(p: Payload, key = 'list'): string[] {
  const v = p[key];
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}
const listSets = new WeakMap<RuleContext, ReadonlySet<string>>();
/**
 * The payload's `list` as a set, upper- or lower-cased: built once per rule and script run (a
 * rule's context lasts one run), not for each statement the rule checks.
 */
export function listSet(ctx: RuleContext, fold: 'upper' | 'lower'): ReadonlySet<string> {
  let set = listSets.get(ctx);
  if (!set) {
    set = new Set(list(ctx.payload).map((x) => (fold === 'upper' ? x.toUpperCase() : x.toLowerCase())));
    listSets.set(ctx, set);
  }
  return set;
}
/** A string payload value, or the fallback. */
export function str(p: Payload, key: string, fallback = ''): string {
  const v = p[key];
  return typeof v === 'string' ? v : fallback;
}
/** A boolean payload value, or the fallback. */
export function bool(p: Payload, key: string, fallback = false): boolean {
  const v = p[key];
  return typeof v === 'boolean' ? v : fallback;
}

const regexCache = new Map<string, RegExp | null>();
/** The payload's `format` as a RegExp (null when invalid; policy loading reports that). */
export function regex(source: string): RegExp | null {
  let r = regexCache.get(source);
  if (r === undefined) {
    try {
      r = new RegExp(source);
    } catch {
      r = null;
    }
    regexCache.set(source, r);
  }
  return r;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/** A name test for a Bytebase naming template ({{table}}, {{column_list}} …) with its values filled in. */
export interface NameTest {
  test(name: string): boolean;
}

/**
 * Expand a naming template. Templates are usually literal apart from the placeholders
 * (`^idx_{{table}}_{{column_list}}$`): those compare as strings, without compiling a RegExp per index.
 */
export function template(format: string, values: Record<string, string>): NameTest | null {
  const body = format.replace(/^\^/, '').replace(/\$$/, '');
  const literal =
    !/[.*+?()[\]|\\^$]/.test(body.replace(/\{\{\w+\}\}/g, '')) && !/[{}]/.test(body.replace(/\{\{\w+\}\}/g, ''));
  const fill = (escaped: boolean): string =>
    body.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in values ? (escaped ? escapeRe(values[k]!) : values[k]!) : m));
  if (literal && format.startsWith('^') && format.endsWith('$')) {
    const expected = fill(false);
    return { test: (name) => name === expected };
  }
  try {
    return new RegExp(format.replace(body, fill(true)));
  } catch {
    return null;
  }
}

const DML = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'MERGE']);
/** True for SELECT/INSERT/UPDATE/DELETE/REPLACE/MERGE (also behind WITH). */
export function isDml(s: Statement): boolean {
  return DML.has(s.verb);
}
const DDL = new Set(['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'RENAME', 'COMMENT']);
/** True for schema changes (CREATE, ALTER, DROP, TRUNCATE, RENAME, COMMENT). */
export function isDdl(s: Statement): boolean {
  return DDL.has(s.verb);
}

const WHERE_END = new Set([
  'GROUP',
  'ORDER',
  'LIMIT',
  'HAVING',
  'RETURNING',
  'WINDOW',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'FOR',
  'OFFSET',
  'FETCH',
]);
/** Token ranges [start, end) of every WHERE clause (any depth), computed once per statement. */
export function whereRanges(s: Statement): Array<[number, number]> {
  if (!s.has('WHERE')) return [];
  return s.cached('where', () => computeWhereRanges(s.tokens));
}

function computeWhereRanges(tokens: readonly Token[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type !== 'word' || t.v !== 'WHERE') continue;
    let e = k + 1;
    while (e < tokens.length) {
      const x = tokens[e]!;
      if (x.depth < t.depth) break;
      if (x.depth === t.depth && x.type === 'word' && WHERE_END.has(x.v)) break;
      if (x.depth === t.depth && x.type === 'punct' && x.v === ';') break;
      e++;
    }
    out.push([k + 1, e]);
  }
  return out;
}

/** True when the statement's own (top-level) clause has a WHERE. */
export function hasTopWhere(s: Statement): boolean {
  const depth = s.tokens[s.kind.at]?.depth ?? 0;
  return findWord(s.tokens, 'WHERE', depth, s.kind.at) >= 0;
}

const INSERT_MODIFIERS = new Set(['LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE', 'INTO']);
const AFTER_TARGET = new Set([
  'SET',
  'WHERE',
  'USING',
  'VALUES',
  'SELECT',
  'DEFAULT',
  'PARTITION',
  'ON',
  'JOIN',
  'LEFT',
  'INNER',
  'RIGHT',
  'CROSS',
  'OVERRIDING',
  'RETURNING',
  'FROM',
]);
const AFTER_SOURCE = new Set([
  'WHERE',
  'JOIN',
  'LEFT',
  'RIGHT',
  'INNER',
  'CROSS',
  'FULL',
  'NATURAL',
  'ON',
  'USING',
  'GROUP',
  'ORDER',
  'LIMIT',
  'SET',
  'UNION',
  'HAVING',
  'WINDOW',
  'FOR',
  'RETURNING',
  'EXCEPT',
  'INTERSECT',
  'OFFSET',
  'FETCH',
  'STRAIGHT_JOIN',
]);

/** The tables a DML statement writes to (UPDATE t, DELETE FROM t, INSERT INTO t). */
export function dmlTargets(s: Statement): string[][] {
  const t = s.tokens;
  let k = s.kind.at;
  if (s.verb === 'UPDATE') {
    k++;
    while (t[k]?.type === 'word' && (t[k]!.v === 'LOW_PRIORITY' || t[k]!.v === 'IGNORE' || t[k]!.v === 'ONLY')) k++;
  } else if (s.verb === 'DELETE') {
    const from = findWord(t, 'FROM', t[k]?.depth ?? 0, k);
    if (from < 0) return [];
    k = from + 1;
    if (t[k]?.v === 'ONLY') k++;
  } else if (s.verb === 'INSERT' || s.verb === 'REPLACE') {
    k++;
    while (t[k]?.type === 'word' && INSERT_MODIFIERS.has(t[k]!.v)) k++;
  } else return [];
  const out: string[][] = [];
  for (;;) {
    const name = readName(t, k);
    if (!name) break;
    out.push(name.parts);
    k = name.next;
    // Skip an alias, then continue on a comma (multi-table UPDATE/DELETE).
    if (t[k]?.v === 'AS') k++;
    if (t[k]?.type === 'word' && !AFTER_TARGET.has(t[k]!.v)) k++;
    if (t[k]?.v !== ',' || s.verb === 'INSERT') break;
    k++;
  }
  return out;
}

/** Tables read in FROM/JOIN clauses (any depth). */
export function readTables(s: Statement): Array<{ parts: string[]; pos: number }> {
  const t = s.tokens;
  const out: Array<{ parts: string[]; pos: number }> = [];
  if (!s.has('FROM') && !s.has('JOIN')) return out;
  for (let k = 0; k < t.length; k++) {
    const x = t[k]!;
    if (x.type !== 'word' || (x.v !== 'FROM' && x.v !== 'JOIN')) continue;
    let j = k + 1;
    for (;;) {
      if (t[j]?.v === 'ONLY' || t[j]?.v === 'LATERAL') j++;
      if (t[j]?.v === '(') break;
      const name = readName(t, j);
      if (!name) break;
      out.push({ parts: name.parts, pos: t[j]!.pos });
      j = name.next;
      if (t[j]?.v === 'AS') j++;
      if (t[j]?.type === 'word' || t[j]?.type === 'ident') {
        if (AFTER_SOURCE.has(t[j]!.v)) break;
        j++;
      }
      if (t[j]?.v !== ',') break;
      j++;
    }
  }
  return out;
}

/** The unqualified table name (last part). */
export function baseName(parts: readonly string[]): string {
  return parts[parts.length - 1] ?? '';
}

const createdCache = new WeakMap<readonly Statement[], Map<string, number>>();
/** True when the table was created by an earlier statement of the same script. */
export function createdEarlier(statements: readonly Statement[], upTo: number, table: readonly string[]): boolean {
  let m = createdCache.get(statements);
  if (!m) {
    m = new Map();
    for (const s of statements) {
      const ct = s.createTable;
      if (ct && !m.has(baseName(ct.table))) m.set(baseName(ct.table), s.index);
    }
    createdCache.set(statements, m);
  }
  const at = m.get(baseName(table));
  return at !== undefined && at < upTo;
}

/** True when two items of a list have the same name (`nameOf`: the item's name, undefined for an item without one). */
export function anyRepeat<T>(list: unknown, nameOf: (item: T) => string | undefined): boolean {
  if (!Array.isArray(list) || list.length < 2) return false;
  if (list.length > 32) {
    const names = (list as T[]).map(nameOf).filter((n) => n !== undefined);
    return new Set(names).size < names.length;
  }
  // Most lists are short: comparing each name with the ones before it allocates nothing.
  for (let i = 1; i < list.length; i++) {
    const name = nameOf(list[i] as T);
    if (name === undefined) continue;
    for (let j = 0; j < i; j++) if (nameOf(list[j] as T) === name) return true;
  }
  return false;
}
