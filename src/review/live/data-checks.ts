/**
 * The walk-through's questions about the target's rows, asked only for tables that exist live
 * (a table the script creates is empty): does a table have rows (NOT NULL without a default),
 * do values repeat (a new unique index or primary key), do rows lack a parent (a new foreign key),
 * does a column hold NULLs (SET NOT NULL). Every query reads at most one row. Identifiers come from
 * the reviewed script and are quoted; nothing the user wrote is concatenated unquoted.
 */
import type { Engine } from '../../domain/engine.js';
import type { QueryFn } from '../../targets/types.js';

/** Quote an identifier for the engine (PostgreSQL "x", MySQL `x`, doubling the quote inside). */
export function quoteIdent(engine: Engine, name: string): string {
  return engine === 'postgres' ? `"${name.replace(/"/g, '""')}"` : `\`${name.replace(/`/g, '``')}\``;
}

function qualified(engine: Engine, parts: readonly string[]): string {
  return parts.map((p) => quoteIdent(engine, p)).join('.');
}

export interface DataChecks {
  hasRows(table: readonly string[]): Promise<boolean>;
  hasDuplicates(table: readonly string[], columns: readonly string[]): Promise<boolean>;
  hasNulls(table: readonly string[], column: string): Promise<boolean>;
  hasOrphans(
    table: readonly string[],
    columns: readonly string[],
    parent: readonly string[],
    parentColumns: readonly string[],
  ): Promise<boolean>;
}

/** Data checks over one connection, each answer remembered for the rest of the script. */
export function dataChecks(engine: Engine, query: QueryFn): DataChecks {
  const memo = new Map<string, Promise<boolean>>();
  const ask = (key: string, sql: string): Promise<boolean> => {
    let p = memo.get(key);
    if (!p) {
      p = query(sql).then((rows) => rows.length > 0);
      memo.set(key, p);
    }
    return p;
  };
  const q = (n: string): string => quoteIdent(engine, n);
  return {
    hasRows: (table) => ask(`rows:${table.join('.')}`, `SELECT 1 FROM ${qualified(engine, table)} LIMIT 1`),
    hasDuplicates: (table, columns) => {
      const cols = columns.map(q).join(', ');
      const notNull = columns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ');
      return ask(
        `dup:${table.join('.')}:${columns.join(',')}`,
        `SELECT 1 FROM ${qualified(engine, table)} WHERE ${notNull} GROUP BY ${cols} HAVING COUNT(*) > 1 LIMIT 1`,
      );
    },
    hasNulls: (table, column) =>
      ask(
        `null:${table.join('.')}:${column}`,
        `SELECT 1 FROM ${qualified(engine, table)} WHERE ${q(column)} IS NULL LIMIT 1`,
      ),
    hasOrphans: (table, columns, parent, parentColumns) => {
      const notNull = columns.map((c) => `c.${q(c)} IS NOT NULL`).join(' AND ');
      const match = columns.map((c, i) => `p.${q(parentColumns[i] ?? c)} = c.${q(c)}`).join(' AND ');
      return ask(
        `fk:${table.join('.')}:${columns.join(',')}:${parent.join('.')}:${parentColumns.join(',')}`,
        `SELECT 1 FROM ${qualified(engine, table)} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${qualified(engine, parent)} p WHERE ${match}) LIMIT 1`,
      );
    },
  };
}
