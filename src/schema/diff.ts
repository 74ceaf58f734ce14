/**
 * The declarative differ: two models in, the DDL that turns the first into the second out.
 * Pure and deterministic. Statements are collected into phases that run in this order, which is
 * what makes the result dependency-safe:
 *
 *   schemas/extensions → enum, domain and composite types → routines that table definitions
 *   call → drop triggers and policies → drop views and materialized views → drop replaced
 *   routines → renames (declared in the desired schema) → detach partitions / NO INHERIT → drop
 *   foreign keys → (MySQL) columns losing AUTO_INCREMENT → drop keys/indexes → sequences → drop
 *   tables (children first) → create tables (parents first) → alter tables (options,
 *   drop/recast/add/alter columns) → add keys/indexes (MySQL: with the drop of keys a kept foreign
 *   key may stand on) → (MySQL) columns gaining AUTO_INCREMENT →
 *   attach partitions / INHERIT → sequence ownership → add foreign keys → validate constraints
 *   added NOT VALID → create routines → create views and materialized views, each with its
 *   indexes (dependency order) → create triggers and policies → drop routines → drop domains,
 *   types and sequences → drop extensions/schemas.
 *
 * Objects whose dependencies change are rebuilt: views over altered tables or rebuilt views,
 * foreign keys whose columns change type or whose referenced key is recreated, triggers whose
 * routine is recreated. Within a phase, objects come in name order.
 */
import { DbchangeError, ErrorCode } from '../errors.js';
import type { DdlChange, Dialect } from './dialect.js';
import { diffComposites } from './diff/composites.js';
import { diffViewsRoutinesTriggers } from './diff/dependents.js';
import { diffDomains, dropDomains } from './diff/domains.js';
import { diffEnums } from './diff/enums.js';
import { mapBy, Plan, startComparison } from './diff/plan.js';
import { applyRenames } from './diff/renames.js';
import { diffSequences } from './diff/sequences.js';
import { diffTables } from './diff/tables.js';
import type { SchemaModel } from './model.js';
import { normalizeModel } from './model.js';
import type { RenameHints } from './renames.js';
import { mysqlDialect } from './mysql/ddl.js';
import { postgresDialect } from './postgres/ddl.js';

/** The dialect for a model's engine. */
export function dialectOf(engine: SchemaModel['engine']): Dialect {
  return engine === 'postgres' ? postgresDialect : mysqlDialect;
}

export interface DiffOptions {
  /** Renames the desired schema declares (`-- @renamed from=…`); without one, a vanished name is dropped. */
  renames?: RenameHints;
}

/** The DDL that turns `fromModel` into `toModel`. */
export function diffSchemas(fromModel: SchemaModel, toModel: SchemaModel, options: DiffOptions = {}): DdlChange[] {
  if (fromModel.engine !== toModel.engine) {
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      `cannot diff a ${fromModel.engine} schema against a ${toModel.engine} one; compare two databases of the same engine`,
    );
  }
  startComparison();
  const to = normalizeModel(toModel);
  const d = dialectOf(toModel.engine);
  const plan = new Plan();
  const from = options.renames
    ? applyRenames(d, normalizeModel(fromModel), to, options.renames, plan)
    : normalizeModel(fromModel);

  for (const s of to.schemas) if (!from.schemas.includes(s)) plan.add('pre', 'create-schema', d.createSchema(s));
  const fromExt = mapBy(from.extensions, (e) => e.name);
  const toExt = mapBy(to.extensions, (e) => e.name);
  for (const e of to.extensions) {
    const f = fromExt.get(e.name);
    if (!f) plan.add('pre', 'create-extension', d.createExtension(e));
    else if (f.schema !== e.schema) plan.add('pre', 'alter-extension', d.alterExtensionSchema(e));
  }
  for (const e of from.extensions) if (!toExt.has(e.name)) plan.add('post', 'drop-extension', d.dropExtension(e), true);
  for (const s of from.schemas) if (!to.schemas.includes(s)) plan.add('post', 'drop-schema', d.dropSchema(s), true);

  dropDomains(d, from, to, plan);
  const recast = diffEnums(d, from, to, plan);
  diffDomains(d, from, to, plan);
  diffComposites(d, from, to, plan);
  const deltas = diffTables(d, from, to, recast, plan);
  diffSequences(d, from, to, deltas, plan);
  diffViewsRoutinesTriggers(d, from, to, deltas, plan);
  return plan.changes();
}
