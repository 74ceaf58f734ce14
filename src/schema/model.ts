/**
 * The canonical schema model: plain, JSON-serialisable data, the same shape for both engines
 * (fields an engine does not have stay empty or null). Lists are sorted by name so that two
 * introspections of the same database are deep-equal; columns keep the engine's order, which
 * the dump shows but equality ignores (a pure column reorder is not a schema change).
 *
 * Definitions the engine itself prints canonically (PostgreSQL index, constraint, view, function
 * and trigger definitions) are kept as text; the differ compares and replays them as they are.
 */
import type { Engine } from '../domain/engine.js';

export interface Column {
  name: string;
  /** The engine's own spelling: format_type() on PostgreSQL, COLUMN_TYPE on MySQL. */
  type: string;
  nullable: boolean;
  /** Default expression as the engine prints it; null when none (or DEFAULT NULL). */
  default: string | null;
  /** PostgreSQL identity column. */
  identity: 'always' | 'by-default' | null;
  /** MySQL AUTO_INCREMENT. */
  autoIncrement: boolean;
  generated: { expression: string; stored: boolean } | null;
  /** Only when it differs from the type's (PostgreSQL) or the table's (MySQL) default. */
  collation: string | null;
  comment: string | null;
  /** MySQL ON UPDATE expression. */
  onUpdate: string | null;
  /** PostgreSQL identity sequence options that differ from the defaults for the column's type. */
  identityOptions?: IdentityOptions | null;
  /** PostgreSQL STORAGE, when it differs from the type's (`plain`, `external`, `extended`, `main`). */
  storage?: string | null;
  /** PostgreSQL COMPRESSION (`pglz`, `lz4`), when set on the column. */
  compression?: string | null;
  /** PostgreSQL SET STATISTICS target, when set. */
  statistics?: number | null;
}

/** Sequence options of an identity column; absent keys are the defaults for the column's type. */
export interface IdentityOptions {
  start?: string;
  increment?: string;
  min?: string;
  max?: string;
  cache?: string;
  cycle?: boolean;
}

/** A PostgreSQL row-level security policy. */
export interface Policy {
  name: string;
  permissive: boolean;
  /** `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`. */
  command: string;
  /** Role names as the catalog prints them (`public` for PUBLIC), sorted. */
  roles: string[];
  using: string | null;
  check: string | null;
}

/** What a PostgreSQL partition holds because of its parent; what DETACH PARTITION leaves behind. */
export interface InheritedParts {
  constraints: Constraint[];
  indexes: Index[];
}

export const CONSTRAINT_KINDS = ['primary-key', 'unique', 'check', 'foreign-key', 'exclusion'] as const;
export type ConstraintKind = (typeof CONSTRAINT_KINDS)[number];

export interface Constraint {
  name: string;
  kind: ConstraintKind;
  /** The body after `CONSTRAINT name`, e.g. `PRIMARY KEY (id)` or `CHECK ((a > 0))`. */
  definition: string;
  columns: string[];
  references: { schema: string; table: string; columns: string[] } | null;
  /** PostgreSQL COMMENT ON CONSTRAINT; absent when none. */
  comment?: string;
}

export interface Index {
  name: string;
  unique: boolean;
  /** PostgreSQL: the full CREATE INDEX statement; MySQL: the key clause (`UNIQUE KEY \`n\` (\`a\`)`). */
  definition: string;
  /** PostgreSQL COMMENT ON INDEX; absent means none (models stored before comments were kept). */
  comment?: string | null;
}

/** MySQL table options. */
export interface TableOptions {
  engine: string;
  charset: string;
  collation: string;
  /**
   * Options the table was given explicitly, as the server lists them (CREATE_OPTIONS), e.g.
   * `row_format=DYNAMIC`, `key_block_size=8`; absent when none.
   */
  createOptions?: string[];
}

export interface Table {
  /** PostgreSQL schema; '' on MySQL (the connection's database). */
  schema: string;
  name: string;
  columns: Column[];
  constraints: Constraint[];
  indexes: Index[];
  comment: string | null;
  options: TableOptions | null;
  /** PostgreSQL partitioned table: the key as pg_get_partkeydef() prints it, e.g. `RANGE (at)`. */
  partitionBy?: string | null;
  /** PostgreSQL partition: its parent and bound (`FOR VALUES …` or `DEFAULT`). Its columns come from the parent. */
  partitionOf?: { schema: string; table: string; bound: string } | null;
  /** PostgreSQL INHERITS parents, in order. Inherited columns and checks are the parents'. */
  inherits?: { schema: string; name: string }[];
  /** PostgreSQL ENABLE / FORCE ROW LEVEL SECURITY. */
  rowSecurity?: boolean;
  forceRowSecurity?: boolean;
  policies?: Policy[];
  /** PostgreSQL storage parameters (reloptions), e.g. `fillfactor=70`, sorted. */
  storage?: string[];
  /** PostgreSQL UNLOGGED table. */
  unlogged?: boolean;
  /** PostgreSQL REPLICA IDENTITY other than the default: `full`, `nothing` or `index <name>`. */
  replicaIdentity?: string | null;
  /**
   * Not part of the schema (equality and dumps ignore it): a partition's constraints and indexes
   * cloned from its parent, which a DETACH leaves on the table under these names.
   */
  inheritedParts?: InheritedParts;
  /**
   * Not part of the schema either: MariaDB CHECK constraints written on a column (named after the
   * column), which DROP CONSTRAINT cannot drop, only restating the column without them.
   */
  columnChecks?: string[];
}

export interface View {
  schema: string;
  name: string;
  /** The SELECT as the engine prints it, without a trailing semicolon. */
  definition: string;
  /** PostgreSQL reloptions (`check_option=local`); MySQL `algorithm=…`, `security=…`, `check=…`. */
  options: string[];
  /** PostgreSQL COMMENT ON VIEW; absent means none. */
  comment?: string | null;
}

/** A PostgreSQL materialized view, with the indexes built on it. */
export interface MaterializedView {
  schema: string;
  name: string;
  /** The SELECT as the engine prints it, without a trailing semicolon. */
  definition: string;
  indexes: Index[];
  comment: string | null;
}

/** A named CHECK constraint of a PostgreSQL domain. */
export interface DomainConstraint {
  name: string;
  /** As pg_get_constraintdef() prints it, e.g. `CHECK ((VALUE > 0))`. */
  definition: string;
}

/** A PostgreSQL domain (CREATE DOMAIN). Columns of a domain type name the domain in their type. */
export interface Domain {
  schema: string;
  name: string;
  /** The base type, as format_type() prints it. */
  type: string;
  /** COLLATE, when it differs from the base type's; absent when it does not. */
  collation?: string;
  default: string | null;
  notNull: boolean;
  constraints: DomainConstraint[];
  comment: string | null;
}

export interface Routine {
  schema: string;
  name: string;
  kind: 'function' | 'procedure';
  /** Identity arguments: the part of the signature that names the routine. */
  signature: string;
  returns: string | null;
  /** The full CREATE statement. */
  definition: string;
  /** PostgreSQL COMMENT ON FUNCTION/PROCEDURE; absent means none. */
  comment?: string | null;
}

export interface Trigger {
  schema: string;
  table: string;
  name: string;
  /** The full CREATE TRIGGER statement. */
  definition: string;
  /** PostgreSQL ALTER TABLE … ENABLE/DISABLE TRIGGER state; absent means enabled. */
  enabled?: 'origin' | 'disabled' | 'replica' | 'always';
}

/** An attribute of a PostgreSQL composite type. */
export interface CompositeAttribute {
  name: string;
  type: string;
  collation: string | null;
}

/** A PostgreSQL composite type (CREATE TYPE … AS (…)). */
export interface CompositeType {
  schema: string;
  name: string;
  attributes: CompositeAttribute[];
  comment: string | null;
}

export interface Sequence {
  schema: string;
  name: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  ownedBy: { table: string; column: string } | null;
  /** COMMENT ON SEQUENCE; absent means none. */
  comment?: string | null;
}

export interface EnumType {
  schema: string;
  name: string;
  values: string[];
  /** COMMENT ON TYPE; absent means none. */
  comment?: string | null;
}

export interface Extension {
  name: string;
  schema: string;
}

/** A database's schema, as stored in snapshots. */
export interface SchemaModel {
  engine: Engine;
  /** PostgreSQL schemas other than `public`. */
  schemas: string[];
  extensions: Extension[];
  enums: EnumType[];
  /** PostgreSQL composite types. */
  composites?: CompositeType[];
  /** PostgreSQL domains. */
  domains: Domain[];
  sequences: Sequence[];
  tables: Table[];
  views: View[];
  /** PostgreSQL materialized views. */
  matviews: MaterializedView[];
  routines: Routine[];
  triggers: Trigger[];
}

/** A model with nothing in it: what an empty database introspects to. */
export function emptyModel(engine: Engine): SchemaModel {
  return {
    engine,
    schemas: [],
    extensions: [],
    enums: [],
    composites: [],
    domains: [],
    sequences: [],
    tables: [],
    views: [],
    matviews: [],
    routines: [],
    triggers: [],
  };
}

/** Tables the bot (or its job queue) owns in a target database; never part of a model. */
export function isIgnoredTable(name: string): boolean {
  return name.startsWith('dbchange_') || name === 'agenda_jobs';
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    byText(key(a), key(b));

const indexList = (indexes: Index[]): Index[] => indexes.map(withComment).sort(byKey((i) => i.name));

/** Fields models stored before they existed may lack; normalizing fills them in. */
type StoredModel = Omit<SchemaModel, 'domains' | 'matviews'> & Partial<Pick<SchemaModel, 'domains' | 'matviews'>>;
const columnDefaults = (c: Column): Column => ({
  ...c,
  identityOptions: c.identityOptions ?? null,
  storage: c.storage ?? null,
  compression: c.compression ?? null,
  statistics: c.statistics ?? null,
});
const tableDefaults = (t: Table): Table => ({
  ...t,
  columns: t.columns.map(columnDefaults),
  constraints: [...t.constraints].sort(byKey((c) => c.name)),
  indexes: indexList(t.indexes),
  partitionBy: t.partitionBy ?? null,
  partitionOf: t.partitionOf ?? null,
  inherits: t.inherits ?? [],
  rowSecurity: t.rowSecurity ?? false,
  forceRowSecurity: t.forceRowSecurity ?? false,
  policies: [...(t.policies ?? [])].sort(byKey((p) => p.name)),
  storage: [...(t.storage ?? [])].sort(byText),
  unlogged: t.unlogged ?? false,
  replicaIdentity: t.replicaIdentity ?? null,
});
const withComment = <T extends { comment?: string | null }>(o: T): T & { comment: string | null } => ({
  ...o,
  comment: o.comment ?? null,
});

/** Sort every list the way a model is stored, so equal schemas give deep-equal models. */
export function normalizeModel(m: StoredModel): SchemaModel {
  return {
    engine: m.engine,
    schemas: [...m.schemas].sort(byText),
    extensions: [...m.extensions].sort(byKey((e) => e.name)),
    enums: m.enums.map(withComment).sort(byKey((e) => `${e.schema}.${e.name}`)),
    domains: (m.domains ?? [])
      .map((d) => ({ ...d, constraints: [...d.constraints].sort(byKey((c) => c.name)) }))
      .sort(byKey((d) => `${d.schema}.${d.name}`)),
    sequences: m.sequences.map(withComment).sort(byKey((s) => `${s.schema}.${s.name}`)),
    composites: (m.composites ?? []).map(withComment).sort(byKey((c) => `${c.schema}.${c.name}`)),
    tables: m.tables.map(tableDefaults).sort(byKey((t) => `${t.schema}.${t.name}`)),
    views: m.views.map(withComment).sort(byKey((v) => `${v.schema}.${v.name}`)),
    matviews: (m.matviews ?? [])
      .map((v) => ({ ...v, indexes: indexList(v.indexes) }))
      .sort(byKey((v) => `${v.schema}.${v.name}`)),
    routines: m.routines.map(withComment).sort(byKey((r) => `${r.schema}.${r.name}(${r.signature})`)),
    triggers: m.triggers
      .map((t) => ({ ...t, enabled: t.enabled ?? 'origin' }))
      .sort(byKey((t) => `${t.schema}.${t.table}.${t.name}`)),
  };
}

/** Deterministic JSON (object keys sorted) for comparing parts of a model. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(o).sort()) if (o[k] !== undefined) parts.push(`${JSON.stringify(k)}:${stableJson(o[k])}`);
  return `{${parts.join(',')}}`;
}

/** True when the two models describe the same schema (column order ignored). */
export function schemaEquals(a: SchemaModel, b: SchemaModel): boolean {
  const canon = (m: StoredModel): string => {
    const n = normalizeModel(m);
    return stableJson({
      ...n,
      tables: n.tables.map((t) => ({
        ...t,
        columns: [...t.columns].sort(byKey((c) => c.name)),
        inheritedParts: undefined,
        columnChecks: undefined,
      })),
    });
  };
  return canon(a) === canon(b);
}
