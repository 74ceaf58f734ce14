/**
 * The declarative differ: two models in, the DDL that turns the first into the second out.
 * Pure and deterministic. Statements are collected into phases that run in this order, which is
 * what makes the result dependency-safe:
 *
 *   schemas/extensions → enum types → drop triggers → drop views → drop routines → drop foreign
 *   keys → (MySQL) columns losing AUTO_INCREMENT → drop keys/indexes → sequences → drop tables →
 *   create tables → alter tables (options, drop/recast/add/alter columns) → add keys/indexes →
 *   (MySQL) columns gaining AUTO_INCREMENT → sequence ownership → add foreign keys → create
 *   routines → create views (dependency order) → create triggers → drop types/sequences →
 *   drop extensions/schemas.
 *
 * Objects whose dependencies change are rebuilt: views over altered tables or rebuilt views,
 * foreign keys whose columns change type or whose referenced key is recreated, triggers whose
 * routine is recreated. Within a phase, objects come in name order.
 */
import { DbchangeError, ErrorCode } from '../errors.js';
import type { DdlChange, Dialect } from './dialect.js';
import type { Column, Constraint, EnumType, Routine, SchemaModel, Table, Trigger, View } from './model.js';
import { normalizeModel, stableJson } from './model.js';
import { mysqlDialect } from './mysql/ddl.js';
import { postgresDialect } from './postgres/ddl.js';

const PHASES = [
  'pre',
  'types',
  'drop-triggers',
  'drop-views',
  'drop-routines',
  'drop-fks',
  'early-columns',
  'drop-keys',
  'sequences',
  'drop-tables',
  'create-tables',
  'alter-tables',
  'add-keys',
  'late-columns',
  'owned-by',
  'add-fks',
  'create-routines',
  'create-views',
  'create-triggers',
  'drop-types',
  'post',
] as const;
type Phase = (typeof PHASES)[number];

class Plan {
  private readonly phases = new Map<Phase, DdlChange[]>(PHASES.map((p) => [p, []]));
  add(phase: Phase, kind: string, sql: string, destructive = false): void {
    this.phases.get(phase)!.push({ sql, kind, destructive });
  }
  addAll(phase: Phase, changes: DdlChange[]): void {
    this.phases.get(phase)!.push(...changes);
  }
  changes(): DdlChange[] {
    return PHASES.flatMap((p) => this.phases.get(p)!);
  }
}

const tableKey = (t: { schema: string; name: string }): string => `${t.schema}\u0000${t.name}`;
const routineKey = (r: Routine): string => `${r.schema}\u0000${r.name}\u0000${r.signature}\u0000${r.kind}`;
const triggerKey = (t: Trigger): string => `${t.schema}\u0000${t.table}\u0000${t.name}`;
// Objects are compared many times over (columns, keys); serialise each one once.
let canonical = new WeakMap<object, string>();
function canon(v: unknown): string {
  if (v === null || typeof v !== 'object') return stableJson(v);
  let s = canonical.get(v);
  if (s === undefined) {
    s = stableJson(v);
    canonical.set(v, s);
  }
  return s;
}
const same = (a: unknown, b: unknown): boolean => a === b || canon(a) === canon(b);

/** Column equality without serialising: columns are the most numerous objects by far. */
function sameColumn(a: Column, b: Column): boolean {
  return (
    a.name === b.name &&
    a.type === b.type &&
    a.nullable === b.nullable &&
    a.default === b.default &&
    a.identity === b.identity &&
    a.autoIncrement === b.autoIncrement &&
    a.collation === b.collation &&
    a.comment === b.comment &&
    a.onUpdate === b.onUpdate &&
    a.generated?.expression === b.generated?.expression &&
    a.generated?.stored === b.generated?.stored
  );
}

function mapBy<T>(items: T[], key: (t: T) => string): Map<string, T> {
  return new Map(items.map((i) => [key(i), i]));
}

/** The dialect for a model's engine. */
export function dialectOf(engine: SchemaModel['engine']): Dialect {
  return engine === 'postgres' ? postgresDialect : mysqlDialect;
}

/** True when `to` is `from` with values inserted (ADD VALUE can do it). */
function onlyInserts(from: string[], to: string[]): boolean {
  let i = 0;
  for (const v of to) if (i < from.length && v === from[i]) i++;
  return i === from.length;
}

interface TableDelta {
  from: Table;
  to: Table;
  /** Columns whose type (or collation, or generation) changes. */
  retyped: Set<string>;
  dropped: Column[];
  altered: boolean;
}

function diffEnums(d: Dialect, from: SchemaModel, to: SchemaModel, plan: Plan): Map<string, EnumType> {
  const recreated = new Map<string, EnumType>();
  const fromEnums = mapBy(from.enums, tableKey);
  for (const e of to.enums) {
    const f = fromEnums.get(tableKey(e));
    if (!f) {
      plan.add('types', 'create-type', d.createEnum(e));
    } else if (!same(f.values, e.values)) {
      if (onlyInserts(f.values, e.values)) {
        e.values.forEach((v, i) => {
          if (f.values.includes(v)) return;
          const position = i === 0 ? { before: e.values[1]! } : { after: e.values[i - 1]! };
          plan.add('types', 'alter-type', d.addEnumValue(e, v, position));
        });
      } else {
        // Values cannot be removed or reordered in place: build the new type, recast, drop the old.
        const old = `${e.name}__dbchange_old`;
        plan.add('types', 'alter-type', d.renameEnum(f, old));
        plan.add('types', 'create-type', d.createEnum(e));
        plan.add('drop-types', 'drop-type', d.dropEnum({ schema: e.schema, name: old }), !f.values.every((v) => e.values.includes(v)));
        recreated.set(d.enumName(e), e);
      }
    }
  }
  const toEnums = mapBy(to.enums, tableKey);
  for (const f of from.enums) if (!toEnums.has(tableKey(f))) plan.add('drop-types', 'drop-type', d.dropEnum(f), true);
  return recreated;
}

function diffColumns(d: Dialect, delta: TableDelta, recastTypes: Map<string, EnumType>, plan: Plan): void {
  const { from, to } = delta;
  const mysql = d.engine === 'mysql';
  const fromCols = mapBy(from.columns, (c) => c.name);
  const toCols = mapBy(to.columns, (c) => c.name);
  const restated = new Set(d.columnsRestatedByTableChange(from, to));
  const keysDropped = from.constraints.some((c) => c.kind === 'primary-key' && !to.constraints.some((t) => same(t, c))) ||
    from.indexes.some((i) => !to.indexes.some((t) => same(t, i)));
  const handled = new Set<string>();

  if (mysql && keysDropped) {
    // A key cannot be dropped while an AUTO_INCREMENT column still needs it.
    for (const f of from.columns) {
      const t = toCols.get(f.name);
      if (!f.autoIncrement || t?.autoIncrement) continue;
      plan.addAll('early-columns', d.alterColumn(to, f, t ?? { ...f, autoIncrement: false }));
      if (t) handled.add(f.name);
    }
  }
  plan.addAll('alter-tables', d.tableOptions(from, to));
  for (const f of delta.dropped) plan.add('alter-tables', 'drop-column', d.dropColumn(to, f), true);
  for (const f of from.columns) {
    const t = toCols.get(f.name);
    const base = f.type.replace(/\[\]$/, '');
    const e = recastTypes.get(base);
    if (!t || !e || t.type !== f.type) continue;
    // The old type was renamed away; point the column at the new one, via text.
    if (f.default !== null) plan.add('alter-tables', 'alter-column', d.alterColumn(to, f, { ...f, default: null })[0]!.sql);
    plan.add('alter-tables', 'alter-column-type', d.recastColumn(to, f, t.type));
    if (t.default !== null) plan.addAll('alter-tables', d.alterColumn(to, { ...f, default: null }, { ...f, default: t.default }));
  }
  to.columns.forEach((t, i) => {
    const f = fromCols.get(t.name);
    const gainsAutoIncrement = mysql && t.autoIncrement && !f?.autoIncrement;
    if (!f) {
      const after = mysql ? (i === 0 ? null : to.columns[i - 1]!.name) : undefined;
      plan.addAll('alter-tables', d.addColumn(to, gainsAutoIncrement ? { ...t, autoIncrement: false } : t, after));
      if (gainsAutoIncrement) plan.addAll('late-columns', d.alterColumn(to, { ...t, autoIncrement: false }, t));
      return;
    }
    if (handled.has(t.name) || (sameColumn(f, t) && !restated.has(t.name))) return;
    plan.addAll(gainsAutoIncrement ? 'late-columns' : 'alter-tables', d.alterColumn(to, f, t));
  });
}

function diffTables(d: Dialect, from: SchemaModel, to: SchemaModel, recastTypes: Map<string, EnumType>, plan: Plan): Map<string, TableDelta> {
  const fromTables = mapBy(from.tables, tableKey);
  const toTables = mapBy(to.tables, tableKey);
  const deltas = new Map<string, TableDelta>();
  const droppedTables = from.tables.filter((t) => !toTables.has(tableKey(t)));
  const droppedKeys = new Set(droppedTables.map(tableKey));

  for (const t of to.tables) {
    const f = fromTables.get(tableKey(t));
    if (!f) continue;
    const toCols = mapBy(t.columns, (c) => c.name);
    const dropped = f.columns.filter((c) => !toCols.has(c.name));
    const retyped = new Set(
      f.columns
        .filter((c) => {
          const n = toCols.get(c.name);
          const recast = recastTypes.has(c.type.replace(/\[\]$/, ''));
          return n && (recast || n.type !== c.type || n.collation !== c.collation || !same(n.generated, c.generated));
        })
        .map((c) => c.name),
    );
    deltas.set(tableKey(t), { from: f, to: t, retyped, dropped, altered: dropped.length > 0 || retyped.size > 0 });
  }

  // Tables whose referenced keys are dropped or recreated: foreign keys onto them are rebuilt.
  const keysRecreated = new Set<string>();
  for (const [key, { from: f, to: t }] of deltas) {
    const uniq = (c: Constraint): boolean => c.kind === 'primary-key' || c.kind === 'unique';
    const consChanged = f.constraints.filter(uniq).some((c) => !t.constraints.some((n) => same(n, c)));
    const idxChanged = f.indexes.filter((i) => i.unique).some((i) => !t.indexes.some((n) => same(n, i)));
    if (consChanged || idxChanged) keysRecreated.add(key);
  }
  const fkNeedsRebuild = (owner: TableDelta, fk: Constraint): boolean => {
    if (!fk.references) return false;
    const refKey = tableKey({ schema: fk.references.schema, name: fk.references.table });
    const ref = deltas.get(refKey);
    return (
      keysRecreated.has(refKey) ||
      fk.columns.some((c) => owner.retyped.has(c)) ||
      (ref !== undefined && fk.references.columns.some((c) => ref.retyped.has(c)))
    );
  };

  // Drops.
  for (const t of droppedTables) {
    for (const fk of t.constraints) {
      const ref = fk.references;
      // Only foreign keys between two dropped tables are in the way of DROP TABLE.
      if (fk.kind === 'foreign-key' && ref && droppedKeys.has(tableKey({ schema: ref.schema, name: ref.table })) && !(ref.schema === t.schema && ref.table === t.name)) {
        plan.add('drop-fks', 'drop-foreign-key', d.dropConstraint(t, fk), true);
      }
    }
    plan.add('drop-tables', 'drop-table', d.dropTable(t), true);
  }
  for (const delta of deltas.values()) {
    const { from: f, to: t } = delta;
    const toCons = mapBy(t.constraints, (c) => c.name);
    for (const c of f.constraints) {
      const n = toCons.get(c.name);
      const rebuild = n !== undefined && same(n, c) && c.kind === 'foreign-key' && fkNeedsRebuild(delta, c);
      if (n && same(n, c) && !rebuild) continue;
      const phase = c.kind === 'foreign-key' ? 'drop-fks' : 'drop-keys';
      plan.add(phase, c.kind === 'foreign-key' ? 'drop-foreign-key' : 'drop-constraint', d.dropConstraint(t, c), !n);
    }
    const toIdx = mapBy(t.indexes, (i) => i.name);
    for (const i of f.indexes) {
      const n = toIdx.get(i.name);
      if (!n || !same(n, i)) plan.add('drop-keys', 'drop-index', d.dropIndex(t, i), !n);
    }
  }

  // Creates and alterations.
  for (const t of to.tables) {
    const delta = deltas.get(tableKey(t));
    if (!delta) {
      plan.addAll('create-tables', d.createTable(t));
      if (!d.indexesInline) for (const i of t.indexes) plan.add('add-keys', 'create-index', d.createIndex(t, i));
      for (const c of t.constraints) if (c.kind === 'foreign-key') plan.add('add-fks', 'add-foreign-key', d.addConstraint(t, c));
      continue;
    }
    diffColumns(d, delta, recastTypes, plan);
    const fromCons = mapBy(delta.from.constraints, (c) => c.name);
    for (const c of t.constraints) {
      const f = fromCons.get(c.name);
      const rebuild = f !== undefined && same(f, c) && c.kind === 'foreign-key' && fkNeedsRebuild(delta, c);
      if (f && same(f, c) && !rebuild) continue;
      const fk = c.kind === 'foreign-key';
      plan.add(fk ? 'add-fks' : 'add-keys', fk ? 'add-foreign-key' : 'add-constraint', d.addConstraint(t, c));
    }
    const fromIdx = mapBy(delta.from.indexes, (i) => i.name);
    for (const i of t.indexes) {
      const f = fromIdx.get(i.name);
      if (!f || !same(f, i)) plan.add('add-keys', 'create-index', d.createIndex(t, i));
    }
  }
  return deltas;
}

function diffSequences(d: Dialect, from: SchemaModel, to: SchemaModel, deltas: Map<string, TableDelta>, plan: Plan): void {
  const fromSeq = mapBy(from.sequences, tableKey);
  const toSeq = mapBy(to.sequences, tableKey);
  for (const s of to.sequences) {
    const f = fromSeq.get(tableKey(s));
    if (!f) {
      plan.add('sequences', 'create-sequence', d.createSequence(s));
      if (s.ownedBy) plan.add('owned-by', 'alter-sequence', d.sequenceOwnedBy(s));
      continue;
    }
    const alter = d.alterSequence(f, s);
    if (alter) plan.add('sequences', 'alter-sequence', alter);
    if (!same(f.ownedBy, s.ownedBy)) plan.add('owned-by', 'alter-sequence', d.sequenceOwnedBy(s));
  }
  for (const f of from.sequences) {
    if (toSeq.has(tableKey(f))) continue;
    if (f.ownedBy) {
      // Dropping the owning table or column drops the sequence with it.
      const owner = deltas.get(tableKey({ schema: f.schema, name: f.ownedBy.table }));
      if (!owner || owner.dropped.some((c) => c.name === f.ownedBy!.column)) continue;
    }
    plan.add('drop-types', 'drop-sequence', d.dropSequence(f), true);
  }
}

/** Views in an order where each comes after the views it reads from. */
function viewOrder(d: Dialect, views: View[]): View[] {
  const out: View[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (v: View): void => {
    const k = tableKey(v);
    if (state.get(k)) return;
    state.set(k, 'visiting');
    for (const w of views) if (w !== v && d.mentions(v.definition, w.schema, w.name)) visit(w);
    state.set(k, 'done');
    out.push(v);
  };
  views.forEach(visit);
  return out;
}

function diffViewsRoutinesTriggers(d: Dialect, from: SchemaModel, to: SchemaModel, deltas: Map<string, TableDelta>, plan: Plan): void {
  const toViews = mapBy(to.views, tableKey);
  const fromViews = mapBy(from.views, tableKey);
  const altered = [...deltas.values()].filter((t) => t.altered).map((t) => t.to);
  const rebuilt = new Set<string>();
  for (const v of from.views) {
    const n = toViews.get(tableKey(v));
    if (!n || !same(n, v) || altered.some((t) => d.mentions(v.definition, t.schema, t.name))) rebuilt.add(tableKey(v));
  }
  // A view over a dropped or rebuilt view must go too.
  for (let grew = true; grew; ) {
    grew = false;
    for (const v of from.views) {
      if (rebuilt.has(tableKey(v))) continue;
      if (from.views.some((w) => rebuilt.has(tableKey(w)) && d.mentions(v.definition, w.schema, w.name))) {
        rebuilt.add(tableKey(v));
        grew = true;
      }
    }
  }
  for (const v of viewOrder(d, from.views).reverse()) {
    if (rebuilt.has(tableKey(v))) plan.add('drop-views', 'drop-view', d.dropView(v), !toViews.has(tableKey(v)));
  }
  for (const v of viewOrder(d, to.views)) {
    if (!fromViews.has(tableKey(v)) || rebuilt.has(tableKey(v))) plan.add('create-views', 'create-view', d.createView(v));
  }

  const fromRoutines = mapBy(from.routines, routineKey);
  const toRoutines = mapBy(to.routines, routineKey);
  const droppedRoutines: Routine[] = [];
  for (const r of from.routines) {
    const n = toRoutines.get(routineKey(r));
    if (!n || (!same(n, r) && !d.canReplaceRoutine(r, n))) {
      plan.add('drop-routines', 'drop-function', d.dropRoutine(r), !n);
      droppedRoutines.push(r);
    }
  }
  for (const r of to.routines) {
    const f = fromRoutines.get(routineKey(r));
    if (!f || !same(f, r)) plan.add('create-routines', 'create-function', d.createRoutine(r));
  }

  const toTables = new Set(to.tables.map(tableKey));
  const fromTriggers = mapBy(from.triggers, triggerKey);
  const toTriggers = mapBy(to.triggers, triggerKey);
  const rebuiltTriggers = new Set<string>();
  for (const t of from.triggers) {
    if (!toTables.has(tableKey({ schema: t.schema, name: t.table }))) continue;
    const n = toTriggers.get(triggerKey(t));
    const usesDropped = droppedRoutines.some((r) => d.mentions(t.definition, r.schema, r.name));
    if (n && same(n, t) && !usesDropped) continue;
    plan.add('drop-triggers', 'drop-trigger', d.dropTrigger(t), !n);
    rebuiltTriggers.add(triggerKey(t));
  }
  for (const t of to.triggers) {
    if (!fromTriggers.has(triggerKey(t)) || rebuiltTriggers.has(triggerKey(t)) || !toTables.has(tableKey({ schema: t.schema, name: t.table }))) {
      plan.add('create-triggers', 'create-trigger', d.createTrigger(t));
    }
  }
}

/** The DDL that turns `from` into `to`, in dependency order; empty when they are equal. */
export function diffSchemas(fromModel: SchemaModel, toModel: SchemaModel): DdlChange[] {
  if (fromModel.engine !== toModel.engine) {
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      `cannot diff a ${fromModel.engine} schema against a ${toModel.engine} one; compare two databases of the same engine`,
    );
  }
  canonical = new WeakMap();
  const from = normalizeModel(fromModel);
  const to = normalizeModel(toModel);
  const d = dialectOf(from.engine);
  const plan = new Plan();

  for (const s of to.schemas) if (!from.schemas.includes(s)) plan.add('pre', 'create-schema', d.createSchema(s));
  const fromExt = mapBy(from.extensions, (e) => e.name);
  const toExt = mapBy(to.extensions, (e) => e.name);
  for (const e of to.extensions) {
    const f = fromExt.get(e.name);
    if (!f) plan.add('pre', 'create-extension', d.createExtension(e));
    else if (f.schema !== e.schema) plan.add('pre', 'alter-extension', d.alterExtensionSchema(e));
  }
  for (const e of from.extensions) if (!toExt.has(e.name)) plan.add('post', 'drop-extension', d.dropExtension(e), true);
  for (const s of from.schemas) if (!to.schemas.includes(s)) plan.add('post', 'drop-schema', d.dropSchema(s), true);

  const recast = diffEnums(d, from, to, plan);
  const deltas = diffTables(d, from, to, recast, plan);
  diffSequences(d, from, to, deltas, plan);
  diffViewsRoutinesTriggers(d, from, to, deltas, plan);
  return plan.changes();
}
