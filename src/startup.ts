/**
 * Everything the bot needs before it opens anything — environment, log settings, the config file,
 * its review policies and the bot token — checked together, so one failed start lists every
 * problem instead of the first.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfigFile } from './config/load.js';
import type { Config } from './config/model.js';
import { readSettings, type Settings } from './config/settings.js';
import { DbchangeError, ErrorCode, messageOf } from './errors.js';
import { readLogSettings, type LogSettings } from './log.js';
import { loadReviewPolicies, type ReviewPolicies } from './review/index.js';
import { botTokenProblem, waitForSlack } from './slack/start.js';
import type { Logger } from 'pino';

export interface StartInput {
  settings: Settings;
  log: LogSettings;
  config: Config;
  policies: ReviewPolicies;
}

/** Check the whole start-up input; throws one DbchangeError listing every problem found. */
export async function prepareStart(
  env: NodeJS.ProcessEnv,
  opts: { isTerminal: boolean; logger: Logger },
): Promise<StartInput> {
  const log = readLogSettings(env, opts.isTerminal);
  const { settings, problems } = readSettings(env);
  problems.unshift(...log.problems);
  const tokenCheck = problems.some((p) => p.startsWith('SLACK_BOT_TOKEN') || p.startsWith('SLACK_API_URL'))
    ? Promise.resolve(undefined)
    : botTokenProblem(settings.botToken, settings.apiUrl);
  const loaded = loadConfig(settings.configPath, env);
  const [tokenProblem, config] = await Promise.all([tokenCheck, loaded]);
  // Slack not answering is worth waiting for, but only when nothing else stops the start.
  if (tokenProblem && (!tokenProblem.unreachable || problems.length > 0 || 'problem' in config))
    problems.push(tokenProblem.problem);
  if ('problem' in config) problems.push(config.problem);
  if (problems.length > 0 || 'problem' in config) {
    throw new DbchangeError(
      ErrorCode.EnvMissing,
      `dbchange cannot start:\n${problems.map((p) => `  - ${p.replace(/\n/g, '\n    ')}`).join('\n')}`,
    );
  }
  if (tokenProblem?.unreachable) await waitForSlack(settings.botToken, settings.apiUrl, tokenProblem, opts.logger);
  return { settings, log: log.settings, ...config };
}

async function loadConfig(
  path: string,
  env: NodeJS.ProcessEnv,
): Promise<{ config: Config; policies: ReviewPolicies } | { problem: string }> {
  try {
    const config = await loadConfigFile(path, env);
    // Policy file paths are relative to the config file, like every other path in it.
    const dir = resolve(path, '..');
    const policies = await loadReviewPolicies(
      config.review,
      (p) => readFile(resolve(dir, p), 'utf8'),
      config.environments.map((e) => e.id),
    );
    return { config, policies };
  } catch (e) {
    return { problem: messageOf(e) };
  }
}
