// Enum types: created, extended in place (ADD VALUE), or rebuilt when values go or move.
import type { Dialect } from '../dialect.js';
import type { EnumType, SchemaModel } from '../model.js';
import { mapBy, type Plan, same, tableKey } from './plan.js';

/** True when `to` is `from` with values inserted (ADD VALUE can do it). */
function onlyInserts(from: string[], to: string[]): boolean {
  let i = 0;
  for (const v of to) if (i < from.length && v === from[i]) i++;
  return i === from.length;
}

/** Enum changes; returns the recreated types (by printed name) whose columns must be recast. */
export function diffEnums(d: Dialect, from: SchemaModel, to: SchemaModel, plan: Plan): Map<string, EnumType> {
  const recreated = new Map<string, EnumType>();
  const fromEnums = mapBy(from.enums, tableKey);
  const commentOn = (e: EnumType): void => {
    plan.add('types', 'comment', d.comment({ kind: 'type', schema: e.schema, name: e.name }, e.comment ?? null));
  };
  for (const e of to.enums) {
    const f = fromEnums.get(tableKey(e));
    if (!f) {
      plan.add('types', 'create-type', d.createEnum(e));
      if ((e.comment ?? null) !== null) commentOn(e);
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
        if ((e.comment ?? null) !== null) commentOn(e);
        plan.add(
          'drop-types',
          'drop-type',
          d.dropEnum({ schema: e.schema, name: old }),
          !f.values.every((v) => e.values.includes(v)),
        );
        recreated.set(d.enumName(e), e);
        continue;
      }
    }
    if (f && (f.comment ?? null) !== (e.comment ?? null)) commentOn(e);
  }
  const toEnums = mapBy(to.enums, tableKey);
  for (const f of from.enums) if (!toEnums.has(tableKey(f))) plan.add('drop-types', 'drop-type', d.dropEnum(f), true);
  return recreated;
}
