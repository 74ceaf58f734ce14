// The columns and indexes a statement defines, whatever the statement form.
import type { Statement } from '../statement.js';
import type { ColumnDef } from '../model/column.js';
import type { IndexKind } from '../model/table-parts.js';
import { baseName } from './util.js';

export interface DefinedColumn {
  col: ColumnDef;
  table: string[];
  how: 'create' | 'add' | 'modify' | 'change';
}

/** Columns defined by CREATE TABLE or ALTER TABLE ADD/MODIFY/CHANGE (computed once per statement). */
export function definedColumns(s: Statement): DefinedColumn[] {
  return s.cached('columns', computeColumns);
}

/** Indexes and constraints defined by CREATE TABLE, ALTER TABLE ADD or CREATE INDEX (computed once per statement). */
export function definedIndexes(s: Statement): DefinedIndex[] {
  return s.cached('indexes', computeIndexes);
}

/** The columns of the primary keys the statement defines (one per statement, read once). */
export function primaryKeyColumns(s: Statement): ReadonlySet<string> {
  return s.cached('primary-key-columns', computePrimaryKeyColumns);
}

function computePrimaryKeyColumns(s: Statement): ReadonlySet<string> {
  return new Set(
    definedIndexes(s)
      .filter((i) => i.kind === 'primary')
      .flatMap((i) => i.columns),
  );
}

function computeColumns(s: Statement): DefinedColumn[] {
  if (s.verb !== 'CREATE' && s.verb !== 'ALTER') return [];
  const ct = s.createTable;
  if (ct) return ct.columns.map((col) => ({ col, table: ct.table, how: 'create' as const }));
  const at = s.alterTable;
  if (!at) return [];
  const out: DefinedColumn[] = [];
  for (const a of at.actions) {
    if (a.kind === 'add-column') out.push({ col: a.column, table: at.table, how: 'add' });
    else if (a.kind === 'modify-column') out.push({ col: a.column, table: at.table, how: 'modify' });
    else if (a.kind === 'change-column') out.push({ col: a.column, table: at.table, how: 'change' });
  }
  return out;
}

export interface DefinedIndex {
  kind: IndexKind;
  name: string | null;
  columns: string[];
  using: string | null;
  table: string[];
  pos: number;
  references: { table: string[]; columns: string[]; onDeleteCascade: boolean } | null;
  notValid: boolean;
  /** Declared inline on a column (`id int PRIMARY KEY`). */
  inline: boolean;
}

/** The keys a column declares inline (`id int PRIMARY KEY`, `UNIQUE`, `REFERENCES …`). */
function inlineKeys(c: ColumnDef, table: string[]): DefinedIndex[] {
  const key = (
    kind: 'primary' | 'unique' | 'foreign',
    references: DefinedIndex['references'] = null,
  ): DefinedIndex => ({
    kind,
    name: c.keyNames[kind] ?? null,
    columns: [c.name],
    using: null,
    table,
    pos: c.pos,
    references,
    notValid: false,
    inline: true,
  });
  const out: DefinedIndex[] = [];
  if (c.primaryKey) out.push(key('primary'));
  if (c.unique) out.push(key('unique'));
  if (c.references) out.push(key('foreign', c.references));
  return out;
}

function computeIndexes(s: Statement): DefinedIndex[] {
  if (s.verb !== 'CREATE' && s.verb !== 'ALTER') return [];
  const out: DefinedIndex[] = [];
  const ct = s.createTable;
  if (ct) {
    for (const c of ct.columns) out.push(...inlineKeys(c, ct.table));
    for (const i of ct.indexes) out.push({ ...i, table: ct.table, inline: false });
    return out;
  }
  const at = s.alterTable;
  if (at) {
    for (const a of at.actions) {
      if (a.kind === 'add-index') out.push({ ...a.index, table: at.table, inline: false });
      // MODIFY/CHANGE COLUMN … PRIMARY KEY defines the key as ADD COLUMN does (MySQL).
      if (a.kind === 'add-column' || a.kind === 'modify-column' || a.kind === 'change-column')
        out.push(...inlineKeys(a.column, at.table));
    }
    return out;
  }
  const ci = s.createIndex;
  if (ci) {
    const kind: IndexKind = ci.unique
      ? 'unique'
      : ci.special === 'FULLTEXT'
        ? 'fulltext'
        : ci.special === 'SPATIAL'
          ? 'spatial'
          : 'index';
    out.push({
      kind,
      name: ci.name,
      columns: ci.columns,
      using: ci.using,
      table: ci.table,
      pos: ci.pos,
      references: null,
      notValid: false,
      inline: false,
    });
  }
  return out;
}

// Built once per script: column types and index columns by table, with the statement index that set them.
const typeCache = new WeakMap<readonly Statement[], Map<string, Array<[number, string]>>>();
const indexCache = new WeakMap<readonly Statement[], Map<string, Array<[number, string[]]>>>();

function columnTypes(statements: readonly Statement[]): Map<string, Array<[number, string]>> {
  let m = typeCache.get(statements);
  if (!m) {
    m = new Map();
    for (const s of statements) {
      for (const d of definedColumns(s)) {
        const key = `${baseName(d.table)}.${d.col.name}`;
        let arr = m.get(key);
        if (!arr) m.set(key, (arr = []));
        arr.push([s.index, d.col.type]);
      }
    }
    typeCache.set(statements, m);
  }
  return m;
}

/** The type of a column as known from CREATE/ALTER statements up to and including index `upTo`. */
export function knownColumnType(
  statements: readonly Statement[],
  upTo: number,
  table: readonly string[],
  column: string,
): string | null {
  const arr = columnTypes(statements).get(`${baseName(table)}.${column}`);
  let found: string | null = null;
  for (const [i, type] of arr ?? []) if (i <= upTo) found = type;
  return found;
}

/** Column lists of the indexes defined on a table before statement index `before`. */
export function knownIndexColumns(
  statements: readonly Statement[],
  before: number,
  table: readonly string[],
): string[][] {
  let m = indexCache.get(statements);
  if (!m) {
    m = new Map();
    for (const s of statements) {
      for (const i of definedIndexes(s)) {
        const key = baseName(i.table);
        let arr = m.get(key);
        if (!arr) m.set(key, (arr = []));
        arr.push([s.index, i.columns]);
      }
    }
    indexCache.set(statements, m);
  }
  return (m.get(baseName(table)) ?? []).filter(([i]) => i < before).map(([, c]) => c);
}
