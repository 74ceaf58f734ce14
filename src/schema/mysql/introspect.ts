/** MySQL / MariaDB introspection: the queries of ./queries.ts folded into a SchemaModel. */
import { DbchangeError, ErrorCode } from '../../errors.js';
import type { QueryFn } from '../../targets/types.js';
import type { Column, Routine, SchemaModel, Table } from '../model.js';
import { isIgnoredTable, normalizeModel } from '../model.js';
import * as q from './queries.js';
import { quoteIdent, quoteLiteral } from './quote.js';

type Row = Record<string, unknown>;
const str = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));
const emptyToNull = (v: unknown): string | null => {
  const s = strOrNull(v);
  return s === '' ? null : s;
};

function column(r: Row, tableCollation: string | null): Column {
  const extra = str(r.extra ?? '').toLowerCase();
  const generated = /\b(virtual|stored|persistent) generated\b/.test(extra);
  const nullable = str(r.nullable) === 'YES';
  let dflt = strOrNull(r.dflt);
  // MariaDB prints an absent default on a nullable column as the text NULL.
  if (dflt === 'NULL' && nullable) dflt = null;
  const onUpdate = /on update (\S+(?:\(\d*\))?)/.exec(str(r.extra ?? ''));
  const collation = strOrNull(r.collation);
  return {
    name: str(r.name),
    type: str(r.type),
    nullable,
    default: generated ? null : dflt,
    identity: null,
    autoIncrement: extra.includes('auto_increment'),
    generated: generated ? { expression: str(r.generation), stored: !extra.includes('virtual') } : null,
    collation: collation !== null && collation !== tableCollation ? collation : null,
    comment: emptyToNull(r.comment),
    onUpdate: onUpdate ? onUpdate[1]! : null,
  };
}

/** The explicit table options of CREATE_OPTIONS (`partitioned` is a fact, not an option). */
function createOptions(v: unknown): { createOptions?: string[] } {
  const list = str(v ?? '')
    .split(/\s+/)
    .filter((o) => o !== '' && o !== 'partitioned');
  return list.length > 0 ? { createOptions: list } : {};
}

function indexDefinition(name: string, parts: Row[]): { unique: boolean; definition: string } {
  const first = parts[0]!;
  const unique = Number(first.non_unique) === 0;
  const type = str(first.type);
  // MariaDB lists a length for the column of a SPATIAL key, which the key cannot be given.
  const prefix = (p: Row): string => (p.sub_part === null || type === 'SPATIAL' ? '' : `(${str(p.sub_part)})`);
  const cols = parts.map((p) => `${quoteIdent(str(p.col))}${prefix(p)}${p.dir === 'D' ? ' DESC' : ''}`).join(',');
  const keyword =
    type === 'FULLTEXT' ? 'FULLTEXT KEY' : type === 'SPATIAL' ? 'SPATIAL KEY' : unique ? 'UNIQUE KEY' : 'KEY';
  const using = type === 'HASH' ? ' USING HASH' : '';
  const comment = emptyToNull(first.comment);
  return {
    unique,
    definition: `${keyword} ${quoteIdent(name)} (${cols})${using}${comment ? ` COMMENT ${quoteLiteral(comment)}` : ''}`,
  };
}

function routineDefinition(r: Row, params: Row[]): Routine {
  const kind = str(r.kind) === 'FUNCTION' ? 'function' : 'procedure';
  const args = params
    .map((p) => `${kind === 'procedure' ? `${str(p.mode)} ` : ''}${quoteIdent(str(p.name))} ${str(p.type)}`)
    .join(', ');
  const signature = args;
  const returns = kind === 'function' ? str(r.returns) : null;
  const traits = [
    str(r.is_deterministic) === 'YES' ? 'DETERMINISTIC' : null,
    str(r.data_access) !== 'CONTAINS SQL' ? str(r.data_access) : null,
    str(r.security) === 'INVOKER' ? 'SQL SECURITY INVOKER' : null,
    emptyToNull(r.comment) !== null ? `COMMENT ${quoteLiteral(str(r.comment))}` : null,
  ].filter((t) => t !== null);
  const head = `CREATE ${kind.toUpperCase()} ${quoteIdent(str(r.name))}(${args})${returns ? ` RETURNS ${returns}` : ''}`;
  return {
    schema: '',
    name: str(r.name),
    kind,
    signature,
    returns,
    definition: [head, ...traits, str(r.body)].join('\n'),
  };
}

/** Read the schema of the connection's current database. */
export async function introspectMysql(query: QueryFn): Promise<SchemaModel> {
  const [current] = await query<{ name: string | null }>(q.CURRENT_DATABASE);
  const db = current?.name;
  if (!db) {
    throw new DbchangeError(
      ErrorCode.InvalidInput,
      'the MySQL connection has no current database; put the database name in the URL (mysql://host/db)',
    );
  }
  const p = [db];
  const [tableRows, columnRows, indexRows, checkRows, fkRows, viewRows, triggerRows, routineRows, paramRows] = [
    await query(q.TABLES, p),
    await query(q.COLUMNS, p),
    await query(q.INDEX_PARTS, p),
    await query(q.CHECKS, p),
    await query(q.FOREIGN_KEYS, p),
    await query(q.VIEWS, p),
    await query(q.TRIGGERS, p),
    await query(q.ROUTINES, p),
    await query(q.PARAMETERS, p),
  ];
  const tables = new Map<string, Table>();
  for (const r of tableRows) {
    const name = str(r.name);
    if (isIgnoredTable(name)) continue;
    tables.set(name, {
      schema: '',
      name,
      columns: [],
      constraints: [],
      indexes: [],
      comment: emptyToNull(r.comment),
      options: {
        engine: str(r.engine),
        charset: str(r.charset),
        collation: str(r.collation),
        ...createOptions(r.create_options),
      },
    });
  }
  for (const r of columnRows) {
    const t = tables.get(str(r.tbl));
    t?.columns.push(column(r, t.options?.collation ?? null));
  }
  const groups = <T extends Row>(rows: T[], key: (r: T) => string): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
    return m;
  };
  for (const parts of groups(indexRows, (r) => `${str(r.tbl)}\u0000${str(r.name)}`).values()) {
    const t = tables.get(str(parts[0]!.tbl));
    const name = str(parts[0]!.name);
    if (!t) continue;
    if (name === 'PRIMARY') {
      const columns = parts.map((x) => str(x.col));
      const comment = emptyToNull(parts[0]!.comment);
      t.constraints.push({
        name,
        kind: 'primary-key',
        definition: `PRIMARY KEY (${columns.map(quoteIdent).join(',')})${comment ? ` COMMENT ${quoteLiteral(comment)}` : ''}`,
        columns,
        references: null,
      });
    } else {
      t.indexes.push({ name, ...indexDefinition(name, parts) });
    }
  }
  for (const r of checkRows) {
    const t = tables.get(str(r.tbl));
    // MariaDB's JSON is LONGTEXT with a check named after the column; the model says json, as the SQL did.
    const json = t?.columns.find(
      (c) =>
        c.name === str(r.name) && /^longtext$/i.test(c.type) && str(r.clause) === `json_valid(${quoteIdent(c.name)})`,
    );
    if (json) {
      json.type = 'json';
      if (json.collation === 'utf8mb4_bin') json.collation = null;
      continue;
    }
    if (t && str(r.level) === 'Column') t.columnChecks = [...(t.columnChecks ?? []), str(r.name)];
    t?.constraints.push({
      name: str(r.name),
      kind: 'check',
      definition: `CHECK (${str(r.clause)})`,
      columns: [],
      references: null,
    });
  }
  for (const parts of groups(fkRows, (r) => `${str(r.tbl)}\u0000${str(r.name)}`).values()) {
    const f = parts[0]!;
    const t = tables.get(str(f.tbl));
    if (!t) continue;
    const columns = parts.map((x) => str(x.col));
    const refColumns = parts.map((x) => str(x.ref_col));
    const refSchema = str(f.ref_schema);
    const refTable = `${refSchema === db ? '' : `${quoteIdent(refSchema)}.`}${quoteIdent(str(f.ref_table))}`;
    t.constraints.push({
      name: str(f.name),
      kind: 'foreign-key',
      definition: `FOREIGN KEY (${columns.map(quoteIdent).join(',')}) REFERENCES ${refTable} (${refColumns.map(quoteIdent).join(',')}) ON DELETE ${str(f.on_delete)} ON UPDATE ${str(f.on_update)}`,
      columns,
      references: { schema: refSchema === db ? '' : refSchema, table: str(f.ref_table), columns: refColumns },
    });
  }
  // Definitions name objects of this database with its name; the model must not depend on it.
  const local = (s: string): string => s.split(`${quoteIdent(db)}.`).join('');
  const params = groups(paramRows, (r) => `${str(r.routine)}\u0000${str(r.kind)}`);
  return normalizeModel({
    engine: 'mysql',
    schemas: [],
    extensions: [],
    enums: [],
    sequences: [],
    tables: [...tables.values()],
    views: viewRows
      .filter((r) => !isIgnoredTable(str(r.name)))
      .map((r) => ({
        schema: '',
        name: str(r.name),
        definition: local(str(r.definition)),
        options: [
          str(r.algorithm) !== 'UNDEFINED' ? `algorithm=${str(r.algorithm)}` : null,
          str(r.security) === 'INVOKER' ? 'security=INVOKER' : null,
          str(r.check_option) !== 'NONE' ? `check=${str(r.check_option)}` : null,
        ].filter((o): o is string => o !== null),
      })),
    routines: routineRows.map((r) => routineDefinition(r, params.get(`${str(r.name)}\u0000${str(r.kind)}`) ?? [])),
    triggers: triggerRows
      .filter((r) => tables.has(str(r.tbl)))
      .map((r) => ({
        schema: '',
        table: str(r.tbl),
        name: str(r.name),
        definition: `CREATE TRIGGER ${quoteIdent(str(r.name))} ${str(r.timing)} ${str(r.event)} ON ${quoteIdent(str(r.tbl))} FOR EACH ROW ${str(r.body)}`,
      })),
  });
}
