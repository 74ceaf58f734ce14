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
].flatMap((m) => rulesOf(m as Record<string, unknown>));
export { LIVE_RULES };

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
  engines: readonly Engine[];
  live: boolean;
  summary: string;
}

/** All runnable rules (static, live and the size built-in), sorted by id. */
export function catalog(): CatalogEntry[] {
  const all: CatalogEntry[] = [
    ...STATIC_RULES.map((r) => ({ id: r.id, type: r.type, engines: r.engines, live: false, summary: r.summary })),
    ...LIVE_RULES.map((r: LiveRule) => ({
      id: r.id,
      type: r.type,
      engines: r.engines,
      live: true,
      summary: r.summary,
    })),
    {
      id: MAX_SQL_SIZE,
      type: MAX_SQL_SIZE_TYPE,
      engines: ['mysql', 'postgres'] as const,
      live: false,
      summary: 'Built-in: max script size (MB)',
    },
  ];
  return all.sort((a, b) => a.id.localeCompare(b.id));
}

const byName = new Map<string, string>();
for (const e of catalog()) {
  byName.set(e.id, e.id);
  byName.set(e.type, e.id);
}

/** The dotted id for an enum name or dotted id; null when unknown. */
export function resolveRuleId(type: string): string | null {
  return byName.get(type) ?? byName.get(type.toUpperCase()) ?? null;
}

/** True when the type names a catalogue rule for engines other than MySQL/PostgreSQL. */
export function isOtherEngineRule(type: string): boolean {
  return OTHER_ENGINE_RULES.some(([id, t]) => id === type || t === type.toUpperCase());
}
