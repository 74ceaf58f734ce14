/**
 * The schema engine's public face: introspection, canonical dumps, declarative diffs and shadow
 * loading for PostgreSQL and MySQL. Everything a caller needs is exported from here.
 */
import type { Engine } from '../domain/engine.js';
import { engineOfUrl } from '../domain/engine.js';
import { DbchangeError, ErrorCode } from '../errors.js';
import type { QueryFn } from '../targets/types.js';
import { redactUrl } from './connection.js';
import { engineIo } from './engines.js';
import type { SchemaModel } from './model.js';

export type { DdlChange } from './dialect.js';
export type {
  Column,
  CompositeType,
  Constraint,
  Domain,
  DomainConstraint,
  EnumType,
  Extension,
  Index,
  MaterializedView,
  Policy,
  Routine,
  SchemaModel,
  Sequence,
  Table,
  Trigger,
  View,
} from './model.js';
export { emptyModel, schemaEquals } from './model.js';
export { type DiffOptions, diffSchemas } from './diff.js';
export { type RenameHints, renameHints } from './renames.js';
export { dumpSdl, renderDdl } from './render.js';
export { loadSdlIntoShadow } from './shadow.js';

/** Introspect the connection's database (PostgreSQL: all non-system schemas; MySQL: DATABASE()). */
export function introspect(engine: Engine, query: QueryFn): Promise<SchemaModel> {
  return engineIo(engine).introspect(query);
}

/** Introspect the database at `url` on a connection of its own. */
export async function introspectUrl(url: string): Promise<SchemaModel> {
  const engine = engineOfUrl(url);
  if (!engine) {
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      `cannot tell the engine of ${redactUrl(url)}; use a postgres:// or mysql:// URL`,
    );
  }
  const io = engineIo(engine);
  const conn = await io.connect(url);
  try {
    return await io.introspect(conn.query);
  } finally {
    await conn.close();
  }
}
