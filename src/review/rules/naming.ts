// naming.* rules: table, column and index names against a regex or a Bytebase template.
import type { Rule, RuleContext } from '../types.js';
import type { Statement } from '../statement.js';
import { readName } from '../tokens.js';
import { BOTH, MYSQL, POSTGRES } from './engines.js';
import { definedColumns, definedIndexes, type DefinedIndex } from './defs.js';
import { baseName, num, regex, str, template } from './util.js';
import { MYSQL_RESERVED } from './mysql-reserved.js';

const SNAKE = '^[a-z]+(_[a-z]+)*$';

function checkName(
  s: Statement,
  ctx: RuleContext,
  what: string,
  name: string,
  pos: number,
  defaultFormat: string,
): void {
  const format = str(ctx.payload, 'format', defaultFormat);
  const max = num(ctx.payload, 'maxLength', 64);
  const re = regex(format);
  if (re && !re.test(name))
    ctx.report(s, `${what} "${name}" does not match the naming format ${format}; rename it.`, pos);
  // Format and length are separate findings, as Bytebase reports them.
  if (max > 0 && name.length > max)
    ctx.report(s, `${what} "${name}" is ${name.length} characters long, more than ${max}; shorten it.`, pos);
}

/** Tables a statement names as new: CREATE TABLE, ALTER TABLE … RENAME TO, RENAME TABLE a TO b. */
function newTableNames(s: Statement): Array<{ name: string; pos: number }> {
  if (s.createTable) return [{ name: baseName(s.createTable.table), pos: s.createTable.pos }];
  const out: Array<{ name: string; pos: number }> = [];
  for (const a of s.alterTable?.actions ?? [])
    if (a.kind === 'rename-table') out.push({ name: baseName(a.to), pos: a.pos });
  if (s.verb === 'RENAME') {
    const t = s.tokens;
    for (let k = 0; k < t.length; k++) {
      if (t[k]!.v === 'TO' && t[k]!.type === 'word') {
        const n = readName(t, k + 1);
        if (n) out.push({ name: baseName(n.parts), pos: t[k + 1]!.pos });
      }
    }
  }
  return out;
}

export const namingTable: Rule = {
  id: 'naming.table',
  type: 'NAMING_TABLE',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER', 'RENAME'],
  summary: 'Table name regex + max length',
  check(s, ctx) {
    for (const n of newTableNames(s)) checkName(s, ctx, 'Table name', n.name, n.pos, SNAKE);
  },
};

export const namingColumn: Rule = {
  id: 'naming.column',
  type: 'NAMING_COLUMN',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Column name regex + max length',
  check(s, ctx) {
    for (const d of definedColumns(s))
      if (d.how !== 'modify') checkName(s, ctx, 'Column name', d.col.name, d.col.pos, SNAKE);
    for (const a of s.alterTable?.actions ?? [])
      if (a.kind === 'rename-column') checkName(s, ctx, 'Column name', a.to, a.pos, SNAKE);
  },
};

function indexRule(
  id: string,
  type: string,
  kinds: readonly string[],
  label: string,
  defaultFormat: string,
  engines: Rule['engines'],
): Rule {
  return {
    id,
    type,
    engines,
    verbs: ['CREATE', 'ALTER'],
    summary: `${label} name template (${defaultFormat})`,
    check(s, ctx) {
      for (const i of definedIndexes(s)) {
        if (!kinds.includes(i.kind) || !i.name) continue;
        const written = str(ctx.payload, 'format', defaultFormat);
        // A key made from an existing index (ADD … PRIMARY KEY USING INDEX i) writes no columns:
        // the name must fit the template whatever they are.
        const format = i.columns.length > 0 ? written : written.replace(COLUMN_PLACEHOLDERS, '.+');
        const re = template(format, templateValues(i));
        const max = num(ctx.payload, 'maxLength', 64);
        if (re && !re.test(i.name))
          ctx.report(
            s,
            `${label} "${i.name}" does not match ${written} (expected like ${expand(written, i)}); rename it.`,
            i.pos,
          );
        if (max > 0 && i.name.length > max)
          ctx.report(s, `${label} "${i.name}" is longer than ${max} characters; shorten it.`, i.pos);
      }
    },
  };
}

/** The placeholders of a name template that stand for the key's own columns. */
const COLUMN_PLACEHOLDERS = /\{\{(?:column_list|referencing_column)\}\}/g;

function templateValues(i: DefinedIndex): Record<string, string> {
  const columns = i.columns.length > 0 ? i.columns.join('_') : '…';
  return {
    table: baseName(i.table),
    column_list: columns,
    referencing_table: baseName(i.table),
    referencing_column: columns,
    referenced_table: baseName(i.references?.table ?? []),
    referenced_column: (i.references?.columns ?? []).join('_'),
  };
}
/** The name a template asks for: its first alternative that is not the empty name, without anchors. */
function expand(format: string, i: DefinedIndex): string {
  const v = templateValues(i);
  const wanted = format.split('|').find((alt) => alt !== '^$') ?? format;
  return wanted.replace(/^\^|\$$/g, '').replace(/\{\{(\w+)\}\}/g, (m, k: string) => v[k] ?? m);
}

export const namingIndexPk = indexRule(
  'naming.index.pk',
  'NAMING_INDEX_PK',
  ['primary'],
  'Primary key',
  '^pk_{{table}}_{{column_list}}$',
  POSTGRES,
);
export const namingIndexUk = indexRule(
  'naming.index.uk',
  'NAMING_INDEX_UK',
  ['unique'],
  'Unique key',
  '^uk_{{table}}_{{column_list}}$',
  BOTH,
);
export const namingIndexFk = indexRule(
  'naming.index.fk',
  'NAMING_INDEX_FK',
  ['foreign'],
  'Foreign key',
  '^fk_{{referencing_table}}_{{referencing_column}}_{{referenced_table}}_{{referenced_column}}$',
  BOTH,
);
export const namingIndexIdx = indexRule(
  'naming.index.idx',
  'NAMING_INDEX_IDX',
  ['index', 'fulltext', 'spatial'],
  'Index',
  '^idx_{{table}}_{{column_list}}$',
  BOTH,
);

export const namingColumnAutoIncrement: Rule = {
  id: 'naming.column.auto-increment',
  type: 'NAMING_COLUMN_AUTO_INCREMENT',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Auto-increment column name regex (default id)',
  check(s, ctx) {
    for (const d of definedColumns(s))
      if (d.col.autoIncrement) checkName(s, ctx, 'Auto-increment column', d.col.name, d.col.pos, '^id$');
  },
};

export const namingIdentifierNoKeyword: Rule = {
  id: 'naming.identifier.no-keyword',
  type: 'NAMING_IDENTIFIER_NO_KEYWORD',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER', 'RENAME'],
  summary: 'No reserved keywords as identifiers',
  check(s, ctx) {
    const names = [...newTableNames(s), ...definedColumns(s).map((d) => ({ name: d.col.name, pos: d.col.pos }))];
    for (const n of names) {
      if (MYSQL_RESERVED.has(n.name.toUpperCase()))
        ctx.report(
          s,
          `"${n.name}" is a MySQL reserved word and must be quoted everywhere it is used; choose another name.`,
          n.pos,
        );
    }
  },
};
