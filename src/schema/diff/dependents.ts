// Objects that depend on tables by their text: views (rebuilt around changes of what they read),
// routines and triggers (rebuilt when the routine they call is recreated).
import type { Dialect } from '../dialect.js';
import type { Routine, SchemaModel, View } from '../model.js';
import { mapBy, type Plan, routineKey, same, tableKey, triggerKey } from './plan.js';
import type { TableDelta } from './tables.js';

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

/** View, routine and trigger changes, with the rebuilds that table and routine changes force. */
export function diffViewsRoutinesTriggers(d: Dialect, from: SchemaModel, to: SchemaModel, deltas: Map<string, TableDelta>, plan: Plan): void {
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

