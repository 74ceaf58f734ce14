// column.* rules.
import type { Rule } from '../types.js';
import { BOTH, MYSQL } from './engines.js';
import { definedColumns, knownColumnType, knownIndexColumns, primaryKeyColumns } from './defs.js';
import { isIntegerType, isTextType, takesNoDefault } from '../model/column.js';
import { baseName, bool, list, num, listSet } from './util.js';
import { droppedTables, pgComments } from './table.js';
import type { Statement } from '../statement.js';

/**
 * COLUMN_REQUIRED follows the script, as Bytebase does: a table the script creates must end it
 * with every required column (one added or renamed into place later counts), reported once per
 * table at the statement that created it or last removed a required column; on a table the script
 * did not create, dropping or renaming a required column away is flagged unless a later statement
 * brings it back. A table the script drops is not checked.
 */
export const required: Rule = {
  id: 'column.required',
  type: 'COLUMN_REQUIRED',
  engines: BOTH,
  summary: 'Required column list (id, created_ts…)',
  checkScript(ctx) {
    const need = list(ctx.payload).filter((n) => n !== '');
    if (need.length === 0) return;
    const required = new Map(need.map((n) => [n.toLowerCase(), n]));
    interface Tracked {
      /** Created by the script: the columns it has; otherwise null (only removals are known). */
      have: Set<string> | null;
      /** Required columns removed from a table the script did not create. */
      removed: Set<string>;
      s: Statement;
      pos: number | undefined;
    }
    const tables = new Map<string, Tracked>();
    for (const s of ctx.statements) {
      const ct = s.createTable;
      if (ct) {
        if (ct.derived) continue;
        tables.set(baseName(ct.table), {
          have: new Set(ct.columns.map((c) => c.name.toLowerCase())),
          removed: new Set(),
          s,
          pos: undefined,
        });
        continue;
      }
      for (const d of droppedTables(s)) tables.delete(baseName(d.parts));
      const at = s.alterTable;
      if (!at) continue;
      let key = baseName(at.table);
      for (const a of at.actions) {
        if (a.kind === 'rename-table') {
          const tr = tables.get(key);
          tables.delete(key);
          key = baseName(a.to);
          if (tr) tables.set(key, tr);
          continue;
        }
        const gone =
          a.kind === 'drop-column'
            ? a.column
            : a.kind === 'rename-column'
              ? a.from
              : a.kind === 'change-column' && a.from !== a.column.name
                ? a.from
                : null;
        const added =
          a.kind === 'add-column' || a.kind === 'change-column'
            ? a.column.name
            : a.kind === 'rename-column'
              ? a.to
              : null;
        let tr = tables.get(key);
        if (gone) {
          const g = gone.toLowerCase();
          if (!tr) tables.set(key, (tr = { have: null, removed: new Set(), s, pos: a.pos }));
          if (tr.have) tr.have.delete(g);
          else if (required.has(g)) tr.removed.add(g);
          if (required.has(g)) Object.assign(tr, { s, pos: a.pos });
        }
        if (added && tr) {
          tr.have?.add(added.toLowerCase());
          tr.removed.delete(added.toLowerCase());
        }
      }
    }
    for (const [name, tr] of tables) {
      const missing = tr.have
        ? need.filter((n) => !tr.have!.has(n.toLowerCase()))
        : [...tr.removed].map((n) => required.get(n)!);
      if (missing.length === 0) continue;
      ctx.report(
        tr.s,
        tr.have
          ? `Table ${name} lacks the required column(s) ${missing.join(', ')}; add them.`
          : `Table ${name} loses the required column(s) ${missing.join(', ')}; keep them.`,
        tr.pos,
      );
    }
  },
};

export const noNull: Rule = {
  id: 'column.no-null',
  type: 'COLUMN_NO_NULL',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Columns must be NOT NULL',
  check(s, ctx) {
    const pkCols = primaryKeyColumns(s);
    for (const d of definedColumns(s)) {
      if (!d.col.notNull && !pkCols.has(d.col.name) && !d.col.autoIncrement)
        ctx.report(
          s,
          `Column ${d.col.name} can hold NULL; declare it NOT NULL (with a DEFAULT if the table has rows).`,
          d.col.pos,
        );
    }
    for (const a of s.alterTable?.actions ?? [])
      if (a.kind === 'drop-not-null')
        ctx.report(s, `Column ${a.column} is made nullable by DROP NOT NULL; keep it NOT NULL.`, a.pos);
  },
};

export const disallowChangeType: Rule = {
  id: 'column.disallow-change-type',
  type: 'COLUMN_DISALLOW_CHANGE_TYPE',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No column type change',
  check(s, ctx) {
    const at = s.alterTable;
    if (!at) return;
    for (const a of at.actions) {
      if (a.kind === 'alter-column-type')
        ctx.report(
          s,
          `Changing the type of column ${a.column} rewrites the table and can break readers; add a new column, backfill it, then switch.`,
          a.pos,
        );
      if (a.kind === 'modify-column' || a.kind === 'change-column') {
        const old = knownColumnType(
          ctx.statements,
          s.index - 1,
          at.table,
          a.kind === 'change-column' ? a.from : a.column.name,
        );
        if (old !== null && old !== a.column.type)
          ctx.report(
            s,
            `Column ${a.column.name} changes type from ${old} to ${a.column.type}; add a new column, backfill it, then switch.`,
            a.pos,
          );
      }
    }
  },
};

export const setDefaultForNotNull: Rule = {
  id: 'column.set-default-for-not-null',
  type: 'COLUMN_SET_DEFAULT_FOR_NOT_NULL',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'NOT NULL columns need DEFAULT',
  check(s, ctx) {
    const pkCols = primaryKeyColumns(s);
    for (const d of definedColumns(s)) {
      const c = d.col;
      if (
        c.notNull &&
        !c.hasDefault &&
        !c.autoIncrement &&
        !c.generated &&
        !c.primaryKey &&
        c.type !== 'SERIAL' &&
        !pkCols.has(c.name) &&
        !takesNoDefault(c.type)
      ) {
        ctx.report(s, `NOT NULL column ${c.name} has no DEFAULT, so inserts that omit it fail; add a DEFAULT.`, c.pos);
      }
    }
  },
};

export const disallowChange: Rule = {
  id: 'column.disallow-change',
  type: 'COLUMN_DISALLOW_CHANGE',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No ALTER … CHANGE COLUMN',
  check(s, ctx) {
    for (const a of s.alterTable?.actions ?? []) {
      if (a.kind === 'change-column')
        ctx.report(
          s,
          `CHANGE COLUMN ${a.from} can rename and retype at once and is easy to get wrong; use RENAME COLUMN or MODIFY COLUMN.`,
          a.pos,
        );
    }
  },
};

export const disallowChangingOrder: Rule = {
  id: 'column.disallow-changing-order',
  type: 'COLUMN_DISALLOW_CHANGING_ORDER',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No FIRST/AFTER reordering',
  check(s, ctx) {
    for (const a of s.alterTable?.actions ?? []) {
      if ((a.kind === 'modify-column' || a.kind === 'change-column') && a.column.position)
        ctx.report(
          s,
          `${a.column.position} moves column ${a.column.name}, which rebuilds the table; leave the column where it is.`,
          a.pos,
        );
    }
  },
};

export const disallowDropInIndex: Rule = {
  id: 'column.disallow-drop-in-index',
  type: 'COLUMN_DISALLOW_DROP_IN_INDEX',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No dropping indexed columns',
  check(s, ctx) {
    const at = s.alterTable;
    if (!at) return;
    const indexed = new Set(knownIndexColumns(ctx.statements, s.index, at.table).flat());
    for (const a of at.actions) {
      if (a.kind === 'drop-column' && indexed.has(a.column))
        ctx.report(s, `Column ${a.column} is part of an index; drop the index first, in a separate statement.`, a.pos);
    }
  },
};

export const columnComment: Rule = {
  id: 'column.comment',
  type: 'COLUMN_COMMENT',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Column comment required / max length',
  check(s, ctx) {
    const requiredComment = bool(ctx.payload, 'required', true);
    const max = num(ctx.payload, 'maxLength', 64);
    const pg = s.engine === 'postgres' ? pgComments(ctx.statements, 'COLUMN') : null;
    for (const d of definedColumns(s)) {
      const c = d.col;
      const pc = pg?.get(`${baseName(d.table)}.${c.name}`);
      const comment = pg ? (pc?.text ?? null) : c.comment;
      if (comment === null || comment === '') {
        if (requiredComment)
          ctx.report(
            s,
            `Column ${c.name} has no comment; add ${pg ? `COMMENT ON COLUMN ${baseName(d.table)}.${c.name} IS '…'` : "COMMENT '…'"}.`,
            c.pos,
          );
      } else if (max > 0 && comment.length > max)
        ctx.report(
          pc?.s ?? s,
          `The comment of column ${c.name} is ${comment.length} characters long, more than ${max}; shorten it.`,
          pc ? undefined : c.pos,
        );
    }
  },
};

export const typeDisallowList: Rule = {
  id: 'column.type-disallow-list',
  type: 'COLUMN_TYPE_DISALLOW_LIST',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Blocklist column types (e.g. JSON, BLOB)',
  check(s, ctx) {
    const banned = listSet(ctx, 'upper');
    for (const d of definedColumns(s)) {
      if (banned.has(d.col.type))
        ctx.report(
          s,
          `Column ${d.col.name} uses type ${d.col.type}, which policy disallows; choose another type.`,
          d.col.pos,
        );
    }
    for (const a of s.alterTable?.actions ?? []) {
      if (a.kind === 'alter-column-type' && banned.has(a.type))
        ctx.report(
          s,
          `Column ${a.column} is changed to type ${a.type}, which policy disallows; choose another type.`,
          a.pos,
        );
    }
  },
};

export const maximumCharacterLength: Rule = {
  id: 'column.maximum-character-length',
  type: 'COLUMN_MAXIMUM_CHARACTER_LENGTH',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Cap CHAR(n)',
  check(s, ctx) {
    const max = num(ctx.payload, 'number', 20);
    for (const d of definedColumns(s)) {
      const n = d.col.typeArgs[0];
      if ((d.col.type === 'CHAR' || d.col.type === 'CHARACTER') && n !== undefined && max > 0 && n > max) {
        ctx.report(s, `Column ${d.col.name} is CHAR(${n}), longer than ${max}; use VARCHAR(${n}).`, d.col.pos);
      }
    }
    // PostgreSQL's ALTER COLUMN … [SET DATA] TYPE char(n) too.
    for (const a of s.alterTable?.actions ?? []) {
      const n = a.kind === 'alter-column-type' ? a.typeArgs[0] : undefined;
      if (
        a.kind === 'alter-column-type' &&
        (a.type === 'CHAR' || a.type === 'CHARACTER') &&
        n !== undefined &&
        max > 0 &&
        n > max
      )
        ctx.report(s, `Column ${a.column} becomes CHAR(${n}), longer than ${max}; use VARCHAR(${n}).`, a.pos);
    }
  },
};

export const maximumVarcharLength: Rule = {
  id: 'column.maximum-varchar-length',
  type: 'COLUMN_MAXIMUM_VARCHAR_LENGTH',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Cap VARCHAR(n)',
  check(s, ctx) {
    const max = num(ctx.payload, 'number', 2560);
    for (const d of definedColumns(s)) {
      const n = d.col.typeArgs[0];
      if (d.col.type === 'VARCHAR' && n !== undefined && max > 0 && n > max)
        ctx.report(
          s,
          `Column ${d.col.name} is VARCHAR(${n}), longer than ${max}; use TEXT or a shorter length.`,
          d.col.pos,
        );
    }
  },
};

export const requireDefault: Rule = {
  id: 'column.require-default',
  type: 'COLUMN_REQUIRE_DEFAULT',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Columns need DEFAULT',
  check(s, ctx) {
    // MySQL exempts primary key columns; PostgreSQL does not (only serial, identity and generated columns).
    const pkCols: ReadonlySet<string> = s.engine === 'mysql' ? primaryKeyColumns(s) : new Set();
    for (const d of definedColumns(s)) {
      const c = d.col;
      const noDefaultPossible = s.engine === 'mysql' && takesNoDefault(c.type);
      const serial = c.type === 'SERIAL' || c.type === 'BIGSERIAL' || c.type === 'SMALLSERIAL';
      if (!c.hasDefault && !c.autoIncrement && !serial && !c.generated && !pkCols.has(c.name) && !noDefaultPossible) {
        ctx.report(s, `Column ${c.name} has no DEFAULT; add one so inserts that omit it get a defined value.`, c.pos);
      }
    }
  },
};

export const disallowSetCharset: Rule = {
  id: 'column.disallow-set-charset',
  type: 'COLUMN_DISALLOW_SET_CHARSET',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No column-level charset',
  check(s, ctx) {
    for (const d of definedColumns(s)) {
      if (d.col.charset)
        ctx.report(
          s,
          `Column ${d.col.name} sets its own charset ${d.col.charset}; remove it and use the table's charset.`,
          d.col.pos,
        );
    }
  },
};

export const requireCharset: Rule = {
  id: 'column.require-charset',
  type: 'COLUMN_REQUIRE_CHARSET',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Text columns must declare charset',
  check(s, ctx) {
    for (const d of definedColumns(s)) {
      if (isTextType(d.col.type) && !d.col.charset)
        ctx.report(s, `Text column ${d.col.name} does not declare a charset; add CHARACTER SET utf8mb4.`, d.col.pos);
    }
  },
};

export const requireCollation: Rule = {
  id: 'column.require-collation',
  type: 'COLUMN_REQUIRE_COLLATION',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Text columns must declare collation',
  check(s, ctx) {
    for (const d of definedColumns(s)) {
      if (isTextType(d.col.type) && !d.col.collation)
        ctx.report(
          s,
          `Text column ${d.col.name} does not declare a collation; add COLLATE utf8mb4_0900_ai_ci (or your standard).`,
          d.col.pos,
        );
    }
  },
};

export const autoIncrementMustInteger: Rule = {
  id: 'column.auto-increment-must-integer',
  type: 'COLUMN_AUTO_INCREMENT_MUST_INTEGER',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Auto-increment must be integer',
  check(s, ctx) {
    for (const d of definedColumns(s)) {
      if (d.col.autoIncrement && !isIntegerType(d.col.type))
        ctx.report(
          s,
          `Auto-increment column ${d.col.name} is ${d.col.type}; use an integer type such as BIGINT.`,
          d.col.pos,
        );
    }
  },
};

export const autoIncrementMustUnsigned: Rule = {
  id: 'column.auto-increment-must-unsigned',
  type: 'COLUMN_AUTO_INCREMENT_MUST_UNSIGNED',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Auto-increment must be UNSIGNED',
  check(s, ctx) {
    for (const d of definedColumns(s)) {
      if (d.col.autoIncrement && !d.col.unsigned)
        ctx.report(
          s,
          `Auto-increment column ${d.col.name} is signed, which wastes half its range; declare it UNSIGNED.`,
          d.col.pos,
        );
    }
  },
};

export const autoIncrementInitialValue: Rule = {
  id: 'column.auto-increment-initial-value',
  type: 'COLUMN_AUTO_INCREMENT_INITIAL_VALUE',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'Fixed AUTO_INCREMENT start',
  check(s, ctx) {
    const want = num(ctx.payload, 'number', 1);
    // CREATE TABLE … AUTO_INCREMENT = n, and ALTER TABLE … AUTO_INCREMENT = n as Bytebase checks it too.
    const values = [s.createTable?.options.autoIncrement];
    for (const a of s.alterTable?.actions ?? []) if (a.kind === 'options') values.push(a.options.autoIncrement);
    for (const have of values)
      if (have !== undefined && have !== null && have !== want)
        ctx.report(
          s,
          `AUTO_INCREMENT starts at ${have}, but policy requires ${want}; set AUTO_INCREMENT=${want} or leave it out.`,
        );
  },
};

const NOW = new Set(['NOW', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP']);

/** Counted per table over the script, as Bytebase does (columns added by later ALTERs count), at the last statement adding one. */
export const currentTimeCountLimit: Rule = {
  id: 'column.current-time-count-limit',
  type: 'COLUMN_CURRENT_TIME_COUNT_LIMIT',
  engines: MYSQL,
  summary: '≤2 NOW()/ON UPDATE columns',
  checkScript(ctx) {
    /** A column counted, where it is defined: the finding goes to the last one, as Bytebase reports it. */
    interface At {
      s: Statement;
      pos: number;
    }
    interface Count {
      defaults: number;
      onUpdate: number;
      lastDefault: At | null;
      lastOnUpdate: At | null;
    }
    const tables = new Map<string, Count>();
    for (const s of ctx.statements) {
      if (s.verb !== 'CREATE' && s.verb !== 'ALTER') continue;
      for (const d of definedColumns(s)) {
        const key = baseName(d.table);
        let n = tables.get(key);
        if (!n) tables.set(key, (n = { defaults: 0, onUpdate: 0, lastDefault: null, lastOnUpdate: null }));
        if (d.col.defaultTokens.some((t) => NOW.has(t.v))) {
          n.defaults++;
          n.lastDefault = { s, pos: d.col.pos };
        }
        if (d.col.onUpdate.some((t) => NOW.has(t.v))) {
          n.onUpdate++;
          n.lastOnUpdate = { s, pos: d.col.pos };
        }
      }
    }
    for (const [name, n] of tables) {
      if (n.defaults > 2 && n.lastDefault)
        ctx.report(
          n.lastDefault.s,
          `Table ${name} has ${n.defaults} columns that default to the current time; keep it to at most two (created and updated).`,
          n.lastDefault.pos,
        );
      if (n.onUpdate > 1 && n.lastOnUpdate)
        ctx.report(
          n.lastOnUpdate.s,
          `Table ${name} has ${n.onUpdate} columns with ON UPDATE CURRENT_TIMESTAMP; keep it to one (updated).`,
          n.lastOnUpdate.pos,
        );
    }
  },
};
