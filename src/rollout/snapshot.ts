// The schema of a target as canonical SDL, for history and drift. Introspection failing must
// not fail a rollout: the snapshot is then null and the reason is logged.
import type { Logger } from 'pino';
import { dumpSdl, introspect } from '../schema/index.js';
import type { Target } from '../targets/types.js';

/** Dump the target's schema; null when it cannot be read. */
export async function snapshotOf(target: Target, logger: Logger): Promise<string | null> {
  try {
    return await target.withConnection(async (query) => dumpSdl(await introspect(target.engine, query)));
  } catch (err) {
    logger.warn({ err }, 'could not take a schema snapshot');
    return null;
  }
}
