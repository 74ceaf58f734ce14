/** Text output of the schema engine: DDL scripts and canonical SDL dumps. */
import type { DdlChange } from './dialect.js';
import { diffSchemas } from './diff.js';
import type { SchemaModel } from './model.js';
import { emptyModel } from './model.js';

const DESTRUCTIVE_NOTE: Record<string, string> = {
  'drop-table':
    'the table and its rows are lost; if it was renamed, mark the new name with -- @renamed from=<old name>',
  'drop-column': "the column's data is lost; if it was renamed, mark the new column with -- @renamed from=<old name>",
};

/** A comment line above a statement that loses data, saying so (and how to rename instead). */
function note(c: DdlChange): string {
  return c.destructive
    ? `-- destructive (${c.kind}): ${DESTRUCTIVE_NOTE[c.kind] ?? 'check that nothing needed is lost'}\n`
    : '';
}

const ALTER_TABLE =
  /^ALTER TABLE ((?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|[A-Za-z_][\w$]*)(?:\.(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))?) ([\s\S]+)$/;
/** Actions that stay statements of their own: they cannot share one, or sharing would hold their lock longer. */
const ALONE = /^(?:RENAME|VALIDATE|ATTACH|DETACH|SET (?:UN)?LOGGED|(?:ENABLE|DISABLE)(?: REPLICA| ALWAYS)? TRIGGER)\b/;
/** MySQL checks names before it drops: a key dropped and added again under its name needs two statements. */
const MYSQL_KEY_DROP = /^DROP (?:FOREIGN KEY|INDEX|PRIMARY KEY|CONSTRAINT)\b/;

/**
 * Adjacent ALTER TABLE statements on the same table become one statement with their actions in
 * order, so the table is locked (and, on MySQL, rebuilt) once: what review's merge rule asks.
 */
function mergeAlters(changes: DdlChange[]): { sql: string; notes: string }[] {
  const out: { sql: string; notes: string; table: string | null }[] = [];
  for (const c of changes) {
    const m = ALTER_TABLE.exec(c.sql);
    const mysql = m?.[1]?.startsWith('`') ?? false;
    const apart = ALONE.test(m?.[2] ?? '') || (mysql && MYSQL_KEY_DROP.test(m?.[2] ?? '') && !c.withPrevious);
    const table = m && !apart ? m[1]! : null;
    const last = out[out.length - 1];
    if (table !== null && last && last.table === table) {
      last.sql += `,\n    ${m![2]}`;
      last.notes += note(c);
    } else {
      out.push({ sql: c.sql, notes: note(c), table });
    }
  }
  return out;
}

/**
 * The script of a plan: statements joined with `;\n` and a final `;\n`, adjacent ALTER TABLEs on
 * one table merged, each statement that loses data marked by a comment; '' when there are none.
 */
export function renderDdl(changes: DdlChange[]): string {
  if (changes.length === 0) return '';
  return `${mergeAlters(changes)
    .map((s) => `${s.notes}${s.sql}`)
    .join(';\n')};\n`;
}

/**
 * The canonical SDL of a model: exactly the DDL that builds it in an empty database, so loading
 * a dump and dumping again gives the same text. MySQL routines and triggers are wrapped in
 * DELIMITER lines, as mysqldump does, so the mysql client can run the file too.
 */
export function dumpSdl(model: SchemaModel): string {
  const header = `-- dbchange schema dump (${model.engine})\n`;
  const parts = diffSchemas(emptyModel(model.engine), model).map((c) => {
    const compound = model.engine === 'mysql' && (c.kind === 'create-function' || c.kind === 'create-trigger');
    return compound ? `DELIMITER ;;\n${c.sql};;\nDELIMITER ;\n` : `${c.sql};\n`;
  });
  return parts.length === 0 ? header : `${header}\n${parts.join('\n')}`;
}
