// The schema of a target as canonical SDL (and the model behind it), for history, drift and
// rollback. Introspection failing must not fail a rollout: the snapshot is then null and the
// reason is logged.
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config/model.js';
import type { Engine } from '../domain/engine.js';
import { dumpSdl, introspect, type SchemaModel } from '../schema/index.js';
import type { QueryFn, Target } from '../targets/types.js';

export interface Snapshot {
  sdl: string;
  model: SchemaModel;
}

/** Introspect and dump the target's schema; null when it cannot be read. */
export function snapshotOf(target: Target, logger: Logger): Promise<Snapshot | null> {
  return target
    .withConnection((query) => snapshotFrom(target.engine, query, logger))
    .catch((err: unknown) => {
      logger.warn({ err }, 'could not take a schema snapshot');
      return null;
    });
}

/** The same, on a connection the caller has (a task's own, see ApplyTaskInput.afterDone). */
export async function snapshotFrom(engine: Engine, query: QueryFn, logger: Logger): Promise<Snapshot | null> {
  try {
    const model = await introspect(engine, query);
    return { sdl: dumpSdl(model), model };
  } catch (err) {
    logger.warn({ err }, 'could not take a schema snapshot');
    return null;
  }
}

/** Snapshots and drift are kept per database per environment. */
export function snapshotKey(db: DatabaseConfig): string {
  return `${db.name}@${db.environment}`;
}
