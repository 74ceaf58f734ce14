/**
 * The Slack side: a Bolt app whose handlers parse payloads, call the change service and render
 * the result. Every handler acks first (Slack allows 3 s) and does slow work after. Refusals go
 * back only to the person who clicked (ephemeral), and change nothing.
 */
import bolt from '@slack/bolt';
import type { App as BoltApp } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChangeService } from '../app/service.js';
import type { Store } from '../store/types.js';
import { registerCommand, type CommandDeps } from './command.js';
import { slackDirectory } from './directory.js';
import type { HandlerContext } from './handlers/context.js';
import { registerDecisions } from './handlers/decisions.js';
import { registerDialogs } from './handlers/dialogs.js';
import { registerSubmissions } from './handlers/submissions.js';

export { initSlack, startSlack } from './start.js';

const { App, LogLevel } = bolt;

export interface SlackOptions {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  port: number;
  apiUrl?: string;
  service: ChangeService;
  store: Store;
  logger: Logger;
  now: () => Date;
  commandDeps: Omit<CommandDeps, 'service' | 'store' | 'logger' | 'directory'>;
}

/** Build the Bolt app with every handler registered. */
export function createSlackApp(opts: SlackOptions): BoltApp {
  const { service, store, logger } = opts;
  const boltLogger = {
    debug: (...m: unknown[]) => logger.debug({ bolt: m.map(String).join(' ') }),
    info: (...m: unknown[]) => logger.info({ bolt: m.map(String).join(' ') }),
    warn: (...m: unknown[]) => logger.warn({ bolt: m.map(String).join(' ') }),
    error: (...m: unknown[]) => logger.error({ bolt: m.map(String).join(' ') }),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
  const app = new App({
    token: opts.botToken,
    signingSecret: opts.signingSecret,
    ...(opts.appToken ? { appToken: opts.appToken, socketMode: true } : { port: opts.port }),
    clientOptions: opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {},
    logger: boltLogger,
    // No conversation state is kept between requests: skip Bolt's per-request store lookup.
    convoStore: false,
    // auth.test runs in startSlack(), where a refused token becomes a message that says what to do.
    deferInitialization: true,
  });

  // Approver and releaser lists may name user groups: know their members before any decision.
  const directory = slackDirectory(app.client, logger);
  const groupIds = service.config.environments
    .flatMap((e) => [...e.approvers, ...e.releasers])
    .filter((e) => e.startsWith('S'));
  if (groupIds.length > 0) {
    app.use(async ({ next }) => {
      await directory.refresh(groupIds);
      await next();
    });
  }

  const h: HandlerContext = {
    app,
    service,
    store,
    logger,
    now: opts.now,
    targetFor: opts.commandDeps.targetFor,
    schema: opts.commandDeps.schema,
    directory: directory.directory,
    ctx: () => ({ config: service.config, now: opts.now(), directory: directory.directory }),
  };
  registerCommand(app, { ...opts.commandDeps, service, store, logger, directory: directory.directory });
  registerSubmissions(h);
  registerDecisions(h);
  registerDialogs(h);

  app.error(async (err) => {
    logger.error({ err }, 'slack handler failed');
  });

  return app;
}
