// PostgreSQL-only rules: online-safe DDL and schema qualification.
import type { Rule } from '../types.js';
import type { Statement } from '../statement.js';
import { readName, type Token } from '../tokens.js';
import { POSTGRES } from './engines.js';
import { createdEarlier, dmlTargets, num, readTables } from './util.js';
import { objectNames, type ObjectName } from '../postgres/object-names.js';

export const disallowAddColumnWithDefault: Rule = {
  id: 'statement.disallow-add-column-with-default',
  type: 'STATEMENT_DISALLOW_ADD_COLUMN_WITH_DEFAULT',
  engines: POSTGRES,
  verbs: ['ALTER'],
  summary: 'No ADD COLUMN … DEFAULT (pre-PG11 rewrite)',
  check(s, ctx) {
    for (const a of s.alterTable?.actions ?? []) {
      if (a.kind === 'add-column' && a.column.hasDefault)
        ctx.report(
          s,
          `ADD COLUMN ${a.column.name} with DEFAULT rewrites the table before PostgreSQL 11 (and always for a volatile default); add the column without a default, then SET DEFAULT and backfill in batches.`,
          a.pos,
        );
    }
  },
};

export const addCheckNotValid: Rule = {
  id: 'statement.add-check-not-valid',
  type: 'STATEMENT_ADD_CHECK_NOT_VALID',
  engines: POSTGRES,
  verbs: ['ALTER'],
  summary: 'ADD CHECK must be NOT VALID',
  check(s, ctx) {
    for (const a of s.alterTable?.actions ?? []) {
      if (a.kind === 'add-index' && a.index.kind === 'check' && !a.index.notValid)
        ctx.report(
          s,
          'ADD CHECK scans the whole table under a lock; add it NOT VALID, then VALIDATE CONSTRAINT in a separate statement.',
          a.pos,
        );
    }
  },
};

export const addForeignKeyNotValid: Rule = {
  id: 'statement.add-foreign-key-not-valid',
  type: 'STATEMENT_ADD_FOREIGN_KEY_NOT_VALID',
  engines: POSTGRES,
  verbs: ['ALTER'],
  summary: 'ADD FOREIGN KEY must be NOT VALID',
  check(s, ctx) {
    for (const a of s.alterTable?.actions ?? []) {
      const fk =
        (a.kind === 'add-index' && a.index.kind === 'foreign' && !a.index.notValid) ||
        (a.kind === 'add-column' && a.column.references);
      if (fk)
        ctx.report(
          s,
          'ADD FOREIGN KEY validates every row while locking both tables; add it NOT VALID, then VALIDATE CONSTRAINT in a separate statement.',
          a.pos,
        );
    }
  },
};

export const disallowAddNotNull: Rule = {
  id: 'statement.disallow-add-not-null',
  type: 'STATEMENT_DISALLOW_ADD_NOT_NULL',
  engines: POSTGRES,
  verbs: ['ALTER'],
  summary: 'No SET NOT NULL on existing column',
  check(s, ctx) {
    for (const a of s.alterTable?.actions ?? []) {
      if (a.kind === 'set-not-null')
        ctx.report(
          s,
          `SET NOT NULL on ${a.column} scans the whole table under an ACCESS EXCLUSIVE lock; add CHECK (${a.column} IS NOT NULL) NOT VALID, validate it, then set NOT NULL.`,
          a.pos,
        );
    }
  },
};

const SCHEMA_OBJECTS = new Set(['TABLE', 'VIEW', 'SEQUENCE', 'FUNCTION', 'PROCEDURE', 'TYPE', 'DOMAIN', 'AGGREGATE']);

/** The name a CREATE statement creates (index: the table it is on). */
function createdName(s: Statement): { parts: string[]; pos: number } | null {
  if (s.verb !== 'CREATE') return null;
  if (s.kind.object === 'INDEX') {
    const ci = s.createIndex;
    return ci ? { parts: ci.table, pos: ci.pos } : null;
  }
  if (!SCHEMA_OBJECTS.has(s.kind.object)) return null;
  let k = s.kind.at + 1;
  if (s.tokens[k]?.v === 'IF') k += 3;
  const name = readName(s.tokens, k);
  return name ? { parts: name.parts, pos: s.tokens[k]!.pos } : null;
}

export const createSpecifySchema: Rule = {
  id: 'statement.create-specify-schema',
  type: 'STATEMENT_CREATE_SPECIFY_SCHEMA',
  engines: POSTGRES,
  verbs: ['CREATE'],
  summary: 'CREATE must name the schema',
  check(s, ctx) {
    const n = createdName(s);
    if (n && n.parts.length < 2 && !(s.createTable && s.tokens.some((t) => t.v === 'TEMPORARY' || t.v === 'TEMP'))) {
      ctx.report(
        s,
        `${s.kind.label} ${n.parts.join('.')} does not name a schema, so where it lands depends on search_path; write schema.${n.parts[0]}.`,
        n.pos,
      );
    }
  },
};

export const namingFullyQualified: Rule = {
  id: 'naming.fully-qualified',
  type: 'NAMING_FULLY_QUALIFIED',
  engines: POSTGRES,
  verbs: ['CREATE', 'ALTER', 'DROP', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  summary: 'Require schema-qualified object names',
  check(s, ctx) {
    const names = objectNames(s) ?? tokenNames(s);
    const bad = names.find((n) => n.parts.length < 2);
    if (bad)
      ctx.report(
        s,
        `"${bad.parts.join('.')}" is not schema-qualified; write schema.${bad.parts[0]} so the statement does not depend on search_path.`,
        bad.pos,
      );
  },
};

/** The names naming.fully-qualified checks, read from tokens (statement forms objectNames does not read). */
export function tokenNames(s: Statement): ObjectName[] {
  const names: ObjectName[] = [];
  const created = createdName(s);
  if (created) names.push(created);
  const table = s.alterTable?.table;
  if (table) names.push({ parts: table, pos: s.alterTable!.pos });
  if (s.verb === 'DROP' && s.kind.object === 'TABLE') {
    let k = s.kind.at + 1;
    if (s.tokens[k]?.v === 'IF') k += 2;
    const n = readName(s.tokens, k);
    if (n) names.push({ parts: n.parts, pos: s.tokens[k]!.pos });
  }
  for (const parts of dmlTargets(s)) names.push({ parts, pos: 0 });
  if (s.verb === 'SELECT' || s.verb === 'INSERT' || s.verb === 'UPDATE' || s.verb === 'DELETE') {
    // CTE names are not schema objects.
    const ctes = new Set(
      s.tokens.filter((_t, k) => s.tokens[k + 1]?.v === 'AS' && s.tokens[k + 2]?.v === '(').map((t) => t.name),
    );
    for (const r of readTables(s)) if (!ctes.has(r.parts[0]!)) names.push(r);
  }
  return names;
}

export const disallowOnDelCascade: Rule = {
  id: 'statement.disallow-on-del-cascade',
  type: 'STATEMENT_DISALLOW_ON_DEL_CASCADE',
  engines: POSTGRES,
  verbs: ['CREATE', 'ALTER'],
  summary: 'No ON DELETE CASCADE',
  check(s, ctx) {
    if (!s.has('CASCADE')) return;
    const t = s.tokens;
    for (let k = 0; k < t.length - 2; k++) {
      if (t[k]!.v === 'ON' && t[k + 1]!.v === 'DELETE' && t[k + 2]!.v === 'CASCADE') {
        ctx.report(
          s,
          'ON DELETE CASCADE lets one DELETE silently remove rows in other tables; use RESTRICT (the default) and delete children explicitly.',
          t[k]!.pos,
        );
        return;
      }
    }
  },
};

export const disallowRmTblCascade: Rule = {
  id: 'statement.disallow-rm-tbl-cascade',
  type: 'STATEMENT_DISALLOW_RM_TBL_CASCADE',
  engines: POSTGRES,
  verbs: ['DROP', 'TRUNCATE'],
  summary: 'No DROP TABLE ... CASCADE',
  check(s, ctx) {
    if (!/cascade/i.test(s.sql)) return;
    const last = s.tokens[s.tokens.length - 1];
    if ((s.kind.label === 'DROP TABLE' || s.verb === 'TRUNCATE') && last?.v === 'CASCADE' && last.type === 'word') {
      ctx.report(
        s,
        `${s.verb} … CASCADE also removes dependent objects (views, foreign keys, rows) you did not name; drop them explicitly and remove CASCADE.`,
        last.pos,
      );
    }
  },
};

export const nonTransactional: Rule = {
  id: 'statement.non-transactional',
  type: 'STATEMENT_NON_TRANSACTIONAL',
  engines: POSTGRES,
  verbs: ['CREATE', 'DROP', 'ALTER', 'REINDEX', 'VACUUM'],
  summary: 'Flag statements that cannot run in a transaction',
  // Generated plans build indexes on existing tables CONCURRENTLY on purpose; the runner applies
  // such a task step by step outside a transaction.
  generatorDecides: true,
  check(s, ctx) {
    // Each form below is named by one of these words (or VACUUM): a statement without any is not tokenized.
    if (s.verb !== 'VACUUM' && !/concurrently|database|tablespace|system|value/i.test(s.sql)) return;
    const t = s.tokens;
    const concurrently = t.some((x) => x.v === 'CONCURRENTLY' && x.type === 'word');
    const what =
      s.kind.object === 'INDEX' && concurrently
        ? `${s.kind.label} CONCURRENTLY`
        : s.verb === 'REINDEX' && concurrently
          ? 'REINDEX CONCURRENTLY'
          : s.verb === 'VACUUM'
            ? 'VACUUM'
            : (s.kind.object === 'DATABASE' && s.verb !== 'ALTER') || s.kind.object === 'TABLESPACE'
              ? s.kind.label
              : s.kind.label === 'ALTER SYSTEM'
                ? 'ALTER SYSTEM'
                : s.kind.label === 'ALTER TYPE' && t.some((x, k) => x.v === 'ADD' && t[k + 1]?.v === 'VALUE')
                  ? 'ALTER TYPE … ADD VALUE'
                  : null;
    if (what)
      ctx.report(
        s,
        `${what} cannot run inside a transaction block, so dbchange runs this change's task statement by statement, without one: should a statement fail, the ones before it stay applied. Put it in a change of its own to keep the other statements atomic.`,
      );
  },
};

export const indexCreateConcurrently: Rule = {
  id: 'index.create-concurrently',
  type: 'INDEX_CREATE_CONCURRENTLY',
  engines: POSTGRES,
  verbs: ['CREATE', 'DROP'],
  summary: 'CREATE INDEX must be CONCURRENTLY',
  check(s, ctx) {
    const ci = s.createIndex;
    if (ci && !ci.concurrently && !createdEarlier(ctx.statements, s.index, ci.table)) {
      ctx.report(
        s,
        'CREATE INDEX without CONCURRENTLY blocks writes to the table while it builds; use CREATE INDEX CONCURRENTLY (outside a transaction).',
      );
    }
    if (s.kind.label === 'DROP INDEX' && !s.tokens.some((x) => x.v === 'CONCURRENTLY')) {
      ctx.report(
        s,
        'DROP INDEX without CONCURRENTLY takes an exclusive lock on the table; use DROP INDEX CONCURRENTLY.',
      );
    }
  },
};

/** SQL value functions PostgreSQL's grammar reads as function calls without parentheses. */
const VALUE_FUNCTIONS = new Set([
  'CURRENT_DATE',
  'CURRENT_TIME',
  'CURRENT_TIMESTAMP',
  'LOCALTIME',
  'LOCALTIMESTAMP',
  'CURRENT_USER',
  'CURRENT_ROLE',
  'SESSION_USER',
  'USER',
  'CURRENT_SCHEMA',
  'CURRENT_CATALOG',
]);

/** The first function call of a DEFAULT expression (a type's arguments after :: are not calls). */
function defaultCall(tokens: readonly Token[]): Token | undefined {
  return tokens.find(
    (t, k) => t.type === 'word' && tokens[k - 1]?.v !== '::' && (VALUE_FUNCTIONS.has(t.v) || tokens[k + 1]?.v === '('),
  );
}

/**
 * As Bytebase checks it: a column added by ALTER TABLE whose DEFAULT calls a function (any call:
 * PostgreSQL cannot know it is stable without the catalog), one finding per column at its line.
 */
export const defaultDisallowVolatile: Rule = {
  id: 'column.default-disallow-volatile',
  type: 'COLUMN_DEFAULT_DISALLOW_VOLATILE',
  engines: POSTGRES,
  verbs: ['ALTER'],
  summary: 'No volatile DEFAULT (clock_timestamp())',
  check(s, ctx) {
    for (const a of s.alterTable?.actions ?? []) {
      if (a.kind !== 'add-column') continue;
      const fn = defaultCall(a.column.defaultTokens);
      if (fn)
        ctx.report(
          s,
          `ADD COLUMN ${a.column.name} DEFAULT ${fn.v.toLowerCase()}${VALUE_FUNCTIONS.has(fn.v) ? '' : '()'} may be volatile, so PostgreSQL may rewrite the whole table; add the column without default, backfill in batches, then SET DEFAULT.`,
          a.column.pos,
        );
    }
  },
};

export const commentLength: Rule = {
  id: 'system.comment.length',
  type: 'SYSTEM_COMMENT_LENGTH',
  engines: POSTGRES,
  verbs: ['COMMENT'],
  summary: 'Cap COMMENT ON length',
  check(s, ctx) {
    if (s.verb !== 'COMMENT') return;
    const max = num(ctx.payload, 'number', 64);
    const text = s.tokens.find((t) => t.type === 'string');
    if (text && max > 0 && text.v.length > max)
      ctx.report(s, `The comment is ${text.v.length} characters long, more than ${max}; shorten it.`, text.pos);
  },
};
