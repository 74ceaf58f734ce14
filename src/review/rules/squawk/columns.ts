// Squawk's rules about adding and changing columns (PostgreSQL), with MySQL equivalents where they apply.
import type { AlterTableStmt, ColumnDef, ColumnRef, Constraint, NullTest } from 'libpg-query';
import type { Statement } from '../../statement.js';
import type { RuleContext } from '../../types.js';
import { BOTH } from '../engines.js';
import { addedColumn, alterCommands, as, constraintsOf, findWordAt, relKey, startOf, wordAt } from './ast.js';
import { squawkRule } from './define.js';

// Functions PostgreSQL evaluates once for ALTER TABLE … ADD COLUMN … DEFAULT (not volatile): the
// default is stored in the catalogue and no row is rewritten (PostgreSQL 11 and later).
const NON_VOLATILE = new Set(['now', 'current_timestamp', 'transaction_timestamp', 'localtimestamp']);

function volatileDefault(expr: unknown): boolean {
  let volatile = false;
  const walk = (v: unknown): void => {
    if (volatile || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const fn = (v as Record<string, unknown>).FuncCall as { funcname?: unknown[] } | undefined;
    if (fn) {
      const names = (fn.funcname ?? []) as unknown[];
      const last = as<{ sval?: string }>(names[names.length - 1] as never, 'String')?.sval ?? '';
      if (!NON_VOLATILE.has(last.toLowerCase())) volatile = true;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) walk(o[k]);
  };
  walk(expr);
  return volatile;
}

export const addingRequiredField = squawkRule({
  name: 'adding-required-field',
  nodes: ['AlterTableStmt'],
  engines: BOTH,
  verbs: ['ALTER'],
  summary: 'ADD COLUMN … NOT NULL needs a default (fails on a table with rows)',
  message:
    'Adding a new column that is `NOT NULL` and has no default value to an existing table effectively makes it required.',
  help: 'Make the field nullable or add a non-VOLATILE DEFAULT',
  check(s, ctx, report) {
    if (ctx.engine === 'mysql') {
      for (const a of s.alterTable?.actions ?? []) {
        if (a.kind !== 'add-column') continue;
        const c = a.column;
        if (c.notNull && !c.hasDefault && !c.autoIncrement && !c.generated && !c.primaryKey)
          report(
            a.pos,
            `ADD COLUMN ${c.name} is NOT NULL without a DEFAULT: MySQL fills existing rows with an implicit value (0, '') or, in strict mode with some types, fails; give it an explicit DEFAULT or make it nullable.`,
          );
      }
      return;
    }
    for (const { cmd, pos } of alterCommands(s)) {
      const col = addedColumn(cmd);
      if (!col) continue;
      const cons = constraintsOf(col);
      const notNull = cons.some((c) => c.contype === 'CONSTR_NOTNULL');
      const filled = cons.some(
        (c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_GENERATED' || c.contype === 'CONSTR_IDENTITY',
      );
      if (notNull && !filled) report(pos);
    }
  },
});

export const addingFieldWithDefault = squawkRule({
  name: 'adding-field-with-default',
  nodes: ['AlterTableStmt'],
  effect: 'rewrites',
  verbs: ['ALTER'],
  summary: 'ADD COLUMN with a volatile default (any default before PostgreSQL 11) rewrites the table',
  message:
    'Adding a generated column requires a table rewrite with an `ACCESS EXCLUSIVE` lock. In Postgres versions 11+, non-VOLATILE DEFAULTs can be added without a rewrite.',
  help: 'Add the column as nullable, backfill existing rows, and add a trigger to update the column on write instead.',
  check(s, ctx, report) {
    const before11 = ctx.pgVersion !== undefined && ctx.pgVersion < 11;
    for (const { cmd } of alterCommands(s)) {
      const col = addedColumn(cmd);
      if (!col) continue;
      for (const c of constraintsOf(col)) {
        if (c.contype === 'CONSTR_DEFAULT' && (before11 || volatileDefault(c.raw_expr)))
          report(s.at(startOf(c.raw_expr) ?? c.location));
        else if (c.contype === 'CONSTR_GENERATED' || c.contype === 'CONSTR_IDENTITY') report(s.at(c.location));
      }
    }
  },
});

export const addingNotNullableField = squawkRule({
  name: 'adding-not-nullable-field',
  nodes: ['AlterTableStmt'],
  effect: 'locks',
  verbs: ['ALTER'],
  summary: 'SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock',
  message: 'Setting a column `NOT NULL` blocks reads while the table is scanned.',
  help: 'Make the field nullable and use a `CHECK` constraint instead.',
  check(s, ctx, report) {
    for (const { cmd, pos, end } of alterCommands(s))
      if (cmd.subtype === 'AT_SetNotNull' && !provenNotNull(s, ctx, cmd.name ?? ''))
        report(wordAt(s, 'SET', pos + 1, end));
  },
});

/** `CHECK (column IS NOT NULL)`: the column the check proves not null, or null. */
function notNullCheckColumn(c: Constraint): string | null {
  const t = as<NullTest>(c.raw_expr, 'NullTest');
  if (c.contype !== 'CONSTR_CHECK' || t?.nulltesttype !== 'IS_NOT_NULL') return null;
  const fields = as<ColumnRef>(t.arg, 'ColumnRef')?.fields ?? [];
  return as<{ sval?: string }>(fields[fields.length - 1], 'String')?.sval ?? null;
}

/**
 * From PostgreSQL 12, SET NOT NULL skips its scan when a validated CHECK (column IS NOT NULL)
 * proves it. As Squawk 2.66 reads a script: an earlier VALIDATE CONSTRAINT on the same table
 * counts, unless the script defines that constraint as `CHECK (other_column IS NOT NULL)`.
 */
function provenNotNull(s: Statement, ctx: RuleContext, column: string): boolean {
  if (ctx.pgVersion !== undefined && ctx.pgVersion < 12) return false;
  const table = relKey(as<AlterTableStmt>(s.ast, 'AlterTableStmt')?.relation);
  const defined = new Map<string, string | null>();
  const validated: string[] = [];
  for (const e of ctx.statements) {
    if (e.index >= s.index) break;
    const at = as<AlterTableStmt>(e.ast, 'AlterTableStmt');
    if (!at || relKey(at.relation) !== table) continue;
    for (const { cmd } of alterCommands(e)) {
      const c = cmd.subtype === 'AT_AddConstraint' ? as<Constraint>(cmd.def, 'Constraint') : undefined;
      if (c?.conname) defined.set(c.conname, notNullCheckColumn(c));
      if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name) validated.push(cmd.name);
    }
  }
  return validated.some((name) => {
    const proves = defined.get(name);
    return proves === undefined || proves === null || proves === column;
  });
}

export const banDropNotNull = squawkRule({
  name: 'ban-drop-not-null',
  nodes: ['AlterTableStmt'],
  verbs: ['ALTER'],
  summary: 'DROP NOT NULL may break clients that rely on it',
  message: 'Dropping a `NOT NULL` constraint may break existing clients.',
  check(s, _ctx, report) {
    for (const { cmd, pos, end } of alterCommands(s))
      if (cmd.subtype === 'AT_DropNotNull') report(wordAt(s, 'DROP', pos + 1, end));
  },
});

export const changingColumnType = squawkRule({
  name: 'changing-column-type',
  nodes: ['AlterTableStmt'],
  effect: 'rewrites',
  engines: BOTH,
  verbs: ['ALTER'],
  summary: 'ALTER COLUMN TYPE rewrites the table under an exclusive lock',
  message:
    'Changing a column type requires an `ACCESS EXCLUSIVE` lock on the table which blocks reads and writes while the table is rewritten. Changing the type of the column may also break other clients reading from the table.',
  check(s, ctx, report) {
    if (ctx.engine === 'mysql') {
      for (const a of s.alterTable?.actions ?? []) {
        if (a.kind === 'modify-column' || a.kind === 'alter-column-type' || a.kind === 'change-column')
          report(
            a.pos,
            `${a.kind === 'change-column' ? 'CHANGE' : 'MODIFY'} COLUMN redefines the column: unless only its name or default changes, MySQL copies the whole table (ALGORITHM=COPY), blocking writes for the duration, and clients reading the column may break. Add a new column, backfill it in batches, then switch over.`,
          );
      }
      return;
    }
    for (const { cmd, pos, end } of alterCommands(s)) {
      if (cmd.subtype !== 'AT_AlterColumnType') continue;
      const t = wordAt(s, 'TYPE', pos + 1, end);
      const set = findWordAt(s, 'SET', pos + 1, end);
      report(set >= 0 && set < t ? set : t);
    }
  },
});

export const banDropColumn = squawkRule({
  name: 'ban-drop-column',
  nodes: ['AlterTableStmt'],
  engines: BOTH,
  verbs: ['ALTER'],
  summary: 'DROP COLUMN may break clients still reading it',
  message: 'Dropping a column may break existing clients.',
  check(s, ctx, report) {
    if (ctx.engine === 'mysql') {
      for (const a of s.alterTable?.actions ?? []) if (a.kind === 'drop-column') report(a.pos);
      return;
    }
    for (const { cmd, pos } of alterCommands(s)) if (cmd.subtype === 'AT_DropColumn') report(pos);
  },
});

/** Column definitions of CREATE TABLE and ADD COLUMN, and the type of ALTER COLUMN TYPE. */
export function definedPgColumns(s: Statement): ColumnDef[] {
  if (!s.ast || !('CreateStmt' in s.ast || 'AlterTableStmt' in s.ast)) return [];
  return s.cached('pg.columns', readPgColumns);
}

function readPgColumns(s: Statement): ColumnDef[] {
  const ct = as<{ tableElts?: unknown[] }>(s.ast, 'CreateStmt');
  if (ct) return (ct.tableElts ?? []).map((e) => as<ColumnDef>(e as never, 'ColumnDef')).filter((c) => !!c);
  const out: ColumnDef[] = [];
  for (const { cmd } of alterCommands(s)) {
    if (cmd.subtype === 'AT_AddColumn' || cmd.subtype === 'AT_AlterColumnType') {
      const c = as<ColumnDef>(cmd.def, 'ColumnDef');
      if (c) out.push(c);
    }
  }
  return out;
}
