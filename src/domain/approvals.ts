/**
 * Approvals you can trust. Each approval records the SQL revision it was given for and the
 * sha256 of that SQL, so the message shows exactly what was approved; an edit of the SQL voids
 * every approval (transitions.ts), and an environment's `approvalExpires` makes an approval count
 * only for that long after it was given: a stale one must be renewed (the approver approves
 * again) before the stage is released. Pure.
 */
import { createHash } from 'node:crypto';
import type { EnvironmentConfig } from '../config/model.js';
import type { Approval, Issue, Stage } from './issue.js';

/** The sha256 (hex) of the SQL an approval is for. */
export function sqlChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** An approval of the issue's current SQL, given now by `user`. */
export function approvalOf(issue: Issue, user: string, now: Date): Approval {
  return { user, at: now, revision: issue.revision, checksum: sqlChecksum(issue.sql) };
}

/** When an approval stops counting in `env`, or undefined when approvals there do not expire. */
export function expiresAt(approval: Approval, env: EnvironmentConfig): Date | undefined {
  return env.approvalExpiresMs === undefined ? undefined : new Date(approval.at.getTime() + env.approvalExpiresMs);
}

/** The approval still counts at `at` (it has not expired by then). */
export function isFresh(approval: Approval, env: EnvironmentConfig, at: Date): boolean {
  const end = expiresAt(approval, env);
  return end === undefined || at.getTime() < end.getTime();
}

/** The approvals of a stage that count at `at`. */
export function freshApprovals(stage: Stage, env: EnvironmentConfig, at: Date): Approval[] {
  return stage.approvals.filter((a) => isFresh(a, env, at));
}

/** The approvals of a stage that have expired by `at`: their approvers must approve again. */
export function staleApprovals(stage: Stage, env: EnvironmentConfig, at: Date): Approval[] {
  return stage.approvals.filter((a) => !isFresh(a, env, at));
}

/** The stage has its environment's required approvals, counting only those still fresh at `at`. */
export function approvalsMet(stage: Stage, env: EnvironmentConfig, at: Date): boolean {
  return freshApprovals(stage, env, at).length >= env.requiredApprovals;
}

/** "7 days", "36 hours", "90 minutes": an expiry period as the config would say it. */
export function periodText(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units)
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} seconds`;
}
