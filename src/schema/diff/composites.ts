// Composite types (PostgreSQL): created after the enums and domains their attributes use and
// before the tables that use them, altered in place, dropped after the columns that used them.
import type { Dialect } from '../dialect.js';
import type { CompositeType, SchemaModel } from '../model.js';
import { mapBy, type Plan, tableKey } from './plan.js';

/** Composite types whose attributes are other composite types come after them. */
function compositeOrder(d: Dialect, types: CompositeType[]): CompositeType[] {
  const out: CompositeType[] = [];
  const seen = new Set<string>();
  const visit = (c: CompositeType): void => {
    if (seen.has(tableKey(c))) return;
    seen.add(tableKey(c));
    for (const o of types)
      if (o !== c && c.attributes.some((a) => a.type.replace(/\[\]$/, '') === d.enumName(o))) visit(o);
    out.push(c);
  };
  types.forEach(visit);
  return out;
}

/** Composite type changes. */
export function diffComposites(d: Dialect, from: SchemaModel, to: SchemaModel, plan: Plan): void {
  const before = mapBy(from.composites ?? [], tableKey);
  const after = mapBy(to.composites ?? [], tableKey);
  const commentOn = (c: CompositeType): void =>
    plan.add('types', 'comment', d.comment({ kind: 'type', schema: c.schema, name: c.name }, c.comment));
  for (const c of compositeOrder(d, to.composites ?? [])) {
    const f = before.get(tableKey(c));
    if (!f) {
      plan.add('types', 'create-type', d.createComposite(c));
      if (c.comment !== null) commentOn(c);
      continue;
    }
    const alter = d.alterComposite(f, c);
    if (alter)
      plan.add(
        'types',
        'alter-type',
        alter,
        f.attributes.some((a) => !c.attributes.some((b) => b.name === a.name)),
      );
    if (f.comment !== c.comment) commentOn(c);
  }
  for (const f of compositeOrder(d, from.composites ?? []).reverse())
    if (!after.has(tableKey(f))) plan.add('drop-types', 'drop-type', d.dropComposite(f), true);
}
