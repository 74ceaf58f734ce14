// Objects that depend on tables by their text: views and materialized views (rebuilt around
// changes of what they read or of a routine they call), routines (created before the tables
// whose defaults, checks or indexes call them; dropped after everything that used them) and
// triggers (rebuilt when the routine they call or the view they hang on is recreated).
import type { Dialect } from '../dialect.js';
import type { Index, MaterializedView, Routine, SchemaModel, Trigger, View } from '../model.js';
import { mapBy, type Plan, routineKey, same, sameIndex, tableKey, triggerKey } from './plan.js';
import type { TableDelta } from './tables.js';

/** A view or a materialized view: they read each other, so they are ordered and rebuilt together. */
type Relation = { kind: 'view'; v: View } | { kind: 'matview'; v: MaterializedView };
const relKey = (r: Relation): string => tableKey(r.v);
const relations = (m: SchemaModel): Relation[] => [
  ...m.views.map((v) => ({ kind: 'view' as const, v })),
  ...m.matviews.map((v) => ({ kind: 'matview' as const, v })),
];
/** What a relation is built from; comments and matview indexes change without a rebuild. */
const shape = (r: Relation): unknown =>
  r.kind === 'view'
    ? { kind: r.kind, v: { ...r.v, comment: undefined } }
    : { kind: r.kind, schema: r.v.schema, name: r.v.name, definition: r.v.definition };

function viewOrder(d: Dialect, views: Relation[]): Relation[] {
  const out: Relation[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (r: Relation): void => {
    const k = relKey(r);
    if (state.get(k)) return;
    state.set(k, 'visiting');
    for (const w of views) if (w !== r && d.mentions(r.v.definition, w.v.schema, w.v.name)) visit(w);
    state.set(k, 'done');
    out.push(r);
  };
  views.forEach(visit);
  return out;
}

/** Views and materialized views (with their indexes and comments), rebuilt around what they read. */
function diffRelations(
  d: Dialect,
  from: SchemaModel,
  to: SchemaModel,
  deltas: Map<string, TableDelta>,
  replacedRoutines: Routine[],
  plan: Plan,
): Set<string> {
  const fromRels = relations(from);
  const toRels = relations(to);
  const toViews = mapBy(toRels, relKey);
  const fromViews = mapBy(fromRels, relKey);
  const altered = [...deltas.values()].filter((t) => t.altered).map((t) => t.to);
  const rebuilt = new Set<string>();
  for (const r of fromRels) {
    const n = toViews.get(relKey(r));
    if (
      !n ||
      !same(shape(n), shape(r)) ||
      altered.some((t) => d.mentions(r.v.definition, t.schema, t.name)) ||
      replacedRoutines.some((f) => d.mentions(r.v.definition, f.schema, f.name))
    )
      rebuilt.add(relKey(r));
  }
  // A view over a dropped or rebuilt view must go too.
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of fromRels) {
      if (rebuilt.has(relKey(r))) continue;
      if (fromRels.some((w) => rebuilt.has(relKey(w)) && d.mentions(r.v.definition, w.v.schema, w.v.name))) {
        rebuilt.add(relKey(r));
        grew = true;
      }
    }
  }
  for (const r of viewOrder(d, fromRels).reverse()) {
    if (!rebuilt.has(relKey(r))) continue;
    const gone = !toViews.has(relKey(r));
    if (r.kind === 'view') plan.add('drop-views', 'drop-view', d.dropView(r.v), gone);
    else plan.add('drop-views', 'drop-materialized-view', d.dropMatview(r.v), gone);
  }
  const commentOn = (r: Relation, text: string | null): void => {
    plan.add(
      'create-views',
      'comment',
      d.comment({ kind: r.kind === 'view' ? 'view' : 'materialized-view', schema: r.v.schema, name: r.v.name }, text),
    );
  };
  for (const r of viewOrder(d, toRels)) {
    const f = fromViews.get(relKey(r));
    const created = !f || rebuilt.has(relKey(r));
    const comment = r.v.comment ?? null;
    if (created) {
      if (r.kind === 'view') plan.add('create-views', 'create-view', d.createView(r.v));
      else plan.add('create-views', 'create-materialized-view', d.createMatview(r.v));
      if (comment !== null) commentOn(r, comment);
    } else if ((f.v.comment ?? null) !== comment) {
      commentOn(r, comment);
    }
    if (r.kind !== 'matview') continue;
    // Indexes on a materialized view: after it, and dropped with it when it is rebuilt.
    const m = r.v;
    const oldIdx = created || f.kind !== 'matview' ? new Map<string, Index>() : mapBy(f.v.indexes, (i) => i.name);
    const newIdx = mapBy(m.indexes, (i) => i.name);
    for (const i of oldIdx.values()) {
      const n = newIdx.get(i.name);
      if (!n || !sameIndex(n, i)) plan.add('drop-views', 'drop-index', d.dropIndex(m, i, !created), !n);
    }
    for (const i of m.indexes) {
      const o = oldIdx.get(i.name);
      const kept = o !== undefined && sameIndex(o, i);
      if (!kept) plan.add('create-views', 'create-index', d.createIndex(m, i, !created));
      if ((i.comment ?? null) !== (kept ? (o.comment ?? null) : null)) {
        plan.add(
          'create-views',
          'comment',
          d.comment({ kind: 'index', schema: m.schema, name: i.name }, i.comment ?? null),
        );
      }
    }
  }
  return rebuilt;
}

/**
 * Where a routine that definitions call must be created: before the domains that call it
 * ('pre'), before the tables whose defaults, checks, indexes or partition keys call it
 * ('early-routines', after the types it may take), or with the other routines.
 */
function creationPhase(d: Dialect, to: SchemaModel, r: Routine): 'pre' | 'early-routines' | 'create-routines' {
  const calls = (text: string | null | undefined): boolean => !!text && d.mentions(text, r.schema, r.name);
  if (to.domains.some((dm) => calls(dm.default) || dm.constraints.some((c) => calls(c.definition)))) return 'pre';
  const byTables = to.tables.some(
    (t) =>
      t.columns.some((c) => calls(c.default) || calls(c.generated?.expression)) ||
      t.constraints.some((c) => c.kind !== 'foreign-key' && calls(c.definition)) ||
      t.indexes.some((i) => calls(i.definition)) ||
      calls(t.partitionBy),
  );
  return byTables ? 'early-routines' : 'create-routines';
}

/** View, routine and trigger changes, with the rebuilds that table and routine changes force. */
export function diffViewsRoutinesTriggers(
  d: Dialect,
  from: SchemaModel,
  to: SchemaModel,
  deltas: Map<string, TableDelta>,
  plan: Plan,
): void {
  const fromRoutines = mapBy(from.routines, routineKey);
  const toRoutines = mapBy(to.routines, routineKey);
  const droppedRoutines: Routine[] = [];
  const replaced: Routine[] = [];
  // CREATE OR REPLACE keeps a routine's comment; a comment alone changes with COMMENT ON.
  const body = (r: Routine): unknown => ({ ...r, comment: undefined });
  for (const r of from.routines) {
    const n = toRoutines.get(routineKey(r));
    const nameReused = to.routines.some((o) => o.schema === r.schema && o.name === r.name);
    if (!n && !nameReused) {
      // Gone for good: after the views, triggers, checks and defaults that called it.
      plan.add('late-drops', 'drop-function', d.dropRoutine(r), true);
      droppedRoutines.push(r);
    } else if (!n || (!same(body(n), body(r)) && !d.canReplaceRoutine(r, n))) {
      plan.add('drop-routines', 'drop-function', d.dropRoutine(r), !n);
      droppedRoutines.push(r);
      replaced.push(r);
    }
  }
  for (const r of to.routines) {
    const f = fromRoutines.get(routineKey(r));
    const wasReplaced = f !== undefined && replaced.includes(f);
    const phase = wasReplaced ? 'create-routines' : creationPhase(d, to, r);
    if (!f || !same(body(f), body(r))) plan.add(phase, 'create-function', d.createRoutine(r));
    const before = !f || droppedRoutines.includes(f) ? null : (f.comment ?? null);
    if ((r.comment ?? null) !== before) {
      plan.add(
        phase,
        'comment',
        d.comment({ kind: r.kind, schema: r.schema, name: r.name, signature: r.signature }, r.comment ?? null),
      );
    }
  }

  const rebuiltViews = diffRelations(d, from, to, deltas, replaced, plan);

  // A trigger hangs on a table or a view; it goes with its relation when that is dropped.
  const relationKey = (t: Trigger): string => tableKey({ schema: t.schema, name: t.table });
  const keptRelations = new Set([
    ...[...deltas.keys()],
    ...[...from.views, ...from.matviews]
      .filter((v) => !rebuiltViews.has(tableKey(v)))
      .map(tableKey)
      .filter((k) => to.views.some((v) => tableKey(v) === k) || to.matviews.some((v) => tableKey(v) === k)),
  ]);
  const fromTriggers = mapBy(from.triggers, triggerKey);
  const toTriggers = mapBy(to.triggers, triggerKey);
  const rebuiltTriggers = new Set<string>();
  for (const t of from.triggers) {
    if (!keptRelations.has(relationKey(t))) continue;
    const n = toTriggers.get(triggerKey(t));
    const usesDropped = droppedRoutines.some((r) => d.mentions(t.definition, r.schema, r.name));
    if (n && n.definition === t.definition && !usesDropped) {
      if ((n.enabled ?? 'origin') !== (t.enabled ?? 'origin'))
        plan.add('create-triggers', 'alter-trigger', d.triggerState(n, true)!);
      continue;
    }
    plan.add('drop-triggers', 'drop-trigger', d.dropTrigger(t), !n);
    rebuiltTriggers.add(triggerKey(t));
  }
  for (const t of to.triggers) {
    if (!fromTriggers.has(triggerKey(t)) || rebuiltTriggers.has(triggerKey(t)) || !keptRelations.has(relationKey(t))) {
      plan.add('create-triggers', 'create-trigger', d.createTrigger(t));
      const state = d.triggerState(t);
      if (state) plan.add('create-triggers', 'alter-trigger', state);
    }
  }
}
