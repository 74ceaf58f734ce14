// Tables, columns, keys, indexes and foreign keys, including the rebuilds their changes force;
// partitions and inheritance (parents before children), row security and policies.
//
// On PostgreSQL a table that already exists has rows: indexes on it are built CONCURRENTLY and
// checks and foreign keys are added NOT VALID, then validated, so no step holds a long lock.
import type { DdlChange, Dialect } from '../dialect.js';
import type { Column, Constraint, EnumType, Index, Policy, SchemaModel, Table } from '../model.js';
import { mapBy, type Plan, same, sameColumn, sameConstraint, sameIndex, tableKey } from './plan.js';

/** What changed in a table that exists on both sides. */
export interface TableDelta {
  from: Table;
  to: Table;
  /** Columns whose type (or collation, or generation) changes. */
  retyped: Set<string>;
  dropped: Column[];
  altered: boolean;
}

const parentRefs = (t: Table): { schema: string; name: string }[] =>
  t.partitionOf ? [{ schema: t.partitionOf.schema, name: t.partitionOf.table }] : (t.inherits ?? []);

/** Tables with every parent (partitioned table or INHERITS parent) before its children. */
export function parentsFirst(tables: Table[]): Table[] {
  const byKey = mapBy(tables, tableKey);
  const out: Table[] = [];
  const seen = new Set<string>();
  const visit = (t: Table): void => {
    if (seen.has(tableKey(t))) return;
    seen.add(tableKey(t));
    for (const p of parentRefs(t)) {
      const parent = byKey.get(tableKey(p));
      if (parent) visit(parent);
    }
    out.push(t);
  };
  tables.forEach(visit);
  return out;
}

/** Columns a table has through its parents, by name (the nearest parent's definition). */
function inheritedColumns(
  model: Map<string, Table>,
  t: Table,
  seen = new Set<string>(),
  only?: (p: { schema: string; name: string }) => boolean,
): Map<string, Column> {
  const out = new Map<string, Column>();
  for (const p of parentRefs(t)) {
    if (only && !only(p)) continue;
    const parent = model.get(tableKey(p));
    if (!parent || seen.has(tableKey(parent))) continue;
    seen.add(tableKey(parent));
    for (const [name, c] of inheritedColumns(model, parent, seen)) if (!out.has(name)) out.set(name, c);
    for (const c of parent.columns) if (!out.has(c.name)) out.set(c.name, c);
  }
  return out;
}

const isPostgres = (d: Dialect): boolean => d.engine === 'postgres';
/** Whether the live table has rows to protect: it exists on both sides and is not partitioned. */
const online = (d: Dialect, t: Table): boolean => isPostgres(d) && !t.partitionBy;
const notValidLater = (d: Dialect, t: Table, c: Constraint): boolean =>
  online(d, t) && (c.kind === 'check' || c.kind === 'foreign-key') && !/ NOT VALID$/.test(c.definition);

function sameParents(a: Table, b: Table): boolean {
  return same(a.partitionOf ?? null, b.partitionOf ?? null) && same(a.inherits ?? [], b.inherits ?? []);
}

interface ColumnContext {
  enums: Set<string>;
  recastTypes: Map<string, EnumType>;
  fromTables: Map<string, Table>;
  toTables: Map<string, Table>;
}

function diffColumns(d: Dialect, delta: TableDelta, cx: ColumnContext, plan: Plan): void {
  const { from, to } = delta;
  const mysql = d.engine === 'mysql';
  // Columns held through a parent on both sides change with the parent.
  const fromInherited = inheritedColumns(cx.fromTables, from);
  const toInherited = inheritedColumns(cx.toTables, to);
  const fromParents = new Set(parentRefs(from).map(tableKey));
  const toParents = new Set(parentRefs(to).map(tableKey));
  const viaKept = new Set([
    ...inheritedColumns(cx.fromTables, from, new Set(), (p) => toParents.has(tableKey(p))).keys(),
    ...inheritedColumns(cx.toTables, to, new Set(), (p) => fromParents.has(tableKey(p))).keys(),
  ]);
  const keptParent = (name: string): boolean =>
    viaKept.has(name) && !from.columns.some((c) => c.name === name) && !to.columns.some((c) => c.name === name);
  const fromAll = [
    ...from.columns,
    ...[...fromInherited.values()].filter((c) => !from.columns.some((o) => o.name === c.name)),
  ];
  const toAll = [...to.columns, ...[...toInherited.values()].filter((c) => !to.columns.some((o) => o.name === c.name))];
  const fromCols = mapBy(fromAll, (c) => c.name);
  const toCols = mapBy(toAll, (c) => c.name);
  const restated = new Set(d.columnsRestatedByTableChange(from, to));
  const keysDropped =
    from.constraints.some((c) => c.kind === 'primary-key' && !to.constraints.some((t) => sameConstraint(t, c))) ||
    from.indexes.some((i) => !to.indexes.some((t) => sameIndex(t, i)));
  const handled = new Set<string>();

  if (mysql && keysDropped) {
    // A key cannot be dropped while an AUTO_INCREMENT column still needs it. A column that keeps
    // AUTO_INCREMENT over a rebuilt primary key loses it until the new key exists.
    const fromPk = from.constraints.find((c) => c.kind === 'primary-key');
    const pkRebuilt = fromPk !== undefined && !to.constraints.some((c) => sameConstraint(c, fromPk));
    const plain = (c: Column): Column => ({ ...c, autoIncrement: false });
    for (const f of from.columns) {
      const t = toCols.get(f.name);
      if (!f.autoIncrement) continue;
      if (!t?.autoIncrement) {
        plan.addAll('early-columns', d.alterColumn(to, f, t ?? plain(f)));
        if (t) handled.add(f.name);
      } else if (pkRebuilt && fromPk.columns.includes(f.name)) {
        // MySQL modifies a column once per statement: the rest of its change comes with the first step.
        plan.addAll('early-columns', d.alterColumn(to, f, plain(t)));
        plan.addAll('late-columns', d.alterColumn(to, plain(t), t));
        handled.add(f.name);
      }
    }
  }
  plan.addAll('alter-tables', d.tableOptions(from, to));
  for (const f of delta.dropped) plan.add('alter-tables', 'drop-column', d.dropColumn(to, f), true);
  const viaText = (type: string): boolean => cx.enums.has(type.replace(/\[\]$/, ''));
  for (const f of fromAll) {
    const t = toCols.get(f.name);
    if (!t || keptParent(f.name)) continue;
    const e = cx.recastTypes.get(f.type.replace(/\[\]$/, ''));
    const recast = e !== undefined && t.type === f.type;
    // Enum types cast to and from other types only by way of text.
    const enumRetype = t.type !== f.type && (viaText(f.type) || viaText(t.type));
    if (!recast && !enumRetype) continue;
    if (f.default !== null)
      plan.add('alter-tables', 'alter-column', d.alterColumn(to, f, { ...f, default: null })[0]!.sql);
    plan.add('alter-tables', 'alter-column-type', d.recastColumn(to, f, t.type), enumRetype);
    const retyped: Column = { ...f, type: t.type, collation: t.collation, default: null };
    plan.addAll('alter-tables', d.alterColumn(to, retyped, t));
    handled.add(f.name);
  }
  toAll.forEach((t) => {
    if (keptParent(t.name)) return;
    const f = fromCols.get(t.name);
    const gainsAutoIncrement = mysql && t.autoIncrement && !f?.autoIncrement;
    if (!f) {
      const i = to.columns.indexOf(t);
      const after = mysql ? (i === 0 ? null : to.columns[i - 1]!.name) : undefined;
      plan.addAll('alter-tables', d.addColumn(to, gainsAutoIncrement ? { ...t, autoIncrement: false } : t, after));
      if (gainsAutoIncrement) plan.addAll('late-columns', d.alterColumn(to, { ...t, autoIncrement: false }, t, after));
      return;
    }
    if (handled.has(t.name) || (sameColumn(f, t) && !restated.has(t.name))) return;
    if (mysql && generationNeedsRebuild(f, t)) {
      // MariaDB cannot turn a virtual column into another kind in place.
      const i = to.columns.indexOf(t);
      plan.add('alter-tables', 'drop-column', d.dropColumn(to, f), true);
      plan.addAll('alter-tables', d.addColumn(to, t, i <= 0 ? null : to.columns[i - 1]!.name));
      return;
    }
    plan.addAll(gainsAutoIncrement ? 'late-columns' : 'alter-tables', d.alterColumn(to, f, t));
  });
}

/** MariaDB: a change into or out of a VIRTUAL column (or between virtual and stored) cannot MODIFY. */
function generationNeedsRebuild(f: Column, t: Column): boolean {
  const kind = (c: Column): string => (c.generated ? (c.generated.stored ? 'stored' : 'virtual') : 'regular');
  const a = kind(f);
  const b = kind(t);
  return a !== b && (a === 'virtual' || b === 'virtual');
}

/**
 * MariaDB checks written on a column go with the column when it is dropped (`gone`: no drop of
 * their own) and when it is stated again by MODIFY or a drop and add (`restated`: added again).
 */
function columnChecksLost(d: Dialect, delta: TableDelta): { gone: Set<string>; restated: Set<string> } {
  const { from: f, to: t } = delta;
  const gone = new Set<string>();
  const restated = new Set<string>();
  if (!f.columnChecks?.length) return { gone, restated };
  const toCols = mapBy(t.columns, (c) => c.name);
  const byTable = new Set(d.columnsRestatedByTableChange(f, t));
  for (const name of f.columnChecks) {
    const fc = f.columns.find((c) => c.name === name);
    const tc = toCols.get(name);
    if (!fc) continue;
    if (!tc) gone.add(name);
    else if (!sameColumn(fc, tc) || byTable.has(name)) restated.add(name);
  }
  return { gone, restated };
}

/** Policies: dropped before the columns they read change, created after tables and routines. */
function diffPolicies(d: Dialect, f: Table | null, t: Table | null, rebuildAll: boolean, plan: Plan): void {
  const before = mapBy(f?.policies ?? [], (p) => p.name);
  const after = mapBy(t?.policies ?? [], (p) => p.name);
  const changed = (p: Policy): boolean => rebuildAll || !same(p, after.get(p.name));
  if (f && t)
    for (const p of f.policies ?? [])
      if (changed(p)) plan.add('drop-triggers', 'drop-policy', d.dropPolicy(f, p), !after.has(p.name));
  if (!t) return;
  for (const p of t.policies ?? []) {
    const old = before.get(p.name);
    if (!old || rebuildAll || !same(old, p)) plan.add('create-triggers', 'create-policy', d.createPolicy(t, p));
  }
}

/** The table as it will be right after a DETACH: what its parent gave it becomes its own. */
function detached(f: Table, parent: Table | undefined, cx: ColumnContext): Table {
  const inherited = inheritedColumns(cx.fromTables, f);
  const parentChecks = (parent?.constraints ?? []).filter(
    (c) => c.kind === 'check' && !/NO INHERIT/.test(c.definition),
  );
  const parts = f.inheritedParts ?? { constraints: f.partitionOf ? [] : parentChecks, indexes: [] };
  return {
    ...f,
    columns: [...[...inherited.values()].filter((c) => !f.columns.some((o) => o.name === c.name)), ...f.columns],
    constraints: [...f.constraints, ...parts.constraints.filter((c) => !f.constraints.some((o) => o.name === c.name))],
    indexes: [...f.indexes, ...parts.indexes.filter((i) => !f.indexes.some((o) => o.name === i.name))],
    partitionOf: null,
    inherits: [],
  };
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
  const cx: ColumnContext = {
    enums: new Set([...from.enums, ...to.enums].map((e) => d.enumName(e))),
    recastTypes,
    fromTables,
    toTables,
  };
  const deltas = new Map<string, TableDelta>();
  // A table whose partitioning changes cannot be altered into the other kind: it is rebuilt.
  const rebuilt = new Set(
    to.tables
      .filter((t) => {
        const f = fromTables.get(tableKey(t));
        return f !== undefined && (f.partitionBy ?? null) !== (t.partitionBy ?? null);
      })
      .map(tableKey),
  );
  const droppedTables = parentsFirst(from.tables.filter((t) => !toTables.has(tableKey(t)) || rebuilt.has(tableKey(t))));
  const droppedKeys = new Set(droppedTables.map(tableKey));

  for (const t of to.tables) {
    let f = fromTables.get(tableKey(t));
    if (!f || rebuilt.has(tableKey(t))) continue;
    // Leaving a parent: DETACH / NO INHERIT first, then the table is changed as a table of its own.
    if (f.partitionOf && !same(f.partitionOf, t.partitionOf ?? null)) {
      plan.add('detach', 'detach-partition', d.detachPartition(f));
      f = detached(f, fromTables.get(tableKey({ schema: f.partitionOf.schema, name: f.partitionOf.table })), cx);
    } else {
      const gone = (f.inherits ?? []).filter((p) => !(t.inherits ?? []).some((q) => same(p, q)));
      for (const p of gone) plan.add('detach', 'no-inherit', d.noInherit(f, p));
      if (gone.length > 0) {
        const detachedTable = detached(f, fromTables.get(tableKey(gone[0]!)), cx);
        f = { ...detachedTable, inherits: (f.inherits ?? []).filter((p) => !gone.includes(p)) };
      }
    }
    const toCols = new Set([...t.columns.map((c) => c.name), ...inheritedColumns(toTables, t).keys()]);
    const dropped = f.columns.filter((c) => !toCols.has(c.name));
    const toColMap = mapBy(t.columns, (c) => c.name);
    const retyped = new Set(
      f.columns
        .filter((c) => {
          const n = toColMap.get(c.name);
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
    const consChanged = f.constraints.filter(uniq).some((c) => !t.constraints.some((n) => sameConstraint(n, c)));
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

  // Drops: children before their parents.
  for (const t of [...droppedTables].reverse()) {
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
    // A partition goes with its partitioned table.
    const parent = t.partitionOf ? tableKey({ schema: t.partitionOf.schema, name: t.partitionOf.table }) : null;
    if (parent !== null && droppedKeys.has(parent)) continue;
    plan.add('drop-tables', 'drop-table', d.dropTable(t), true);
  }
  // Keys dropped together with the adding of the table's new keys (see below), per table.
  const replacedKeys = new Map<string, DdlChange[]>();
  for (const delta of deltas.values()) {
    const { from: f, to: t } = delta;
    const toCons = mapBy(t.constraints, (c) => c.name);
    const lost = columnChecksLost(d, delta);
    for (const c of f.constraints) {
      const n = toCons.get(c.name);
      const rebuild = n !== undefined && sameConstraint(n, c) && c.kind === 'foreign-key' && fkNeedsRebuild(delta, c);
      if ((n && sameConstraint(n, c) && !rebuild) || lost.gone.has(c.name) || lost.restated.has(c.name)) continue;
      const phase = c.kind === 'foreign-key' ? 'drop-fks' : 'drop-keys';
      plan.add(phase, c.kind === 'foreign-key' ? 'drop-foreign-key' : 'drop-constraint', d.dropConstraint(f, c), !n);
    }
    const toIdx = mapBy(t.indexes, (i) => i.name);
    // MySQL will not drop the key a kept foreign key stands on, and drops the key it made for a
    // foreign key by itself once another key can serve: a key that goes away is dropped in the
    // statement that adds the table's new keys.
    const keepsForeignKey =
      !isPostgres(d) &&
      t.constraints.some((c) => c.kind === 'foreign-key' && f.constraints.some((o) => sameConstraint(o, c)));
    for (const i of f.indexes) {
      const n = toIdx.get(i.name);
      if (n && sameIndex(n, i)) continue;
      const drop = { sql: d.dropIndex(t, i, online(d, f)), kind: 'drop-index', destructive: !n };
      if (!n && keepsForeignKey) replacedKeys.set(tableKey(t), [...(replacedKeys.get(tableKey(t)) ?? []), drop]);
      else plan.addAll('drop-keys', [drop]);
    }
    diffPolicies(d, f, t, delta.altered, plan);
  }

  // Creates and alterations. `kept`: the index as it was, when it stays and only its comment changes.
  const addIndex = (t: Table, i: Index, kept: Index | null, existing: boolean): void => {
    if (!kept) plan.add('add-keys', 'create-index', d.createIndex(t, i, existing && online(d, t)));
    if ((i.comment ?? null) !== (kept ? (kept.comment ?? null) : null)) {
      plan.add('add-keys', 'comment', d.comment({ kind: 'index', schema: t.schema, name: i.name }, i.comment ?? null));
    }
  };
  const commentOnConstraint = (t: Table, c: Constraint): void => {
    const target = { kind: 'constraint' as const, schema: t.schema, table: t.name, name: c.name };
    plan.add(c.kind === 'foreign-key' ? 'add-fks' : 'add-keys', 'comment', d.comment(target, c.comment ?? null));
  };
  const addConstraint = (t: Table, c: Constraint, existing: boolean): void => {
    const fk = c.kind === 'foreign-key';
    const later = existing && notValidLater(d, t, c);
    plan.add(fk ? 'add-fks' : 'add-keys', fk ? 'add-foreign-key' : 'add-constraint', d.addConstraint(t, c, later));
    if (c.comment !== undefined) commentOnConstraint(t, c);
    if (later) plan.add('validate', 'validate-constraint', d.validateConstraint(t, c));
  };
  for (const t of parentsFirst(to.tables)) {
    const delta = deltas.get(tableKey(t));
    if (!delta) {
      plan.addAll('create-tables', d.createTable(t));
      if (!d.indexesInline) for (const i of t.indexes) addIndex(t, i, null, false);
      if (t.replicaIdentity?.startsWith('index '))
        plan.addAll('add-keys', d.tableOptions({ ...t, replicaIdentity: null }, t));
      for (const c of t.constraints) {
        if (c.kind === 'foreign-key') addConstraint(t, c, false);
        else if (c.comment !== undefined) commentOnConstraint(t, c);
      }
      diffPolicies(d, null, t, false, plan);
      continue;
    }
    diffColumns(d, delta, cx, plan);
    const fromCons = mapBy(delta.from.constraints, (c) => c.name);
    const lost = columnChecksLost(d, delta).restated;
    for (const c of t.constraints) {
      const f = fromCons.get(c.name);
      const rebuild = f !== undefined && sameConstraint(f, c) && c.kind === 'foreign-key' && fkNeedsRebuild(delta, c);
      if (f && sameConstraint(f, c) && !rebuild && !lost.has(c.name)) {
        if ((f.comment ?? null) !== (c.comment ?? null)) commentOnConstraint(t, c);
        continue;
      }
      addConstraint(t, c, true);
    }
    const fromIdx = mapBy(delta.from.indexes, (i) => i.name);
    for (const i of t.indexes) {
      const f = fromIdx.get(i.name);
      if (!f || !sameIndex(f, i)) addIndex(t, i, null, true);
      else if ((f.comment ?? null) !== (i.comment ?? null)) addIndex(t, i, f, true);
    }
    plan.addAll(
      'add-keys',
      (replacedKeys.get(tableKey(t)) ?? []).map((c) => ({ ...c, withPrevious: true })),
    );
    // Joining a parent: ATTACH / INHERIT once the columns match.
    if (!sameParents(delta.from, t)) {
      if (t.partitionOf) plan.add('attach', 'attach-partition', d.attachPartition(t));
      for (const p of t.inherits ?? [])
        if (!(delta.from.inherits ?? []).some((q) => same(p, q))) plan.add('attach', 'inherit', d.inherit(t, p));
    }
  }
  return deltas;
}
