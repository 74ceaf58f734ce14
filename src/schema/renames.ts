/**
 * Renames by intent: the desired schema names what was renamed with an annotation on the table's
 * or the column's line, as sqldef does:
 *
 *   CREATE TABLE people ( -- @renamed from=person
 *     email text NOT NULL, -- @renamed from=mail
 *
 * The differ then renames instead of dropping and re-creating (which loses the data). A hint whose
 * old name no longer exists is ignored, so the annotation may stay in the file after it ran.
 */
import type { Engine } from '../domain/engine.js';
import { splitStatements } from '../sql/split.js';

export interface RenameHints {
  /** `schema` is '' on MySQL and the table's schema (default `public`) on PostgreSQL. */
  tables: { schema: string; from: string; to: string }[];
  /** `table` is the table's new name. */
  columns: { schema: string; table: string; from: string; to: string }[];
}

const ANNOTATION = /--\s*@renamed?\s+from=("(?:[^"]|"")+"|`(?:[^`]|``)+`|[^\s,]+)/g;
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

/** The rename annotations of an SDL script. */
export function renameHints(sdl: string, engine: Engine): RenameHints {
  const hints: RenameHints = { tables: [], columns: [] };
  if (!sdl.includes('@rename')) return hints;
  const defaultSchema = engine === 'postgres' ? 'public' : '';
  for (const s of splitStatements(sdl, engine)) {
    const head =
      /^CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?/i.exec(
        s.sql,
      );
    if (!head) continue;
    const name = readName(s.sql.slice(head[0].length), engine);
    if (name.length === 0) continue;
    const table = name[name.length - 1]!;
    const schema = name.length > 1 ? name[name.length - 2]! : defaultSchema;
    // The statement's text up to the end of its last line (a comment after the delimiter counts).
    const lineEnd = sdl.indexOf('\n', s.end);
    const text = sdl.slice(s.start, lineEnd < 0 ? sdl.length : lineEnd);
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      for (const m of line.matchAll(ANNOTATION)) {
        const from = unquote(m[1]!, engine);
        const code = line.slice(0, m.index);
        if (i === 0 || /^\s*\)?\s*;?\s*$/.test(code)) {
          hints.tables.push({ schema, from: from.includes('.') ? from.split('.').pop()! : from, to: table });
          continue;
        }
        const column = readName(code.replace(/^[\s,(]+/, ''), engine)[0];
        if (column) hints.columns.push({ schema, table, from, to: column });
      }
    });
  }
  return hints;
}
