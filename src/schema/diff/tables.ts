// Tables, columns, keys, indexes and foreign keys, including the rebuilds their changes force.
import type { Dialect } from '../dialect.js';
import type { Column, Constraint, EnumType, Index, SchemaModel, Table } from '../model.js';
import { mapBy, type Plan, same, sameColumn, sameIndex, tableKey } from './plan.js';

/** What changed in a table that exists on both sides. */
export interface TableDelta {
  from: Table;
  to: Table;
  /** Columns whose type (or collation, or generation) changes. */
  retyped: Set<string>;
  dropped: Column[];
  altered: boolean;
}

function diffColumns(d: Dialect, delta: TableDelta, recastTypes: Map<string, EnumType>, plan: Plan): void {
  const { from, to } = delta;
  const mysql = d.engine === 'mysql';
  const fromCols = mapBy(from.columns, (c) => c.name);
  const toCols = mapBy(to.columns, (c) => c.name);
  const restated = new Set(d.columnsRestatedByTableChange(from, to));
  const keysDropped =
    from.constraints.some((c) => c.kind === 'primary-key' && !to.constraints.some((t) => same(t, c))) ||
    from.indexes.some((i) => !to.indexes.some((t) => sameIndex(t, i)));
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
    if (f.default !== null)
      plan.add('alter-tables', 'alter-column', d.alterColumn(to, f, { ...f, default: null })[0]!.sql);
    plan.add('alter-tables', 'alter-column-type', d.recastColumn(to, f, t.type));
    if (t.default !== null)
      plan.addAll('alter-tables', d.alterColumn(to, { ...f, default: null }, { ...f, default: t.default }));
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

/** Table changes; returns what changed per kept table, for the phases that depend on it. */
export function diffTables(
  d: Dialect,
  from: SchemaModel,
  to: SchemaModel,
  recastTypes: Map<string, EnumType>,
  plan: Plan,
): Map<string, TableDelta> {
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
    const idxChanged = f.indexes.filter((i) => i.unique).some((i) => !t.indexes.some((n) => sameIndex(n, i)));
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
      if (
        fk.kind === 'foreign-key' &&
        ref &&
        droppedKeys.has(tableKey({ schema: ref.schema, name: ref.table })) &&
        !(ref.schema === t.schema && ref.table === t.name)
      ) {
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
      if (!n || !sameIndex(n, i)) plan.add('drop-keys', 'drop-index', d.dropIndex(t, i), !n);
    }
  }

  // Creates and alterations. `kept`: the index as it was, when it stays and only its comment changes.
  const addIndex = (t: Table, i: Index, kept: Index | null): void => {
    if (!kept) plan.add('add-keys', 'create-index', d.createIndex(t, i));
    if ((i.comment ?? null) !== (kept ? (kept.comment ?? null) : null)) {
      plan.add('add-keys', 'comment', d.comment({ kind: 'index', schema: t.schema, name: i.name }, i.comment ?? null));
    }
  };
  for (const t of to.tables) {
    const delta = deltas.get(tableKey(t));
    if (!delta) {
      plan.addAll('create-tables', d.createTable(t));
      if (!d.indexesInline) for (const i of t.indexes) addIndex(t, i, null);
      for (const c of t.constraints)
        if (c.kind === 'foreign-key') plan.add('add-fks', 'add-foreign-key', d.addConstraint(t, c));
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
      if (!f || !sameIndex(f, i)) addIndex(t, i, null);
      else if ((f.comment ?? null) !== (i.comment ?? null)) addIndex(t, i, f);
    }
  }
  return deltas;
}
