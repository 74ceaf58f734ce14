// index.* rules.
import type { Rule } from '../types.js';
import { BOTH, MYSQL } from './engines.js';
import { definedColumns, definedIndexes, knownColumnType } from './defs.js';
import type { Statement } from '../statement.js';
import { isBlobType } from '../model/column.js';
import { anyRepeat, baseName, num, listSet } from './util.js';
import { as, stringValue } from '../postgres/nodes.js';

export const noDuplicateColumn: Rule = {
  id: 'index.no-duplicate-column',
  type: 'INDEX_NO_DUPLICATE_COLUMN',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No duplicate columns in an index',
  check(s, ctx) {
    if (s.ast && !mayRepeatColumn(s)) return;
    for (const i of definedIndexes(s)) {
      const dup = i.columns.find((c, k) => c !== '(expression)' && i.columns.indexOf(c) !== k);
      if (dup)
        ctx.report(
          s,
          `Index ${i.name ?? ''} lists column ${dup} twice; remove the repeat.`.replace('Index  ', 'Index '),
          i.pos,
        );
    }
  },
};

interface PgConstraint {
  contype?: string;
  keys?: unknown[];
  fk_attrs?: unknown[];
}

/** A table constraint of PostgreSQL's tree may list a column twice (unknown kinds: maybe). */
function constraintRepeats(node: unknown): boolean {
  const c = as<PgConstraint>(node as never, 'Constraint');
  if (!c) return false;
  switch (c.contype) {
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
      return anyRepeat(c.keys, stringValue);
    case 'CONSTR_FOREIGN':
      return anyRepeat(c.fk_attrs, stringValue);
    case 'CONSTR_CHECK':
    case 'CONSTR_NOTNULL':
    case 'CONSTR_NULL':
    case 'CONSTR_DEFAULT':
      return false;
    default:
      return true;
  }
}

/**
 * PostgreSQL: false when no index, key or constraint the statement defines can list a column
 * twice, read from PostgreSQL's tree, so the statement need not be tokenized. An index of two or
 * more elements with an expression among them, and statement forms not read here, are left to
 * the tokens (which name an expression element by its first word).
 */
function mayRepeatColumn(s: Statement): boolean {
  const stmt = as<Record<string, unknown[] | undefined>>(s.ast, s.node)!;
  switch (s.node) {
    case 'IndexStmt': {
      const names = (stmt.indexParams ?? []).map((e) => as<{ name?: string }>(e as never, 'IndexElem')?.name);
      if (names.length > 1 && names.some((n) => !n)) return true;
      return anyRepeat(names, (n) => n as string);
    }
    case 'CreateStmt':
      return (stmt.tableElts ?? []).some(constraintRepeats);
    case 'AlterTableStmt':
      return (stmt.cmds ?? []).some((c) => {
        const cmd = as<{ subtype?: string; def?: unknown }>(c as never, 'AlterTableCmd');
        return cmd?.subtype === 'AT_AddConstraint' && constraintRepeats(cmd.def);
      });
    case 'CreateTableAsStmt':
    case 'RenameStmt':
    case 'AlterObjectSchemaStmt':
    case 'AlterTableMoveAllStmt':
      return true;
    default:
      return false;
  }
}

export const keyNumberLimit: Rule = {
  id: 'index.key-number-limit',
  type: 'INDEX_KEY_NUMBER_LIMIT',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Cap columns per index',
  check(s, ctx) {
    const max = num(ctx.payload, 'number', 5);
    for (const i of definedIndexes(s)) {
      // A FULLTEXT index is not counted, as Bytebase does.
      if (i.kind !== 'check' && i.kind !== 'fulltext' && max > 0 && i.columns.length > max)
        ctx.report(
          s,
          `Index ${i.name ?? `on ${baseName(i.table)}`} has ${i.columns.length} columns, more than ${max}; index fewer columns.`,
          i.pos,
        );
    }
  },
};

const INT_PK = new Set(['INT', 'INTEGER', 'BIGINT']);

export const pkTypeLimit: Rule = {
  id: 'index.pk-type-limit',
  type: 'INDEX_PK_TYPE_LIMIT',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'PK must be INT/BIGINT',
  check(s, ctx) {
    for (const i of definedIndexes(s)) {
      if (i.kind !== 'primary') continue;
      for (const c of i.columns) {
        const type = knownColumnType(ctx.statements, s.index, i.table, c);
        if (type && !INT_PK.has(type))
          ctx.report(s, `Primary key column ${c} is ${type}; use INT or BIGINT for primary keys.`, i.pos);
      }
    }
  },
};

/** Where the statement itself defines the column (Bytebase reports a key column at its definition). */
function columnPos(s: Statement, table: readonly string[], column: string): number | undefined {
  const key = baseName(table);
  return definedColumns(s).find((d) => d.col.name === column && baseName(d.table) === key)?.col.pos;
}

export const primaryKeyTypeAllowlist: Rule = {
  id: 'index.primary-key-type-allowlist',
  type: 'INDEX_PRIMARY_KEY_TYPE_ALLOWLIST',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Allowlist PK types',
  check(s, ctx) {
    const allowed = listSet(ctx, 'upper');
    if (allowed.size === 0) return;
    for (const i of definedIndexes(s)) {
      if (i.kind !== 'primary') continue;
      for (const c of i.columns) {
        const type = knownColumnType(ctx.statements, s.index, i.table, c);
        if (type && !allowed.has(type))
          ctx.report(
            s,
            `Primary key column ${c} is ${type}; policy allows ${[...allowed].join(', ')}.`,
            columnPos(s, i.table, c) ?? i.pos,
          );
      }
    }
  },
};

export const typeNoBlob: Rule = {
  id: 'index.type-no-blob',
  type: 'INDEX_TYPE_NO_BLOB',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No index on BLOB/TEXT',
  check(s, ctx) {
    for (const i of definedIndexes(s)) {
      if (i.kind === 'foreign' || i.kind === 'check' || i.kind === 'fulltext') continue;
      for (const c of i.columns) {
        const type = knownColumnType(ctx.statements, s.index, i.table, c);
        if (type && isBlobType(type))
          ctx.report(
            s,
            `Index ${i.name ?? ''} covers ${type} column ${c}; index a prefix or a hash column instead.`.replace(
              'Index  ',
              'Index ',
            ),
            i.pos,
          );
      }
    }
  },
};

export const totalNumberLimit: Rule = {
  id: 'index.total-number-limit',
  type: 'INDEX_TOTAL_NUMBER_LIMIT',
  engines: BOTH,
  summary: 'Cap indexes per table',
  checkScript(ctx) {
    const max = num(ctx.payload, 'number', 5);
    const counts = new Map<string, number>();
    for (const s of ctx.statements) {
      const added = definedIndexes(s).filter((i) => i.kind !== 'foreign' && i.kind !== 'check');
      if (added.length === 0) continue;
      const table = baseName(added[0]!.table);
      const n = (counts.get(table) ?? 0) + added.length;
      counts.set(table, n);
      if (max > 0 && n > max && n - added.length <= max)
        ctx.report(
          s,
          `Table ${table} gets ${n} indexes, more than ${max}; every index slows writes, so drop the ones you do not need.`,
        );
    }
  },
};

export const typeAllowList: Rule = {
  id: 'index.type-allow-list',
  type: 'INDEX_TYPE_ALLOW_LIST',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Allowlist index types (BTREE, HASH…)',
  check(s, ctx) {
    const allowed = listSet(ctx, 'upper');
    if (allowed.size === 0) return;
    for (const i of definedIndexes(s)) {
      const type = i.kind === 'fulltext' ? 'FULLTEXT' : i.kind === 'spatial' ? 'SPATIAL' : (i.using ?? 'BTREE');
      if (i.kind !== 'foreign' && i.kind !== 'check' && !allowed.has(type))
        ctx.report(s, `Index type ${type} is not allowed; use one of ${[...allowed].join(', ')}.`, i.pos);
    }
  },
};
