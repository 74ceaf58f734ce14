// Sequences (PostgreSQL): created before the tables that use them, owned after, dropped last.
import type { Dialect } from '../dialect.js';
import type { SchemaModel } from '../model.js';
import { mapBy, type Plan, same, tableKey } from './plan.js';
import type { TableDelta } from './tables.js';

/** Sequence changes; owned sequences go with their table or column. */
export function diffSequences(
  d: Dialect,
  from: SchemaModel,
  to: SchemaModel,
  deltas: Map<string, TableDelta>,
  plan: Plan,
): void {
  const fromSeq = mapBy(from.sequences, tableKey);
  const toSeq = mapBy(to.sequences, tableKey);
  for (const s of to.sequences) {
    const f = fromSeq.get(tableKey(s));
    const commentOn = (): void =>
      plan.add(
        'sequences',
        'comment',
        d.comment({ kind: 'sequence', schema: s.schema, name: s.name }, s.comment ?? null),
      );
    if (!f) {
      plan.add('sequences', 'create-sequence', d.createSequence(s));
      if ((s.comment ?? null) !== null) commentOn();
      if (s.ownedBy) plan.add('owned-by', 'alter-sequence', d.sequenceOwnedBy(s));
      continue;
    }
    const alter = d.alterSequence(f, s);
    if (alter) plan.add('sequences', 'alter-sequence', alter);
    if ((f.comment ?? null) !== (s.comment ?? null)) commentOn();
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
