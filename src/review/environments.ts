// Per-environment policies from the config's `review: {policy: FILE, environments: {prod: FILE}}`.
import type { Engine } from '../domain/engine.js';
import { DbchangeError, ErrorCode, messageOf } from '../errors.js';
import type { Finding, ReviewPolicy } from './types.js';
import { loadPolicy } from './policy.js';
import { DEFAULT_POLICY } from './default-policy.js';
import { reviewScript } from './engine.js';

export interface ReviewPolicies {
  /** The config's `review.policy`, or the built-in default. */
  fallback: ReviewPolicy;
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

/** Load the policy files named by the config's review section; the file reader is passed in. */
export async function loadReviewPolicies(
  review: { policy?: string; environments?: Record<string, string> } | undefined,
  readText: (path: string) => Promise<string>,
): Promise<ReviewPolicies> {
  const fallback = review?.policy ? await readPolicy(review.policy, 'review.policy', readText) : DEFAULT_POLICY;
  const environments = new Map<string, ReviewPolicy>();
  for (const [env, path] of Object.entries(review?.environments ?? {})) {
    environments.set(env, await readPolicy(path, `review.environments.${env}`, readText));
  }
  return { fallback, environments };
}

/** The policy that applies to an environment. */
export function policyFor(policies: ReviewPolicies, environment: string): ReviewPolicy {
  return policies.environments.get(environment) ?? policies.fallback;
}

/** A reviewer for the app service: static review with the environment's policy. */
export function createReviewer(
  policies: ReviewPolicies,
): (input: { engine: Engine; sql: string; environment: string }) => Finding[] {
  return ({ engine, sql, environment }) =>
    reviewScript({ engine, sql, policy: policyFor(policies, environment) }).findings;
}
