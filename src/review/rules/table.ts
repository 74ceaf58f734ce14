// table.* rules.
import type { Rule } from '../types.js';
import type { Statement } from '../statement.js';
import { readName } from '../tokens.js';
import type { AlterAction } from '../model/alter-table.js';
import { BOTH, MYSQL } from './engines.js';
import { definedIndexes } from './defs.js';
import { pgTableChange } from '../postgres/table-changes.js';
import { baseName, bool, dmlTargets, isDml, num, readTables, regex, str, listSet } from './util.js';

/**
 * TABLE_REQUIRE_PK follows the script, as Bytebase does: a table the script creates must end the
 * script with a primary key (one added by a later ALTER counts, also ADD/MODIFY/CHANGE COLUMN …
 * PRIMARY KEY; dropping it later, by DROP PRIMARY KEY, DROP INDEX `PRIMARY`, dropping the key
 * constraint or all its columns, is flagged), a table the script drops is no longer checked, and
 * dropping the primary key of a table the script did not create is flagged unless the script adds
 * a new one. MySQL reports at the statement that created the table or last changed its key;
 * PostgreSQL at the last statement about the table (Bytebase's "related statement").
 */
export const requirePk: Rule = {
  id: 'table.require-pk',
  type: 'TABLE_REQUIRE_PK',
  engines: BOTH,
  summary: 'Table must have primary key',
  checkScript(ctx) {
    interface Tracked {
      pk: string[] | null;
      s: Statement;
      pos: number;
      dropped: boolean;
      /** The table existed before the script (its original key is unknown). */
      existing: boolean;
      /** Existing table: the key it has now was added by the script. */
      added: boolean;
    }
    const pg = ctx.engine === 'postgres';
    const tables = new Map<string, Tracked>();
    const dropsPk = (a: AlterAction): boolean =>
      a.kind === 'drop-primary-key' ||
      (a.kind === 'drop-index' && a.name.toUpperCase() === 'PRIMARY') ||
      (a.kind === 'drop-constraint' && /_pkey$|_pk$|^pk_|^pk$/i.test(a.name));
    const dropKey = (key: string, tr: Tracked | undefined, s: Statement, pos: number): void => {
      // PostgreSQL: dropping a key the script itself added to an existing table leaves it as it was.
      if (tr?.existing && tr.added && pg) tables.delete(key);
      else if (tr) Object.assign(tr, { pk: null, s, pos, dropped: true });
      else tables.set(key, { pk: null, s, pos, dropped: true, existing: true, added: false });
    };
    /** The statements that created a table (the finding goes to the table's name there). */
    const creators = new Set<Statement>();
    const create = (s: Statement, key: string, pk: string[] | null, pos: number): void => {
      tables.set(key, { pk, s, pos, dropped: false, existing: false, added: false });
      creators.add(s);
    };
    /** An ALTER TABLE of table `key`: its actions in order, and the primary key it adds (null: none). */
    const alter = (s: Statement, key: string, actions: readonly AlterAction[], adds: string[] | null): void => {
      let tr = tables.get(key);
      if (tr && pg) Object.assign(tr, { s, pos: 0 });
      for (const a of actions) {
        if (a.kind === 'rename-table') {
          if (tr) {
            tables.delete(key);
            key = baseName(a.to);
            tables.set(key, tr);
          }
          continue;
        }
        if ((a.kind === 'modify-column' || a.kind === 'change-column') && a.column.primaryKey) adds = [a.column.name];
        if (dropsPk(a)) {
          dropKey(key, tr, s, a.pos);
          tr = tables.get(key);
        } else if (tr?.pk && (a.kind === 'drop-column' || a.kind === 'change-column')) {
          const from = a.kind === 'drop-column' ? a.column : a.from;
          if (!tr.pk.includes(from)) continue;
          const rest = tr.pk.filter((c) => c !== from);
          if (a.kind === 'change-column') rest.push(a.column.name);
          if (!pg) Object.assign(tr, { s, pos: a.pos });
          if (rest.length > 0) tr.pk = rest;
          else Object.assign(tr, { pk: null, dropped: true });
        }
      }
      if (adds) {
        if (tr) tr.pk = adds;
        else if (pg) tables.set(key, { pk: adds, s, pos: 0, dropped: false, existing: true, added: true });
      }
    };
    for (const s of ctx.statements) {
      // PostgreSQL's tree, where it says what the statement does to a table; otherwise the tokens.
      const change = pg ? pgTableChange(s) : null;
      if (change) {
        if (change.kind === 'create' && !change.derived) create(s, change.table, change.primaryKey, change.pos);
        else if (change.kind === 'drop') for (const t of change.tables) tables.delete(t);
        else if (change.kind === 'alter')
          alter(
            s,
            change.table,
            change.drops.map((d): AlterAction => ({ ...d, pos: 0 })),
            change.primaryKey,
          );
        continue;
      }
      const ct = s.createTable;
      if (ct) {
        if (ct.derived) continue;
        const pk = definedIndexes(s).find((i) => i.kind === 'primary');
        create(s, baseName(ct.table), pk ? pk.columns : null, ct.pos);
        continue;
      }
      for (const d of droppedTables(s)) tables.delete(baseName(d.parts));
      if (
        s.verb === 'DROP' &&
        s.kind.label === 'DROP INDEX' &&
        s.tokens[s.kind.at + 1]?.name.toUpperCase() === 'PRIMARY'
      ) {
        const on = s.tokens.findIndex((t) => t.type === 'word' && t.v === 'ON');
        const name = on >= 0 ? readName(s.tokens, on + 1) : null;
        if (name) dropKey(baseName(name.parts), tables.get(baseName(name.parts)), s, 0);
        continue;
      }
      const at = s.alterTable;
      if (!at) continue;
      alter(s, baseName(at.table), at.actions, definedIndexes(s).find((i) => i.kind === 'primary')?.columns ?? null);
    }
    for (const [name, tr] of tables) {
      if (tr.pk) continue;
      ctx.report(
        tr.s,
        tr.dropped
          ? `Table ${name} is left without a primary key; add the new primary key in the same change.`
          : `Table ${name} has no primary key; add one (e.g. id BIGINT PRIMARY KEY) so rows can be identified, replicated and changed safely.`,
        pg && !creators.has(tr.s) ? undefined : tr.pos,
      );
    }
  },
};

export const noForeignKey: Rule = {
  id: 'table.no-foreign-key',
  type: 'TABLE_NO_FOREIGN_KEY',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No foreign keys',
  check(s, ctx) {
    // One finding per foreign key; MySQL parses and ignores an inline column REFERENCES, so only PostgreSQL's count.
    for (const fk of definedIndexes(s))
      if (fk.kind === 'foreign' && (s.engine === 'postgres' || !fk.inline))
        ctx.report(
          s,
          `Foreign key on ${baseName(fk.table)} (${fk.columns.join(', ')}) is not allowed by policy; enforce the relation in the application.`,
          // MySQL: a key added by ALTER TABLE is statement-level advice, one declared in CREATE TABLE at its line.
          s.engine === 'mysql' && s.alterTable ? undefined : fk.pos,
        );
  },
};

/** Tables named by DROP TABLE. */
export function droppedTables(s: Statement): Array<{ parts: string[]; pos: number }> {
  if (s.verb !== 'DROP' || s.kind.label !== 'DROP TABLE') return [];
  const t = s.tokens;
  let k = s.kind.at + 1;
  if (t[k]?.v === 'IF') k += 2;
  const out: Array<{ parts: string[]; pos: number }> = [];
  for (;;) {
    const n = readName(t, k);
    if (!n) break;
    out.push({ parts: n.parts, pos: t[k]!.pos });
    k = n.next;
    if (t[k]?.v !== ',') break;
    k++;
  }
  return out;
}

export const dropNamingConvention: Rule = {
  id: 'table.drop-naming-convention',
  type: 'TABLE_DROP_NAMING_CONVENTION',
  engines: BOTH,
  verbs: ['DROP'],
  summary: 'Only drop tables matching regex (e.g. _del$)',
  reportAtStart: BOTH,
  check(s, ctx) {
    const format = str(ctx.payload, 'format', '_del$');
    const re = regex(format);
    for (const d of droppedTables(s)) {
      const name = baseName(d.parts);
      if (re && !re.test(name))
        ctx.report(
          s,
          `Table ${name} is dropped but does not match ${format}; rename it first (e.g. ${name}_del) and drop it in a later change, so a mistake can be undone.`,
        );
    }
  },
};

/** The comment a COMMENT ON statement leaves on an object ('' for IS NULL), and that statement. */
export interface PgComment {
  text: string;
  s: Statement;
}
const commentsMemo = new WeakMap<readonly Statement[], Map<string, Map<string, PgComment>>>();

/** The last COMMENT ON <object> <name> IS '…' of the script for each name (computed once per script). */
export function pgComments(statements: readonly Statement[], object: 'TABLE' | 'COLUMN'): Map<string, PgComment> {
  let byObject = commentsMemo.get(statements);
  if (!byObject) commentsMemo.set(statements, (byObject = new Map()));
  let out = byObject.get(object);
  if (out) return out;
  out = new Map<string, PgComment>();
  byObject.set(object, out);
  for (const s of statements) {
    // The first word first: it needs no tokens, and most statements are not comments.
    if (s.verb !== 'COMMENT' || s.tokens[2]?.v !== object) continue;
    const n = readName(s.tokens, 3);
    const text = s.tokens.find((t) => t.type === 'string');
    if (n) {
      const parts = n.parts;
      const key = object === 'TABLE' ? baseName(parts) : parts.slice(-2).join('.');
      out.set(key, { text: text?.v ?? '', s });
    }
  }
  return out;
}

export const tableComment: Rule = {
  id: 'table.comment',
  type: 'TABLE_COMMENT',
  engines: BOTH,
  verbs: ['CREATE'],
  summary: 'Table comment required / max length',
  reportAtStart: MYSQL,
  check(s, ctx) {
    const ct = s.createTable;
    if (!ct) return;
    const required = bool(ctx.payload, 'required', true);
    const max = num(ctx.payload, 'maxLength', 64);
    const name = baseName(ct.table);
    const pg = s.engine === 'mysql' ? null : pgComments(ctx.statements, 'TABLE').get(name);
    const comment = s.engine === 'mysql' ? ct.options.comment : (pg?.text ?? null);
    const how = s.engine === 'mysql' ? "COMMENT = '…' after the column list" : `COMMENT ON TABLE ${name} IS '…'`;
    // Statement-level advice (where the statement ends); a PostgreSQL comment too long at its COMMENT ON.
    if (comment === null || comment === '') {
      if (required) ctx.report(s, `Table ${name} has no comment; add one with ${how}.`);
    } else if (max > 0 && comment.length > max)
      ctx.report(
        pg?.s ?? s,
        `The comment of table ${name} is ${comment.length} characters long, more than ${max}; shorten it.`,
      );
  },
};

export const disallowPartition: Rule = {
  id: 'table.disallow-partition',
  type: 'TABLE_DISALLOW_PARTITION',
  engines: BOTH,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No partitioned tables',
  reportAtStart: BOTH,
  check(s, ctx) {
    if (s.createTable?.options.partitioned || s.alterTable?.actions.some((a) => a.kind === 'partition')) {
      ctx.report(s, 'Partitioned tables are not allowed by policy; create a plain table, or ask for an exception.');
    }
  },
};

export const disallowTrigger: Rule = {
  id: 'table.disallow-trigger',
  type: 'TABLE_DISALLOW_TRIGGER',
  engines: MYSQL,
  verbs: ['CREATE'],
  summary: 'No triggers',
  reportAtStart: MYSQL,
  check(s, ctx) {
    if (s.kind.label === 'CREATE TRIGGER')
      ctx.report(
        s,
        'Triggers hide logic from the application and slow every write; implement it in the application instead.',
      );
  },
};

export const noDuplicateIndex: Rule = {
  id: 'table.no-duplicate-index',
  type: 'TABLE_NO_DUPLICATE_INDEX',
  engines: MYSQL,
  summary: 'No duplicate indexes on a table',
  checkScript(ctx) {
    const seen = new Map<string, string>();
    for (const s of ctx.statements) {
      for (const i of definedIndexes(s)) {
        if (i.kind === 'foreign' || i.kind === 'check' || i.columns.length === 0) continue;
        const key = `${baseName(i.table)}(${i.columns.join(',')})`;
        // Indexes of another kind (unique or not) or method (USING BTREE / HASH) are not duplicates.
        const sameIndex = `${key} ${i.kind} ${i.using ?? ''}`;
        const prev = seen.get(sameIndex);
        if (prev !== undefined)
          ctx.report(
            s,
            `Index ${i.name ?? ''} on ${key} duplicates ${prev}; remove one of them.`.replace('Index  on', 'Index on'),
            i.pos,
          );
        else seen.set(sameIndex, i.name ?? (i.kind === 'primary' ? 'the primary key' : 'an unnamed index'));
      }
    }
  },
};

const TEXT_LENGTH: Record<string, number> = { TINYTEXT: 255, TEXT: 65535, MEDIUMTEXT: 16777215, LONGTEXT: 4294967295 };

export const textFieldsTotalLength: Rule = {
  id: 'table.text-fields-total-length',
  type: 'TABLE_TEXT_FIELDS_TOTAL_LENGTH',
  engines: MYSQL,
  verbs: ['CREATE'],
  summary: 'Cap total text-column length',
  check(s, ctx) {
    const ct = s.createTable;
    if (!ct) return;
    const max = num(ctx.payload, 'number', 1000);
    let total = 0;
    for (const c of ct.columns) {
      if (c.type === 'CHAR' || c.type === 'VARCHAR') total += c.typeArgs[0] ?? 1;
      else if (c.type in TEXT_LENGTH) total += TEXT_LENGTH[c.type]!;
    }
    if (max > 0 && total > max)
      ctx.report(
        s,
        `The text columns of ${baseName(ct.table)} total ${total} characters, more than ${max}; shorten them or move large text to its own table.`,
        ct.pos,
      );
  },
};

export const disallowSetCharset: Rule = {
  id: 'table.disallow-set-charset',
  type: 'TABLE_DISALLOW_SET_CHARSET',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No table-level charset',
  reportAtStart: MYSQL,
  check(s, ctx) {
    const setsCharset =
      !!s.createTable?.options.charset ||
      !!s.alterTable?.actions.some((a) => a.kind === 'options' && a.options.charset);
    if (setsCharset)
      ctx.report(s, 'Setting a table-level charset is not allowed; let the table use the database default.');
  },
};

export const requireCharset: Rule = {
  id: 'table.require-charset',
  type: 'TABLE_REQUIRE_CHARSET',
  engines: MYSQL,
  verbs: ['CREATE'],
  summary: 'Table must declare charset',
  check(s, ctx) {
    const ct = s.createTable;
    if (ct && !ct.derived && !ct.options.charset)
      ctx.report(s, `Table ${baseName(ct.table)} does not declare a charset; add DEFAULT CHARSET=utf8mb4.`, ct.pos);
  },
};

export const requireCollation: Rule = {
  id: 'table.require-collation',
  type: 'TABLE_REQUIRE_COLLATION',
  engines: MYSQL,
  verbs: ['CREATE'],
  summary: 'Table must declare collation',
  check(s, ctx) {
    const ct = s.createTable;
    if (ct && !ct.derived && !ct.options.collation)
      ctx.report(
        s,
        `Table ${baseName(ct.table)} does not declare a collation; add COLLATE=utf8mb4_0900_ai_ci (or your standard).`,
        ct.pos,
      );
  },
};

function tablesOf(s: Statement): string[] {
  if (s.createTable) return [baseName(s.createTable.table)];
  if (s.alterTable) return [baseName(s.alterTable.table)];
  if (s.createIndex) return [baseName(s.createIndex.table)];
  return droppedTables(s).map((d) => baseName(d.parts));
}

export const disallowDdl: Rule = {
  id: 'table.disallow-ddl',
  type: 'TABLE_DISALLOW_DDL',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER', 'DROP'],
  summary: 'Blocklist tables for DDL',
  check(s, ctx) {
    const blocked = listSet(ctx, 'lower');
    if (blocked.size === 0) return;
    const hit = tablesOf(s).find((t) => blocked.has(t.toLowerCase()));
    if (hit) ctx.report(s, `DDL on table ${hit} is not allowed by policy; ask the table's owners for an exception.`);
  },
};

export const disallowDml: Rule = {
  id: 'table.disallow-dml',
  type: 'TABLE_DISALLOW_DML',
  engines: MYSQL,
  verbs: ['INSERT', 'REPLACE', 'UPDATE', 'DELETE'],
  summary: 'Blocklist tables for DML',
  check(s, ctx) {
    if (!isDml(s) || s.verb === 'SELECT') return;
    const blocked = listSet(ctx, 'lower');
    if (blocked.size === 0) return;
    const names = [...dmlTargets(s), ...readTables(s).map((r) => r.parts)].map(baseName);
    const hit = names.find((t) => blocked.has(t.toLowerCase()));
    if (hit) ctx.report(s, `DML on table ${hit} is not allowed by policy; ask the table's owners for an exception.`);
  },
};
