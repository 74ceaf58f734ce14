/**
 * GitOps file path templates (Bytebase's documented convention):
 *   {{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql
 * - VERSION and DB_NAME are required; DB_NAME matches case-sensitively; ENV_ID is optional and
 *   matched lower-case; TYPE is ddl, dml or baseline; DESCRIPTION is optional and names the task.
 * - A placeholder may hold any UTF-8 except / ? % * : | " < > \
 * - Wildcards: `_` as a whole path segment is exactly one directory, `**` one or more.
 * Pure: a template and a path in, the parts or the reason it does not match out.
 */
import { DbchangeError, ErrorCode } from '../errors.js';

export const PLACEHOLDERS = ['ENV_ID', 'DB_NAME', 'VERSION', 'TYPE', 'DESCRIPTION'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export const MIGRATION_TYPES = ['ddl', 'dml', 'baseline'] as const;
export type MigrationFileType = (typeof MIGRATION_TYPES)[number];

/** Other spellings of TYPE accepted in file names. */
const TYPE_ALIASES: Record<string, MigrationFileType> = { migrate: 'ddl', data: 'dml' };

export interface MigrationFile {
  path: string;
  envId?: string;
  dbName: string;
  version: string;
  type: MigrationFileType;
  /** True when the template has no {{TYPE}}: the type is then read from the statements. */
  typeInferred?: boolean;
  description?: string;
}

export type PathMatch = { ok: true; file: MigrationFile } | { ok: false; reason: string };

const VALUE = '[^/?%*:|"<>\\\\]+?';

export interface CompiledTemplate {
  template: string;
  regex: RegExp;
  placeholders: Placeholder[];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compile a template; throws with the problem when the template itself is unusable. */
export function compileTemplate(
  template: string,
  required: readonly Placeholder[] = ['DB_NAME', 'VERSION'],
): CompiledTemplate {
  const placeholders: Placeholder[] = [];
  const segments = template.split('/');
  const parts = segments.map((segment) => {
    if (segment === '_') return '[^/]+';
    if (segment === '**') return '[^/]+(?:/[^/]+)*';
    let out = '';
    let rest = segment;
    for (;;) {
      const m = /\{\{([A-Z_]+)\}\}/.exec(rest);
      if (!m) {
        out += escapeRegex(rest);
        break;
      }
      const name = m[1] as Placeholder;
      if (!(PLACEHOLDERS as readonly string[]).includes(name))
        throw new DbchangeError(
          ErrorCode.ConfigInvalid,
          `unknown placeholder {{${m[1]}}} in template ${template}; known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
        );
      if (placeholders.includes(name))
        throw new DbchangeError(
          ErrorCode.ConfigInvalid,
          `placeholder {{${name}}} appears twice in template ${template}`,
        );
      placeholders.push(name);
      out += `${escapeRegex(rest.slice(0, m.index))}(?<${name}>${VALUE})`;
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  });
  for (const name of required) {
    if (!placeholders.includes(name))
      throw new DbchangeError(ErrorCode.ConfigInvalid, `template ${template} must contain {{${name}}}`);
  }
  return { template, regex: new RegExp(`^${parts.join('/')}$`, 'u'), placeholders };
}

/** Strip the base directory; undefined when the path is outside it. */
export function relativeToBase(path: string, baseDirectory: string): string | undefined {
  const base = baseDirectory.replace(/^\/+|\/+$/g, '');
  if (!base) return path.replace(/^\/+/, '');
  return path.startsWith(`${base}/`) ? path.slice(base.length + 1) : undefined;
}

/** Match one repository path (relative to the base directory) against a compiled template. */
export function matchMigrationPath(compiled: CompiledTemplate, path: string): PathMatch {
  const m = compiled.regex.exec(path);
  if (!m?.groups) return { ok: false, reason: `does not match the file path template ${compiled.template}` };
  const g = m.groups;
  const given = (g.TYPE ?? 'ddl').toLowerCase();
  const type = TYPE_ALIASES[given] ?? given;
  if (!(MIGRATION_TYPES as readonly string[]).includes(type))
    return { ok: false, reason: `TYPE "${g.TYPE}" must be ddl, dml or baseline (also migrate, data)` };
  if (!g.VERSION) return { ok: false, reason: 'VERSION is missing' };
  if (!g.DB_NAME) return { ok: false, reason: 'DB_NAME is missing' };
  const file: MigrationFile = { path, dbName: g.DB_NAME, version: g.VERSION, type: type as MigrationFileType };
  if (!compiled.placeholders.includes('TYPE')) file.typeInferred = true;
  if (g.ENV_ID) file.envId = g.ENV_ID.toLowerCase();
  if (g.DESCRIPTION) file.description = g.DESCRIPTION;
  return { ok: true, file };
}

/** Versions apply in alphabetical order; ties are impossible because versions are unique per database. */
export function byVersion(a: MigrationFile, b: MigrationFile): number {
  return a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}

/** A schema path template's file for one database: `{{ENV_ID}}/.{{DB_NAME}}##LATEST.sql` → `dev/.app##LATEST.sql`. */
export function renderSchemaPath(template: string, values: { envId: string; dbName: string }): string {
  return template.replaceAll('{{ENV_ID}}', values.envId).replaceAll('{{DB_NAME}}', values.dbName);
}

/** Join a base directory and a path relative to it. */
export function underBase(baseDirectory: string, path: string): string {
  const base = baseDirectory.replace(/^\/+|\/+$/g, '');
  return base ? `${base}/${path}` : path;
}

export interface FileProblem {
  path: string;
  message: string;
}

/**
 * Check a set of migration paths: every path under the base directory must match, and each
 * VERSION must be unique per database (and environment).
 */
export function checkMigrationFiles(
  paths: string[],
  opts: { template: string; baseDirectory?: string; knownDatabases?: string[]; knownEnvironments?: string[] },
): { files: MigrationFile[]; problems: FileProblem[] } {
  const compiled = compileTemplate(opts.template);
  const files: MigrationFile[] = [];
  const problems: FileProblem[] = [];
  const seen = new Map<string, string>();
  for (const full of paths) {
    if (!full.endsWith('.sql')) continue;
    const rel = relativeToBase(full, opts.baseDirectory ?? '');
    if (rel === undefined) continue;
    const name = rel.split('/').at(-1)!;
    // LATEST schema files (.DB##LATEST.sql) are the declarative state, not migrations.
    if (/##LATEST\.sql$/.test(name)) continue;
    const m = matchMigrationPath(compiled, rel);
    if (!m.ok) {
      problems.push({ path: full, message: m.reason });
      continue;
    }
    const f = { ...m.file, path: full };
    if (opts.knownDatabases && !opts.knownDatabases.includes(f.dbName)) {
      problems.push({
        path: full,
        message: `DB_NAME "${f.dbName}" is not a configured database (names are case-sensitive); known: ${opts.knownDatabases.join(', ')}`,
      });
      continue;
    }
    if (f.envId && opts.knownEnvironments && !opts.knownEnvironments.includes(f.envId)) {
      problems.push({
        path: full,
        message: `ENV_ID "${f.envId}" is not a configured environment; known: ${opts.knownEnvironments.join(', ')}`,
      });
      continue;
    }
    const key = `${f.envId ?? '*'}/${f.dbName}/${f.version}`;
    const earlier = seen.get(key);
    if (earlier) {
      problems.push({
        path: full,
        message: `VERSION ${f.version} of ${f.dbName} is already used by ${earlier}; versions must be unique`,
      });
      continue;
    }
    seen.set(key, full);
    files.push(f);
  }
  files.sort(byVersion);
  return { files, problems };
}

/**
 * Check migration files (a pull request's) against those the branch already holds: a VERSION
 * another file of the same database and environment already uses, or one lower than the
 * highest the branch holds (it would be held as out of order), is a problem. `compare` orders
 * versions (see versions.ts).
 */
export function checkAgainstBranch(
  files: MigrationFile[],
  held: MigrationFile[],
  compare: (a: string, b: string) => number,
): FileProblem[] {
  const problems: FileProblem[] = [];
  const scope = (f: MigrationFile) => `${f.envId ?? '*'}/${f.dbName}`;
  for (const f of files) {
    const same = held.filter((h) => scope(h) === scope(f) && h.path !== f.path);
    const taken = same.find((h) => compare(h.version, f.version) === 0);
    if (taken) {
      problems.push({
        path: f.path,
        message: `VERSION ${f.version} of ${f.dbName} is already used on the branch by ${taken.path}; versions must be unique`,
      });
      continue;
    }
    const highest = same.reduce<MigrationFile | undefined>(
      (top, h) => (!top || compare(h.version, top.version) > 0 ? h : top),
      undefined,
    );
    if (highest && compare(f.version, highest.version) < 0)
      problems.push({
        path: f.path,
        message: `VERSION ${f.version} is lower than ${highest.version} (${highest.path}), already on the branch; it would be held, not applied — use a higher version`,
      });
  }
  return problems;
}
