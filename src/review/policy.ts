/**
 * Bytebase-compatible review policies: `ruleList: [{type, level, engine, payload}]` in YAML or
 * JSON. `type` is the enum name or the dotted id; `level` ERROR/WARNING (DISABLED or absent: off);
 * `engine` MYSQL/POSTGRES (absent: both; other engines' entries are ignored); `payload` an object
 * or a JSON string, as Bytebase exports it.
 */
import { createRequire } from 'node:module';
import type { Engine } from '../domain/engine.js';
import { DbchangeError, ErrorCode, messageOf } from '../errors.js';
import type { Payload, PolicyRule, ReviewPolicy } from './types.js';
import { isOtherEngineRule, resolveRuleIds } from './catalog.js';

// YAML is read only when a policy file is given: loading the parser is a large part of a bare
// `dbchange review` start-up otherwise (a third of it, measured).
const load = createRequire(import.meta.url);
function parseYaml(text: string): unknown {
  return (load('yaml') as typeof import('yaml')).parse(text);
}

const ENGINE_NAMES: Record<string, Engine | null> = {
  MYSQL: 'mysql',
  MARIADB: 'mysql',
  TIDB: null,
  OCEANBASE: null,
  POSTGRES: 'postgres',
  POSTGRESQL: 'postgres',
};

// Bytebase engines dbchange does not target: their entries in an exported policy are skipped.
const OTHER_ENGINES = new Set([
  'ORACLE',
  'MSSQL',
  'SNOWFLAKE',
  'CLICKHOUSE',
  'SQLITE',
  'MONGODB',
  'REDIS',
  'SPANNER',
  'REDSHIFT',
  'DM',
  'RISINGWAVE',
  'STARROCKS',
  'DORIS',
  'HIVE',
  'ELASTICSEARCH',
  'BIGQUERY',
  'DYNAMODB',
  'DATABRICKS',
  'COCKROACHDB',
  'COSMOSDB',
  'TRINO',
  'CASSANDRA',
  'OCEANBASE_ORACLE',
]);

const NUMBER_KEYS = ['number', 'maxLength'];

function fail(source: string, where: string, what: string): never {
  throw new DbchangeError(ErrorCode.ConfigInvalid, `${source}: ${where}: ${what}`);
}

function readPayload(raw: unknown, source: string, where: string): Payload {
  if (raw === undefined || raw === null || raw === '') return {};
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      fail(
        source,
        where,
        `payload is a string but not JSON (${messageOf(e)}); write it as a YAML mapping, e.g. payload: {number: 1000}`,
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(
      source,
      where,
      'payload must be a mapping such as {number: 1000}, {list: [...]}, {format: "...", maxLength: 64}',
    );
  const p = value as Payload;
  for (const k of NUMBER_KEYS) {
    if (k in p && (typeof p[k] !== 'number' || !Number.isFinite(p[k])))
      fail(source, where, `payload.${k} must be a number, got ${JSON.stringify(p[k])}`);
  }
  if ('list' in p && (!Array.isArray(p.list) || p.list.some((x) => typeof x !== 'string' && typeof x !== 'number'))) {
    fail(source, where, 'payload.list must be a list of strings, e.g. list: [JSON, BLOB]');
  }
  if ('required' in p && typeof p.required !== 'boolean') fail(source, where, 'payload.required must be true or false');
  if ('format' in p) {
    if (typeof p.format !== 'string') fail(source, where, 'payload.format must be a regular expression string');
    const probe = p.format.replace(/\{\{\w+\}\}/g, 'x');
    try {
      new RegExp(probe);
    } catch (e) {
      fail(source, where, `payload.format is not a valid regular expression: ${messageOf(e)}`);
    }
  }
  return p;
}

/** Parse a policy file (YAML or JSON). Errors name the entry and say what is allowed. */
export function loadPolicy(text: string, source = 'review policy'): ReviewPolicy {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new DbchangeError(ErrorCode.ConfigInvalid, `${source}: not valid YAML or JSON: ${messageOf(e)}`, {
      cause: e,
    });
  }
  const list = Array.isArray(doc) ? doc : (doc as { ruleList?: unknown } | null)?.ruleList;
  if (!Array.isArray(list))
    fail(source, 'top level', 'expected a mapping with ruleList: [{type, level, engine, payload}, …]');
  const rules: PolicyRule[] = [];
  list.forEach((raw: unknown, i: number) => {
    const where = `ruleList[${i}]`;
    if (typeof raw !== 'object' || raw === null)
      fail(source, where, 'each entry must be a mapping with type, level, engine and payload');
    const e = raw as Record<string, unknown>;
    if (typeof e.type !== 'string' || e.type === '')
      fail(
        source,
        where,
        'type is required: a rule id such as statement.where.require.update-delete or STATEMENT_WHERE_REQUIRE_UPDATE_DELETE',
      );
    const label = `${where} (type ${e.type})`;
    let engine: Engine | undefined;
    if (e.engine !== undefined && e.engine !== null) {
      if (typeof e.engine !== 'string') fail(source, label, 'engine must be MYSQL or POSTGRES');
      const name = e.engine.toUpperCase();
      const mapped = ENGINE_NAMES[name];
      if (mapped === undefined && OTHER_ENGINES.has(name)) return; // Another engine's entry: not ours.
      if (mapped === undefined)
        fail(source, label, `engine "${e.engine}" is unknown; use MYSQL or POSTGRES (or leave it out for both)`);
      if (mapped === null) return;
      engine = mapped;
    }
    const level = e.level === undefined || e.level === null ? 'DISABLED' : String(e.level).toUpperCase();
    if (!['ERROR', 'WARNING', 'DISABLED'].includes(level))
      fail(source, label, `level "${String(e.level)}" is not allowed; use ERROR, WARNING or DISABLED`);
    const ids = resolveRuleIds(e.type);
    if (ids.length === 0) {
      if (isOtherEngineRule(e.type)) return;
      fail(
        source,
        label,
        'unknown rule type; run `dbchange review --list-rules` for the supported ids (dotted ids, Bytebase enum names and Squawk rule names all work)',
      );
    }
    const payload = readPayload(e.payload, source, label);
    if (level === 'DISABLED') return;
    for (const id of ids)
      rules.push({ rule: id, level: level as PolicyRule['level'], ...(engine ? { engine } : {}), payload });
  });
  return { rules };
}
