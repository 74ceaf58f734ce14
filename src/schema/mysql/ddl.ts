/** MySQL / MariaDB DDL, one generator per object kind and verb (see ../dialect.ts). */
import type { Dialect, TableRef } from '../dialect.js';
import type { Column, Constraint, Table, View } from '../model.js';
import { DbchangeError, ErrorCode } from '../../errors.js';
import { isWideningTypeChange } from '../type-change.js';
import { quoteIdent, quoteLiteral } from './quote.js';

const tableName = (t: TableRef): string => quoteIdent(t.name);

const TEXTUAL = /^(var)?char\b|^(tiny|medium|long)?text\b|^enum\(|^set\(/i;

/** The column clause as SHOW CREATE TABLE would print it. */
export function columnDefinition(c: Column): string {
  const parts = [quoteIdent(c.name), c.type];
  if (c.collation !== null) parts.push(`COLLATE ${c.collation}`);
  if (c.generated) {
    parts.push(`GENERATED ALWAYS AS (${c.generated.expression}) ${c.generated.stored ? 'STORED' : 'VIRTUAL'}`);
  } else {
    if (!c.nullable) parts.push('NOT NULL');
    else if (/^timestamp\b/i.test(c.type)) parts.push('NULL');
    if (c.default !== null) parts.push(`DEFAULT ${c.default}`);
    else if (c.nullable) parts.push('DEFAULT NULL');
    if (c.onUpdate !== null) parts.push(`ON UPDATE ${c.onUpdate}`);
    if (c.autoIncrement) parts.push('AUTO_INCREMENT');
  }
  if (c.comment !== null) parts.push(`COMMENT ${quoteLiteral(c.comment)}`);
  return parts.join(' ');
}

/** Where ADD or MODIFY COLUMN puts the column: after `after`, first (null), or where it is (undefined). */
function position(after: string | null | undefined): string {
  return after === undefined ? '' : after === null ? ' FIRST' : ` AFTER ${quoteIdent(after)}`;
}

function constraintClause(c: Constraint): string {
  return c.kind === 'primary-key' ? c.definition : `CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`;
}

function tableOptionClauses(t: Table): { engine: string; charset: string; comment: string } {
  const o = t.options;
  return {
    engine: o ? `ENGINE=${o.engine}` : '',
    charset: o ? `DEFAULT CHARSET=${o.charset} COLLATE=${o.collation}` : '',
    comment: t.comment !== null ? `COMMENT=${quoteLiteral(t.comment)}` : `COMMENT=''`,
  };
}

/** `row_format=DYNAMIC` → `ROW_FORMAT=DYNAMIC`; an option the server lists in another form stays as it is. */
function createOption(option: string): string {
  const m = /^([a-z_]+)=(.*)$/.exec(option);
  return m ? `${m[1]!.toUpperCase()}=${m[2]}` : option;
}

/** Options that go back to their default by 0; the others take DEFAULT. */
const RESET_BY_ZERO = new Set([
  'key_block_size',
  'checksum',
  'max_rows',
  'min_rows',
  'avg_row_length',
  'delay_key_write',
]);

/** The clauses that move a table's explicit options from `from` to `to`. */
function createOptionChanges(from: Table, to: Table): string[] {
  const key = (o: string): string => o.split('=')[0]!;
  const before = from.options?.createOptions ?? [];
  const after = to.options?.createOptions ?? [];
  const set = after.filter((o) => !before.includes(o)).map(createOption);
  const reset = before
    .map(key)
    .filter((k) => !after.some((o) => key(o) === k))
    .map((k) => createOption(`${k}=${RESET_BY_ZERO.has(k) ? '0' : 'DEFAULT'}`));
  return [...set, ...reset];
}

function viewClauses(v: View): { head: string; tail: string } {
  const get = (key: string): string | undefined =>
    v.options.find((o) => o.startsWith(`${key}=`))?.slice(key.length + 1);
  const algorithm = get('algorithm');
  const security = get('security');
  const check = get('check');
  const head = `${algorithm ? `ALGORITHM=${algorithm} ` : ''}${security ? `SQL SECURITY ${security} ` : ''}`;
  return { head, tail: check ? ` WITH ${check} CHECK OPTION` : '' };
}

function notOnMysql(what: string): never {
  throw new DbchangeError(
    ErrorCode.SchemaError,
    `${what} do not exist on MySQL; this model mixes engines — introspect both sides from the same engine`,
  );
}

export const mysqlDialect: Dialect = {
  engine: 'mysql',
  indexesInline: true,
  tableName,
  createSchema: () => notOnMysql('schemas'),
  dropSchema: () => notOnMysql('schemas'),
  createExtension: () => notOnMysql('extensions'),
  alterExtensionSchema: () => notOnMysql('extensions'),
  dropExtension: () => notOnMysql('extensions'),
  enumName: () => notOnMysql('enum types'),
  createEnum: () => notOnMysql('enum types'),
  addEnumValue: () => notOnMysql('enum types'),
  renameEnum: () => notOnMysql('enum types'),
  renameEnumValue: () => notOnMysql('enum types'),
  dropEnum: () => notOnMysql('enum types'),
  domainName: () => notOnMysql('domains'),
  createDomain: () => notOnMysql('domains'),
  alterDomain: () => notOnMysql('domains'),
  dropDomain: () => notOnMysql('domains'),
  createSequence: () => notOnMysql('sequences'),
  alterSequence: () => notOnMysql('sequences'),
  sequenceOwnedBy: () => notOnMysql('sequences'),
  dropSequence: () => notOnMysql('sequences'),
  createTable(t) {
    const pk = t.constraints.filter((c) => c.kind === 'primary-key');
    const checks = t.constraints.filter((c) => c.kind === 'check');
    const lines = [
      ...t.columns.map(columnDefinition),
      ...pk.map(constraintClause),
      ...t.indexes.map((i) => i.definition),
      ...checks.map(constraintClause),
    ].map((l) => `  ${l}`);
    const o = tableOptionClauses(t);
    const options = [
      o.engine,
      o.charset,
      ...(t.options?.createOptions ?? []).map(createOption),
      t.comment !== null ? o.comment : '',
    ]
      .filter((s) => s !== '')
      .join(' ');
    return [
      {
        sql: `CREATE TABLE ${tableName(t)} (\n${lines.join(',\n')}\n)${options ? ` ${options}` : ''}`,
        destructive: false,
        kind: 'create-table',
      },
    ];
  },
  dropTable: (t) => `DROP TABLE ${tableName(t)}`,
  tableOptions(from, to) {
    const a = tableOptionClauses(from);
    const b = tableOptionClauses(to);
    const changed = [
      ...(['engine', 'charset', 'comment'] as const).filter((k) => a[k] !== b[k] && b[k] !== '').map((k) => b[k]),
      ...createOptionChanges(from, to),
    ];
    if (changed.length === 0) return [];
    return [{ sql: `ALTER TABLE ${tableName(to)} ${changed.join(' ')}`, destructive: false, kind: 'alter-table' }];
  },
  columnsRestatedByTableChange(from, to) {
    // A new table default collation only applies to columns restated afterwards.
    if (!from.options || !to.options || from.options.collation === to.options.collation) return [];
    return to.columns.filter((c) => c.collation === null && TEXTUAL.test(c.type)).map((c) => c.name);
  },
  addColumn: (t, c, after) => [
    {
      sql: `ALTER TABLE ${tableName(t)} ADD COLUMN ${columnDefinition(c)}${position(after)}`,
      destructive: false,
      kind: 'add-column',
    },
  ],
  dropColumn: (t, c) => `ALTER TABLE ${tableName(t)} DROP COLUMN ${quoteIdent(c.name)}`,
  alterColumn: (t, f, c, after) => [
    {
      sql: `ALTER TABLE ${tableName(t)} MODIFY COLUMN ${columnDefinition(c)}${position(after)}`,
      destructive: !isWideningTypeChange('mysql', f.type, c.type),
      kind: f.type === c.type ? 'alter-column' : 'alter-column-type',
    },
  ],
  recastColumn: () => notOnMysql('enum types'),
  addConstraint(t, c) {
    if (c.kind === 'primary-key') return `ALTER TABLE ${tableName(t)} ADD ${c.definition}`;
    return `ALTER TABLE ${tableName(t)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`;
  },
  dropConstraint(t, c) {
    if (c.kind === 'primary-key') return `ALTER TABLE ${tableName(t)} DROP PRIMARY KEY`;
    // A check written on a column goes when the column is stated again without it.
    const column = c.kind === 'check' && t.columnChecks?.includes(c.name) && t.columns.find((o) => o.name === c.name);
    if (column) return `ALTER TABLE ${tableName(t)} MODIFY COLUMN ${columnDefinition(column)}`;
    if (c.kind === 'foreign-key') return `ALTER TABLE ${tableName(t)} DROP FOREIGN KEY ${quoteIdent(c.name)}`;
    return `ALTER TABLE ${tableName(t)} DROP CONSTRAINT ${quoteIdent(c.name)}`;
  },
  validateConstraint: () => notOnMysql('NOT VALID constraints'),
  createIndex: (t, i) => `ALTER TABLE ${tableName(t)} ADD ${i.definition}`,
  dropIndex: (t, i) => `ALTER TABLE ${tableName(t)} DROP INDEX ${quoteIdent(i.name)}`,
  renameTable: (t, name) => `RENAME TABLE ${tableName(t)} TO ${quoteIdent(name)}`,
  renameColumn: (t, from, to) => `ALTER TABLE ${tableName(t)} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`,
  renameConstraint: (t, c, name) =>
    c.kind === 'unique'
      ? `ALTER TABLE ${tableName(t)} RENAME INDEX ${quoteIdent(c.name)} TO ${quoteIdent(name)}`
      : null,
  renameIndex: (t, i, name) => `ALTER TABLE ${tableName(t)} RENAME INDEX ${quoteIdent(i.name)} TO ${quoteIdent(name)}`,
  attachPartition: () => notOnMysql('declarative partitions'),
  detachPartition: () => notOnMysql('declarative partitions'),
  inherit: () => notOnMysql('inherited tables'),
  noInherit: () => notOnMysql('inherited tables'),
  createPolicy: () => notOnMysql('row-level security policies'),
  dropPolicy: () => notOnMysql('row-level security policies'),
  createComposite: () => notOnMysql('composite types'),
  alterComposite: () => notOnMysql('composite types'),
  dropComposite: () => notOnMysql('composite types'),
  triggerState: () => null,
  createView(v) {
    const { head, tail } = viewClauses(v);
    return `CREATE ${head}VIEW ${quoteIdent(v.name)} AS ${v.definition}${tail}`;
  },
  dropView: (v) => `DROP VIEW ${quoteIdent(v.name)}`,
  createMatview: () => notOnMysql('materialized views'),
  dropMatview: () => notOnMysql('materialized views'),
  comment: () => notOnMysql('comments on views, routines, sequences, indexes and types'),
  canReplaceRoutine: () => false,
  createRoutine: (r) => r.definition,
  dropRoutine: (r) => `DROP ${r.kind === 'function' ? 'FUNCTION' : 'PROCEDURE'} ${quoteIdent(r.name)}`,
  createTrigger: (t) => t.definition,
  dropTrigger: (t) => `DROP TRIGGER ${quoteIdent(t.name)}`,
  mentions: (definition, _schema, name) => definition.includes(quoteIdent(name)),
};
