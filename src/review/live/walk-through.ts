/**
 * BUILTIN_WALK_THROUGH_CHECK: replay the script's DDL on a copy of the live schema and report
 * what would fail — a table or column that will not exist, or an object that already does — and,
 * for tables that exist live, what their rows would make fail: a column added NOT NULL without a
 * default to a table with rows, a unique index or primary key over repeated values, a foreign key
 * that existing rows do not satisfy, SET NOT NULL on a column holding NULLs. Each finding names
 * the object and points at the element's line.
 */
import type { LiveRule } from '../types.js';
import type { Statement } from '../statement.js';
import { readName } from '../tokens.js';
import { BOTH } from '../rules/engines.js';
import { droppedTables } from '../rules/table.js';
import { dmlTargets } from '../rules/util.js';
import { loadSnapshot, type LiveTable } from './schema-snapshot.js';
import { dataChecks } from './data-checks.js';
import type { ColumnDef } from '../model/column.js';

/** True when ADD COLUMN leaves existing rows without a value for a NOT NULL column. */
function needsValue(c: ColumnDef): boolean {
  return c.notNull && !c.hasDefault && !c.autoIncrement && !c.generated && !c.type.includes('SERIAL');
}

function key(parts: readonly string[]): string {
  return parts.join('.');
}

export const walkThroughCheck: LiveRule = {
  id: 'builtin.walk-through-check',
  type: 'BUILTIN_WALK_THROUGH_CHECK',
  engines: BOTH,
  summary: 'Built-in: simulate against live schema',
  async run(ctx) {
    const snap = await loadSnapshot(ctx.engine, ctx.query);
    const tables = snap.tables;
    const data = dataChecks(ctx.engine, ctx.query);
    const mysql = ctx.engine === 'mysql';
    const col = (name: string): string => (mysql ? name.toLowerCase() : name);
    // The live tables as they are before the script, with their columns: only those have rows to check.
    const original = new Map<LiveTable, Set<string>>();
    for (const lt of tables.values()) if (!original.has(lt)) original.set(lt, new Set(lt.columns));
    const liveColumns = (lt: LiveTable | undefined, cols: readonly string[]): boolean => {
      const before = lt ? original.get(lt) : undefined;
      return !!before && cols.length > 0 && cols.every((c) => c !== '(expression)' && before.has(col(c)));
    };
    const pgIndexes = snap.pgIndexes;
    const has = (s: Statement, w: string): boolean => s.tokens.slice(0, s.kind.at + 4).some((t) => t.v === w);
    const missing = (s: Statement, parts: readonly string[]): boolean => {
      if (tables.has(key(parts))) return false;
      ctx.report(s, `Table ${key(parts)} does not exist at this point of the script; create it first or fix the name.`);
      return true;
    };
    for (const s of ctx.statements) {
      const ct = s.createTable;
      if (ct) {
        if (tables.has(key(ct.table)) && !has(s, 'EXISTS'))
          ctx.report(
            s,
            `Table ${key(ct.table)} already exists; drop it first, pick another name, or use IF NOT EXISTS.`,
          );
        else if (!tables.has(key(ct.table))) {
          const lt: LiveTable = {
            columns: new Set(ct.columns.map((c) => col(c.name))),
            indexes: new Set(ct.indexes.map((i) => i.name).filter((n): n is string => !!n)),
          };
          tables.set(key(ct.table), lt);
          if (ct.table.length === 2) tables.set(ct.table[1]!, lt);
        }
        continue;
      }
      for (const d of droppedTables(s)) {
        if (!tables.has(key(d.parts))) {
          if (!has(s, 'EXISTS')) missing(s, d.parts);
        } else tables.delete(key(d.parts));
      }
      const at = s.alterTable;
      if (at) {
        if (!tables.has(key(at.table))) {
          if (!has(s, 'EXISTS')) missing(s, at.table);
          continue;
        }
        const lt = tables.get(key(at.table))!;
        for (const a of at.actions) {
          const named =
            a.kind === 'drop-column'
              ? a.column
              : a.kind === 'alter-column-type' || a.kind === 'set-not-null' || a.kind === 'set-default'
                ? a.column
                : a.kind === 'modify-column'
                  ? a.column.name
                  : a.kind === 'change-column' || a.kind === 'rename-column'
                    ? a.from
                    : null;
          if (named !== null && !lt.columns.has(col(named)) && !s.sql.toUpperCase().includes('IF EXISTS')) {
            ctx.report(s, `Column ${named} does not exist in ${key(at.table)}; check the name.`, a.pos);
            continue;
          }
          if (a.kind === 'add-column') {
            const c = a.column;
            if (lt.columns.has(col(c.name)) && !s.has('EXISTS'))
              ctx.report(
                s,
                `Column ${c.name} already exists in ${key(at.table)}; drop the ADD or choose another name.`,
                a.pos,
              );
            else if (needsValue(c) && original.has(lt) && (await data.hasRows(at.table)))
              ctx.report(
                s,
                mysql
                  ? `Column ${c.name} is added NOT NULL without a DEFAULT to ${key(at.table)}, which has rows: MySQL fills them with the type's implicit value (0, '' …) while it rebuilds the table; give the column an explicit DEFAULT, or add it nullable and backfill.`
                  : `Column ${c.name} is added NOT NULL without a DEFAULT to ${key(at.table)}, which has rows: PostgreSQL rejects it (column "${c.name}" contains null values); add a DEFAULT, or add it nullable, backfill, then SET NOT NULL.`,
                c.pos,
              );
            lt.columns.add(col(c.name));
          } else if (a.kind === 'drop-column') lt.columns.delete(col(a.column));
          else if (a.kind === 'rename-column') {
            lt.columns.delete(col(a.from));
            lt.columns.add(col(a.to));
          } else if (a.kind === 'change-column') {
            lt.columns.delete(col(a.from));
            lt.columns.add(col(a.column.name));
          } else if (a.kind === 'set-not-null') {
            if (liveColumns(lt, [a.column]) && (await data.hasNulls(at.table, a.column)))
              ctx.report(
                s,
                `Column ${a.column} of ${key(at.table)} holds NULLs, so SET NOT NULL fails; backfill them first.`,
                a.pos,
              );
          } else if (a.kind === 'add-index') {
            const ix = a.index;
            if (ix.name && lt.indexes.has(ix.name))
              ctx.report(s, `Index ${ix.name} already exists on ${key(at.table)}; choose another name.`, a.pos);
            if (ix.name) lt.indexes.add(ix.name);
            if (
              (ix.kind === 'unique' || ix.kind === 'primary') &&
              liveColumns(lt, ix.columns) &&
              (await data.hasDuplicates(at.table, ix.columns))
            )
              ctx.report(
                s,
                `${ix.kind === 'primary' ? 'PRIMARY KEY' : `UNIQUE ${ix.name ?? ''}`.trim()} (${ix.columns.join(', ')}) on ${key(at.table)} fails: the table already holds repeated values; remove the duplicates first.`,
                a.pos,
              );
            const ref = ix.references;
            if (ix.kind === 'foreign' && ref && !ix.notValid && liveColumns(lt, ix.columns)) {
              const parent = tables.get(key(ref.table));
              const parentCols = ref.columns.length > 0 ? ref.columns : ix.columns;
              if (
                parent &&
                liveColumns(parent, parentCols) &&
                (await data.hasOrphans(at.table, ix.columns, ref.table, parentCols))
              )
                ctx.report(
                  s,
                  `FOREIGN KEY (${ix.columns.join(', ')}) on ${key(at.table)} fails: some rows have no matching ${key(ref.table)} (${parentCols.join(', ')}); fix or delete them first${s.engine === 'postgres' ? ', or add the key NOT VALID' : ''}.`,
                  a.pos,
                );
            }
          } else if (a.kind === 'rename-table') {
            tables.delete(key(at.table));
            tables.set(key(a.to), lt);
          }
        }
        continue;
      }
      const ci = s.createIndex;
      if (ci) {
        if (missing(s, ci.table)) continue;
        const lt = tables.get(key(ci.table))!;
        const dup = ci.name !== null && (s.engine === 'postgres' ? pgIndexes.has(ci.name) : lt.indexes.has(ci.name));
        if (dup && !has(s, 'EXISTS')) ctx.report(s, `Index ${ci.name} already exists; choose another name.`);
        for (const c of ci.columns)
          if (c !== '(expression)' && !lt.columns.has(col(c)))
            ctx.report(s, `Column ${c} does not exist in ${key(ci.table)}; check the name.`);
        if (ci.unique && liveColumns(lt, ci.columns) && (await data.hasDuplicates(ci.table, ci.columns)))
          ctx.report(
            s,
            `UNIQUE index ${ci.name ?? ''} (${ci.columns.join(', ')}) on ${key(ci.table)} fails: the table already holds repeated values; remove the duplicates first.`,
          );
        if (ci.name) {
          lt.indexes.add(ci.name);
          pgIndexes.add(ci.name);
        }
        continue;
      }
      if (s.verb === 'RENAME') {
        const t = s.tokens;
        for (let k = 2; k < t.length; k++) {
          const from = readName(t, k);
          if (!from || t[from.next]?.v !== 'TO') break;
          const to = readName(t, from.next + 1);
          if (!to) break;
          if (!missing(s, from.parts)) {
            tables.set(key(to.parts), tables.get(key(from.parts))!);
            tables.delete(key(from.parts));
          }
          k = to.next;
        }
        continue;
      }
      for (const target of dmlTargets(s)) missing(s, target);
    }
  },
};
