// The review engine's public face: static review, live review, policies, and the rule list.
export type { Finding, TableEffect, ReviewLevel, ReviewPolicy, ReviewResult, PolicyRule, Payload } from './types.js';
export { reviewScript } from './engine.js';
export { reviewLive } from './live/review-live.js';
export { touchedTables, type TouchedTable } from './live/blast-radius.js';
export { loadPolicy } from './policy.js';
export { DEFAULT_POLICY, DEFAULT_PRODUCTION_POLICY } from './default-policy.js';
export { catalog, resolveRuleId, SYNTAX_ERROR, NOT_REVIEWED, MAX_SQL_SIZE } from './catalog.js';
import type { Engine } from '../domain/engine.js';
import { catalog } from './catalog.js';

/** Every rule id dbchange can run for an engine (or both), sorted. */
export function listRules(engine?: Engine): string[] {
  return catalog()
    .filter((r) => engine === undefined || r.engines.includes(engine))
    .map((r) => r.id);
}

/** A policy that turns every rule on at the given level, with default payloads (bench, exploration). */
export function allRulesPolicy(level: 'ERROR' | 'WARNING' = 'WARNING'): import('./types.js').ReviewPolicy {
  return { rules: catalog().map((r) => ({ rule: r.id, level, payload: {} })) };
}
export { loadReviewPolicies, policyFor, createReviewer, type ReviewPolicies } from './environments.js';
