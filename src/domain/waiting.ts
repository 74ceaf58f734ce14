/**
 * Who acts next on an issue, as data: the issue message always says what it is waiting for and
 * from whom. Pure; the people named follow the same rules as the permissions that are checked
 * when they click (src/domain/permissions.ts).
 */
import type { Config } from '../config/model.js';
import { unreachable } from '../errors.js';
import { freshApprovals, staleApprovals } from './approvals.js';
import type { Issue } from './issue.js';
import { releasersOf } from './permissions.js';
import { currentStageIndex, environmentOf, frozenReason, heldByFindings } from './transitions.js';

export type Waiting =
  /** `expired`: approvers whose approval is older than `period` (approvalExpires) and must be renewed. */
  | {
      kind: 'approval';
      environment: string;
      approvers: string[];
      have: number;
      need: number;
      expired?: string[];
      period?: number;
    }
  | { kind: 'release'; environment: string; releasers: string[]; scheduleOnly: boolean }
  /** Review findings hold the stage; `automatic`: the stage would otherwise start by itself. */
  | { kind: 'acknowledgement'; environment: string; releasers: string[]; automatic: boolean }
  /** `frozen`: the reason of the freeze window it was due in; it runs at `at`, when the window ends. */
  | { kind: 'scheduled'; environment: string; at: Date; by: string; frozen?: string }
  | { kind: 'running'; environment: string }
  /** Between waves: `wave` ran (counting from 1) of `waves`; Continue by `releasers`, or by itself at `at`. */
  | {
      kind: 'next-wave';
      environment: string;
      wave: number;
      waves: number;
      releasers: string[];
      halted: boolean;
      at?: Date;
    }
  | { kind: 'attention'; environment: string; releasers: string[] }
  /** Held by drift on `databases` until it is baselined or reverted (by `deciders`). */
  | { kind: 'drift'; environment: string; databases: string[]; deciders: string[] }
  /** A failed stage: fix in place (Edit SQL, while nothing is done) or Retry. */
  | { kind: 'retry'; environment: string; who: string[]; canEdit: boolean }
  | { kind: 'rejected'; creator: string; canEdit: boolean }
  | { kind: 'done' }
  | { kind: 'cancelled' };

/** What the issue waits for now, and from whom; `now` judges approvals' freshness (approvalExpires). */
export function waitingFor(issue: Issue, config: Config, now?: Date): Waiting {
  const i = currentStageIndex(issue);
  const stage = i >= 0 ? issue.stages[i] : undefined;
  const env = stage ? environmentOf(config, stage) : undefined;
  switch (issue.status) {
    case 'done':
      return { kind: 'done' };
    case 'canceled':
      return { kind: 'cancelled' };
    case 'rejected':
      return { kind: 'rejected', creator: issue.creator, canEdit: frozenReason(issue) === undefined };
    case 'scheduled':
      return {
        kind: 'scheduled',
        environment: issue.stages[issue.schedule?.stageIndex ?? i]?.environment ?? env?.id ?? '',
        at: issue.schedule?.at ?? new Date(0),
        by: issue.schedule?.by ?? '',
        ...(issue.schedule?.freeze ? { frozen: issue.schedule.freeze.reason } : {}),
      };
    case 'running': {
      const running = issue.stages.find((s) => s.status === 'running');
      const w = running?.waves;
      if (running && w && w.status !== 'running')
        return {
          kind: 'next-wave',
          environment: running.environment,
          wave: w.current + 1,
          waves: w.plan.length,
          releasers: releasersOf(issue, environmentOf(config, running)),
          halted: w.status === 'halted',
          ...(w.continueAt ? { at: w.continueAt } : {}),
        };
      return { kind: 'running', environment: running?.environment ?? '' };
    }
    case 'failed':
    case 'open': {
      if (!stage || !env) return { kind: 'done' };
      const fresh = now ? freshApprovals(stage, env, now) : stage.approvals;
      if (fresh.length < env.requiredApprovals)
        return {
          kind: 'approval',
          environment: env.id,
          approvers: env.approvers,
          have: fresh.length,
          need: env.requiredApprovals,
          ...(now && env.approvalExpiresMs
            ? {
                expired: staleApprovals(stage, env, now).map((a) => a.user),
                period: env.approvalExpiresMs,
              }
            : {}),
        };
      if (stage.driftHold && issue.status === 'open')
        return {
          kind: 'drift',
          environment: env.id,
          databases: stage.driftHold.databases,
          deciders: config.admins ?? [],
        };
      const releasers = releasersOf(issue, env);
      // Who may acknowledge findings (never the creator): releasers, approvers where none, admins.
      const acknowledgers = [...(env.releasers.length > 0 ? env.releasers : env.approvers), ...(config.admins ?? [])];
      if (issue.status === 'failed') {
        if (stage.tasks.some((t) => t.status === 'needs-attention'))
          return { kind: 'attention', environment: env.id, releasers };
        if (heldByFindings(issue, i))
          return { kind: 'acknowledgement', environment: env.id, releasers: acknowledgers, automatic: false };
        return {
          kind: 'retry',
          environment: env.id,
          who: releasers,
          canEdit: frozenReason(issue) === undefined,
        };
      }
      if (heldByFindings(issue, i))
        return {
          kind: 'acknowledgement',
          environment: env.id,
          releasers: acknowledgers,
          automatic: env.rollout === 'automatic',
        };
      if (env.rollout === 'automatic') return { kind: 'running', environment: env.id };
      return { kind: 'release', environment: env.id, releasers, scheduleOnly: env.rollout === 'scheduled' };
    }
    default:
      return unreachable(issue.status, 'issue status');
  }
}
