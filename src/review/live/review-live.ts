// reviewLive: the rules that read the target database. Each rule's failure becomes a finding, not an exception.
import type { Engine } from '../../domain/engine.js';
import type { QueryFn } from '../../targets/types.js';
import { messageOf } from '../../errors.js';
import type { Finding, LiveContext, ReviewPolicy } from '../types.js';
import { LIVE_RULES } from '../catalog.js';
import { DEFAULT_PRODUCTION_POLICY } from '../default-policy.js';
import { activeRules, finding, readStatements, reviewScript, sortFindings } from '../engine.js';
import { syntaxProblem } from '../parse.js';

/** Run the policy's live-database rules against one connection of the target. */
export async function reviewLive(input: {
  engine: Engine;
  sql: string;
  policy?: ReviewPolicy;
  query: QueryFn;
}): Promise<Finding[]> {
  const { engine, sql, query } = input;
  const policy = activeRules(input.policy ?? DEFAULT_PRODUCTION_POLICY, engine);
  const findings: Finding[] = [];
  const statements = readStatements(sql, engine).filter((s) =>
    engine === 'postgres' ? s.ast !== null : syntaxProblem(s, Number.MAX_SAFE_INTEGER) === null,
  );
  const byId = new Map(LIVE_RULES.map((r) => [r.id, r]));
  for (const pr of policy) {
    const rule = byId.get(pr.rule);
    if (!rule?.engines.includes(engine)) continue;
    const ctx: LiveContext = {
      engine,
      payload: pr.payload,
      statements,
      query,
      report: (s, message, pos) => findings.push(finding(s, rule.id, pr.level, message, pos)),
    };
    try {
      await rule.run(ctx);
    } catch (e) {
      const s = statements[0];
      if (s)
        findings.push(
          finding(
            s,
            rule.id,
            'WARNING',
            `Rule ${rule.id} could not check the database (${messageOf(e)}); check the connection and review by hand.`,
          ),
        );
    }
  }
  findings.push(...(await versionFindings(engine, sql, policy, query)));
  return sortFindings(findings);
}

// Static rules whose verdict depends on the PostgreSQL version (Squawk's version awareness).
const VERSION_AWARE = new Set(['adding-field-with-default']);

/**
 * What the version-aware static rules add for the target's own PostgreSQL version: static review
 * assumes a current server, so only findings that the target's version adds are reported here.
 */
async function versionFindings(
  engine: Engine,
  sql: string,
  policy: ReturnType<typeof activeRules>,
  query: QueryFn,
): Promise<Finding[]> {
  const rules = policy.filter((r) => VERSION_AWARE.has(r.rule));
  if (engine !== 'postgres' || rules.length === 0) return [];
  let version: number;
  try {
    const rows = await query<{ server_version_num?: string }>('SHOW server_version_num');
    version = Math.floor(Number(rows[0]?.server_version_num) / 10000);
  } catch {
    return [];
  }
  if (!(version > 0)) return [];
  const at = (f: Finding): string => `${f.rule}:${f.line}:${f.column}`;
  const current = new Set(reviewScript({ engine, sql, policy: { rules } }).findings.map(at));
  return reviewScript({ engine, sql, policy: { rules }, pgVersion: version }).findings.filter(
    (f) => !current.has(at(f)),
  );
}
