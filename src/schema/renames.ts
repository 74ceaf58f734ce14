/**
 * Renames by intent: the desired schema names what was renamed with an annotation (a `--` or a
 * `/* … *\/` comment) on the line of the table, the column, the index or the constraint, as
 * sqldef does:
 *
 *   CREATE TABLE people ( -- @renamed from=person
 *     email text NOT NULL, -- @renamed from=mail
 *     CONSTRAINT people_email_key UNIQUE (email), -- @renamed from=person_email_key
 *     KEY by_name (name) -- @renamed from=name_idx                  (MySQL)
 *   );
 *   CREATE INDEX people_name_idx /* @renamed from=person_name_idx *\/ ON people (name);
 *
 * The differ then renames instead of dropping and re-creating (which loses the data, or rebuilds
 * the index). A hint whose old name no longer exists is ignored, so the annotation may stay in the
 * file after it ran.
 */
import type { Engine } from '../domain/engine.js';
import { splitStatements } from '../sql/split.js';

export interface RenameHints {
  /** `schema` is '' on MySQL and the table's schema (default `public`) on PostgreSQL. */
  tables: { schema: string; from: string; to: string }[];
  /** `table` is the table's new name. */
  columns: { schema: string; table: string; from: string; to: string }[];
  /** Indexes and constraints; `table` is the table's new name. */
  keys: { schema: string; table: string; from: string; to: string }[];
  /** PostgreSQL types (enums). */
  types: { schema: string; from: string; to: string }[];
  /** Values of PostgreSQL enum types; `type` is the type's new name. */
  enumValues: { schema: string; type: string; from: string; to: string }[];
}

const ANNOTATION = /(?:--|\/\*)\s*@renamed?\s+from=("(?:[^"]|"")+"|`(?:[^`]|``)+`|[^\s,*]+)/g;
/** A key declared inside CREATE TABLE: `CONSTRAINT name …`, and on MySQL `[UNIQUE] KEY|INDEX name (…)`. */
const CONSTRAINT_LINE = /^\s*,?\s*CONSTRAINT\s+/i;
const MYSQL_KEY_LINE = /^\s*,?\s*(?:(?:UNIQUE|FULLTEXT|SPATIAL)\s+)?(?:INDEX|KEY)\s+/i;
const CREATE_TYPE = /^CREATE\s+TYPE\s+/i;
/** The enum value a line ends with, before the annotation: `'waiting',` → waiting. */
const ENUM_VALUE = /'((?:[^']|'')*)'\s*,?\s*$/;
const CREATE_INDEX =
  /^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(\S+)\s+ON\s+(?:ONLY\s+)?/i;
const IDENT = /^(?:"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|([A-Za-z_][A-Za-z0-9_$]*))/;

/** An identifier as the engine stores it: quotes removed, unquoted PostgreSQL names folded to lower case. */
function unquote(raw: string, engine: Engine): string {
  const m = IDENT.exec(raw);
  if (!m) return raw;
  if (m[1] !== undefined) return m[1].replace(/""/g, '"');
  if (m[2] !== undefined) return m[2].replace(/``/g, '`');
  return engine === 'postgres' ? m[3]!.toLowerCase() : m[3]!;
}

/** A possibly qualified name at the start of `text`: its parts, unquoted. */
function readName(text: string, engine: Engine): string[] {
  const parts: string[] = [];
  let rest = text.trimStart();
  for (;;) {
    const m = IDENT.exec(rest);
    if (!m) break;
    parts.push(unquote(m[0], engine));
    rest = rest.slice(m[0].length);
    if (!rest.startsWith('.')) break;
    rest = rest.slice(1);
  }
  return parts;
}

/** No renames: what a source without annotations (a database) declares. */
export function noRenameHints(): RenameHints {
  return { tables: [], columns: [], keys: [], types: [], enumValues: [] };
}

/** The rename annotations of an SDL script. */
export function renameHints(sdl: string, engine: Engine): RenameHints {
  const hints = noRenameHints();
  if (!sdl.includes('@rename')) return hints;
  const defaultSchema = engine === 'postgres' ? 'public' : '';
  const tableOf = (name: string[]): { schema: string; table: string } => ({
    schema: name.length > 1 ? name[name.length - 2]! : defaultSchema,
    table: name[name.length - 1]!,
  });
  for (const s of splitStatements(sdl, engine)) {
    // The statement's text up to the end of its last line (a comment after the delimiter counts).
    const lineEnd = sdl.indexOf('\n', s.end);
    const text = sdl.slice(s.start, lineEnd < 0 ? sdl.length : lineEnd);
    // CREATE INDEX name [annotation] ON table …: the annotation may stand between the name and ON.
    const bare = s.sql.replace(/\/\*[\s\S]*?\*\/|--[^\n]*/g, ' ');
    const index = CREATE_INDEX.exec(bare);
    if (index) {
      const name = readName(index[1]!, engine);
      const on = readName(bare.slice(index[0].length), engine);
      const m = [...text.matchAll(ANNOTATION)][0];
      if (m && name.length > 0 && on.length > 0)
        hints.keys.push({ ...tableOf(on), from: unquote(m[1]!, engine), to: name[name.length - 1]! });
      continue;
    }
    // CREATE TYPE name … AS ENUM ('a', 'b' -- @renamed from=c): after a value it renames the value.
    const type = CREATE_TYPE.exec(bare);
    if (type) {
      const name = readName(bare.slice(type[0].length), engine);
      if (name.length === 0) continue;
      const { schema, table: typeName } = tableOf(name);
      for (const line of text.split('\n')) {
        for (const m of line.matchAll(ANNOTATION)) {
          const from = unquote(m[1]!, engine);
          const value = ENUM_VALUE.exec(line.slice(0, m.index));
          if (value)
            hints.enumValues.push({
              schema,
              type: typeName,
              from: from.replace(/^'|'$/g, ''),
              to: value[1]!.replace(/''/g, "'"),
            });
          else hints.types.push({ schema, from, to: typeName });
        }
      }
      continue;
    }
    const head =
      /^CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?/i.exec(
        s.sql,
      );
    if (!head) continue;
    const name = readName(s.sql.slice(head[0].length), engine);
    if (name.length === 0) continue;
    const { schema, table } = tableOf(name);
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      for (const m of line.matchAll(ANNOTATION)) {
        const from = unquote(m[1]!, engine);
        const code = line.slice(0, m.index);
        if (i === 0 || /^\s*\)?\s*;?\s*$/.test(code)) {
          hints.tables.push({ schema, from: from.includes('.') ? from.split('.').pop()! : from, to: table });
          continue;
        }
        const key = CONSTRAINT_LINE.exec(code) ?? (engine === 'mysql' ? MYSQL_KEY_LINE.exec(code) : null);
        if (key) {
          const keyName = readName(code.slice(key[0].length), engine)[0];
          if (keyName) hints.keys.push({ schema, table, from, to: keyName });
          continue;
        }
        const column = readName(code.replace(/^[\s,(]+/, ''), engine)[0];
        if (column) hints.columns.push({ schema, table, from, to: column });
      }
    });
  }
  return hints;
}
