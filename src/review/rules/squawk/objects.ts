// Squawk's rules about dropping, renaming and naming objects (PostgreSQL), with MySQL equivalents.
import type {
  AlterEnumStmt,
  TypeName,
  CreateStmt,
  DropStmt,
  RangeVar,
  RenameStmt,
  ResTarget,
  TruncateStmt,
} from 'libpg-query';
import { BOTH } from '../engines.js';
import type { Statement } from '../../statement.js';
import { as, startOf, stringValue, wordAt } from './ast.js';
import { squawkRule } from './define.js';
import { anyRepeat } from '../util.js';
import { mayHoldStatements } from '../../postgres/query-shape.js';

export const banDropTable = squawkRule({
  name: 'ban-drop-table',
  nodes: ['DropStmt'],
  engines: BOTH,
  verbs: ['DROP'],
  summary: 'DROP TABLE may break clients still using it',
  message: 'Dropping a table may break existing clients.',
  check(s, ctx, report) {
    if (
      ctx.engine === 'mysql'
        ? s.kind.label === 'DROP TABLE'
        : as<DropStmt>(s.ast, 'DropStmt')?.removeType === 'OBJECT_TABLE'
    )
      report(0);
  },
});

export const banDropDatabase = squawkRule({
  name: 'ban-drop-database',
  nodes: ['DropdbStmt'],
  engines: BOTH,
  verbs: ['DROP'],
  summary: 'No DROP DATABASE',
  message: 'Dropping a database may break existing clients.',
  check(s, ctx, report) {
    if (
      ctx.engine === 'mysql'
        ? s.kind.label === 'DROP DATABASE' || s.kind.label === 'DROP SCHEMA'
        : as(s.ast, 'DropdbStmt')
    )
      report(0);
  },
});

export const banTruncateCascade = squawkRule({
  name: 'ban-truncate-cascade',
  nodes: ['TruncateStmt'],
  verbs: ['TRUNCATE'],
  summary: 'No TRUNCATE … CASCADE',
  message:
    'Using `CASCADE` will recursively truncate any tables that foreign key to the referenced tables! So if you had foreign keys setup as `a <- b <- c` and truncated `a`, then `b` & `c` would also be truncated!',
  help: 'Remove the `CASCADE` and specify exactly which tables you want to truncate.',
  check(s, _ctx, report) {
    if (as<TruncateStmt>(s.ast, 'TruncateStmt')?.behavior === 'DROP_CASCADE') report(wordAt(s, 'CASCADE', 1));
  },
});

export const renamingColumn = squawkRule({
  name: 'renaming-column',
  nodes: ['RenameStmt'],
  engines: BOTH,
  verbs: ['ALTER'],
  summary: 'RENAME COLUMN may break clients using the old name',
  message: 'Renaming a column may break existing clients.',
  check(s, ctx, report) {
    if (ctx.engine === 'mysql') {
      for (const a of s.alterTable?.actions ?? []) if (a.kind === 'rename-column') report(a.pos);
      return;
    }
    const r = as<RenameStmt>(s.ast, 'RenameStmt');
    // A table's column: Squawk 2.66 passes by columns of views and foreign tables.
    if (r?.renameType === 'OBJECT_COLUMN' && r.relationType === 'OBJECT_TABLE') report(wordAt(s, 'RENAME', 1));
  },
});

export const renamingTable = squawkRule({
  name: 'renaming-table',
  nodes: ['RenameStmt'],
  engines: BOTH,
  verbs: ['ALTER', 'RENAME'],
  summary: 'RENAME TABLE may break clients using the old name',
  message: 'Renaming a table may break existing clients.',
  check(s, ctx, report) {
    if (ctx.engine === 'mysql') {
      if (s.verb === 'RENAME') report(0);
      for (const a of s.alterTable?.actions ?? []) if (a.kind === 'rename-table') report(a.pos);
      return;
    }
    const r = as<RenameStmt>(s.ast, 'RenameStmt');
    if (r?.renameType === 'OBJECT_TABLE') report(wordAt(s, 'RENAME', 1));
  },
});

export const requireEnumValueOrdering = squawkRule({
  name: 'require-enum-value-ordering',
  nodes: ['AlterEnumStmt'],
  verbs: ['ALTER'],
  summary: 'ALTER TYPE … ADD VALUE must say BEFORE or AFTER',
  message:
    'ADD VALUE without BEFORE or AFTER appends the value to the end of the enum, which may result in unexpected ordering.',
  help: 'Add `BEFORE` or `AFTER` to specify the position of the new enum value.',
  check(s, _ctx, report) {
    const e = as<AlterEnumStmt>(s.ast, 'AlterEnumStmt');
    if (e?.newVal !== undefined && !e.oldVal && !e.newValNeighbor) report(wordAt(s, 'ADD', 1));
  },
});

const MAX_IDENTIFIER = 63;

export const identifierTooLong = squawkRule({
  name: 'identifier-too-long',
  summary: 'Identifiers longer than 63 bytes are silently truncated',
  message: 'The identifier is too long and will be truncated to 63 bytes.',
  check(s, _ctx, report) {
    // Any name, wherever it is written (as Squawk reads every name and name reference).
    if (!mayHoldLongName(s.sql)) return;
    for (const t of s.tokens) {
      if (t.type !== 'word' && t.type !== 'ident') continue;
      const name = t.type === 'word' ? s.sql.slice(t.pos, t.pos + t.v.length) : t.v;
      if (Buffer.byteLength(name) > MAX_IDENTIFIER)
        report(t.pos, `\`${name}\` is too long and will be truncated to ${MAX_IDENTIFIER} bytes.`);
    }
  },
});

/**
 * Whether the text has a run of name characters (or a quoted stretch) of more than 63 bytes in
 * UTF-8: most statements do not, and need not be tokenized for this rule.
 */
function mayHoldLongName(sql: string): boolean {
  if (sql.length <= MAX_IDENTIFIER / 4) return false;
  let run = 0;
  let quoted = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    const nameChar =
      quoted ||
      c === 34 ||
      c >= 128 ||
      (c >= 48 && c <= 57) ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 95 ||
      c === 36;
    if (!nameChar) {
      run = 0;
      continue;
    }
    run += c < 128 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xe000 ? 2 : 3;
    if (run > MAX_IDENTIFIER) return true;
  }
  return false;
}

const ASSIGNED_TWICE = (name: string) => `Multiple assignments to the same column \`${name}\`.`;
const DEFINED_TWICE = (name: string) => `Column \`${name}\` is specified more than once.`;

type Node = Record<string, unknown>;
type Found = (pos: number, message: string) => void;

/** The ResTargets of a list (SET items, INSERT columns, a select list). */
function targets(list: unknown): ResTarget[] {
  return ((list as unknown[] | undefined) ?? []).map((t) => as<ResTarget>(t as never, 'ResTarget')).filter((t) => !!t);
}

/** The name of a node as the checks below read it ('' when it has none); undefined for no node. */
function nameOr<K extends string>(node: { [k in K]?: string } | undefined, key: K): string | undefined {
  return node ? (node[key] ?? '') : undefined;
}

/** Report every name given more than once, each where it is written. */
function reportRepeated(named: Array<{ name: string; pos: number }>, message: (name: string) => string, found: Found) {
  const count = new Map<string, number>();
  for (const n of named) count.set(n.name, (count.get(n.name) ?? 0) + 1);
  for (const n of named) if ((count.get(n.name) ?? 0) > 1) found(n.pos, message(n.name));
}

/**
 * SET items and INSERT columns: a column assigned twice, unless every assignment sets a different
 * part of it (`a.x`, `a[1]`).
 */
function checkAssignments(s: Statement, list: unknown, found: Found): void {
  if (!anyRepeat(list, (t) => nameOr(as<ResTarget>(t as never, 'ResTarget'), 'name'))) return;
  const all = targets(list);
  const whole = new Set(all.filter((t) => !t.indirection?.length).map((t) => t.name ?? ''));
  reportRepeated(
    all.filter((t) => whole.has(t.name ?? '')).map((t) => ({ name: t.name ?? '', pos: s.at(t.location) })),
    ASSIGNED_TWICE,
    found,
  );
}

/** The column names of a definition list (`CREATE VIEW v (a, b)`), where each is written. */
function listedNames(s: Statement, names: unknown, after: number | undefined): Array<{ name: string; pos: number }> {
  const want = ((names as unknown[] | undefined) ?? []).map((n) => stringValue(n));
  if (want.length === 0) return [];
  const from = s.at(after);
  const tokens = s.tokens;
  let i = tokens.findIndex((t) => t.pos >= from && t.type === 'punct' && t.v === '(');
  const out: Array<{ name: string; pos: number }> = [];
  if (i < 0) return out;
  const depth = tokens[i]!.depth + 1;
  for (i++; i < tokens.length && out.length < want.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.v === ')' && t.depth < depth) break;
    if ((t.type === 'word' || t.type === 'ident') && t.depth === depth)
      out.push({ name: want[out.length]!, pos: t.pos });
  }
  return out;
}

/** The name PostgreSQL gives an unnamed select-list item, and the token it comes from. */
function inferredName(s: Statement, val: Node | undefined): { name: string; pos: number } | null {
  if (!val) return null;
  const ref = as<{ fields?: unknown[]; location?: number }>(val as never, 'ColumnRef');
  if (ref) {
    const fields = ref.fields ?? [];
    const last = as<{ sval?: string }>(fields[fields.length - 1] as never, 'String')?.sval;
    if (last === undefined) return null; // `*`
    return { name: last, pos: lastNameToken(s, s.at(ref.location)) };
  }
  const fn = as<{ funcname?: unknown[]; location?: number }>(val as never, 'FuncCall');
  if (fn) {
    const names = fn.funcname ?? [];
    const last = stringValue(names[names.length - 1]);
    return { name: last, pos: lastNameToken(s, s.at(fn.location)) };
  }
  const cast = as<{ arg?: Node; typeName?: TypeName }>(val as never, 'TypeCast');
  if (cast) {
    const inner = inferredName(s, cast.arg);
    if (inner && inner.name !== '?column?') return inner;
    const names = cast.typeName?.names ?? [];
    const last = stringValue(names[names.length - 1]);
    return { name: last, pos: lastNameToken(s, s.at(cast.typeName?.location)) };
  }
  for (const [kind, name] of KEYWORD_NAMES) {
    const node = as<{ location?: number }>(val as never, kind);
    if (node) return { name, pos: s.at(node.location) };
  }
  return { name: '?column?', pos: s.at(startOf(val) ?? 0) };
}
const KEYWORD_NAMES: Array<[string, string]> = [
  ['CaseExpr', 'case'],
  ['A_ArrayExpr', 'array'],
  ['RowExpr', 'row'],
  ['CoalesceExpr', 'coalesce'],
];

/** The offset of the last name of a dotted name starting at `from` (`x.y` → `y`). */
function lastNameToken(s: Statement, from: number): number {
  const tokens = s.tokens;
  let i = tokens.findIndex((t) => t.pos >= from);
  if (i < 0) return from;
  let pos = tokens[i]!.pos;
  while (tokens[i + 1]?.v === '.' && (tokens[i + 2]?.type === 'word' || tokens[i + 2]?.type === 'ident')) {
    i += 2;
    pos = tokens[i]!.pos;
  }
  return pos;
}

/** Where a select-list item's alias is written: the last name at the item's depth before the next item. */
function aliasPos(s: Statement, t: ResTarget, next: ResTarget | undefined): number {
  const start = s.at(startOf(t.val) ?? t.location);
  const end = next ? s.at(startOf(next.val) ?? next.location) : s.sql.length;
  const tokens = s.tokens;
  let first = tokens.findIndex((x) => x.pos >= start);
  if (first < 0) return start;
  // The AST starts `(1) a` at the 1: the item starts at its opening brackets.
  while (first > 0 && tokens[first - 1]!.type === 'punct' && tokens[first - 1]!.v === '(') first--;
  const depth = tokens[first]!.depth;
  let at = start;
  for (let i = first; i < tokens.length && tokens[i]!.pos < end; i++) {
    const x = tokens[i]!;
    if (x.depth < depth || (x.depth === depth && x.type === 'punct' && (x.v === ',' || x.v === ';'))) break;
    if (x.depth === depth && x.type === 'word' && SELECT_LIST_ENDS.has(x.v)) break;
    if (x.depth === depth && (x.type === 'word' || x.type === 'ident') && x.name === t.name) at = x.pos;
  }
  return at;
}
const SELECT_LIST_ENDS = new Set(['FROM', 'INTO', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'UNION']);

/** Select-list items named alike (aliases, or the names PostgreSQL infers for the rest). */
function checkSelectList(s: Statement, list: unknown, found: Found): void {
  const all = targets(list);
  const named: Array<{ name: string; pos: number }> = [];
  all.forEach((t, i) => {
    if (t.name) named.push({ name: t.name, pos: aliasPos(s, t, all[i + 1]) });
    else {
      const inferred = inferredName(s, t.val as Node | undefined);
      if (inferred) named.push(inferred);
    }
  });
  reportRepeated(named, DEFINED_TWICE, found);
}

function checkColumnDefs(s: Statement, elts: unknown, found: Found): void {
  if (!anyRepeat(elts, (e) => nameOr(as<{ colname?: string }>(e as never, 'ColumnDef'), 'colname'))) return;
  const cols = ((elts as unknown[] | undefined) ?? [])
    .map((e) => as<{ colname?: string; location?: number }>(e as never, 'ColumnDef'))
    .filter((c) => !!c);
  reportRepeated(
    cols.map((c) => ({ name: c.colname ?? '', pos: s.at(c.location) })),
    DEFINED_TWICE,
    found,
  );
}

/** Every place in a statement where Squawk looks for a column named twice. */
function findRepeatedColumns(s: Statement, node: unknown, found: Found): void {
  if (Array.isArray(node)) {
    for (const x of node) findRepeatedColumns(s, x, found);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as Node;
  for (const kind in o) {
    const v = o[kind] as Node;
    if (typeof v !== 'object' || v === null) continue;
    if (!checkNode(s, kind, v, found)) findRepeatedColumns(s, v, found);
  }
}

/** Check one node of kind `kind` for a column named twice; true when it has walked its subtree itself. */
function checkNode(s: Statement, kind: string, v: Node, found: Found): boolean {
  switch (kind) {
    case 'UpdateStmt':
      checkAssignments(s, v.targetList, found);
      return false;
    case 'InsertStmt':
      checkAssignments(s, v.cols, found);
      checkAssignments(s, (v.onConflictClause as Node | undefined)?.targetList, found);
      return false;
    case 'MergeWhenClause':
      checkAssignments(s, v.targetList, found);
      return false;
    case 'CreateStmt':
      checkColumnDefs(s, v.tableElts, found);
      return false;
    case 'CreateForeignTableStmt':
      checkColumnDefs(s, (v.base as Node | undefined)?.tableElts, found);
      return false;
    case 'ViewStmt': {
      const view = v.view as RangeVar | undefined;
      const listed = listedNames(s, v.aliases, view?.location);
      if (listed.length > 0) reportRepeated(listed, DEFINED_TWICE, found);
      else checkSelectList(s, as<{ targetList?: unknown }>(v.query as never, 'SelectStmt')?.targetList, found);
      findRepeatedColumns(s, v.query, found);
      return true;
    }
    case 'CreateTableAsStmt': {
      const into = v.into as { rel?: RangeVar; colNames?: unknown } | undefined;
      const listed = listedNames(s, into?.colNames, into?.rel?.location);
      if (listed.length > 0) reportRepeated(listed, DEFINED_TWICE, found);
      else if (v.objtype === 'OBJECT_MATVIEW')
        checkSelectList(s, as<{ targetList?: unknown }>(v.query as never, 'SelectStmt')?.targetList, found);
      findRepeatedColumns(s, v.query, found);
      return true;
    }
    case 'SelectStmt':
      if (v.intoClause) checkSelectList(s, v.targetList, found);
      return false;
  }
  return false;
}

export const banDuplicateColumnAssignments = squawkRule({
  name: 'ban-duplicate-column-assignments',
  nodes: [
    'UpdateStmt',
    'InsertStmt',
    'MergeStmt',
    'CreateStmt',
    'CreateForeignTableStmt',
    'ViewStmt',
    'CreateTableAsStmt',
    'SelectStmt',
  ],
  summary: 'No column assigned or defined twice in one statement',
  message: 'Multiple assignments to the same column.',
  check(s, _ctx, report) {
    if (!s.ast) return;
    if (mayHoldStatements(s)) {
      findRepeatedColumns(s, s.ast, report);
      return;
    }
    // The same places as the walk, without walking the expressions that cannot hold them.
    const root = as<Node>(s.ast, s.node)!;
    checkNode(s, s.node, root, report);
    if (s.node === 'MergeStmt')
      for (const c of (root.mergeWhenClauses as Node[] | undefined) ?? [])
        checkNode(s, 'MergeWhenClause', c.MergeWhenClause as Node, report);
  },
});

export const requireTableSchema = squawkRule({
  name: 'require-table-schema',
  optIn: true,
  nodes: ['CreateStmt', 'CreateTableAsStmt', 'AlterTableStmt', 'DropStmt'],
  summary: 'Table names must be schema-qualified (opt-in in Squawk)',
  message: 'Table name is not schema-qualified. Use schema.table (e.g., public.my_table).',
  check(s, _ctx, report) {
    const drop = as<DropStmt>(s.ast, 'DropStmt');
    if (drop) {
      if (drop.removeType === 'OBJECT_TABLE') for (const pos of unqualifiedDropped(s, drop)) report(pos);
      return;
    }
    const ctas = as<{ into?: { rel?: RangeVar }; objtype?: string }>(s.ast, 'CreateTableAsStmt');
    const alter = as<{ relation?: RangeVar; objtype?: string }>(s.ast, 'AlterTableStmt');
    const rel =
      as<CreateStmt>(s.ast, 'CreateStmt')?.relation ??
      (ctas?.objtype === 'OBJECT_TABLE' ? ctas.into?.rel : undefined) ??
      (alter?.objtype === 'OBJECT_TABLE' ? alter.relation : undefined);
    if (rel && !rel.schemaname && rel.relpersistence !== 't') report(s.at(rel.location));
  },
});

/** Where DROP TABLE writes each of its tables that has no schema (the AST keeps no positions for them). */
function unqualifiedDropped(s: Statement, drop: DropStmt): number[] {
  const tokens = s.tokens;
  let i = 0;
  while (i < tokens.length && tokens[i]!.type === 'word' && DROP_PREFIX.has(tokens[i]!.v)) i++;
  const out: number[] = [];
  for (const object of drop.objects ?? []) {
    const parts = as<{ items?: unknown[] }>(object, 'List')?.items ?? [];
    const first = tokens[i];
    if (!first) break;
    if (parts.length === 1) out.push(first.pos);
    // Past the name's parts and the comma after it.
    i += parts.length * 2;
  }
  return out;
}
const DROP_PREFIX = new Set(['DROP', 'TABLE', 'IF', 'EXISTS']);
