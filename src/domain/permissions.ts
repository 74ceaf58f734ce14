/**
 * Who may do what to a change: pure functions over the config, the issue and a user, in one
 * place for every door (Slack today, git later). A `Directory` expands user groups into their
 * members; where none is given, entries are taken as plain user ids. The README's permission
 * table is this file, in words; test/unit/domain/permissions.test.ts checks every cell.
 *
 * Roles are per environment (E, the environment of the stage acted on): its approvers, its
 * releasers; plus the change's creator, and the top-level `admins` (DBAs, every environment).
 * Admins approve only where they are listed as approvers; nobody approves their own change.
 */
import type { Config, EnvironmentConfig } from '../config/model.js';
import type { Issue } from './issue.js';

/** Expands approver/releaser entries (user ids or user group ids) into user ids. */
export type Directory = (entries: string[]) => Set<string>;
export const identityDirectory: Directory = (entries) => new Set(entries);

function isMember(directory: Directory | undefined, entries: string[], user: string): boolean {
  return entries.length > 0 && (directory ?? identityDirectory)(entries).has(user);
}

/** A rule about one person acting on a stage (of environment `env`) of an issue. */
export type StageRule = (
  user: string,
  issue: Issue,
  env: EnvironmentConfig,
  config: Config,
  directory?: Directory,
) => boolean;

/** One of the top-level `admins` (directly or through a user group). */
export function isAdmin(user: string, config: Config, directory?: Directory): boolean {
  return isMember(directory, config.admins ?? [], user);
}

/** An approver of `env` (the creator rule is the state machine's: it depends on the issue). */
export function mayApprove(user: string, env: EnvironmentConfig, directory?: Directory): boolean {
  return isMember(directory, env.approvers, user);
}

/** Reject at a stage: that stage's approvers (an approver of another environment may not). */
export function mayReject(user: string, env: EnvironmentConfig, directory?: Directory): boolean {
  return isMember(directory, env.approvers, user);
}

/** The people who may release a stage, as mayRelease decides: its releasers, or the creator where it names none. */
export function releasersOf(issue: Issue, env: EnvironmentConfig): string[] {
  return env.releasers.length > 0 ? env.releasers : [issue.creator];
}

/** Release a stage (roll out now, schedule, retry): its releasers, or the creator where the environment names none. */
export function mayRelease(user: string, issue: Issue, env: EnvironmentConfig, directory?: Directory): boolean {
  if (env.releasers.length === 0) return user === issue.creator;
  return isMember(directory, env.releasers, user);
}

/** Retry a failed stage: whoever may release it. */
export function mayRetry(user: string, issue: Issue, env: EnvironmentConfig, directory?: Directory): boolean {
  return mayRelease(user, issue, env, directory);
}

/**
 * Acknowledge review findings ("Roll out anyway") for a stage: its releasers, or its approvers
 * where it names no releasers; admins; never the creator of the change.
 */
export function mayAcknowledge(
  user: string,
  issue: Issue,
  env: EnvironmentConfig,
  config: Config,
  directory?: Directory,
): boolean {
  if (user === issue.creator) return false;
  if (isAdmin(user, config, directory)) return true;
  return isMember(directory, env.releasers.length > 0 ? env.releasers : env.approvers, user);
}

/**
 * Change a schedule (cancel it, move it to another time, confirm or postpone its pre-flight
 * check): whoever may release the scheduled stage, the person who scheduled it, or an admin.
 */
export const mayChangeSchedule: StageRule = (user, issue, env, config, directory) =>
  isAdmin(user, config, directory) || user === issue.schedule?.by || mayRelease(user, issue, env, directory);

/**
 * Cancel. A schedule: as `mayChangeSchedule`. The change itself (open, rejected, failed): its
 * creator, a releaser of the current stage, or an admin.
 */
export function mayCancel(
  user: string,
  issue: Issue,
  env: EnvironmentConfig,
  config: Config,
  directory?: Directory,
): boolean {
  if (issue.status === 'scheduled') return mayChangeSchedule(user, issue, env, config, directory);
  if (isAdmin(user, config, directory)) return true;
  return user === issue.creator || isMember(directory, env.releasers, user);
}

/** Edit the SQL: the creator, or an admin. */
export function mayEdit(user: string, issue: Issue, config: Config, directory?: Directory): boolean {
  return user === issue.creator || isAdmin(user, config, directory);
}

/** Resolve a task that needs attention: whoever may release its stage, or an admin. */
export function mayResolve(
  user: string,
  issue: Issue,
  env: EnvironmentConfig,
  config: Config,
  directory?: Directory,
): boolean {
  return isAdmin(user, config, directory) || mayRelease(user, issue, env, directory);
}

/**
 * Stop a running task (Cancel on the issue message, Cancel my statement when it waits for a
 * lock) or tell the bot to keep waiting: whoever may release its stage, or an admin.
 */
export function mayStopRun(
  user: string,
  issue: Issue,
  env: EnvironmentConfig,
  config: Config,
  directory?: Directory,
): boolean {
  // The same people as for resolving a task that needs attention: both decide about a running task.
  return mayResolve(user, issue, env, config, directory);
}

function environmentRoles(environment: string, config: Config): string[] {
  const env = config.environments.find((e) => e.id === environment);
  return [...(env?.approvers ?? []), ...(env?.releasers ?? [])];
}

/** Record a baseline (the live schema becomes the truth): approvers or releasers of that environment, or an admin. */
export function mayBaseline(user: string, environment: string, config: Config, directory?: Directory): boolean {
  return isAdmin(user, config, directory) || isMember(directory, environmentRoles(environment, config), user);
}

/**
 * Decide on a migration file held because its version is lower than one already applied to its
 * database (apply it anyway, or skip it for good): admins only, in every environment.
 */
export function mayDecideHeldMigration(user: string, config: Config, directory?: Directory): boolean {
  return isAdmin(user, config, directory);
}

/**
 * See what runs in an environment's databases — live query text of sessions, schema drift,
 * the SQL of applied migrations: its approvers and releasers, and admins. Others see counts and states.
 */
export function maySeeQueries(user: string, environment: string, config: Config, directory?: Directory): boolean {
  return mayBaseline(user, environment, config, directory);
}

/** Generate a rollback of a change (and become the creator of it): its creator, an approver or releaser of one of its environments, or an admin. */
export function mayRollback(user: string, issue: Issue, config: Config, directory?: Directory): boolean {
  if (user === issue.creator || isAdmin(user, config, directory)) return true;
  return issue.stages.some((s) => isMember(directory, environmentRoles(s.environment, config), user));
}
