// Per-environment policies from the config's `review: {policy: FILE, environments: {prod: FILE}}`.
import type { Engine } from '../domain/engine.js';
import { DbchangeError, ErrorCode, messageOf } from '../errors.js';
import type { Finding, ReviewPolicy } from './types.js';
import { loadPolicy } from './policy.js';
import { DEFAULT_POLICY, DEFAULT_PRODUCTION_POLICY } from './default-policy.js';
import { reviewScript } from './engine.js';

export interface ReviewPolicies {
  /** The config's `review.policy`, or the built-in default. */
  fallback: ReviewPolicy;
  /** The last environment (production) when no `review.policy` is set: it gets the built-in production policy. */
  production?: { environment: string; policy: ReviewPolicy };
  /** An environment's own policy replaces the fallback for that environment. */
  environments: Map<string, ReviewPolicy>;
}

async function readPolicy(
  path: string,
  key: string,
  readText: (path: string) => Promise<string>,
): Promise<ReviewPolicy> {
  let text: string;
  try {
    text = await readText(path);
  } catch (e) {
    throw new DbchangeError(
      ErrorCode.ConfigInvalid,
      `${key}: cannot read the policy file ${path} (${messageOf(e)}); fix the path (relative to the config file) or remove the entry.`,
      { cause: e },
    );
  }
  return loadPolicy(text, path);
}

/**
 * Load the policy files named by the config's review section; the file reader is passed in.
 * Every unreadable or invalid file is reported in one error.
 */
export async function loadReviewPolicies(
  review: { policy?: string; environments?: Record<string, string> } | undefined,
  readText: (path: string) => Promise<string>,
  /** The environments in rollout order: without a `review.policy`, the last one gets the production defaults. */
  environmentOrder: readonly string[] = [],
): Promise<ReviewPolicies> {
  const entries = Object.entries(review?.environments ?? {});
  const [fallback, ...own] = await Promise.allSettled([
    review?.policy ? readPolicy(review.policy, 'review.policy', readText) : Promise.resolve(DEFAULT_POLICY),
    ...entries.map(([env, path]) => readPolicy(path, `review.environments.${env}`, readText)),
  ]);
  const failed = [fallback!, ...own].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length === 1) throw failed[0]!.reason;
  if (failed.length > 1)
    throw new DbchangeError(ErrorCode.ConfigInvalid, failed.map((r) => messageOf(r.reason)).join('\n'), {
      cause: failed[0]!.reason,
    });
  const environments = new Map<string, ReviewPolicy>();
  entries.forEach(([env], i) => environments.set(env, (own[i] as PromiseFulfilledResult<ReviewPolicy>).value));
  const last = environmentOrder[environmentOrder.length - 1];
  return {
    fallback: (fallback as PromiseFulfilledResult<ReviewPolicy>).value,
    environments,
    ...(!review?.policy && last ? { production: { environment: last, policy: DEFAULT_PRODUCTION_POLICY } } : {}),
  };
}

/** The policy that applies to an environment. */
export function policyFor(policies: ReviewPolicies, environment: string): ReviewPolicy {
  const own = policies.environments.get(environment);
  if (own) return own;
  return policies.production?.environment === environment ? policies.production.policy : policies.fallback;
}

/** A reviewer for the app service: static review with the environment's policy. */
export function createReviewer(
  policies: ReviewPolicies,
): (input: {
  engine: Engine;
  sql: string;
  environment: string;
  generated?: boolean;
  assumeInTransaction?: boolean;
}) => Finding[] {
  // Environments that share a policy share its review of a script: the last one is kept per policy.
  const last = new WeakMap<ReviewPolicy, { key: string; sql: string; findings: Finding[] }>();
  return ({ engine, sql, environment, generated, assumeInTransaction }) => {
    const policy = policyFor(policies, environment);
    const key = `${engine}|${!!generated}|${!!assumeInTransaction}`;
    const known = last.get(policy);
    if (known?.key === key && known.sql === sql) return known.findings;
    const { findings } = reviewScript({
      engine,
      sql,
      policy,
      ...(generated ? { generated } : {}),
      ...(assumeInTransaction ? { assumeInTransaction } : {}),
    });
    last.set(policy, { key, sql, findings });
    return findings;
  };
}
