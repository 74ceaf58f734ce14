/** PostgreSQL introspection: the catalog queries of ./queries.ts folded into a SchemaModel. */
import type { QueryFn } from '../../targets/types.js';
import type {
  Column,
  Constraint,
  ConstraintKind,
  IdentityOptions,
  Index,
  MaterializedView,
  SchemaModel,
  Table,
} from '../model.js';
import { normalizeModel } from '../model.js';
import * as q from './queries.js';

type Row = Record<string, unknown>;
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** node-pg parses text[] into arrays; anything else (a literal '{…}') is parsed here. */
function strArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v.startsWith('{')) {
    const inner = v.slice(1, -1);
    return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
  }
  return [];
}

/** A printed view body, without surrounding space or the trailing semicolon. */
const viewDefinition = (v: unknown): string => str(v).trim().replace(/;$/, '');

const CONSTRAINT_KIND: Record<string, ConstraintKind> = {
  p: 'primary-key',
  u: 'unique',
  c: 'check',
  f: 'foreign-key',
  x: 'exclusion',
};

function column(r: Row): Column {
  const generated = r.generated === 's';
  const identity = r.identity === 'a' ? 'always' : r.identity === 'd' ? 'by-default' : null;
  return {
    name: str(r.name),
    type: str(r.type),
    nullable: r.not_null !== true,
    default: generated ? null : strOrNull(r.default),
    identity,
    autoIncrement: false,
    generated: generated ? { expression: str(r.default), stored: true } : null,
    collation: strOrNull(r.collation),
    comment: strOrNull(r.comment),
    onUpdate: null,
    identityOptions: null,
    storage: r.storage === null ? null : (STORAGE[str(r.storage)] ?? null),
    compression: strOrNull(r.compression),
    statistics: r.statistics === null || r.statistics === undefined ? null : Number(r.statistics),
  };
}

const STORAGE: Record<string, string> = { p: 'plain', e: 'external', x: 'extended', m: 'main' };
const POLICY_COMMAND: Record<string, string> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' };
const TRIGGER_STATE = { O: 'origin', D: 'disabled', R: 'replica', A: 'always' } as const;

const TYPE_MAX: Record<string, string> = { smallint: '32767', integer: '2147483647', bigint: '9223372036854775807' };
const TYPE_MIN: Record<string, string> = {
  smallint: '-32768',
  integer: '-2147483648',
  bigint: '-9223372036854775808',
};

/** The options of an identity sequence that differ from what a bare GENERATED … AS IDENTITY gives. */
export function identityOptions(r: Row): IdentityOptions | null {
  const type = str(r.type);
  const up = !str(r.increment).startsWith('-');
  const min = up ? '1' : (TYPE_MIN[type] ?? '');
  const max = up ? (TYPE_MAX[type] ?? '') : '-1';
  const o: IdentityOptions = {};
  if (str(r.increment) !== '1') o.increment = str(r.increment);
  if (str(r.min) !== min) o.min = str(r.min);
  if (str(r.max) !== max) o.max = str(r.max);
  if (str(r.start) !== (up ? str(r.min) : str(r.max))) o.start = str(r.start);
  if (str(r.cache) !== '1') o.cache = str(r.cache);
  if (r.cycle === true) o.cycle = true;
  return Object.keys(o).length === 0 ? null : o;
}

/** Read the connected database's schema (all non-system schemas). */
export async function introspectPostgres(query: QueryFn): Promise<SchemaModel> {
  // Printed definitions qualify every name only when nothing is on the search_path.
  const [{ search_path: previous }] = (await query<{ search_path: string }>(q.CLEAR_SEARCH_PATH)) as [
    { search_path: string },
  ];
  try {
    // All in one round trip, planned once per connection, where the connection can; else one by one.
    const rows: Row[][] = query.prepared
      ? await query.prepared(q.SNAPSHOT_STATEMENTS, { planner: q.SNAPSHOT_PLANNER })
      : await (async () => {
          const out: Row[][] = [];
          for (const s of q.SNAPSHOT_STATEMENTS) out.push(await query(s.sql));
          return out;
        })();
    const parts = Object.fromEntries(q.SNAPSHOT_STATEMENTS.map((s, i) => [s.part, rows[i] ?? []])) as Record<
      q.SnapshotPart,
      Row[]
    >;
    const {
      schemas,
      extensions,
      enums,
      composites,
      domains,
      sequences,
      tables: tableRows,
      columns,
      identities,
      policies,
      constraints,
      indexes,
      views,
      matviews,
      matviewIndexes,
      routines,
      triggers,
    } = parts;
    const tables = new Map<string, Table>();
    const tableOf = (r: Row): Table | undefined => tables.get(`${str(r.schema)}.${str(r.table)}`);
    for (const r of tableRows) {
      const partitionBound = strOrNull(r.partition_bound);
      const parents = r.parents as { schema: string; name: string }[];
      const t: Table = {
        schema: str(r.schema),
        name: str(r.table),
        columns: [],
        constraints: [],
        indexes: [],
        comment: strOrNull(r.comment),
        options: null,
        partitionBy: strOrNull(r.partition_by),
        partitionOf:
          partitionBound !== null && parents[0]
            ? { schema: parents[0].schema, table: parents[0].name, bound: partitionBound }
            : null,
        inherits: partitionBound !== null ? [] : parents.map((p) => ({ schema: str(p.schema), name: str(p.name) })),
        rowSecurity: r.row_security === true,
        forceRowSecurity: r.force_row_security === true,
        policies: [],
        storage: strArray(r.storage).sort(),
        unlogged: r.unlogged === true,
        replicaIdentity: strOrNull(r.replica_identity),
      };
      if (partitionBound !== null) t.inheritedParts = { constraints: [], indexes: [] };
      tables.set(`${t.schema}.${t.name}`, t);
    }
    for (const r of columns) tableOf(r)?.columns.push(column(r));
    for (const r of identities) {
      const c = tableOf(r)?.columns.find((x) => x.name === str(r.column));
      if (c) c.identityOptions = identityOptions(r);
    }
    for (const r of policies) {
      tableOf(r)?.policies?.push({
        name: str(r.name),
        permissive: r.permissive === true,
        command: POLICY_COMMAND[str(r.command)] ?? 'ALL',
        roles: strArray(r.roles).sort(),
        using: strOrNull(r.using),
        check: strOrNull(r.check),
      });
    }
    for (const r of constraints) {
      const kind = CONSTRAINT_KIND[str(r.type)]!;
      const c: Constraint = {
        name: str(r.name),
        kind,
        definition: str(r.definition),
        columns: strArray(r.columns),
        references:
          kind === 'foreign-key'
            ? { schema: str(r.ref_schema), table: str(r.ref_table), columns: strArray(r.ref_columns) }
            : null,
        ...(r.comment !== null && r.comment !== undefined ? { comment: str(r.comment) } : {}),
      };
      const t = tableOf(r);
      if (r.inherited !== true) t?.constraints.push(c);
      else t?.inheritedParts?.constraints.push(c);
    }
    const index = (r: Row): Index => ({
      name: str(r.name),
      unique: r.unique === true,
      // An index on a partitioned table prints as ON ONLY (how pg_dump builds it piece by piece).
      definition: str(r.definition).replace(/ ON ONLY /, ' ON '),
      comment: strOrNull(r.comment),
    });
    for (const r of indexes) {
      const t = tableOf(r);
      if (r.inherited !== true) t?.indexes.push(index(r));
      else t?.inheritedParts?.indexes.push(index(r));
    }
    const mviews = new Map<string, MaterializedView>();
    for (const r of matviews) {
      mviews.set(`${str(r.schema)}.${str(r.name)}`, {
        schema: str(r.schema),
        name: str(r.name),
        definition: viewDefinition(r.definition),
        indexes: [],
        comment: strOrNull(r.comment),
      });
    }
    for (const r of matviewIndexes) mviews.get(`${str(r.schema)}.${str(r.table)}`)?.indexes.push(index(r));

    return normalizeModel({
      engine: 'postgres',
      schemas: schemas.map((r) => str(r.name)),
      extensions: extensions.map((r) => ({ name: str(r.name), schema: str(r.schema) })),
      enums: enums.map((r) => ({
        schema: str(r.schema),
        name: str(r.name),
        values: strArray(r.values),
        comment: strOrNull(r.comment),
      })),
      composites: composites.map((r) => ({
        schema: str(r.schema),
        name: str(r.name),
        attributes: (r.attributes as { name: string; type: string; collation: string | null }[]).map((a) => ({
          name: str(a.name),
          type: str(a.type),
          collation: strOrNull(a.collation),
        })),
        comment: strOrNull(r.comment),
      })),
      domains: domains.map((r) => ({
        schema: str(r.schema),
        name: str(r.name),
        type: str(r.type),
        default: strOrNull(r.default),
        notNull: r.not_null === true,
        ...(r.collation ? { collation: str(r.collation) } : {}),
        constraints: (r.constraints as { name: string; definition: string }[]).map((c) => ({
          name: str(c.name),
          definition: str(c.definition),
        })),
        comment: strOrNull(r.comment),
      })),
      sequences: sequences.map((r) => ({
        schema: str(r.schema),
        name: str(r.name),
        type: str(r.type),
        start: str(r.start),
        increment: str(r.increment),
        min: str(r.min),
        max: str(r.max),
        cache: str(r.cache),
        cycle: r.cycle === true,
        ownedBy: r.owner_table === null ? null : { table: str(r.owner_table), column: str(r.owner_column) },
        comment: strOrNull(r.comment),
      })),
      tables: [...tables.values()],
      views: views.map((r) => ({
        schema: str(r.schema),
        name: str(r.name),
        definition: viewDefinition(r.definition),
        options: strArray(r.options).sort(),
        comment: strOrNull(r.comment),
      })),
      matviews: [...mviews.values()],
      routines: routines.map((r) => ({
        schema: str(r.schema),
        name: str(r.name),
        kind: r.kind === 'p' ? ('procedure' as const) : ('function' as const),
        signature: str(r.signature),
        returns: strOrNull(r.returns),
        definition: str(r.definition).trim(),
        comment: strOrNull(r.comment),
      })),
      triggers: triggers.map((r) => ({
        schema: str(r.schema),
        table: str(r.table),
        name: str(r.name),
        definition: str(r.definition),
        enabled: TRIGGER_STATE[str(r.enabled) as keyof typeof TRIGGER_STATE] ?? 'origin',
      })),
    });
  } finally {
    await query(q.SET_SEARCH_PATH, [previous]);
  }
}
