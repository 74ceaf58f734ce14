// The validated config as the rest of the bot uses it, with defaults resolved and cross-references checked.
import type { Engine } from '../domain/engine.js';
import { isValidTimeZone } from '../domain/maintenance-window.js';
import { compileTemplate } from '../gitops/path-template.js';
import { parseInterval } from './interval.js';
import type { RawConfig } from './schema.js';
import { type FreezeWindow, type RawFreezeWindow, readFreezeWindows } from '../domain/freeze.js';
import type { WaveSize } from '../domain/waves.js';

export interface EnvironmentConfig {
  id: string;
  approvers: string[];
  /** 0 when the environment has no approvers. */
  requiredApprovals: number;
  releasers: string[];
  rollout: 'automatic' | 'manual' | 'scheduled';
  maintenanceWindow?: { timezone: string; start: string; end: string; days?: string[] };
  /** Roll a stage out over its databases in waves (domain/waves.ts); absent: all at once. */
  waves?: WaveSize[];
  /** After a wave without failure, the next starts by itself this long after it (absent: only on Continue). */
  waveDelayMs?: number;
  /** Unresolved drift on a target database holds the stage (default: only the last environment). */
  holdOnDrift?: boolean;
  /** What every task of this environment runs with: lock_timeout and statement_timeout (or MySQL's). */
  timeouts: { lockMs: number; statementMs: number };
  /** After how long a statement waiting for a lock is reported in the thread; null: never. */
  lockWatchMs: number | null;
  /** An approval counts this long after it was given (domain/approvals.ts); absent: it does not expire. */
  approvalExpiresMs?: number;
  /** A pre-flight check in the thread `beforeMs` before a scheduled stage starts (app/preflight.ts). */
  preflight?: { beforeMs: number; require: boolean };
  /** Windows in which nothing of this environment rolls out (domain/freeze.ts). */
  freeze?: FreezeWindow[];
}

/** Safe defaults: a migration queued behind a long transaction gives up after 10 s. */
export const DEFAULT_TIMEOUTS = { lock: '10 seconds', statement: '1 hour' } as const;
export const DEFAULT_LOCK_WATCH = '3 seconds';
/** The same defaults in milliseconds, for an environment the config no longer has. */
export const DEFAULT_GUARDS: Pick<EnvironmentConfig, 'timeouts' | 'lockWatchMs'> = {
  timeouts: { lockMs: 10_000, statementMs: 3_600_000 },
  lockWatchMs: 3_000,
};

export type GitopsConfig = Extract<NonNullable<RawConfig['gitops']>, { repo: string }>;

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
  /** Users or user groups who may baseline, resolve needs-attention, cancel any schedule and acknowledge findings everywhere. */
  admins: string[];
  databases: DatabaseConfig[];
  review: { policy?: string; environments: Record<string, string> };
  /** Every watched repository (the config may give one object or a list). */
  gitops: GitopsConfig[];
  schema: { devUrl: { postgres?: string; mysql?: string }; driftInterval: string };
  rolloutConcurrency: number;
}

interface Problem {
  path: (string | number)[];
  message: string;
}

type Loose = Record<string, unknown>;
const items = (v: unknown): Loose[] =>
  Array.isArray(v) ? v.map((x) => (x !== null && typeof x === 'object' ? (x as Loose) : {})) : [];
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * What zod cannot check: references between keys. It reads the config as it is, valid or not
 * (a value of the wrong type is zod's to report and is skipped here), so one run lists every problem.
 */
export function referenceProblems(raw: unknown): Problem[] {
  const problems: Problem[] = [];
  const top = raw !== null && typeof raw === 'object' ? (raw as Loose) : {};
  const envIds = new Set<string>();
  items(top.environments).forEach((e, i) => {
    const id = str(e.id);
    if (id !== undefined && envIds.has(id))
      problems.push({ path: ['environments', i, 'id'], message: `environment ${id} is listed twice` });
    if (id !== undefined) envIds.add(id);
    const approvers = strs(e.approvers);
    const required = typeof e.requiredApprovals === 'number' ? e.requiredApprovals : undefined;
    if (required !== undefined && approvers.length === 0 && (e.approvers === undefined || Array.isArray(e.approvers))) {
      problems.push({
        path: ['environments', i, 'requiredApprovals'],
        message: 'requiredApprovals needs an approvers list',
      });
    }
    const individualApprovers = approvers.filter((a) => !a.startsWith('S')).length;
    const requiredApprovals = approvers.length === 0 ? 0 : (required ?? 1);
    if (individualApprovers === approvers.length && requiredApprovals > individualApprovers) {
      problems.push({
        path: ['environments', i, 'requiredApprovals'],
        message: `requires ${requiredApprovals} approvals but only ${individualApprovers} approver(s) are listed`,
      });
    }
    const window =
      e.maintenanceWindow !== null && typeof e.maintenanceWindow === 'object' ? (e.maintenanceWindow as Loose) : {};
    const timezone = str(window.timezone);
    if (timezone && !isValidTimeZone(timezone)) {
      problems.push({
        path: ['environments', i, 'maintenanceWindow', 'timezone'],
        message: `unknown time zone "${timezone}"; use an IANA name like Europe/Berlin or UTC`,
      });
    }
    const waves = Array.isArray(e.waves) ? e.waves : [];
    const rest = waves.indexOf('rest');
    if (rest >= 0 && rest < waves.length - 1)
      problems.push({
        path: ['environments', i, 'waves', rest],
        message: 'rest takes every database left, so it comes last',
      });
    const delay = str(e.waveDelay);
    if (delay !== undefined) {
      if (parseInterval(delay) === undefined)
        problems.push({
          path: ['environments', i, 'waveDelay'],
          message: `"${delay}" is not an interval; write e.g. 10 minutes or 1 hour`,
        });
      if (waves.length === 0)
        problems.push({
          path: ['environments', i, 'waveDelay'],
          message: 'waveDelay needs waves in the same environment',
        });
    }
    problems.push(...guardProblems(e, i));
    const preflight = e.preflight !== null && typeof e.preflight === 'object' ? (e.preflight as Loose) : {};
    const before = str(preflight.before);
    if (before !== undefined && parseInterval(before) === undefined)
      problems.push({
        path: ['environments', i, 'preflight', 'before'],
        message: `"${before}" is not an interval; write e.g. 15 minutes`,
      });
    const freeze = items(e.freeze).filter((w) => typeof w.from === 'string' && typeof w.to === 'string');
    for (const p of readFreezeWindows(freeze as unknown as RawFreezeWindow[]).problems)
      problems.push({
        path: ['environments', i, 'freeze', items(e.freeze).indexOf(freeze[p.index]!), p.key],
        message: p.message,
      });
    const expires = str(e.approvalExpires);
    const expiresMs = expires === undefined ? undefined : parseInterval(expires);
    if (expires !== undefined && (!expiresMs || expiresMs <= 0))
      problems.push({
        path: ['environments', i, 'approvalExpires'],
        message: `"${expires}" is not an interval; write e.g. 7 days or 12 hours`,
      });
    const rollout = str(e.rollout);
    if (
      (rollout === 'manual' || rollout === 'scheduled') &&
      strs(e.releasers).length === 0 &&
      (e.releasers === undefined || Array.isArray(e.releasers))
    ) {
      problems.push({
        path: ['environments', i, 'releasers'],
        message: `rollout ${rollout} needs at least one releaser`,
      });
    }
  });

  const databases = items(top.databases);
  const seen = new Set<string>();
  databases.forEach((d, i) => {
    const environment = str(d.environment);
    if (environment && !envIds.has(environment)) {
      problems.push({
        path: ['databases', i, 'environment'],
        message: `unknown environment ${environment}; known: ${[...envIds].join(', ')}`,
      });
    }
    const name = str(d.name);
    const key = `${name}@${environment}`;
    if (name && environment && seen.has(key))
      problems.push({
        path: ['databases', i, 'name'],
        message: `database ${name} is listed twice for environment ${environment}`,
      });
    seen.add(key);
    const url = str(d.url);
    if (url && !/^(postgres|postgresql|mysql|mariadb):\/\//.test(url) && !url.startsWith('${')) {
      problems.push({ path: ['databases', i, 'url'], message: 'must be a postgres://… or mysql://… URL' });
    }
  });
  const names = new Set(databases.map((d) => str(d.name)).filter(Boolean));
  databases.forEach((d, i) => {
    const group = str(d.group);
    if (group && names.has(group))
      problems.push({ path: ['databases', i, 'group'], message: `group ${group} has the same name as a database` });
  });
  return problems;
}

/** Timeouts and the lock watch of environment `i`: intervals, and the watch must come before the lock timeout. */
function guardProblems(e: Loose, i: number): Problem[] {
  const problems: Problem[] = [];
  const timeouts = e.timeouts !== null && typeof e.timeouts === 'object' ? (e.timeouts as Loose) : {};
  const read = (value: unknown, path: (string | number)[], example: string): number | undefined => {
    if (typeof value !== 'string') return undefined;
    const ms = parseInterval(value);
    if (ms === undefined) problems.push({ path, message: `"${value}" is not an interval; write e.g. ${example}` });
    return ms;
  };
  const lock = read(timeouts.lock, ['environments', i, 'timeouts', 'lock'], '10 seconds') ?? 10_000;
  read(timeouts.statement, ['environments', i, 'timeouts', 'statement'], '30 minutes');
  if (e.lockWatch !== 'off') {
    const watch = read(e.lockWatch, ['environments', i, 'lockWatch'], '3 seconds (or off)');
    if (watch !== undefined && watch >= lock)
      problems.push({
        path: ['environments', i, 'lockWatch'],
        message: `must be shorter than timeouts.lock (${String(timeouts.lock ?? DEFAULT_TIMEOUTS.lock)}): the lock timeout ends the wait first`,
      });
  }
  return problems;
}

/** The environment's timeouts and lock watch in milliseconds, defaults filled in (problems are reported elsewhere). */
function guardsOf(e: RawConfig['environments'][number]): Pick<EnvironmentConfig, 'timeouts' | 'lockWatchMs'> {
  const ms = (text: string | undefined, fallback: string) =>
    parseInterval(text ?? fallback) ?? parseInterval(fallback)!;
  const lockMs = ms(e.timeouts?.lock, DEFAULT_TIMEOUTS.lock);
  const watch = e.lockWatch === 'off' ? null : ms(e.lockWatch, DEFAULT_LOCK_WATCH);
  return {
    timeouts: { lockMs, statementMs: ms(e.timeouts?.statement, DEFAULT_TIMEOUTS.statement) },
    // A default watch at or past a short lock timeout would never fire: it is then off.
    lockWatchMs: watch !== null && watch < lockMs ? watch : null,
  };
}

/** What the templates, intervals and repository list of `gitops` must satisfy (after defaults). */
function gitopsProblems(raw: RawConfig): Problem[] {
  const problems: Problem[] = [];
  const repos = raw.gitops === undefined ? [] : Array.isArray(raw.gitops) ? raw.gitops : [raw.gitops];
  const seenRepos = new Set<string>();
  repos.forEach((g, i) => {
    const at = (key: string) => (Array.isArray(raw.gitops) ? ['gitops', i, key] : ['gitops', key]);
    for (const key of ['filePathTemplate', 'schemaPathTemplate'] as const) {
      if (key === 'schemaPathTemplate' && g[key] === '') continue;
      try {
        compileTemplate(g[key], key === 'filePathTemplate' ? ['DB_NAME', 'VERSION'] : ['DB_NAME']);
      } catch (e) {
        problems.push({ path: at(key), message: (e as Error).message });
      }
    }
    if (parseInterval(g.pollInterval) === undefined)
      problems.push({
        path: at('pollInterval'),
        message: `"${g.pollInterval}" is not an interval; write e.g. 30 seconds or 1 minute`,
      });
    const key = `${g.repo}#${g.branch}`;
    if (seenRepos.has(key))
      problems.push({ path: at('repo'), message: `repository ${g.repo} (branch ${g.branch}) is listed twice` });
    seenRepos.add(key);
  });
  return problems;
}

/** Resolve defaults and check what zod cannot: references between keys. */
export function buildConfig(raw: RawConfig): { config: Config; problems: Problem[] } {
  const environments = raw.environments.map((e, i, all): EnvironmentConfig => {
    const {
      waveDelay,
      waves,
      holdOnDrift,
      timeouts: _t,
      lockWatch: _w,
      approvalExpires,
      preflight,
      freeze,
      ...rest
    } = e;
    const beforeMs = preflight ? parseInterval(preflight.before) : undefined;
    const delayMs = waveDelay === undefined ? undefined : parseInterval(waveDelay);
    const expiresMs = approvalExpires === undefined ? undefined : parseInterval(approvalExpires);
    return {
      ...rest,
      ...guardsOf(e),
      requiredApprovals: e.approvers.length === 0 ? 0 : (e.requiredApprovals ?? 1),
      ...(waves ? { waves: waves as WaveSize[] } : {}),
      ...(delayMs ? { waveDelayMs: delayMs } : {}),
      ...(expiresMs ? { approvalExpiresMs: expiresMs } : {}),
      ...(preflight && beforeMs ? { preflight: { beforeMs, require: preflight.require } } : {}),
      ...(freeze?.length ? { freeze: readFreezeWindows(freeze).windows } : {}),
      // Production (the last environment) is held by drift unless it says otherwise; the others only when they say so.
      holdOnDrift: holdOnDrift ?? i === all.length - 1,
    };
  });
  const repos = raw.gitops === undefined ? [] : Array.isArray(raw.gitops) ? raw.gitops : [raw.gitops];
  return {
    problems: [...referenceProblems(raw), ...gitopsProblems(raw)],
    config: {
      channel: raw.channel,
      environments,
      admins: raw.admins,
      databases: raw.databases,
      review: { policy: raw.review?.policy, environments: raw.review?.environments ?? {} },
      gitops: repos,
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

/** The database `name` in environment `environment`, if the config has it. */
export function findDatabase(config: Config, name: string, environment: string): DatabaseConfig | undefined {
  return config.databases.find((d) => d.name === name && d.environment === environment);
}
