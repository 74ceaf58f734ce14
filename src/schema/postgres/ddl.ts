/** PostgreSQL DDL, one generator per object kind and verb (see ../dialect.ts). */
import type { CommentTarget, DdlChange, Dialect, TableRef } from '../dialect.js';
import type { Column, Domain, Sequence, Table } from '../model.js';
import { stableJson } from '../model.js';
import { isWideningTypeChange } from '../type-change.js';
import { qualified, quoteIdent, quoteLiteral } from './quote.js';

const tableName = (t: TableRef): string => qualified(t.schema, t.name);

function columnDefinition(c: Column): string {
  const parts = [quoteIdent(c.name), c.type];
  if (c.collation !== null) parts.push(`COLLATE ${quoteIdent(c.collation)}`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated.expression}) STORED`);
  if (c.identity) parts.push(`GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
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
  if (c.identity && !f.identity)
    push(`${table} ${col} ADD GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  if (f.comment !== c.comment) out.push(columnComment(t, c));
  return out;
}

const COMMENT_KEYWORD: Record<CommentTarget['kind'], string> = {
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
  const name = qualified(target.schema, target.name);
  const signature = 'signature' in target ? `(${target.signature})` : '';
  return `COMMENT ON ${COMMENT_KEYWORD[target.kind]} ${name}${signature} IS ${comment(text)}`;
}

const notValid = (c: { definition: string }): boolean => / NOT VALID$/.test(c.definition);

function createDomain(dm: Domain): DdlChange[] {
  const name = qualified(dm.schema, dm.name);
  const parts = [`CREATE DOMAIN ${name} AS ${dm.type}`];
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
    const lines = [...t.columns.map(columnDefinition), ...inline].map((l) => `    ${l}`);
    const out: DdlChange[] = [
      { sql: `CREATE TABLE ${tableName(t)} (\n${lines.join(',\n')}\n)`, destructive: false, kind: 'create-table' },
    ];
    for (const c of t.constraints) {
      if (c.kind !== 'foreign-key' && notValid(c)) {
        out.push({
          sql: `ALTER TABLE ${tableName(t)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`,
          destructive: false,
          kind: 'add-constraint',
        });
      }
    }
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
    if (from.comment === to.comment) return [];
    return [
      { sql: `COMMENT ON TABLE ${tableName(to)} IS ${comment(to.comment)}`, destructive: false, kind: 'comment' },
    ];
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
  addConstraint: (t, c) => `ALTER TABLE ${tableName(t)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`,
  dropConstraint: (t, c) => `ALTER TABLE ${tableName(t)} DROP CONSTRAINT ${quoteIdent(c.name)}`,
  createIndex: (_t, i) => i.definition,
  dropIndex: (t, i) => `DROP INDEX ${qualified(t.schema, i.name)}`,
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
