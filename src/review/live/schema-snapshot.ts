// What the walk-through needs of the live schema: tables, their columns and index names.
import type { Engine } from '../../domain/engine.js';
import type { QueryFn } from '../../targets/types.js';

export interface LiveTable {
  columns: Set<string>;
  indexes: Set<string>;
}

export interface SchemaSnapshot {
  /** Keyed by 'schema.table' and, for the default schema, by 'table'. */
  tables: Map<string, LiveTable>;
  /** PostgreSQL index names are unique per schema: 'schema.index' and 'index' for the default schema. */
  pgIndexes: Set<string>;
}

const PG_COLUMNS = `
  SELECT c.table_schema AS s, c.table_name AS t, c.column_name AS c, current_schema() AS cur
  FROM information_schema.columns c
  WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')`;
const PG_INDEXES = `SELECT schemaname AS s, tablename AS t, indexname AS i, current_schema() AS cur FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`;
const MY_COLUMNS = `SELECT table_schema AS s, table_name AS t, column_name AS c, DATABASE() AS cur FROM information_schema.columns WHERE table_schema = DATABASE()`;
const MY_INDEXES = `SELECT DISTINCT table_schema AS s, table_name AS t, index_name AS i, DATABASE() AS cur FROM information_schema.statistics WHERE table_schema = DATABASE()`;

interface ColRow {
  s: string;
  t: string;
  c: string;
  cur: string;
}
interface IdxRow {
  s: string;
  t: string;
  i: string;
  cur: string;
}

/** Read the live schema of the connection's current database (and schema on PostgreSQL). */
export async function loadSnapshot(engine: Engine, query: QueryFn): Promise<SchemaSnapshot> {
  const cols = await query<ColRow>(engine === 'postgres' ? PG_COLUMNS : MY_COLUMNS);
  const idx = await query<IdxRow>(engine === 'postgres' ? PG_INDEXES : MY_INDEXES);
  const tables = new Map<string, LiveTable>();
  const get = (s: string, t: string, cur: string): LiveTable => {
    let lt = tables.get(`${s}.${t}`);
    if (!lt) {
      lt = { columns: new Set(), indexes: new Set() };
      tables.set(`${s}.${t}`, lt);
      if (s === cur) tables.set(t, lt);
    }
    return lt;
  };
  // MySQL column names are case-insensitive: kept lower-case, compared lower-case.
  for (const r of cols) get(r.s, r.t, r.cur).columns.add(engine === 'mysql' ? r.c.toLowerCase() : r.c);
  const pgIndexes = new Set<string>();
  for (const r of idx) {
    get(r.s, r.t, r.cur).indexes.add(r.i);
    if (engine === 'postgres') {
      pgIndexes.add(`${r.s}.${r.i}`);
      if (r.s === r.cur) pgIndexes.add(r.i);
    }
  }
  return { tables, pgIndexes };
}
