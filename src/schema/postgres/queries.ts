/**
 * Every catalog query PostgreSQL introspection runs, in one place. Each reads one kind of object
 * for the whole database (no per-table queries), and all run with an empty search_path so that
 * names in printed definitions come out schema-qualified. Where the connection allows, they are
 * sent together in one round trip and kept prepared (see SNAPSHOT_STATEMENTS).
 *
 * "User" objects: in a schema that is not pg_catalog, information_schema or pg_toast/pg_temp,
 * not a member of an extension, and (for tables and what hangs off them) not dbchange's own.
 */

const USER_NAMESPACE = `n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;
const notExtensionMember = (classTable: string, oid: string): string =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.classid = '${classTable}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;
const USER_TABLE = `c.relkind IN ('r', 'p') AND c.relpersistence <> 't' AND ${USER_NAMESPACE}
  AND c.relname NOT LIKE 'dbchange\\_%' AND c.relname <> 'agenda_jobs' AND ${notExtensionMember('pg_class', 'c.oid')}`;
/** Relations a trigger may hang on: tables and views. */
const USER_RELATION = `c.relkind IN ('r', 'p', 'v') AND c.relpersistence <> 't' AND ${USER_NAMESPACE}
  AND c.relname NOT LIKE 'dbchange\\_%' AND c.relname <> 'agenda_jobs' AND ${notExtensionMember('pg_class', 'c.oid')}`;

/** The search_path as it was, and an empty one from now on, in one round trip. */
export const CLEAR_SEARCH_PATH = `
WITH previous AS MATERIALIZED (SELECT pg_catalog.current_setting('search_path') AS search_path)
SELECT p.search_path, pg_catalog.set_config('search_path', '', false) AS cleared FROM previous p`;
export const SET_SEARCH_PATH = `SELECT pg_catalog.set_config('search_path', $1, false)`;

export const SCHEMAS = `
SELECT n.nspname AS name FROM pg_catalog.pg_namespace n
WHERE ${USER_NAMESPACE} AND n.nspname <> 'public' AND ${notExtensionMember('pg_namespace', 'n.oid')}
ORDER BY 1`;

export const EXTENSIONS = `
SELECT e.extname AS name, n.nspname AS schema FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' ORDER BY 1`;

export const ENUMS = `
SELECT n.nspname AS schema, t.typname AS name,
       array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values, td.description AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
LEFT JOIN pg_catalog.pg_description td ON td.classoid = 'pg_type'::regclass AND td.objoid = t.oid AND td.objsubid = 0
WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_type', 't.oid')}
GROUP BY 1, 2, td.description ORDER BY 1, 2`;

export const DOMAINS = `
SELECT n.nspname AS schema, t.typname AS name, pg_catalog.format_type(t.typbasetype, t.typtypmod) AS type,
       pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS default, t.typnotnull AS not_null, td.description AS comment,
       CASE WHEN t.typcollation <> bt.typcollation THEN co.collname END AS collation,
       coalesce((SELECT json_agg(json_build_object('name', k.conname::text, 'definition', pg_catalog.pg_get_constraintdef(k.oid)) ORDER BY k.conname)
                 FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'), '[]'::json) AS constraints
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_catalog.pg_description td ON td.classoid = 'pg_type'::regclass AND td.objoid = t.oid AND td.objsubid = 0
WHERE t.typtype = 'd' AND ${USER_NAMESPACE} AND ${notExtensionMember('pg_type', 't.oid')}
ORDER BY 1, 2`;

export const SEQUENCES = `
SELECT n.nspname AS schema, c.relname AS name, pg_catalog.format_type(s.seqtypid, NULL) AS type,
       s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min,
       s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
       oc.relname AS owner_table, oa.attname AS owner_column, sd.description AS comment
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description sd ON sd.classoid = 'pg_class'::regclass AND sd.objoid = c.oid AND sd.objsubid = 0
LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_catalog.pg_class oc ON oc.oid = d.refobjid
LEFT JOIN pg_catalog.pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_class', 'c.oid')}
  AND d.deptype IS DISTINCT FROM 'i'
  AND c.relname NOT LIKE 'dbchange\\_%' AND (oc.relname IS NULL OR (oc.relname NOT LIKE 'dbchange\\_%' AND oc.relname <> 'agenda_jobs'))
ORDER BY 1, 2`;

export const TABLES = `
SELECT n.nspname AS schema, c.relname AS table, td.description AS comment,
       c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security,
       coalesce(c.reloptions::text[], '{}') AS storage, c.relpersistence = 'u' AS unlogged,
       CASE c.relreplident WHEN 'f' THEN 'full' WHEN 'n' THEN 'nothing'
         WHEN 'i' THEN 'index ' || (SELECT pg_catalog.quote_ident(ic.relname) FROM pg_catalog.pg_index ri
                                   JOIN pg_catalog.pg_class ic ON ic.oid = ri.indexrelid
                                   WHERE ri.indrelid = c.oid AND ri.indisreplident) END AS replica_identity,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_by,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       coalesce((SELECT json_agg(json_build_object('schema', pn.nspname, 'name', pc.relname) ORDER BY i.inhseqno)
                 FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
                 JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                 WHERE i.inhrelid = c.oid), '[]'::json) AS parents
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description td ON td.classoid = 'pg_class'::regclass AND td.objoid = c.oid AND td.objsubid = 0
WHERE ${USER_TABLE}
ORDER BY 1, 2`;

// Columns a table inherits (from a parent or a partitioned table) belong to the parent.
export const COLUMNS = `
SELECT n.nspname AS schema, c.relname AS table,
       a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default, a.attidentity AS identity, a.attgenerated AS generated,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END AS storage,
       CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END AS compression,
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END AS statistics,
       cd.description AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attinhcount = 0
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_description cd ON cd.classoid = 'pg_class'::regclass AND cd.objoid = c.oid AND cd.objsubid = a.attnum
WHERE ${USER_TABLE}
ORDER BY 1, 2, a.attnum`;

/** The sequences behind identity columns, with their options. */
export const IDENTITY_SEQUENCES = `
SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, pg_catalog.format_type(s.seqtypid, NULL) AS type,
       s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min,
       s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
     AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i'
JOIN pg_catalog.pg_class c ON c.oid = d.refobjid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
WHERE ${USER_TABLE}
ORDER BY 1, 2, 3`;

export const POLICIES = `
SELECT n.nspname AS schema, c.relname AS table, p.polname AS name, p.polpermissive AS permissive, p.polcmd AS command,
       ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE pg_catalog.quote_ident(ro.rolname) END
             FROM unnest(p.polroles) r(oid) LEFT JOIN pg_catalog.pg_roles ro ON ro.oid = r.oid ORDER BY 1) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using, pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ${USER_TABLE}
ORDER BY 1, 2, 3`;

export const COMPOSITES = `
SELECT n.nspname AS schema, t.typname AS name, td.description AS comment,
       coalesce((SELECT json_agg(json_build_object('name', a.attname::text,
                   'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                   'collation', CASE WHEN a.attcollation <> at.typcollation THEN co.collname::text END) ORDER BY a.attnum)
                 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
                 LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
                 WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::json) AS attributes
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
LEFT JOIN pg_catalog.pg_description td ON td.classoid = 'pg_type'::regclass AND td.objoid = t.oid AND td.objsubid = 0
WHERE t.typtype = 'c' AND ${USER_NAMESPACE} AND ${notExtensionMember('pg_type', 't.oid')}
ORDER BY 1, 2`;

export const CONSTRAINTS = `
SELECT n.nspname AS schema, c.relname AS table, con.conname AS name, con.contype AS type,
       pg_catalog.pg_get_constraintdef(con.oid) AS definition,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS ref_columns,
       (con.conparentid <> 0 OR con.coninhcount > 0) AS inherited, cd.description AS comment
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_catalog.pg_description cd ON cd.classoid = 'pg_constraint'::regclass AND cd.objoid = con.oid
WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND ${USER_TABLE}
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint pc WHERE pc.oid = con.conparentid AND pc.conrelid = con.conrelid)
ORDER BY 1, 2, 3`;

/** Indexes (name, definition, comment) of the relations `c` that `where` selects. */
function indexesOf(where: string): string {
  return `
SELECT n.nspname AS schema, c.relname AS table, i.relname AS name, x.indisunique AS unique,
       pg_catalog.pg_get_indexdef(x.indexrelid) AS definition, id.description AS comment,
       EXISTS (SELECT 1 FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid = x.indexrelid) AS inherited
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description id ON id.classoid = 'pg_class'::regclass AND id.objoid = i.oid AND id.objsubid = 0
WHERE ${where}
ORDER BY 1, 2, 3`;
}

// Indexes behind constraints (primary key, unique, exclusion) belong to the constraint.
export const INDEXES = indexesOf(`${USER_TABLE}
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                  WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))`);

export const VIEWS = `
SELECT n.nspname AS schema, c.relname AS name, pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
       coalesce(c.reloptions::text[], '{}') AS options, vd.description AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description vd ON vd.classoid = 'pg_class'::regclass AND vd.objoid = c.oid AND vd.objsubid = 0
WHERE c.relkind = 'v' AND ${USER_NAMESPACE} AND ${notExtensionMember('pg_class', 'c.oid')}
  AND c.relname NOT LIKE 'dbchange\\_%'
ORDER BY 1, 2`;

const USER_MATVIEW = `c.relkind = 'm' AND ${USER_NAMESPACE} AND ${notExtensionMember('pg_class', 'c.oid')} AND c.relname NOT LIKE 'dbchange\\_%'`;

export const MATVIEWS = `
SELECT n.nspname AS schema, c.relname AS name, pg_catalog.pg_get_viewdef(c.oid, true) AS definition, vd.description AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description vd ON vd.classoid = 'pg_class'::regclass AND vd.objoid = c.oid AND vd.objsubid = 0
WHERE ${USER_MATVIEW}
ORDER BY 1, 2`;

export const MATVIEW_INDEXES = indexesOf(USER_MATVIEW);

export const ROUTINES = `
SELECT n.nspname AS schema, p.proname AS name, p.prokind AS kind,
       pg_catalog.pg_get_function_identity_arguments(p.oid) AS signature,
       pg_catalog.pg_get_function_result(p.oid) AS returns,
       pg_catalog.pg_get_functiondef(p.oid) AS definition, pd.description AS comment
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_catalog.pg_description pd ON pd.classoid = 'pg_proc'::regclass AND pd.objoid = p.oid AND pd.objsubid = 0
WHERE p.prokind IN ('f', 'p') AND ${USER_NAMESPACE} AND ${notExtensionMember('pg_proc', 'p.oid')}
ORDER BY 1, 2, 4`;

export const TRIGGERS = `
SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name, pg_catalog.pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled AS enabled
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ${USER_RELATION}
ORDER BY 1, 2, 3`;

/** Part of the schema → its query, in the order introspection reads them. */
const SNAPSHOT_QUERIES = {
  schemas: SCHEMAS,
  extensions: EXTENSIONS,
  enums: ENUMS,
  composites: COMPOSITES,
  domains: DOMAINS,
  sequences: SEQUENCES,
  tables: TABLES,
  columns: COLUMNS,
  identities: IDENTITY_SEQUENCES,
  policies: POLICIES,
  constraints: CONSTRAINTS,
  indexes: INDEXES,
  views: VIEWS,
  matviews: MATVIEWS,
  matviewIndexes: MATVIEW_INDEXES,
  routines: ROUTINES,
  triggers: TRIGGERS,
} as const;

export type SnapshotPart = keyof typeof SNAPSHOT_QUERIES;

/**
 * The catalog queries of one schema snapshot, each with the name it is kept prepared under on a
 * connection: planning them costs several times more than running them, and a task reads the
 * schema twice on one connection (before and after). The version in the name changes with the
 * queries, so a statement prepared by an older text is never run for a newer one.
 */
export const SNAPSHOT_STATEMENTS: readonly { part: SnapshotPart; name: string; sql: string }[] = Object.entries(
  SNAPSHOT_QUERIES,
).map(([part, sql]) => ({ part: part as SnapshotPart, name: `dbchange_schema_${part.toLowerCase()}_v2`, sql }));

/**
 * How SNAPSHOT_STATEMENTS are planned: in the order their joins are written (from the object
 * out to what hangs off it, each step on an index of the catalog). Searching every join order
 * costs more than running the queries on a database of hundreds of tables, and gives the same plans.
 */
export const SNAPSHOT_PLANNER: Readonly<Record<string, string>> = {
  join_collapse_limit: '1',
  from_collapse_limit: '1',
};
