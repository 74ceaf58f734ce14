/** PostgreSQL DDL, one generator per object kind and verb (see ../dialect.ts). */
import type { CommentTarget, DdlChange, Dialect, TableRef } from '../dialect.js';
import type { Column, CompositeType, Domain, IdentityOptions, Policy, Sequence, Table } from '../model.js';
import { stableJson } from '../model.js';
import { isWideningTypeChange } from '../type-change.js';
import { qualified, quoteIdent, quoteLiteral } from './quote.js';

const tableName = (t: TableRef): string => qualified(t.schema, t.name);

const IDENTITY_CLAUSE: Record<keyof IdentityOptions, (v: string | boolean) => string> = {
  start: (v) => `START WITH ${v}`,
  increment: (v) => `INCREMENT BY ${v}`,
  min: (v) => `MINVALUE ${v}`,
  max: (v) => `MAXVALUE ${v}`,
  cache: (v) => `CACHE ${v}`,
  cycle: (v) => (v ? 'CYCLE' : 'NO CYCLE'),
};
const IDENTITY_KEYS = ['increment', 'min', 'max', 'start', 'cache', 'cycle'] as const;

/** `GENERATED … AS IDENTITY [(options)]`. */
function identityClause(c: Column, add = false): string {
  const o = c.identityOptions ?? {};
  const options = IDENTITY_KEYS.filter((k) => o[k] !== undefined).map((k) => IDENTITY_CLAUSE[k](o[k]!));
  const head = `${add ? 'ADD ' : ''}GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
  return options.length === 0 ? head : `${head} (${options.join(' ')})`;
}

const TYPE_RANGE: Record<string, [string, string]> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};

/** An identity's options with the defaults (for its type and direction) filled in. */
function effectiveIdentity(o: IdentityOptions, type: string): Required<IdentityOptions> {
  const increment = o.increment ?? '1';
  const up = !increment.startsWith('-');
  const range = TYPE_RANGE[type] ?? ['-9223372036854775808', '9223372036854775807'];
  const min = o.min ?? (up ? '1' : range[0]);
  const max = o.max ?? (up ? range[1] : '-1');
  return { increment, min, max, start: o.start ?? (up ? min : max), cache: o.cache ?? '1', cycle: o.cycle ?? false };
}

/** SET clauses that move an identity sequence from one set of options to another. */
function identityChanges(f: Column, c: Column): string[] {
  const a = effectiveIdentity(f.identityOptions ?? {}, c.type);
  const b = effectiveIdentity(c.identityOptions ?? {}, c.type);
  return IDENTITY_KEYS.filter((k) => a[k] !== b[k]).map((k) => `SET ${IDENTITY_CLAUSE[k](b[k])}`);
}

/** The storage a type has unless a column says otherwise (PostgreSQL 15 cannot SET STORAGE DEFAULT). */
function defaultStorage(type: string): string {
  return /^(smallint|integer|bigint|boolean|real|double precision|date|timestamp|time|uuid|"char"|oid)\b/.test(type)
    ? 'plain'
    : 'extended';
}

function columnDefinition(c: Column): string {
  const parts = [quoteIdent(c.name), c.type];
  if (c.compression) parts.push(`COMPRESSION ${c.compression}`);
  if (c.collation !== null) parts.push(`COLLATE ${quoteIdent(c.collation)}`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated.expression}) STORED`);
  if (c.identity) parts.push(identityClause(c));
  if (c.default !== null) parts.push(`DEFAULT ${c.default}`);
  if (!c.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

const comment = (value: string | null): string => (value === null ? 'NULL' : quoteLiteral(value));

function columnComment(t: TableRef, c: Column): DdlChange {
  return {
    sql: `COMMENT ON COLUMN ${tableName(t)}.${quoteIdent(c.name)} IS ${comment(c.comment)}`,
    destructive: false,
    kind: 'comment',
  };
}

function sequenceClauses(s: Sequence): Record<string, string> {
  return {
    type: `AS ${s.type}`,
    start: `START WITH ${s.start}`,
    increment: `INCREMENT BY ${s.increment}`,
    min: `MINVALUE ${s.min}`,
    max: `MAXVALUE ${s.max}`,
    cache: `CACHE ${s.cache}`,
    cycle: s.cycle ? 'CYCLE' : 'NO CYCLE',
  };
}

const CONSTRAINT_ORDER = { 'primary-key': 0, unique: 1, exclusion: 2, check: 3, 'foreign-key': 4 } as const;

function alterColumn(t: TableRef, f: Column, c: Column): DdlChange[] {
  const table = `ALTER TABLE ${tableName(t)}`;
  const col = `ALTER COLUMN ${quoteIdent(c.name)}`;
  const out: DdlChange[] = [];
  const push = (sql: string, kind = 'alter-column', destructive = false): void => {
    out.push({ sql, kind, destructive });
  };
  if (stableJson(f.generated) !== stableJson(c.generated)) {
    if (c.generated !== null) {
      // An expression cannot be changed in place (PostgreSQL 15): the column is recomputed.
      push(`${table} DROP COLUMN ${quoteIdent(f.name)}`, 'drop-column');
      push(`${table} ADD COLUMN ${columnDefinition(c)}`, 'add-column');
      if (c.comment !== null) out.push(columnComment(t, c));
      return out;
    }
    push(`${table} ${col} DROP EXPRESSION`);
  }
  const typeChanged = f.type !== c.type || f.collation !== c.collation;
  if (f.identity && !c.identity) push(`${table} ${col} DROP IDENTITY`);
  if (f.default !== null && (f.default !== c.default || typeChanged)) push(`${table} ${col} DROP DEFAULT`);
  if (typeChanged) {
    const collate = c.collation === null ? '' : ` COLLATE ${quoteIdent(c.collation)}`;
    const narrowing = !isWideningTypeChange('postgres', f.type, c.type);
    push(
      `${table} ${col} TYPE ${c.type}${collate} USING ${quoteIdent(c.name)}::${c.type}`,
      'alter-column-type',
      narrowing,
    );
  }
  if (c.default !== null && (f.default !== c.default || typeChanged)) push(`${table} ${col} SET DEFAULT ${c.default}`);
  if (f.nullable !== c.nullable) push(`${table} ${col} ${c.nullable ? 'DROP' : 'SET'} NOT NULL`);
  if (c.identity && f.identity && c.identity !== f.identity) {
    push(`${table} ${col} SET GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`);
  }
  if (c.identity && !f.identity) push(`${table} ${col} ${identityClause(c, true)}`);
  if (c.identity && f.identity) {
    const changes = identityChanges(f, c);
    if (changes.length > 0) push(`${table} ${col} ${changes.join(' ')}`);
  }
  if ((f.storage ?? null) !== (c.storage ?? null))
    push(`${table} ${col} SET STORAGE ${(c.storage ?? defaultStorage(c.type)).toUpperCase()}`);
  if ((f.compression ?? null) !== (c.compression ?? null))
    push(`${table} ${col} SET COMPRESSION ${c.compression ?? 'default'}`);
  if ((f.statistics ?? null) !== (c.statistics ?? null)) push(`${table} ${col} SET STATISTICS ${c.statistics ?? -1}`);
  if (f.comment !== c.comment) out.push(columnComment(t, c));
  return out;
}

const COMMENT_KEYWORD: Record<Exclude<CommentTarget['kind'], 'constraint'>, string> = {
  view: 'VIEW',
  'materialized-view': 'MATERIALIZED VIEW',
  sequence: 'SEQUENCE',
  index: 'INDEX',
  type: 'TYPE',
  domain: 'DOMAIN',
  function: 'FUNCTION',
  procedure: 'PROCEDURE',
};

function commentOn(target: CommentTarget, text: string | null): string {
  if (target.kind === 'constraint') {
    return `COMMENT ON CONSTRAINT ${quoteIdent(target.name)} ON ${qualified(target.schema, target.table)} IS ${comment(text)}`;
  }
  const name = qualified(target.schema, target.name);
  const signature = 'signature' in target ? `(${target.signature})` : '';
  return `COMMENT ON ${COMMENT_KEYWORD[target.kind]} ${name}${signature} IS ${comment(text)}`;
}

const notValid = (c: { definition: string }): boolean => / NOT VALID$/.test(c.definition);

function createDomain(dm: Domain): DdlChange[] {
  const name = qualified(dm.schema, dm.name);
  const parts = [`CREATE DOMAIN ${name} AS ${dm.type}`];
  if (dm.collation) parts.push(`COLLATE ${quoteIdent(dm.collation)}`);
  if (dm.default !== null) parts.push(`DEFAULT ${dm.default}`);
  if (dm.notNull) parts.push('NOT NULL');
  for (const c of dm.constraints) if (!notValid(c)) parts.push(`CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
  const out: DdlChange[] = [{ sql: parts.join(' '), destructive: false, kind: 'create-domain' }];
  for (const c of dm.constraints) {
    if (notValid(c))
      out.push({
        sql: `ALTER DOMAIN ${name} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`,
        destructive: false,
        kind: 'alter-domain',
      });
  }
  return out;
}

function alterDomain(f: Domain, t: Domain): DdlChange[] {
  const head = `ALTER DOMAIN ${qualified(t.schema, t.name)}`;
  const out: DdlChange[] = [];
  const push = (sql: string): void => {
    out.push({ sql: `${head} ${sql}`, destructive: false, kind: 'alter-domain' });
  };
  if (f.default !== t.default) push(t.default === null ? 'DROP DEFAULT' : `SET DEFAULT ${t.default}`);
  if (f.notNull !== t.notNull) push(`${t.notNull ? 'SET' : 'DROP'} NOT NULL`);
  const toCons = new Map(t.constraints.map((c) => [c.name, c]));
  const fromCons = new Map(f.constraints.map((c) => [c.name, c]));
  for (const c of f.constraints)
    if (toCons.get(c.name)?.definition !== c.definition) push(`DROP CONSTRAINT ${quoteIdent(c.name)}`);
  for (const c of t.constraints)
    if (fromCons.get(c.name)?.definition !== c.definition) push(`ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
  return out;
}

/** Does a definition printed with an empty search_path name `schema.name`? */
function mentions(definition: string, schema: string, name: string): boolean {
  const target = qualified(schema, name);
  let at = definition.indexOf(target);
  while (at >= 0) {
    const before = at === 0 ? '' : definition[at - 1]!;
    const after = definition[at + target.length] ?? '';
    if (!/[A-Za-z0-9_$."]/.test(before) && !/[A-Za-z0-9_$"]/.test(after)) return true;
    at = definition.indexOf(target, at + 1);
  }
  return false;
}

/** `REPLICA IDENTITY …` for a model value (`full`, `nothing`, `index <name>`, `default`). */
function replicaIdentity(value: string): string {
  return `REPLICA IDENTITY ${value.startsWith('index ') ? `USING INDEX ${value.slice(6)}` : value.toUpperCase()}`;
}

function createPolicy(t: TableRef, p: Policy): string {
  const parts = [`CREATE POLICY ${quoteIdent(p.name)} ON ${tableName(t)}`];
  if (!p.permissive) parts.push('AS RESTRICTIVE');
  if (p.command !== 'ALL') parts.push(`FOR ${p.command}`);
  if (!(p.roles.length === 1 && p.roles[0] === 'public')) parts.push(`TO ${p.roles.join(', ')}`);
  if (p.using !== null) parts.push(`USING (${p.using})`);
  if (p.check !== null) parts.push(`WITH CHECK (${p.check})`);
  return parts.join(' ');
}

function attributeDefinition(a: CompositeType['attributes'][number]): string {
  return `${quoteIdent(a.name)} ${a.type}${a.collation !== null ? ` COLLATE ${quoteIdent(a.collation)}` : ''}`;
}

function alterComposite(from: CompositeType, to: CompositeType): string | null {
  const before = new Map(from.attributes.map((a) => [a.name, a]));
  const after = new Map(to.attributes.map((a) => [a.name, a]));
  const actions: string[] = [];
  for (const a of from.attributes) if (!after.has(a.name)) actions.push(`DROP ATTRIBUTE ${quoteIdent(a.name)}`);
  for (const a of to.attributes) {
    const f = before.get(a.name);
    if (!f) actions.push(`ADD ATTRIBUTE ${attributeDefinition(a)}`);
    else if (f.type !== a.type || f.collation !== a.collation)
      actions.push(
        `ALTER ATTRIBUTE ${quoteIdent(a.name)} TYPE ${a.type}${a.collation !== null ? ` COLLATE ${quoteIdent(a.collation)}` : ''}`,
      );
  }
  return actions.length === 0 ? null : `ALTER TYPE ${qualified(to.schema, to.name)} ${actions.join(', ')}`;
}

export const postgresDialect: Dialect = {
  engine: 'postgres',
  indexesInline: false,
  tableName,
  createSchema: (name) => `CREATE SCHEMA ${quoteIdent(name)}`,
  dropSchema: (name) => `DROP SCHEMA ${quoteIdent(name)}`,
  createExtension: (e) => `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}`,
  alterExtensionSchema: (e) => `ALTER EXTENSION ${quoteIdent(e.name)} SET SCHEMA ${quoteIdent(e.schema)}`,
  dropExtension: (e) => `DROP EXTENSION ${quoteIdent(e.name)}`,
  enumName: (e) => qualified(e.schema, e.name),
  createEnum: (e) => `CREATE TYPE ${qualified(e.schema, e.name)} AS ENUM (${e.values.map(quoteLiteral).join(', ')})`,
  addEnumValue: (e, value, position) =>
    `ALTER TYPE ${qualified(e.schema, e.name)} ADD VALUE ${quoteLiteral(value)} ${
      'before' in position ? `BEFORE ${quoteLiteral(position.before)}` : `AFTER ${quoteLiteral(position.after)}`
    }`,
  renameEnum: (e, newName) => `ALTER TYPE ${qualified(e.schema, e.name)} RENAME TO ${quoteIdent(newName)}`,
  renameEnumValue: (e, from, to) =>
    `ALTER TYPE ${qualified(e.schema, e.name)} RENAME VALUE ${quoteLiteral(from)} TO ${quoteLiteral(to)}`,
  dropEnum: (e) => `DROP TYPE ${qualified(e.schema, e.name)}`,
  domainName: (dm) => qualified(dm.schema, dm.name),
  createDomain,
  alterDomain,
  dropDomain: (dm) => `DROP DOMAIN ${qualified(dm.schema, dm.name)}`,
  createSequence: (s) =>
    `CREATE SEQUENCE ${qualified(s.schema, s.name)} ${Object.values(sequenceClauses(s)).join(' ')}`,
  alterSequence(from, to) {
    const a = sequenceClauses(from);
    const b = sequenceClauses(to);
    // START WITH only sets what RESTART goes back to; it never moves the current value.
    const changed = Object.keys(b)
      .filter((k) => a[k] !== b[k])
      .map((k) => b[k]!);
    return changed.length === 0 ? null : `ALTER SEQUENCE ${qualified(to.schema, to.name)} ${changed.join(' ')}`;
  },
  sequenceOwnedBy: (s) =>
    `ALTER SEQUENCE ${qualified(s.schema, s.name)} OWNED BY ${
      s.ownedBy ? `${qualified(s.schema, s.ownedBy.table)}.${quoteIdent(s.ownedBy.column)}` : 'NONE'
    }`,
  dropSequence: (s) => `DROP SEQUENCE ${qualified(s.schema, s.name)}`,
  createTable(t: Table) {
    // NOT VALID only means something on ALTER TABLE; inline it would be validated silently.
    const inline = t.constraints
      .filter((c) => c.kind !== 'foreign-key' && !notValid(c))
      .sort((a, b) => CONSTRAINT_ORDER[a.kind] - CONSTRAINT_ORDER[b.kind] || (a.name < b.name ? -1 : 1))
      .map((c) => `CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
    const of = t.partitionOf ?? null;
    const lines = [...(of ? [] : t.columns.map(columnDefinition)), ...inline].map((l) => `    ${l}`);
    const body = lines.length === 0 ? (of ? '' : ' ()') : ` (\n${lines.join(',\n')}\n)`;
    const head = of
      ? `CREATE TABLE ${tableName(t)} PARTITION OF ${qualified(of.schema, of.table)}${body} ${of.bound}`
      : `CREATE ${t.unlogged ? 'UNLOGGED ' : ''}TABLE ${tableName(t)}${body}`;
    const tail = [
      (t.inherits ?? []).length > 0
        ? ` INHERITS (${t.inherits!.map((p) => qualified(p.schema, p.name)).join(', ')})`
        : '',
      t.partitionBy ? ` PARTITION BY ${t.partitionBy}` : '',
      (t.storage ?? []).length > 0 ? ` WITH (${t.storage!.join(', ')})` : '',
    ].join('');
    const out: DdlChange[] = [{ sql: `${head}${tail}`, destructive: false, kind: 'create-table' }];
    const after: string[] = [];
    for (const c of t.constraints)
      if (c.kind !== 'foreign-key' && notValid(c)) after.push(`ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
    for (const c of t.columns) {
      const col = `ALTER COLUMN ${quoteIdent(c.name)}`;
      if (c.storage) after.push(`${col} SET STORAGE ${c.storage.toUpperCase()}`);
      if (c.statistics !== null && c.statistics !== undefined) after.push(`${col} SET STATISTICS ${c.statistics}`);
    }
    // An identity over an index is set once the index exists (see the differ).
    if (t.replicaIdentity && !t.replicaIdentity.startsWith('index ')) after.push(replicaIdentity(t.replicaIdentity));
    if (t.rowSecurity) after.push('ENABLE ROW LEVEL SECURITY');
    if (t.forceRowSecurity) after.push('FORCE ROW LEVEL SECURITY');
    if (after.length > 0)
      out.push({ sql: `ALTER TABLE ${tableName(t)} ${after.join(', ')}`, destructive: false, kind: 'alter-table' });
    if (t.comment !== null)
      out.push({
        sql: `COMMENT ON TABLE ${tableName(t)} IS ${comment(t.comment)}`,
        destructive: false,
        kind: 'comment',
      });
    for (const c of t.columns) if (c.comment !== null) out.push(columnComment(t, c));
    return out;
  },
  dropTable: (t) => `DROP TABLE ${tableName(t)}`,
  tableOptions(from, to) {
    const out: DdlChange[] = [];
    const actions: string[] = [];
    if ((from.rowSecurity ?? false) !== (to.rowSecurity ?? false))
      actions.push(`${to.rowSecurity ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`);
    if ((from.forceRowSecurity ?? false) !== (to.forceRowSecurity ?? false))
      actions.push(`${to.forceRowSecurity ? '' : 'NO '}FORCE ROW LEVEL SECURITY`);
    if ((from.unlogged ?? false) !== (to.unlogged ?? false)) actions.push(to.unlogged ? 'SET UNLOGGED' : 'SET LOGGED');
    if ((from.replicaIdentity ?? null) !== (to.replicaIdentity ?? null))
      actions.push(replicaIdentity(to.replicaIdentity ?? 'default'));
    const key = (o: string): string => o.slice(0, o.indexOf('='));
    const set = (to.storage ?? []).filter((o) => !(from.storage ?? []).includes(o));
    const reset = (from.storage ?? []).map(key).filter((k) => !(to.storage ?? []).some((o) => key(o) === k));
    if (set.length > 0) actions.push(`SET (${set.join(', ')})`);
    if (reset.length > 0) actions.push(`RESET (${reset.join(', ')})`);
    if (actions.length > 0)
      out.push({ sql: `ALTER TABLE ${tableName(to)} ${actions.join(', ')}`, destructive: false, kind: 'alter-table' });
    if (from.comment !== to.comment)
      out.push({
        sql: `COMMENT ON TABLE ${tableName(to)} IS ${comment(to.comment)}`,
        destructive: false,
        kind: 'comment',
      });
    return out;
  },
  columnsRestatedByTableChange: () => [],
  addColumn(t, c) {
    const out: DdlChange[] = [
      { sql: `ALTER TABLE ${tableName(t)} ADD COLUMN ${columnDefinition(c)}`, destructive: false, kind: 'add-column' },
    ];
    if (c.comment !== null) out.push(columnComment(t, c));
    return out;
  },
  dropColumn: (t, c) => `ALTER TABLE ${tableName(t)} DROP COLUMN ${quoteIdent(c.name)}`,
  alterColumn,
  recastColumn: (t, c, type) =>
    `ALTER TABLE ${tableName(t)} ALTER COLUMN ${quoteIdent(c.name)} TYPE ${type} USING ${quoteIdent(c.name)}::text::${type}`,
  addConstraint: (t, c, later) =>
    `ALTER TABLE ${tableName(t)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}${later && !notValid(c) ? ' NOT VALID' : ''}`,
  validateConstraint: (t, c) => `ALTER TABLE ${tableName(t)} VALIDATE CONSTRAINT ${quoteIdent(c.name)}`,
  dropConstraint: (t, c) => `ALTER TABLE ${tableName(t)} DROP CONSTRAINT ${quoteIdent(c.name)}`,
  createIndex: (_t, i, online) =>
    online ? i.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ') : i.definition,
  dropIndex: (t, i, online) => `DROP INDEX ${online ? 'CONCURRENTLY ' : ''}${qualified(t.schema, i.name)}`,
  renameTable: (t, name) => `ALTER TABLE ${tableName(t)} RENAME TO ${quoteIdent(name)}`,
  renameColumn: (t, from, to) => `ALTER TABLE ${tableName(t)} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`,
  renameConstraint: (t, c, name) =>
    `ALTER TABLE ${tableName(t)} RENAME CONSTRAINT ${quoteIdent(c.name)} TO ${quoteIdent(name)}`,
  renameIndex: (t, i, name) => `ALTER INDEX ${qualified(t.schema, i.name)} RENAME TO ${quoteIdent(name)}`,
  attachPartition: (c) =>
    `ALTER TABLE ${qualified(c.partitionOf!.schema, c.partitionOf!.table)} ATTACH PARTITION ${tableName(c)} ${c.partitionOf!.bound}`,
  detachPartition: (c) =>
    `ALTER TABLE ${qualified(c.partitionOf!.schema, c.partitionOf!.table)} DETACH PARTITION ${tableName(c)}`,
  inherit: (c, p) => `ALTER TABLE ${tableName(c)} INHERIT ${tableName(p)}`,
  noInherit: (c, p) => `ALTER TABLE ${tableName(c)} NO INHERIT ${tableName(p)}`,
  createPolicy: (t, p) => createPolicy(t, p),
  dropPolicy: (t, p) => `DROP POLICY ${quoteIdent(p.name)} ON ${tableName(t)}`,
  createComposite: (c) =>
    `CREATE TYPE ${qualified(c.schema, c.name)} AS (${c.attributes.map(attributeDefinition).join(', ')})`,
  alterComposite,
  dropComposite: (c) => `DROP TYPE ${qualified(c.schema, c.name)}`,
  triggerState: (t, restate = false) => {
    const state = t.enabled ?? 'origin';
    if (state === 'origin' && !restate) return null;
    const verb = { origin: 'ENABLE', disabled: 'DISABLE', replica: 'ENABLE REPLICA', always: 'ENABLE ALWAYS' }[state];
    return `ALTER TABLE ${qualified(t.schema, t.table)} ${verb} TRIGGER ${quoteIdent(t.name)}`;
  },
  createView: (v) =>
    `CREATE VIEW ${qualified(v.schema, v.name)}${v.options.length ? ` WITH (${v.options.join(', ')})` : ''} AS\n${v.definition}`,
  dropView: (v) => `DROP VIEW ${qualified(v.schema, v.name)}`,
  createMatview: (m) => `CREATE MATERIALIZED VIEW ${qualified(m.schema, m.name)} AS\n${m.definition}`,
  dropMatview: (m) => `DROP MATERIALIZED VIEW ${qualified(m.schema, m.name)}`,
  comment: commentOn,
  canReplaceRoutine: (from, to) => from.kind === to.kind && from.returns === to.returns,
  createRoutine: (r) => r.definition,
  dropRoutine: (r) =>
    `DROP ${r.kind === 'function' ? 'FUNCTION' : 'PROCEDURE'} ${qualified(r.schema, r.name)}(${r.signature})`,
  createTrigger: (t) => t.definition,
  dropTrigger: (t) => `DROP TRIGGER ${quoteIdent(t.name)} ON ${qualified(t.schema, t.table)}`,
  mentions,
};
