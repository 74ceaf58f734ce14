// The validated config as the rest of the bot uses it, with defaults resolved and cross-references checked.
import type { Engine } from '../domain/engine.js';
import { isValidTimeZone } from '../domain/maintenance-window.js';
import type { RawConfig } from './schema.js';

export interface EnvironmentConfig {
  id: string;
  approvers: string[];
  /** 0 when the environment has no approvers. */
  requiredApprovals: number;
  releasers: string[];
  rollout: 'automatic' | 'manual' | 'scheduled';
  maintenanceWindow?: { timezone: string; start: string; end: string; days?: string[] };
}

export interface DatabaseConfig {
  name: string;
  environment: string;
  engine: Engine;
  url: string;
  group?: string;
}

export interface Config {
  channel: string;
  environments: EnvironmentConfig[];
  databases: DatabaseConfig[];
  review: { policy?: string; environments: Record<string, string> };
  gitops?: NonNullable<RawConfig['gitops']>;
  schema: { devUrl: { postgres?: string; mysql?: string }; driftInterval: string };
  rolloutConcurrency: number;
}

interface Problem {
  path: (string | number)[];
  message: string;
}

/** Resolve defaults and check what zod cannot: references between keys. */
export function buildConfig(raw: RawConfig): { config: Config; problems: Problem[] } {
  const problems: Problem[] = [];
  const envIds = new Set<string>();
  const environments = raw.environments.map((e, i): EnvironmentConfig => {
    if (envIds.has(e.id))
      problems.push({ path: ['environments', i, 'id'], message: `environment ${e.id} is listed twice` });
    envIds.add(e.id);
    const requiredApprovals = e.approvers.length === 0 ? 0 : (e.requiredApprovals ?? 1);
    if (e.requiredApprovals !== undefined && e.approvers.length === 0) {
      problems.push({
        path: ['environments', i, 'requiredApprovals'],
        message: 'requiredApprovals needs an approvers list',
      });
    }
    const individualApprovers = e.approvers.filter((a) => !a.startsWith('S')).length;
    if (individualApprovers === e.approvers.length && requiredApprovals > individualApprovers) {
      problems.push({
        path: ['environments', i, 'requiredApprovals'],
        message: `requires ${requiredApprovals} approvals but only ${individualApprovers} approver(s) are listed`,
      });
    }
    if (e.maintenanceWindow && !isValidTimeZone(e.maintenanceWindow.timezone)) {
      problems.push({
        path: ['environments', i, 'maintenanceWindow', 'timezone'],
        message: `unknown time zone "${e.maintenanceWindow.timezone}"; use an IANA name like Europe/Berlin or UTC`,
      });
    }
    if (e.rollout !== 'automatic' && e.releasers.length === 0) {
      problems.push({
        path: ['environments', i, 'releasers'],
        message: `rollout ${e.rollout} needs at least one releaser`,
      });
    }
    return { ...e, requiredApprovals };
  });

  const seen = new Set<string>();
  raw.databases.forEach((d, i) => {
    if (!envIds.has(d.environment)) {
      problems.push({
        path: ['databases', i, 'environment'],
        message: `unknown environment ${d.environment}; known: ${[...envIds].join(', ')}`,
      });
    }
    const key = `${d.name}@${d.environment}`;
    if (seen.has(key))
      problems.push({
        path: ['databases', i, 'name'],
        message: `database ${d.name} is listed twice for environment ${d.environment}`,
      });
    seen.add(key);
    if (!/^(postgres|postgresql|mysql|mariadb):\/\//.test(d.url) && !d.url.startsWith('${')) {
      problems.push({ path: ['databases', i, 'url'], message: 'must be a postgres://… or mysql://… URL' });
    }
  });
  const names = new Set(raw.databases.map((d) => d.name));
  raw.databases.forEach((d, i) => {
    if (d.group && names.has(d.group))
      problems.push({ path: ['databases', i, 'group'], message: `group ${d.group} has the same name as a database` });
  });

  return {
    problems,
    config: {
      channel: raw.channel,
      environments,
      databases: raw.databases,
      review: { policy: raw.review?.policy, environments: raw.review?.environments ?? {} },
      gitops: raw.gitops,
      schema: { devUrl: raw.schema?.devUrl ?? {}, driftInterval: raw.schema?.driftInterval ?? '1 hour' },
      rolloutConcurrency: raw.rollout?.concurrency ?? 4,
    },
  };
}

/** Names users may pick as a change's target: database names and group names, sorted. */
export function targetNames(config: Config): string[] {
  const names = new Set<string>();
  for (const d of config.databases) {
    names.add(d.name);
    if (d.group) names.add(d.group);
  }
  return [...names].sort();
}

/** The databases a target name (database or group) covers, in every environment. */
export function databasesOf(config: Config, target: string): DatabaseConfig[] {
  return config.databases.filter((d) => d.name === target || d.group === target);
}
