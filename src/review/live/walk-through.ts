/**
 * BUILTIN_WALK_THROUGH_CHECK: replay the script's DDL on a copy of the live schema and report
 * what would fail — a table or column that will not exist, or an object that already does.
 */
import type { LiveRule } from '../types.js';
import type { Statement } from '../statement.js';
import { readName } from '../tokens.js';
import { BOTH } from '../rules/engines.js';
import { droppedTables } from '../rules/table.js';
import { dmlTargets } from '../rules/util.js';
import { loadSnapshot, type LiveTable } from './schema-snapshot.js';

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
            columns: new Set(ct.columns.map((c) => c.name)),
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
          const col =
            a.kind === 'drop-column'
              ? a.column
              : a.kind === 'alter-column-type' || a.kind === 'set-not-null' || a.kind === 'set-default'
                ? a.column
                : a.kind === 'modify-column'
                  ? a.column.name
                  : a.kind === 'change-column' || a.kind === 'rename-column'
                    ? a.from
                    : null;
          if (col !== null && !lt.columns.has(col) && !s.sql.toUpperCase().includes('IF EXISTS')) {
            ctx.report(s, `Column ${col} does not exist in ${key(at.table)}; check the name.`);
            continue;
          }
          if (a.kind === 'add-column') {
            if (lt.columns.has(a.column.name))
              ctx.report(
                s,
                `Column ${a.column.name} already exists in ${key(at.table)}; drop the ADD or choose another name.`,
              );
            lt.columns.add(a.column.name);
          } else if (a.kind === 'drop-column') lt.columns.delete(a.column);
          else if (a.kind === 'rename-column') {
            lt.columns.delete(a.from);
            lt.columns.add(a.to);
          } else if (a.kind === 'change-column') {
            lt.columns.delete(a.from);
            lt.columns.add(a.column.name);
          } else if (a.kind === 'add-index' && a.index.name) {
            if (lt.indexes.has(a.index.name))
              ctx.report(s, `Index ${a.index.name} already exists on ${key(at.table)}; choose another name.`);
            lt.indexes.add(a.index.name);
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
          if (c !== '(expression)' && !lt.columns.has(c))
            ctx.report(s, `Column ${c} does not exist in ${key(ci.table)}; check the name.`);
        if (ci.name) {
          lt.indexes.add(ci.name);
          pgIndexes.add(ci.name);
        }
        continue;
      }
      if (s.kind.verb === 'RENAME') {
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
