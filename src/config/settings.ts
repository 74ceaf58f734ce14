// The bot's settings from the environment (DESIGN §4). Problems are returned, not thrown, so the
// start-up report lists them together with the config file's.
import { resolve } from 'node:path';

export interface Settings {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  port: number;
  apiUrl?: string;
  configPath: string;
  storeUrl?: string;
  dataDir: string;
}

const MANIFEST_HINT =
  'Create the Slack app from manifest.json (api.slack.com/apps → Create New App → From an app manifest), install it to your workspace, then copy';

/** Read the environment; every missing or malformed variable is a problem that says what to do. */
export function readSettings(env: NodeJS.ProcessEnv): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const botToken = env.SLACK_BOT_TOKEN ?? '';
  const signingSecret = env.SLACK_SIGNING_SECRET ?? '';
  if (!botToken)
    problems.push(
      `SLACK_BOT_TOKEN is not set. ${MANIFEST_HINT} the Bot User OAuth Token (xoxb-…) from "OAuth & Permissions".`,
    );
  else if (!botToken.startsWith('xoxb-'))
    problems.push('SLACK_BOT_TOKEN must be a bot token starting with xoxb- (from "OAuth & Permissions").');
  if (!signingSecret)
    problems.push(`SLACK_SIGNING_SECRET is not set. ${MANIFEST_HINT} the Signing Secret from "Basic Information".`);
  const appToken = env.SLACK_APP_TOKEN || undefined;
  if (appToken && !appToken.startsWith('xapp-'))
    problems.push(
      'SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write), or unset for HTTP mode.',
    );
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT must be a port number, not "${env.PORT}".`);
  const apiUrl = env.SLACK_API_URL || undefined;
  if (apiUrl && !/^https?:\/\/.+\/$/.test(apiUrl))
    problems.push(
      `SLACK_API_URL must be an http(s) URL ending in /, like http://127.0.0.1:9999/api/ (got "${apiUrl}").`,
    );
  return {
    problems,
    settings: {
      botToken,
      signingSecret,
      appToken,
      port,
      apiUrl,
      configPath: resolve(env.DBCHANGE_CONFIG ?? './dbchange.config.yaml'),
      storeUrl: env.DBCHANGE_STORE_URL || undefined,
      dataDir: resolve(env.DBCHANGE_DATA_DIR ?? './.dbchange'),
    },
  };
}
