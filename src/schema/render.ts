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

/** Statements joined with `;\n` and a final `;\n`, each that loses data marked by a comment; '' when there are none. */
export function renderDdl(changes: DdlChange[]): string {
  return changes.length === 0 ? '' : `${changes.map((c) => `${note(c)}${c.sql}`).join(';\n')};\n`;
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
