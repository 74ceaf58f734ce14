/**
 * The object names a PostgreSQL statement creates, alters, drops, writes and reads, from
 * PostgreSQL's own AST, in the order naming.fully-qualified checks them: the created object, the
 * altered table, the dropped table, the written table, then the tables of every FROM and JOIN
 * (any depth, in text order, CTE names left out). Each name with its offset in the statement
 * (the written table: 0, the statement's start). Null for statement forms this does not read,
 * which the caller reads from tokens instead.
 */
import type { Node, RangeVar } from 'libpg-query';
import type { Statement } from '../statement.js';
import { queryBlocks } from './query-shape.js';
import { as, stringValue } from './nodes.js';

export interface ObjectName {
  parts: string[];
  pos: number;
}

const partsOf = (r: RangeVar): string[] => (r.schemaname ? [r.schemaname, r.relname ?? ''] : [r.relname ?? '']);

/** RangeVars reachable from a FROM list through joins (subqueries are walked on their own). */
function fromItems(items: unknown, out: RangeVar[]): void {
  if (!Array.isArray(items)) return;
  for (const item of items) {
    const r = as<RangeVar>(item, 'RangeVar');
    if (r) out.push(r);
    const j = as<{ larg?: Node; rarg?: Node }>(item, 'JoinExpr');
    if (j) fromItems([j.larg, j.rarg], out);
  }
}

/** Nodes that hold no query: constants, names, column and parameter references. */
const LEAVES = new Set(['A_Const', 'ColumnRef', 'ParamRef', 'String', 'Integer', 'Float', 'Boolean', 'BitString']);

/** Every FROM-list table of the subtree, and the CTE names it defines. */
function walk(node: unknown, tables: RangeVar[], ctes: Set<string>): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) walk(node[i], tables, ctes);
    return;
  }
  if (!node || typeof node !== 'object') return;
  // for…in over the node's own keys (plain JSON objects): no array of entries per node.
  const o = node as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (!v || typeof v !== 'object' || LEAVES.has(k)) continue;
    if (k === 'fromClause') fromItems(v, tables);
    else if (k === 'CommonTableExpr') {
      const name = (v as { ctename?: string }).ctename;
      if (name) ctes.add(name);
    }
    walk(v, tables, ctes);
  }
}

const MAY_READ = /from|table/i;

/**
 * The one FROM list a statement can have when its text shows no nested query (at most one
 * SELECT, and nothing else that holds a query). Undefined when the whole tree must be walked.
 */
function rootFrom(s: Statement): unknown {
  const n = queryBlocks(s.sql);
  if (n > 1) return undefined;
  const root = as<{ fromClause?: unknown }>(s.ast, s.node);
  if (n === 0) return s.node === 'UpdateStmt' ? root?.fromClause : null;
  return s.node === 'SelectStmt' ? root?.fromClause : undefined;
}

/** Offset just after `re`'s match at the statement's start, or -1 (a comment in between, another form). */
function after(s: Statement, re: RegExp): number {
  const m = re.exec(s.sql);
  return m ? m[0].length : -1;
}

/**
 * True for a name PostgreSQL's tree may hold cut to 63 bytes: one of 60 bytes or more (a cut
 * ends before a character of up to 4 bytes; a character is at most 3 UTF-8 bytes per UTF-16 unit).
 */
export const mayBeCut = (name: string): boolean => name.length >= 20 && Buffer.byteLength(name) >= 60;

/** The names naming.fully-qualified checks, read from the AST; null when the statement form is not read here. */
export function objectNames(s: Statement): ObjectName[] | null {
  const names = read(s);
  // The AST holds names cut to 63 bytes; the message names the object as written.
  return names?.some((n) => n.parts.some(mayBeCut)) ? null : names;
}

function read(s: Statement): ObjectName[] | null {
  const ast = s.ast;
  if (!ast) return null;
  const create = as<{ relation?: RangeVar }>(ast, 'CreateStmt');
  if (create?.relation) return [{ parts: partsOf(create.relation), pos: s.at(create.relation.location) }];
  const index = as<{ relation?: RangeVar }>(ast, 'IndexStmt');
  if (index?.relation) {
    const end = after(s, /^CREATE\s+(?:UNIQUE\s+)?INDEX\b/i);
    return end < 0 ? null : [{ parts: partsOf(index.relation), pos: end - 'INDEX'.length }];
  }
  // The table of CREATE TRIGGER … ON t, reported where the statement ends as Bytebase does.
  const trigger = as<{ relation?: RangeVar }>(ast, 'CreateTrigStmt');
  if (trigger?.relation) return [{ parts: partsOf(trigger.relation), pos: s.endPos }];
  const alter = as<{ relation?: RangeVar; objtype?: string }>(ast, 'AlterTableStmt');
  if (alter?.relation) {
    if (alter.objtype !== 'OBJECT_TABLE' || !/^ALTER\s+TABLE\b/i.test(s.sql)) return null;
    return [{ parts: partsOf(alter.relation), pos: s.at(alter.relation.location) }];
  }
  const drop = as<{ removeType?: string; objects?: Node[] }>(ast, 'DropStmt');
  if (drop) {
    if (drop.removeType !== 'OBJECT_TABLE') return [];
    const end = after(s, /^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?/i);
    const first = as<{ items?: Node[] }>(drop.objects?.[0], 'List')?.items ?? [];
    const parts = first.map(stringValue);
    return end < 0 || parts.length === 0 ? null : [{ parts, pos: end }];
  }
  const dml =
    as<{ relation?: RangeVar }>(ast, 'InsertStmt') ??
    as<{ relation?: RangeVar }>(ast, 'UpdateStmt') ??
    as<{ relation?: RangeVar }>(ast, 'DeleteStmt');
  if (!dml && !as(ast, 'SelectStmt')) return null;
  const out: ObjectName[] = dml?.relation ? [{ parts: partsOf(dml.relation), pos: 0 }] : [];
  const tables: RangeVar[] = [];
  const ctes = new Set<string>();
  // A FROM list needs FROM in the text (or TABLE t, which reads t): most INSERT, UPDATE and DELETE
  // statements have neither, and their tree need not be walked.
  if (MAY_READ.test(s.sql)) {
    const root = rootFrom(s);
    if (root === undefined) walk(ast, tables, ctes);
    else fromItems(root, tables);
  }
  tables.sort((a, b) => (a.location ?? 0) - (b.location ?? 0));
  for (const r of tables)
    if (r.schemaname || !ctes.has(r.relname ?? '')) out.push({ parts: partsOf(r), pos: s.at(r.location) });
  return out;
}
