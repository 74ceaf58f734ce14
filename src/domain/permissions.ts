/**
 * Who may do what to a change: pure functions over the config, the issue and a user, in one
 * place for every door (Slack today, git later). A `Directory` expands user groups into their
 * members; where none is given, entries are taken as plain user ids.
 */
import type { Config, EnvironmentConfig } from '../config/model.js';
import type { Issue } from './issue.js';

/** Expands approver/releaser entries (user ids or user group ids) into user ids. */
export type Directory = (entries: string[]) => Set<string>;
export const identityDirectory: Directory = (entries) => new Set(entries);

function isMember(directory: Directory | undefined, entries: string[], user: string): boolean {
  return (directory ?? identityDirectory)(entries).has(user);
}

/** An approver of `env` (the creator rule is the state machine's: it depends on the issue). */
export function mayApprove(user: string, env: EnvironmentConfig, directory?: Directory): boolean {
  return isMember(directory, env.approvers, user);
}

/** Any environment's approver may reject. */
export function mayReject(user: string, config: Config, directory?: Directory): boolean {
  return isMember(
    directory,
    config.environments.flatMap((e) => e.approvers),
    user,
  );
}

/** The people who may release a stage, as mayRelease decides: its releasers, or the creator where it names none. */
export function releasersOf(issue: Issue, env: EnvironmentConfig): string[] {
  return env.releasers.length > 0 ? env.releasers : [issue.creator];
}

/** Who may release a stage (roll out, schedule, acknowledge findings, resolve needs-attention): its releasers, or the creator where the environment names none. */
export function mayRelease(user: string, issue: Issue, env: EnvironmentConfig, directory?: Directory): boolean {
  if (env.releasers.length === 0) return user === issue.creator;
  return isMember(directory, env.releasers, user);
}

/** Retry a failed stage: whoever may release it, or its approvers. */
export function mayRetry(user: string, issue: Issue, env: EnvironmentConfig, directory?: Directory): boolean {
  return mayRelease(user, issue, env, directory) || isMember(directory, env.approvers, user);
}

/** Cancel: the creator, or a releaser of any environment. */
export function mayCancel(user: string, issue: Issue, config: Config, directory?: Directory): boolean {
  if (user === issue.creator) return true;
  return isMember(
    directory,
    config.environments.flatMap((e) => e.releasers),
    user,
  );
}

/** One of the config's top-level `admins` (users or user groups), when it names any. */
export function isAdmin(user: string, config: Config, directory?: Directory): boolean {
  const admins = (config as Config & { admins?: string[] }).admins ?? [];
  return admins.length > 0 && isMember(directory, admins, user);
}

/** Edit the SQL: the creator, or an admin. */
export function mayEdit(user: string, issue: Issue, config: Config, directory?: Directory): boolean {
  return user === issue.creator || isAdmin(user, config, directory);
}

/** Record a baseline (the live schema becomes the truth): approvers or releasers of that environment. */
export function mayBaseline(user: string, environment: string, config: Config, directory?: Directory): boolean {
  const env = config.environments.find((e) => e.id === environment);
  return isMember(directory, [...(env?.approvers ?? []), ...(env?.releasers ?? [])], user);
}
