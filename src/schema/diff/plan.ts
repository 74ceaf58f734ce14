// The differ's building blocks: the phases statements are collected into (their order is the
// dependency order, see ../diff.ts), object keys, and cheap equality.
import type { DdlChange } from '../dialect.js';
import type { Column, Constraint, Index, Routine, Trigger } from '../model.js';
import { stableJson } from '../model.js';

/** The phases, in the order their statements run. */
export const PHASES = [
  'pre',
  'types',
  'early-routines',
  'drop-triggers',
  'drop-views',
  'drop-routines',
  'renames',
  'detach',
  'drop-fks',
  'early-columns',
  'drop-keys',
  'sequences',
  'drop-tables',
  'create-tables',
  'alter-tables',
  'add-keys',
  'late-columns',
  'attach',
  'owned-by',
  'add-fks',
  'validate',
  'create-routines',
  'create-views',
  'create-triggers',
  'late-drops',
  'drop-types',
  'post',
] as const;
export type Phase = (typeof PHASES)[number];

/** Statements collected per phase; read back in phase order. */
export class Plan {
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

/** Map keys for objects named by schema and name (tables, views, enums, sequences). */
export const tableKey = (t: { schema: string; name: string }): string => `${t.schema}\u0000${t.name}`;
export const routineKey = (r: Routine): string => `${r.schema}\u0000${r.name}\u0000${r.signature}\u0000${r.kind}`;
export const triggerKey = (t: Trigger): string => `${t.schema}\u0000${t.table}\u0000${t.name}`;
// Objects are compared many times over (columns, keys); serialise each one once.
let canonical = new WeakMap<object, string>();

/** Forget cached serialisations: models may have been changed since the last diff. */
export function startComparison(): void {
  canonical = new WeakMap();
}
function canon(v: unknown): string {
  if (v === null || typeof v !== 'object') return stableJson(v);
  let s = canonical.get(v);
  if (s === undefined) {
    s = stableJson(v);
    canonical.set(v, s);
  }
  return s;
}
/** Deep equality of two model parts. */
export const same = (a: unknown, b: unknown): boolean => a === b || canon(a) === canon(b);

/** Constraint equality but for the comment, which changes without rebuilding the constraint. */
export const sameConstraint = (a: Constraint, b: Constraint): boolean =>
  a === b || same({ ...a, comment: undefined }, { ...b, comment: undefined });

/** Column equality without serialising: columns are the most numerous objects by far. */
export function sameColumn(a: Column, b: Column): boolean {
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
    a.generated?.stored === b.generated?.stored &&
    (a.storage ?? null) === (b.storage ?? null) &&
    (a.compression ?? null) === (b.compression ?? null) &&
    (a.statistics ?? null) === (b.statistics ?? null) &&
    same(a.identityOptions ?? null, b.identityOptions ?? null)
  );
}

/** Index equality; a comment alone never rebuilds an index. */
export const sameIndex = (a: Index, b: Index): boolean =>
  a.name === b.name && a.unique === b.unique && a.definition === b.definition;

/** Index a list by a key. */
export function mapBy<T>(items: T[], key: (t: T) => string): Map<string, T> {
  return new Map(items.map((i) => [key(i), i]));
}
