/**
 * What a PostgreSQL statement does to a table, read from PostgreSQL's own tree: the table it
 * creates (with its primary key), alters (the primary key it adds, the constraints and columns
 * it drops) or drops. The script-state rules (table.require-pk, statement.merge-alter-table)
 * follow tables with it, so a statement need not be tokenized for them. Null where the tree is
 * not read here (ALTER TABLE … RENAME / SET SCHEMA / ALL IN TABLESPACE, names PostgreSQL cuts to
 * 63 bytes, a statement that did not parse): the caller reads the statement's tokens instead.
 */
import type { Node, RangeVar } from 'libpg-query';
import type { Statement } from '../statement.js';
import { mayBeCut } from './object-names.js';
import { as, stringValue } from './nodes.js';

export type PgTableChange =
  | {
      kind: 'create';
      table: string;
      /** CREATE TABLE … AS, PARTITION OF, OF type or (LIKE …): the columns come from elsewhere. */
      derived: boolean;
      primaryKey: string[] | null;
      /** Offset of the table's name in the statement. */
      pos: number;
    }
  | { kind: 'alter'; table: string; primaryKey: string[] | null; drops: PgDrop[] }
  | { kind: 'drop'; tables: string[] }
  /** The statement creates, alters or drops no table. */
  | { kind: 'none' };

export type PgDrop = { kind: 'drop-constraint'; name: string } | { kind: 'drop-column'; column: string };

interface ConstraintNode {
  contype?: string;
  keys?: Node[];
}
interface ColumnDefNode {
  colname?: string;
  constraints?: Node[];
}

const NONE: PgTableChange = { kind: 'none' };

function hasPrimary(constraints: Node[] | undefined): boolean {
  return !!constraints?.some((c) => (c as { Constraint?: ConstraintNode }).Constraint?.contype === 'CONSTR_PRIMARY');
}

/** The columns of a table constraint that is a primary key, or null. */
function primaryOf(node: Node): string[] | null {
  const c = (node as { Constraint?: ConstraintNode }).Constraint;
  return c?.contype === 'CONSTR_PRIMARY' ? (c.keys ?? []).map(stringValue) : null;
}

/** The primary key a column definition declares inline (`id int PRIMARY KEY`), or null. */
function inlinePrimary(node: Node | undefined): string[] | null {
  const col = (node as { ColumnDef?: ColumnDefNode } | undefined)?.ColumnDef;
  return col && hasPrimary(col.constraints) ? [col.colname ?? ''] : null;
}

function readCreate(s: Statement, stmt: Record<string, unknown>): PgTableChange | null {
  const rel = stmt.relation as RangeVar | undefined;
  const table = rel?.relname ?? '';
  if (mayBeCut(table)) return null;
  const elts = (stmt.tableElts as Node[] | undefined) ?? [];
  let derived = !!stmt.partbound || !!stmt.ofTypename;
  // The first primary key in the text's order of columns: inline keys first, as written, then table constraints.
  let inline: string[] | null = null;
  let tableKey: string[] | null = null;
  for (const e of elts) {
    if ('TableLikeClause' in e) derived = true;
    inline ??= inlinePrimary(e);
    tableKey ??= primaryOf(e);
  }
  return { kind: 'create', table, derived, primaryKey: inline ?? tableKey, pos: s.at(rel?.location) };
}

function readAlter(stmt: Record<string, unknown>): PgTableChange | null {
  if (stmt.objtype !== 'OBJECT_TABLE') return NONE;
  const table = (stmt.relation as RangeVar | undefined)?.relname ?? '';
  if (mayBeCut(table)) return null;
  let primaryKey: string[] | null = null;
  const drops: PgDrop[] = [];
  for (const c of (stmt.cmds as Node[] | undefined) ?? []) {
    const cmd = (c as { AlterTableCmd?: { subtype?: string; name?: string; def?: Node } }).AlterTableCmd;
    if (!cmd) continue;
    if (cmd.subtype === 'AT_AddConstraint' && cmd.def) primaryKey ??= primaryOf(cmd.def);
    else if (cmd.subtype === 'AT_AddColumn') primaryKey ??= inlinePrimary(cmd.def);
    else if (cmd.subtype === 'AT_DropConstraint') drops.push({ kind: 'drop-constraint', name: cmd.name ?? '' });
    else if (cmd.subtype === 'AT_DropColumn') drops.push({ kind: 'drop-column', column: cmd.name ?? '' });
  }
  return { kind: 'alter', table, primaryKey, drops };
}

type Reader = (s: Statement, stmt: Record<string, unknown>) => PgTableChange | null;

/** The node kinds that are about a table, each with its reader (null: the caller reads the tokens). */
const READERS: Readonly<Record<string, Reader>> = {
  CreateStmt: readCreate,
  CreateTableAsStmt: (s, stmt) => {
    if (stmt.objtype !== 'OBJECT_TABLE') return NONE;
    const rel = (stmt.into as { rel?: RangeVar } | undefined)?.rel;
    const table = rel?.relname ?? '';
    return mayBeCut(table)
      ? null
      : { kind: 'create', table, derived: true, primaryKey: null, pos: s.at(rel?.location) };
  },
  AlterTableStmt: (_s, stmt) => readAlter(stmt),
  DropStmt: (_s, stmt) => {
    if (stmt.removeType !== 'OBJECT_TABLE') return NONE;
    const tables = ((stmt.objects as Node[] | undefined) ?? []).map((o) => {
      const items = (o as { List?: { items?: Node[] } }).List?.items ?? [];
      return stringValue(items[items.length - 1]);
    });
    return tables.some(mayBeCut) ? null : { kind: 'drop', tables };
  },
  // About a table, but their tree is not read here.
  RenameStmt: () => null,
  AlterObjectSchemaStmt: () => null,
  AlterTableMoveAllStmt: () => null,
};

function read(s: Statement): PgTableChange | null {
  return s.ast ? READERS[s.node]!(s, as<Record<string, unknown>>(s.ast, s.node)!) : null;
}

/** What the statement does to a table, from PostgreSQL's tree; null: read its tokens. Read once per statement. */
export function pgTableChange(s: Statement): PgTableChange | null {
  // Most statements are about no table: they are told so without a memo of their own.
  if (s.ast && !Object.hasOwn(READERS, s.node)) return NONE;
  return s.cached('pg.tableChange', read);
}
