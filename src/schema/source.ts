/**
 * A schema source named on the command line: a database URL (introspected) or an SDL file
 * (loaded into a shadow database on the dev instance). Also decides the engine when the caller
 * did not say: from --engine, else from any URL involved.
 */
import { readFile } from 'node:fs/promises';
import type { Engine } from '../domain/engine.js';
import { engineOfUrl, isEngine } from '../domain/engine.js';
import { DbchangeError, ErrorCode, messageOf } from '../errors.js';
import { introspectUrl } from './index.js';
import type { SchemaModel } from './model.js';
import { noRenameHints, type RenameHints, renameHints } from './renames.js';
import { loadSdlIntoShadow } from './shadow.js';

/** True when `spec` looks like a database URL rather than a file path. */
export function isUrl(spec: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec);
}

/** The engine for a diff: --engine if given, else the one every URL among the sources agrees on. */
export function resolveEngine(specs: string[], engineOption: string | undefined, devUrl: string | undefined): Engine {
  if (engineOption !== undefined && !isEngine(engineOption)) {
    throw new DbchangeError(ErrorCode.InvalidInput, `--engine must be postgres or mysql, not "${engineOption}"`);
  }
  const urls = [...specs.filter(isUrl), ...(devUrl ? [devUrl] : [])];
  for (const u of urls) {
    if (!engineOfUrl(u))
      throw new DbchangeError(
        ErrorCode.InvalidInput,
        `"${u.split('://')[0]}://" is not a database URL scheme; use postgres:// or mysql://`,
      );
  }
  const engines = new Set(urls.map((u) => engineOfUrl(u)!));
  if (engineOption !== undefined) engines.add(engineOption);
  if (engines.size > 1)
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      `the sources mix engines (${[...engines].join(', ')}); both sides and the dev URL must be the same engine`,
    );
  const [engine] = engines;
  if (!engine)
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      'cannot tell the engine from two SQL files; pass --engine postgres|mysql (and --dev-url)',
    );
  return engine;
}

/** The model of a URL or an SDL file. */
export async function loadSource(spec: string, engine: Engine, devUrl: string | undefined): Promise<SchemaModel> {
  return (await loadDesired(spec, engine, devUrl)).model;
}

/** The model of a URL or an SDL file, with the renames an SDL file declares. */
export async function loadDesired(
  spec: string,
  engine: Engine,
  devUrl: string | undefined,
): Promise<{ model: SchemaModel; renames: RenameHints }> {
  if (isUrl(spec)) return { model: await introspectUrl(spec), renames: noRenameHints() };
  let sdl: string;
  try {
    sdl = await readFile(spec, 'utf8');
  } catch (e) {
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      `cannot read ${spec}: ${messageOf(e)}; give a database URL or an existing .sql file`,
      { cause: e },
    );
  }
  if (!devUrl) {
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      `${spec} is an SQL file: loading it needs a dev instance; pass --dev-url ${engine}://… or set DBCHANGE_DEV_URL`,
    );
  }
  try {
    return { model: await loadSdlIntoShadow(engine, sdl, devUrl), renames: renameHints(sdl, engine) };
  } catch (e) {
    throw new DbchangeError(ErrorCode.SchemaError, `${spec}: ${messageOf(e)}`, { cause: e });
  }
}
