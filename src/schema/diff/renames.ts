// Declared renames: the old table, column, index, constraint, enum type or enum value is renamed
// where it stands, and the rest of the diff sees the live schema as it will be after the rename.
// Constraints and indexes of a renamed table or column that differ from the desired ones only by
// name (names the engine made up from the old name) are renamed too.
import type { Dialect } from '../dialect.js';
import type { Constraint, EnumType, Index, SchemaModel, Table } from '../model.js';
import type { RenameHints } from '../renames.js';
import { type Plan, same } from './plan.js';

/** Replace whole-word occurrences of `from` in printed text (not inside longer names). */
function replaceWord(text: string, from: string, to: string): string {
  if (!text.includes(from)) return text;
  const esc = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![A-Za-z0-9_$"\`])${esc}(?![A-Za-z0-9_$"\`])`, 'g'), to);
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function findTable(m: SchemaModel, schema: string, name: string): Table | undefined {
  return m.tables.find((t) => t.schema === schema && t.name === name);
}

/**
 * What a declared rename `from` → `to` renames: the old object, when the live side has it and not
 * the new name, and the desired side has the new name and not the old one; otherwise nothing.
 */
function renamed<T>(
  find: (side: 'live' | 'desired', name: string) => T | undefined,
  h: { from: string; to: string },
): T | undefined {
  const old = find('live', h.from);
  if (!old || find('live', h.to) || !find('desired', h.to) || find('desired', h.from)) return undefined;
  return old;
}

/** An index definition with its own name taken out, to compare two indexes by what they index. */
function indexShape(d: Dialect, i: Index): string {
  return d.engine === 'postgres'
    ? i.definition.replace(/^(CREATE (?:UNIQUE )?INDEX )\S+/, '$1?')
    : replaceWord(i.definition, `\`${i.name}\``, '?');
}

const constraintShape = (c: Constraint): unknown => ({ ...c, name: '', comment: undefined });

/** Whether `name` is free on `t`: no constraint and no index has it. */
const free = (t: Table, name: string): boolean =>
  !t.constraints.some((c) => c.name === name) && !t.indexes.some((i) => i.name === name);

/**
 * Rename the constraint or index `from` of `t` to `to`, when the desired table's `to` is the same
 * key but for its name; otherwise leave it to be dropped and created. True when it was renamed.
 */
function renameKey(d: Dialect, t: Table, want: Table, from: string, to: string, plan: Plan): boolean {
  if (from === to || !free(t, to) || !free(want, from)) return false;
  const c = t.constraints.find((o) => o.name === from);
  const wc = want.constraints.find((o) => o.name === to);
  if (c && wc && same(constraintShape(wc), constraintShape(c))) {
    const sql = d.renameConstraint(t, c, to);
    if (!sql) return false;
    plan.add('renames', 'rename-constraint', sql);
    c.name = to;
    return true;
  }
  const i = t.indexes.find((o) => o.name === from);
  const wi = want.indexes.find((o) => o.name === to);
  if (!i || !wi || wi.unique !== i.unique || indexShape(d, wi) !== indexShape(d, i)) return false;
  plan.add('renames', 'rename-index', d.renameIndex(t, i, to));
  i.definition = wi.definition;
  i.name = to;
  return true;
}

/** Constraints and indexes that only the name tells apart: rename them to the desired names. */
function renameLeftovers(d: Dialect, t: Table, want: Table, plan: Plan): void {
  for (const c of [...t.constraints]) {
    if (want.constraints.some((w) => w.name === c.name)) continue;
    const match = want.constraints.find((w) => free(t, w.name) && same(constraintShape(w), constraintShape(c)));
    if (match) renameKey(d, t, want, c.name, match.name, plan);
  }
  for (const i of [...t.indexes]) {
    if (want.indexes.some((w) => w.name === i.name)) continue;
    const match = want.indexes.find(
      (w) => free(t, w.name) && w.unique === i.unique && indexShape(d, w) === indexShape(d, i),
    );
    if (match) renameKey(d, t, want, i.name, match.name, plan);
  }
}

/** Rewrite every text of a model's tables, domains and composite types that may name a type or hold its values. */
function rewriteTypeUses(m: SchemaModel, rw: (text: string) => string): void {
  for (const t of m.tables) {
    for (const c of t.columns) {
      c.type = rw(c.type);
      if (c.default !== null) c.default = rw(c.default);
      if (c.generated) c.generated = { ...c.generated, expression: rw(c.generated.expression) };
    }
    for (const c of t.constraints) c.definition = rw(c.definition);
    for (const i of t.indexes) i.definition = rw(i.definition);
    for (const p of t.policies ?? []) {
      if (p.using) p.using = rw(p.using);
      if (p.check) p.check = rw(p.check);
    }
  }
  for (const dm of m.domains) {
    dm.type = rw(dm.type);
    if (dm.default !== null) dm.default = rw(dm.default);
    for (const c of dm.constraints) c.definition = rw(c.definition);
  }
  for (const c of m.composites ?? []) for (const a of c.attributes) a.type = rw(a.type);
}

/** Declared renames of enum types and of their values, in place (columns keep their data). */
function renameEnums(d: Dialect, from: SchemaModel, to: SchemaModel, hints: RenameHints, plan: Plan): void {
  const findEnum = (m: SchemaModel, schema: string, name: string): EnumType | undefined =>
    m.enums.find((e) => e.schema === schema && e.name === name);
  for (const h of hints.types) {
    const old = renamed((side, name) => findEnum(side === 'live' ? from : to, h.schema, name), h);
    if (!old) continue;
    plan.add('types', 'rename-type', d.renameEnum(old, h.to));
    const before = d.enumName(old);
    old.name = h.to;
    const after = d.enumName(old);
    rewriteTypeUses(from, (text) => replaceWord(text, before, after));
  }
  for (const h of hints.enumValues) {
    const e = findEnum(from, h.schema, h.type);
    const want = findEnum(to, h.schema, h.type);
    if (!e || !want || !renamed((side, v) => ((side === 'live' ? e : want).values.includes(v) ? v : undefined), h))
      continue;
    plan.add('types', 'alter-type', d.renameEnumValue(e, h.from, h.to));
    e.values = e.values.map((v) => (v === h.from ? h.to : v));
    const literal = (v: string): string => `'${v.replace(/'/g, "''")}'::${d.enumName(e)}`;
    rewriteTypeUses(from, (text) => text.split(literal(h.from)).join(literal(h.to)));
  }
}

/** Plan the declared renames that apply and return `from` as it will be after them. */
export function applyRenames(
  d: Dialect,
  fromModel: SchemaModel,
  to: SchemaModel,
  hints: RenameHints,
  plan: Plan,
): SchemaModel {
  const from = clone(fromModel);
  renameEnums(d, from, to, hints, plan);
  const touched = new Set<Table>();
  for (const h of hints.tables) {
    const old = renamed((side, name) => findTable(side === 'live' ? from : to, h.schema, name), h);
    if (!old) continue;
    plan.add('renames', 'rename-table', d.renameTable(old, h.to));
    const before = d.tableName(old);
    const after = d.tableName({ schema: h.schema, name: h.to });
    old.name = h.to;
    touched.add(old);
    for (const t of from.tables) {
      for (const c of t.constraints) {
        if (c.references && c.references.schema === h.schema && c.references.table === h.from) {
          c.references.table = h.to;
          c.definition = replaceWord(c.definition, before, after);
        }
      }
      if (t.partitionOf && t.partitionOf.schema === h.schema && t.partitionOf.table === h.from)
        t.partitionOf.table = h.to;
      for (const p of t.inherits ?? []) if (p.schema === h.schema && p.name === h.from) p.name = h.to;
    }
    for (const i of old.indexes) i.definition = replaceWord(i.definition, before, after);
    for (const tr of from.triggers) {
      if (tr.schema === h.schema && tr.table === h.from) {
        tr.table = h.to;
        tr.definition = replaceWord(tr.definition, before, after);
      }
    }
    for (const s of from.sequences)
      if (s.ownedBy && s.schema === h.schema && s.ownedBy.table === h.from) s.ownedBy.table = h.to;
  }
  for (const h of hints.columns) {
    const t = findTable(from, h.schema, h.table);
    const want = findTable(to, h.schema, h.table);
    if (!t || !want) continue;
    const col = renamed((side, name) => (side === 'live' ? t : want).columns.find((c) => c.name === name), h);
    if (!col) continue;
    plan.add('renames', 'rename-column', d.renameColumn(t, h.from, h.to));
    col.name = h.to;
    touched.add(t);
    const q = (n: string): string => (d.engine === 'postgres' ? n : `\`${n}\``);
    const rw = (text: string): string => replaceWord(text, q(h.from), q(h.to));
    for (const c of t.constraints) {
      c.columns = c.columns.map((n) => (n === h.from ? h.to : n));
      c.definition = rw(c.definition);
    }
    for (const i of t.indexes) i.definition = rw(i.definition);
    for (const c of t.columns)
      if (c.generated) c.generated = { ...c.generated, expression: rw(c.generated.expression) };
    for (const p of t.policies ?? []) {
      if (p.using) p.using = rw(p.using);
      if (p.check) p.check = rw(p.check);
    }
    for (const other of from.tables) {
      for (const c of other.constraints) {
        const r = c.references;
        if (!r || r.schema !== h.schema || r.table !== h.table || !r.columns.includes(h.from)) continue;
        r.columns = r.columns.map((n) => (n === h.from ? h.to : n));
        const at = c.definition.indexOf('REFERENCES');
        c.definition = c.definition.slice(0, at) + rw(c.definition.slice(at));
      }
    }
  }
  for (const t of touched) {
    const want = findTable(to, t.schema, t.name);
    if (want) renameLeftovers(d, t, want, plan);
  }
  for (const h of hints.keys) {
    const t = findTable(from, h.schema, h.table);
    const want = findTable(to, h.schema, h.table);
    if (t && want) renameKey(d, t, want, h.from, h.to, plan);
  }
  return from;
}
