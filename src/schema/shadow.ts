/**
 * Desired state from SQL: the SDL runs in a temporary database on a dev instance and the result is
 * introspected, so the model is whatever the engine itself makes of the SQL. The database is
 * always dropped, also when a statement fails.
 */
import { randomBytes } from 'node:crypto';
import type { Engine } from '../domain/engine.js';
import { engineOfUrl } from '../domain/engine.js';
import { DbchangeError, ErrorCode, messageOf } from '../errors.js';
import { splitStatements } from '../sql/split.js';
import type { SchemaConnection } from './connection.js';
import { redactUrl } from './connection.js';
import { engineIo } from './engines.js';
import type { SchemaModel } from './model.js';

function preview(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

/** Run an SDL script statement by statement; a failure names the statement's line and the database's message. */
export async function runSdl(engine: Engine, conn: SchemaConnection, sdl: string): Promise<void> {
  const io = engineIo(engine);
  for (const s of splitStatements(sdl, engine)) {
    if (io.forbidden.test(s.sql)) {
      throw new DbchangeError(
        ErrorCode.InvalidInput,
        `SDL line ${s.line}: "${preview(s.sql)}" would leave the shadow database; an SDL file describes one database, remove this statement`,
      );
    }
    try {
      await conn.exec(s.sql);
    } catch (e) {
      // PostgreSQL reports a 1-based character position inside the statement.
      const position = Number((e as { position?: string }).position);
      const line =
        Number.isFinite(position) && position > 0
          ? s.line + (s.sql.slice(0, position - 1).match(/\n/g)?.length ?? 0)
          : s.line;
      throw new DbchangeError(
        ErrorCode.SchemaError,
        `SDL line ${line}: ${messageOf(e)} (in "${preview(s.sql)}"); fix the statement and run again`,
        { cause: e },
      );
    }
  }
}

/** Load SDL into a fresh temporary database on the dev instance, introspect it, and drop it. */
export function loadSdlIntoShadow(engine: Engine, sdl: string, devUrl: string): Promise<SchemaModel> {
  return loadSdlIntoNamedShadow(engine, sdl, devUrl, `dbchange_shadow_${randomBytes(6).toString('hex')}`);
}

/** loadSdlIntoShadow with the temporary database's name chosen by the caller (tests watch it). */
export async function loadSdlIntoNamedShadow(
  engine: Engine,
  sdl: string,
  devUrl: string,
  name: string,
): Promise<SchemaModel> {
  const devEngine = engineOfUrl(devUrl);
  if (devEngine !== engine) {
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      `the dev URL ${redactUrl(devUrl)} is not a ${engine} server; give a ${engine}:// dev URL for ${engine} SDL`,
    );
  }
  const io = engineIo(engine);
  let url: string;
  try {
    url = await io.createDatabase(devUrl, name);
  } catch (e) {
    throw new DbchangeError(
      ErrorCode.TargetFailed,
      `cannot create a shadow database on the dev instance ${redactUrl(devUrl)}: ${messageOf(e)}; its user needs the right to create databases`,
      { cause: e },
    );
  }
  let result: SchemaModel;
  try {
    const conn = await io.connect(url);
    try {
      await runSdl(engine, conn, sdl);
      result = await io.introspect(conn.query);
    } finally {
      await conn.close();
    }
  } catch (e) {
    await io.dropDatabase(devUrl, name).catch(() => {
      // Do not hide the SDL's own error behind a clean-up failure.
    });
    throw e;
  }
  try {
    await io.dropDatabase(devUrl, name);
  } catch (e) {
    throw new DbchangeError(
      ErrorCode.TargetFailed,
      `could not drop shadow database ${name} on ${redactUrl(devUrl)}: ${messageOf(e)}; drop it by hand`,
      { cause: e },
    );
  }
  return result;
}
