/**
 * What a script touches on one database, for the blast radius on the review card: every table a
 * statement changes (DDL) or writes (DML) that exists before the script runs, with its size from
 * the live catalog, and whether a statement rewrites or locks it. The last is known from the
 * static rules that carry an `effect` (Squawk's rewrite and lock rules) and is not decided again
 * here: their findings, whatever the policy, name the statements that rewrite or lock.
 */
import type { Engine } from '../../domain/engine.js';
import type { QueryFn } from '../../targets/types.js';
import { STATIC_RULES } from '../catalog.js';
import { readStatements, reviewScript } from '../engine.js';
import { syntaxProblem } from '../parse.js';
import { createdEarlier, dmlTargets } from '../rules/util.js';
import type { Statement } from '../statement.js';
import type { ReviewPolicy, TableEffect } from '../types.js';
import { tableSize } from './explain.js';
import { ddlTables } from './rules.js';

export interface TouchedTable {
  /** As the script names it (schema.table when qualified). */
  table: string;
  rows: number;
  bytes: number;
  effects: TableEffect[];
  /** The rules that found the rewrite or lock. */
  rules: string[];
}

const EFFECT_POLICY: ReviewPolicy = {
  rules: STATIC_RULES.filter((r) => r.effect).map((r) => ({ rule: r.id, level: 'WARNING' as const, payload: {} })),
};
const EFFECT_OF = new Map(STATIC_RULES.filter((r) => r.effect).map((r) => [r.id, r.effect!]));

/** The statement a finding at (line, column) is in: the last one that starts at or before it. */
function statementAt(statements: readonly Statement[], line: number, column: number): Statement | undefined {
  let found: Statement | undefined;
  for (const s of statements) {
    const at = s.locate(0);
    if (at.line < line || (at.line === line && at.column <= column)) found = s;
  }
  return found;
}

/** The tables the script touches on this database, largest first. Throws what the database throws. */
export async function touchedTables(input: { engine: Engine; sql: string; query: QueryFn }): Promise<TouchedTable[]> {
  const { engine, sql, query } = input;
  const statements = readStatements(sql, engine).filter((s) =>
    engine === 'postgres' ? s.ast !== null : syntaxProblem(s, Number.MAX_SAFE_INTEGER) === null,
  );
  const flagged = new Map<Statement, { effects: Set<TableEffect>; rules: Set<string> }>();
  for (const f of reviewScript({ engine, sql, policy: EFFECT_POLICY }).findings) {
    const effect = EFFECT_OF.get(f.rule);
    const s = effect && statementAt(statements, f.line, f.column);
    if (!s || !effect) continue;
    const entry = flagged.get(s) ?? { effects: new Set(), rules: new Set() };
    entry.effects.add(effect);
    entry.rules.add(f.rule);
    flagged.set(s, entry);
  }
  const byTable = new Map<string, TouchedTable>();
  for (const s of statements) {
    for (const parts of [...ddlTables(s), ...dmlTargets(s)]) {
      if (createdEarlier(statements, s.index, parts)) continue;
      const key = parts.join('.');
      let entry = byTable.get(key);
      if (!entry) {
        const size = await tableSize(engine, query, parts);
        if (!size) continue;
        entry = { table: key, ...size, effects: [], rules: [] };
        byTable.set(key, entry);
      }
      const f = flagged.get(s);
      if (f) {
        entry.effects = [...new Set([...entry.effects, ...f.effects])];
        entry.rules = [...new Set([...entry.rules, ...f.rules])];
      }
    }
  }
  return [...byTable.values()].sort((a, b) => b.rows - a.rows || b.bytes - a.bytes);
}
