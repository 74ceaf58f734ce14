/**
 * Target databases: `openTarget` gives the Target (./types.ts) for a configured database.
 * The ledger table `dbchange_ledger` it keeps in each target is dbchange's own; schema
 * introspection and drift checks should ignore it (LEDGER_TABLE).
 */
import type { Engine } from '../domain/engine.js';
import { connectMysql } from './mysql/connect.js';
import { createMysqlTarget } from './mysql/target.js';
import { connectPostgres } from './postgres/connect.js';
import { createPostgresTarget } from './postgres/target.js';
import type { DbConnection, Target } from './types.js';
import { unreachable } from '../errors.js';

export { LEDGER_TABLE } from './ledger-row.js';
export { redactUrl } from '../redact.js';
export type * from './types.js';

/** A target for `url`; connects lazily, on first use. Call `close()` when done. */
export function openTarget(engine: Engine, url: string, opts: { applicationName?: string } = {}): Target {
  switch (engine) {
    case 'postgres':
      return createPostgresTarget(url, opts);
    case 'mysql':
      return createMysqlTarget(url);
    default:
      return unreachable(engine, 'engine');
  }
}

/** One connection of its own to `url` (the CLI's live review, say); the caller closes it. */
export function connectDatabase(engine: Engine, url: string, applicationName = 'dbchange-cli'): Promise<DbConnection> {
  return engine === 'postgres' ? connectPostgres(url, applicationName) : connectMysql(url);
}
