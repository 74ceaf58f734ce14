// Row estimates from EXPLAIN, per engine.
import type { Engine } from '../../domain/engine.js';
import type { QueryFn } from '../../targets/types.js';

interface PgPlan {
  'Node Type'?: string;
  'Plan Rows'?: number;
  Plans?: PgPlan[];
}

/** Estimated rows a DML statement touches; throws what the database throws. */
export async function estimateRows(engine: Engine, query: QueryFn, sql: string): Promise<number> {
  if (engine === 'postgres') {
    const rows = await query<{ 'QUERY PLAN': Array<{ Plan: PgPlan }> }>(`EXPLAIN (FORMAT JSON) ${sql}`);
    let plan = rows[0]?.['QUERY PLAN']?.[0]?.Plan;
    // ModifyTable reports 0 rows itself; the rows it changes come from its child.
    while (plan && plan['Node Type'] === 'ModifyTable' && plan.Plans?.[0]) plan = plan.Plans[0];
    return plan?.['Plan Rows'] ?? 0;
  }
  const rows = await query<{ rows?: number | string | null }>(`EXPLAIN ${sql}`);
  return rows.reduce((m, r) => Math.max(m, Number(r.rows ?? 0)), 0);
}

/** Estimated row count and total size in bytes of a table (live catalog), or null when it does not exist. */
export async function tableSize(
  engine: Engine,
  query: QueryFn,
  parts: readonly string[],
): Promise<{ rows: number; bytes: number } | null> {
  if (engine === 'postgres') {
    const name = parts.map((p) => `"${p.replace(/"/g, '""')}"`).join('.');
    // reltuples is -1 until the table was first vacuumed or analyzed: no estimate yet, counted as 0.
    const rows = await query<{ n: string | number | null; bytes: string | number | null }>(
      'SELECT c.reltuples::bigint AS n, pg_total_relation_size(c.oid) AS bytes FROM pg_class c WHERE c.oid = to_regclass($1)',
      [name],
    );
    if (rows.length === 0 || rows[0]!.n === null) return null;
    return { rows: Math.max(0, Number(rows[0]!.n)), bytes: Number(rows[0]!.bytes ?? 0) };
  }
  const [schema, table] = parts.length === 2 ? parts : [null, parts[0]];
  const rows = await query<{ n: string | number | null; bytes: string | number | null }>(
    'SELECT table_rows AS n, data_length AS bytes FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?',
    [schema, table],
  );
  if (rows.length === 0) return null;
  return { rows: Number(rows[0]!.n ?? 0), bytes: Number(rows[0]!.bytes ?? 0) };
}

/** Estimated row count of a table, or null when it does not exist. */
export async function tableRows(engine: Engine, query: QueryFn, parts: readonly string[]): Promise<number | null> {
  return (await tableSize(engine, query, parts))?.rows ?? null;
}
