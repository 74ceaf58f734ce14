// reviewLive: the rules that read the target database. Each rule's failure becomes a finding, not an exception.
import type { Engine } from '../../domain/engine.js';
import type { QueryFn } from '../../targets/types.js';
import { messageOf } from '../../errors.js';
import type { Finding, LiveContext, ReviewPolicy } from '../types.js';
import { LIVE_RULES } from '../catalog.js';
import { DEFAULT_PRODUCTION_POLICY } from '../default-policy.js';
import { activeRules, finding, readStatements, sortFindings } from '../engine.js';
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
  return sortFindings(findings);
}
