// Squawk's rules about adding and changing columns (PostgreSQL), with MySQL equivalents where they apply.
import type { AlterTableStmt, ColumnDef, ColumnRef, Constraint, NullTest } from 'libpg-query';
import type { Statement } from '../../statement.js';
import type { RuleContext } from '../../types.js';
import { BOTH } from '../engines.js';
import {
  addedColumn,
  alterCommands,
  as,
  constraintsOf,
  findWordAt,
  relKey,
  startOf,
  stringValue,
  wordAt,
} from './ast.js';
import { squawkRule } from './define.js';

// Functions callable without arguments that are not volatile (pg_proc.provolatile <> 'v'): a
// default calling one of them is evaluated once, stored in the catalogue, and no row is rewritten
// (PostgreSQL 11 and later).
const NON_VOLATILE = new Set([
  'current_database',
  'current_schema',
  'current_user',
  'datemultirange',
  'get_current_ts_config',
  'getdatabaseencoding',
  'getpgusername',
  'inet_client_addr',
  'inet_client_port',
  'inet_server_addr',
  'inet_server_port',
  'int4multirange',
  'int8multirange',
  'json_build_array',
  'json_build_object',
  'jsonb_build_array',
  'jsonb_build_object',
  'make_interval',
  'now',
  'nummultirange',
  'pg_backend_pid',
  'pg_client_encoding',
  'pg_conf_load_time',
  'pg_current_snapshot',
  'pg_current_xact_id',
  'pg_current_xact_id_if_assigned',
  'pg_my_temp_schema',
  'pg_postmaster_start_time',
  'pg_trigger_depth',
  'pi',
  'session_user',
  'statement_timestamp',
  'transaction_timestamp',
  'tsmultirange',
  'tstzmultirange',
  'txid_current',
  'txid_current_if_assigned',
  'txid_current_snapshot',
  'version',
]);

type Expr = Record<string, unknown>;

/**
 * Whether a default may be volatile, as Squawk 2.66 judges it from the expression's shape: a
 * literal, a cast of one, an ARRAY[…], `current_timestamp`, or a call without arguments of a
 * non-volatile function are safe, and so are operators and AND/OR over safe operands. Anything
 * else counts as volatile: a call with arguments, a qualified name, a parenthesized or signed
 * operand, CASE, COALESCE, a sub-select, a column.
 */
function volatileDefault(s: Statement, expr: unknown, bracketsMatter = true): boolean {
  if (typeof expr !== 'object' || expr === null) return true;
  if (bracketsMatter && bracketed(s, expr)) return true;
  const e = expr as Expr;
  const constant = as<{ location?: number }>(e as never, 'A_Const');
  if (constant) return /^[-+]/.test(s.sql.slice(s.at(constant.location ?? 0)));
  const cast = as<{ arg?: unknown; location?: number }>(e as never, 'TypeCast');
  if (cast) return volatileDefault(s, cast.arg, !/^cast\b/i.test(s.sql.slice(s.at(cast.location ?? 0))));
  if ('A_ArrayExpr' in e) return false;
  const op = as<{ kind?: string; lexpr?: unknown; rexpr?: unknown }>(e as never, 'A_Expr');
  if (op) {
    if (!op.lexpr || !op.rexpr || Array.isArray(op.rexpr) || 'List' in (op.rexpr as Expr)) return true;
    if (op.kind !== 'AEXPR_OP' && op.kind !== 'AEXPR_LIKE' && op.kind !== 'AEXPR_ILIKE') return true;
    return volatileDefault(s, op.lexpr) || volatileDefault(s, op.rexpr);
  }
  const bool = as<{ boolop?: string; args?: unknown[] }>(e as never, 'BoolExpr');
  if (bool) return bool.boolop === 'NOT_EXPR' || (bool.args ?? []).some((a) => volatileDefault(s, a));
  const fn = as<{ funcname?: unknown[]; args?: unknown[]; agg_star?: boolean }>(e as never, 'FuncCall');
  if (fn) {
    const names = fn.funcname ?? [];
    const name = names.length === 1 ? stringValue(names[0]) : '';
    return (fn.args ?? []).length > 0 || !!fn.agg_star || !NON_VOLATILE.has(name.toLowerCase());
  }
  const svf = as<{ op?: string }>(e as never, 'SQLValueFunction');
  if (svf) return svf.op !== 'SVFOP_CURRENT_TIMESTAMP';
  return true;
}

/** True when the expression is written inside brackets of its own (PostgreSQL's AST drops them). */
function bracketed(s: Statement, expr: unknown): boolean {
  const start = startOf(expr);
  if (start === undefined) return false;
  let i = s.at(start);
  while (i > 0 && /\s/.test(s.sql[i - 1]!)) i--;
  return s.sql[i - 1] === '(';
}

/** Where a default expression starts as written: at its opening bracket when it has one. */
function defaultStart(s: Statement, expr: unknown, fallback: number): number {
  const start = startOf(expr);
  if (start === undefined) return s.at(fallback);
  let i = s.at(start);
  for (let j = i; j > 0; ) {
    while (j > 0 && /\s/.test(s.sql[j - 1]!)) j--;
    if (s.sql[j - 1] !== '(') break;
    j--;
    i = j;
  }
  return i;
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
    // Squawk counts stored defaults from after version "11" (as it reads `--pg-version 11`): 11 itself
    // is flagged like 10; 11.1 or 12 is not.
    const before11 = ctx.pgVersion !== undefined && ctx.pgVersion <= 11;
    for (const { cmd } of alterCommands(s)) {
      const col = addedColumn(cmd);
      if (!col) continue;
      for (const c of constraintsOf(col)) {
        if (c.contype === 'CONSTR_DEFAULT' && (before11 || volatileDefault(s, c.raw_expr)))
          report(defaultStart(s, c.raw_expr, c.location ?? 0));
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
