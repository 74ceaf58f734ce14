/**
 * State-based (declarative) changes: the desired schema is SDL; the database itself interprets
 * it in a temporary shadow database on a dev instance, and the schema engine diffs the live
 * schema against it. The generated DDL is computed when the issue is opened (to review and
 * show it) and again just before each task runs (the live schema may have moved since).
 */
import type { Logger } from 'pino';
import type { Config, DatabaseConfig } from '../config/model.js';
import { databasesOf } from '../config/model.js';
import type { Engine } from '../domain/engine.js';
import { lineDiff } from '../domain/text-diff.js';
import { DbchangeError, ErrorCode } from '../errors.js';
import {
  diffSchemas,
  dumpSdl,
  introspect,
  loadSdlIntoShadow,
  renameHints,
  renderDdl,
  type SchemaModel,
} from '../schema/index.js';
import type { Target } from '../targets/types.js';

export type DesiredPlan =
  | { kind: 'unchanged'; database: DatabaseConfig }
  | { kind: 'change'; database: DatabaseConfig; ddl: string; schemaChange: string; destructive: boolean };

export interface StatePlanner {
  /** Compare the desired SDL with the live schema of the target's first database (first stage), or its database in `environment`. */
  plan(target: string, sdl: string, environment?: string): Promise<DesiredPlan>;
  /** The DDL that brings `db` to the desired SDL now; '' when it is already there. */
  ddlFor(db: DatabaseConfig, sdl: string): Promise<string>;
}

/** Where shadow databases for `engine` are made: schema.devUrl, else the first such database's server. */
export function devUrlFor(config: Config, engine: Engine): string {
  const configured = config.schema.devUrl[engine];
  if (configured) return configured;
  const first = config.environments.flatMap((e) =>
    config.databases.filter((d) => d.environment === e.id && d.engine === engine),
  )[0];
  if (!first) {
    throw new DbchangeError(
      ErrorCode.ConfigInvalid,
      `no ${engine} dev instance for shadow databases: set schema.devUrl.${engine} in the config`,
    );
  }
  return first.url;
}

export function statePlanner(deps: {
  config: Config;
  targetFor: (db: DatabaseConfig) => Target;
  logger: Logger;
}): StatePlanner {
  const live = (db: DatabaseConfig): Promise<SchemaModel> => {
    const target = deps.targetFor(db);
    return target.withConnection((query) => introspect(db.engine, query));
  };
  const desired = (engine: Engine, sdl: string) => loadSdlIntoShadow(engine, sdl, devUrlFor(deps.config, engine));

  return {
    async plan(target, sdl, environment) {
      const dbs = databasesOf(deps.config, target).filter((d) => !environment || d.environment === environment);
      const first = deps.config.environments.flatMap((e) => dbs.filter((d) => d.environment === e.id))[0];
      if (!first) throw new DbchangeError(ErrorCode.NotFound, `unknown database ${target}`);
      const [want, have] = await Promise.all([desired(first.engine, sdl), live(first)]);
      const changes = diffSchemas(have, want, { renames: renameHints(sdl, first.engine) });
      if (changes.length === 0) return { kind: 'unchanged', database: first };
      const schemaChange = lineDiff(dumpSdl(have), dumpSdl(want)).join('\n');
      return {
        kind: 'change',
        database: first,
        ddl: renderDdl(changes),
        schemaChange,
        destructive: changes.some((c) => c.destructive),
      };
    },
    async ddlFor(db, sdl) {
      const [want, have] = await Promise.all([desired(db.engine, sdl), live(db)]);
      return renderDdl(diffSchemas(have, want, { renames: renameHints(sdl, db.engine) }));
    },
  };
}
