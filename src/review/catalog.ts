/**
 * Every rule dbchange knows, by dotted id and by Bytebase enum name. Static rules run in
 * reviewScript; live rules need a database (reviewLive); built-ins are always on.
 */
import type { Engine } from '../domain/engine.js';
import type { LiveRule, Rule } from './types.js';
import * as statement from './rules/statement.js';
import * as script from './rules/script.js';
import * as postgres from './rules/postgres.js';
import * as naming from './rules/naming.js';
import * as table from './rules/table.js';
import * as column from './rules/column.js';
import * as indexes from './rules/indexes.js';
import * as mysql from './rules/mysql.js';
import * as system from './rules/system.js';
import * as squawkColumns from './rules/squawk/columns.js';
import * as squawkColumnTypes from './rules/squawk/column-types.js';
import * as squawkConstraints from './rules/squawk/constraints.js';
import * as squawkLocks from './rules/squawk/locks.js';
import * as squawkObjects from './rules/squawk/objects.js';
import * as squawkScript from './rules/squawk/script.js';
import * as squawkIgnore from './rules/squawk/ignore.js';
import { LIVE_RULES } from './live/rules.js';

function rulesOf(mod: Record<string, unknown>): Rule[] {
  return Object.values(mod).filter(
    (v): v is Rule => typeof v === 'object' && v !== null && 'id' in v && 'engines' in v,
  );
}

export const STATIC_RULES: readonly Rule[] = [
  statement,
  script,
  postgres,
  naming,
  table,
  column,
  indexes,
  mysql,
  system,
  squawkColumns,
  squawkColumnTypes,
  squawkConstraints,
  squawkLocks,
  squawkObjects,
  squawkScript,
  squawkIgnore,
].flatMap((m) => rulesOf(m as Record<string, unknown>));
export { LIVE_RULES };

/** Squawk's rules as squawk-cli runs them by default: all of them but its opt-in ones. */
export const SQUAWK_DEFAULT_RULES: readonly Rule[] = STATIC_RULES.filter(
  (r) => 'squawk' in r && !(r as { optIn?: boolean }).optIn,
);

/** Built-in finding ids that are not policy rules. */
export const SYNTAX_ERROR = 'syntax-error';
export const NOT_REVIEWED = 'statement.not-reviewed';
export const MAX_SQL_SIZE = 'builtin.statement.maximum-sql-size';
export const MAX_SQL_SIZE_TYPE = 'BUILTIN_STATEMENT_MAXIMUM_SQL_SIZE';

/** Catalogue rules that apply to neither MySQL nor PostgreSQL: accepted in policies, never run. */
export const OTHER_ENGINE_RULES: ReadonlyArray<[string, string]> = [
  ['naming.table.no-keyword', 'NAMING_TABLE_NO_KEYWORD'],
  ['naming.identifier.case', 'NAMING_IDENTIFIER_CASE'],
  ['statement.add-column-without-position', 'STATEMENT_ADD_COLUMN_WITHOUT_POSITION'],
  ['statement.disallow-offline-ddl', 'STATEMENT_DISALLOW_OFFLINE_DDL'],
  ['statement.disallow-cross-db-queries', 'STATEMENT_DISALLOW_CROSS_DB_QUERIES'],
  ['column.disallow-drop', 'COLUMN_DISALLOW_DROP'],
  ['column.add-not-null-require-default', 'COLUMN_ADD_NOT_NULL_REQUIRE_DEFAULT'],
  ['index.not-redundant', 'INDEX_NOT_REDUNDANT'],
];

export interface CatalogEntry {
  id: string;
  type: string;
  /** Other names a policy may use: Squawk's rule name, a Bytebase id. */
  aliases: readonly string[];
  engines: readonly Engine[];
  live: boolean;
  summary: string;
}

/** All runnable rules (static, live and the size built-in), sorted by id. */
export function catalog(): CatalogEntry[] {
  const all: CatalogEntry[] = [
    ...STATIC_RULES.map((r) => ({
      id: r.id,
      type: r.type,
      aliases: r.aliases ?? [],
      engines: r.engines,
      live: false,
      summary: r.summary,
    })),
    ...LIVE_RULES.map((r: LiveRule) => ({
      id: r.id,
      type: r.type,
      aliases: r.aliases ?? [],
      engines: r.engines,
      live: true,
      summary: r.summary,
    })),
    {
      id: MAX_SQL_SIZE,
      type: MAX_SQL_SIZE_TYPE,
      aliases: [],
      engines: ['mysql', 'postgres'] as const,
      live: false,
      summary: 'Built-in: max script size (MB)',
    },
  ];
  return all.sort((a, b) => a.id.localeCompare(b.id));
}

const byName = new Map<string, string[]>();
for (const e of catalog()) {
  for (const name of [e.id, e.type, ...e.aliases]) {
    const ids = byName.get(name);
    if (!ids) byName.set(name, [e.id]);
    else if (!ids.includes(e.id)) ids.push(e.id);
  }
}

/** Every rule id a name stands for: one, or several for a name Squawk expands (require-timeout-settings). */
export function resolveRuleIds(type: string): string[] {
  return byName.get(type) ?? byName.get(type.toUpperCase()) ?? byName.get(type.toLowerCase()) ?? [];
}

/** The rule id for an id, Bytebase enum name or Squawk rule name; null when unknown. */
export function resolveRuleId(type: string): string | null {
  return resolveRuleIds(type)[0] ?? null;
}

/** True when the type names a catalogue rule for engines other than MySQL/PostgreSQL. */
export function isOtherEngineRule(type: string): boolean {
  return OTHER_ENGINE_RULES.some(([id, t]) => id === type || t === type.toUpperCase());
}
