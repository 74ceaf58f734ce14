// Squawk's column type rules (PostgreSQL): each offending column is reported at its type.
import type { ColumnDef, TypeName } from 'libpg-query';
import type { Statement } from '../../statement.js';
import { typeName } from './ast.js';
import { definedPgColumns } from './columns.js';
import { squawkRule } from './define.js';

interface ColumnType {
  /** The type's name as PostgreSQL resolved it, lower-case (`int4` for integer). */
  name: string;
  t: TypeName;
  c: ColumnDef;
}

/** The typed columns a statement defines with their type names, read once for every type rule. */
function columnTypes(s: Statement): ColumnType[] {
  const defs = definedPgColumns(s);
  if (defs.length === 0) return NO_TYPES;
  return s.cached('pg.columnTypes', readColumnTypes);
}
function readColumnTypes(s: Statement): ColumnType[] {
  const out: ColumnType[] = [];
  for (const c of definedPgColumns(s)) if (c.typeName) out.push({ name: typeName(c.typeName), t: c.typeName, c });
  return out;
}
const NO_TYPES: ColumnType[] = [];

function eachType(
  s: Statement,
  test: (name: string, t: TypeName, c: ColumnDef, s: Statement) => boolean,
  report: (pos?: number) => void,
): void {
  const types = columnTypes(s);
  for (let i = 0; i < types.length; i++) {
    const { name, t, c } = types[i]!;
    if (test(name, t, c, s)) report(s.at(t.location));
  }
}

/** The first characters of a type as written (`timestamp`, `"timestamp"`, `pg_catalog.varchar` …). */
function written(s: Statement, t: TypeName): string {
  const at = s.at(t.location);
  return s.sql.slice(at, at + 12);
}

const VERBS = ['CREATE', 'ALTER'];
/** Only CREATE TABLE and ALTER TABLE define columns. */
const NODES = ['CreateStmt', 'AlterTableStmt'];
// The type tests, made once (not a closure per statement checked).
const isChar = (n: string): boolean => n === 'bpchar' || n === 'char' || n === 'character';
const isInt = (n: string): boolean =>
  n === 'int4' || n === 'int' || n === 'integer' || n === 'serial' || n === 'serial4';
const isSmallint = (n: string): boolean => n === 'int2' || n === 'smallint' || n === 'smallserial' || n === 'serial2';
const isSerial = (n: string): boolean => SERIALS.has(n);
const isSizedVarchar = (n: string, t: TypeName): boolean => n === 'varchar' && (t.typmods?.length ?? 0) > 0;
// Squawk 2.66 flags the `timestamp` keyword, not a quoted or qualified name for the type; and, as
// its type reader does, a quoted or qualified varchar(n) too (`pg_catalog.varchar(20)`).
const isTimestamp = (n: string, t: TypeName, _c: ColumnDef, s: Statement): boolean =>
  n === 'timestamp'
    ? /^timestamp\b/i.test(written(s, t))
    : isSizedVarchar(n, t) && !/^(varchar|character|char|national)\b/i.test(written(s, t));

export const banCharField = squawkRule({
  name: 'ban-char-field',
  verbs: VERBS,
  nodes: NODES,
  summary: 'No char(n): use text or varchar',
  message: 'Using `character` is likely a mistake and should almost always be replaced by `text` or `varchar`.',
  check(s, _ctx, report) {
    eachType(s, isChar, report);
  },
});

export const preferBigintOverInt = squawkRule({
  name: 'prefer-bigint-over-int',
  verbs: VERBS,
  nodes: NODES,
  summary: 'Prefer bigint over int (32-bit keys run out)',
  message: 'Using 32-bit integer fields can result in hitting the max `int` limit.',
  help: 'Use 64-bit integer values instead to prevent hitting this limit.',
  check(s, _ctx, report) {
    eachType(s, isInt, report);
  },
});

export const preferBigintOverSmallint = squawkRule({
  name: 'prefer-bigint-over-smallint',
  verbs: VERBS,
  nodes: NODES,
  summary: 'Prefer bigint over smallint',
  message: 'Using 16-bit integer fields can result in hitting the max `int` limit.',
  help: 'Use 64-bit integer values instead to prevent hitting this limit.',
  check(s, _ctx, report) {
    eachType(s, isSmallint, report);
  },
});

const SERIALS = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

export const preferIdentity = squawkRule({
  name: 'prefer-identity',
  verbs: VERBS,
  nodes: NODES,
  summary: 'Prefer IDENTITY columns over serial',
  message: 'Serial types make schema, dependency, and permission management difficult.',
  help: 'Use an `IDENTITY` column instead.',
  check(s, _ctx, report) {
    eachType(s, isSerial, report);
  },
});

export const preferTextField = squawkRule({
  name: 'prefer-text-field',
  verbs: VERBS,
  nodes: NODES,
  summary: 'Prefer text with a CHECK over varchar(n)',
  message:
    'Changing the size of a `varchar` field requires an `ACCESS EXCLUSIVE` lock, that will prevent all reads and writes to the table.',
  help: 'Use a `TEXT` field with a `CHECK` constraint.',
  check(s, _ctx, report) {
    eachType(s, isSizedVarchar, report);
  },
});

export const preferTimestampTz = squawkRule({
  name: 'prefer-timestamp-tz',
  aliases: ['prefer-timestamptz'],
  verbs: VERBS,
  nodes: NODES,
  summary: 'Prefer timestamptz over timestamp',
  message:
    'When Postgres stores a datetime in a `timestamp` field, Postgres drops the UTC offset. This means 2019-10-11 21:11:24+02 and 2019-10-11 21:11:24-06 will both be stored as 2019-10-11 21:11:24 in the database, even though they are eight hours apart in time.',
  help: 'Use `timestamptz` instead of `timestamp` for your column type.',
  check(s, _ctx, report) {
    eachType(s, isTimestamp, report);
  },
});
