/**
 * Composition root: from checked settings and config (startup.ts), open the store, start the queue, connect Slack.
 * Nothing here decides anything; it wires the parts and stops them in reverse order.
 */
import type { Logger } from 'pino';
import { WebClient, LogLevel as WebLogLevel, type Logger as WebLogger } from '@slack/web-api';
import { createApplication, type RolloutQueue } from './app/index.js';
import { statePlanner } from './app/state-change.js';
import type { DatabaseConfig } from './config/model.js';
import { createReviewer, policyFor, reviewLive } from './review/index.js';
import { startQueue } from './rollout/queue.js';
import { createSlackApp, initSlack, startSlack } from './slack/app.js';
import { slackDirectory } from './slack/directory.js';
import { slackNotifier } from './slack/notifier.js';
import { driftMessage } from './slack/views/drift.js';
import type { StartInput } from './startup.js';
import { openStore } from './store/open.js';
import { openTarget } from './targets/index.js';
import type { Target } from './targets/types.js';

export interface RunningBot {
  port: number;
  stop(): Promise<void>;
}

/** Start the whole bot from checked input (see prepareStart). Resolves when Slack is connected and jobs are being processed. */
export async function startBot(input: StartInput, logger: Logger): Promise<RunningBot> {
  const { settings, config, policies } = input;
  if (config.gitops) {
    logger.warn('the gitops settings are valid, but this version has no git poller yet: nothing reads the repository');
  }
  const opened = await openStore(settings.storeUrl, { dataDir: settings.dataDir });
  logger.info({ store: opened.describe }, 'store open');
  await opened.store.migrate();

  const targets = new Map<string, Target>();
  const targetFor = (db: DatabaseConfig): Target => {
    const key = `${db.name}@${db.environment}`;
    let t = targets.get(key);
    if (!t) {
      t = openTarget(db.engine, db.url, { applicationName: 'dbchange' });
      targets.set(key, t);
    }
    return t;
  };

  // The queue and the service need each other; the queue is handed in through this late-bound port.
  let queue: RolloutQueue | undefined;
  const lateQueue: RolloutQueue = {
    runStage: (i, s) => queue!.runStage(i, s),
    scheduleStage: (i, s, at) => queue!.scheduleStage(i, s, at),
    cancelSchedule: (i) => queue!.cancelSchedule(i),
  };

  const now = () => new Date();
  const planner = statePlanner({ config, targetFor, logger });
  const client = new WebClient(settings.botToken, { slackApiUrl: settings.apiUrl, logger: quietWebLogger(logger) });
  const directory = slackDirectory(client, logger);
  const application = createApplication({
    config,
    store: opened.store,
    queue: lateQueue,
    notifier: slackNotifier(client, config),
    reviewer: createReviewer(policies),
    liveReviewer: ({ engine, sql, environment, query }) =>
      reviewLive({ engine, sql, query, policy: policyFor(policies, environment) }),
    planner,
    targetFor,
    directory: directory.directory,
    now,
    logger,
  });
  const app = createSlackApp({
    botToken: settings.botToken,
    signingSecret: settings.signingSecret,
    appToken: settings.appToken,
    port: settings.port,
    apiUrl: settings.apiUrl,
    app: application,
    directory,
    logger,
    now,
  });

  try {
    await initSlack(app);
  } catch (e) {
    await opened.close().catch(() => {});
    throw e;
  }

  await checkChannel(client, config.channel, logger);

  const started = await startQueue({
    backend: opened.agendaBackend,
    notificationChannel: opened.notificationChannel,
    logger,
    driftInterval: config.schema.driftInterval,
    handlers: {
      runStage: (issueId, stageIndex, heartbeat) => application.runStage(issueId, stageIndex, heartbeat),
      driftCheck: async () => {
        for (const report of await application.driftCheck()) {
          const { text, blocks } = driftMessage(report.database, report.diff);
          await client.chat
            .postMessage({ channel: config.channel, text, blocks })
            .catch((err: unknown) => logger.error({ err }, 'could not post a drift report'));
        }
      },
      scheduledStageDue: async (issueId, stageIndex, at) => {
        await application.scheduledStageDue(issueId, stageIndex, at);
      },
    },
  });
  queue = started.queue;
  await application.reconcile();

  try {
    await startSlack(app, { port: settings.port, socketMode: Boolean(settings.appToken) });
  } catch (e) {
    await started.stop().catch(() => {});
    await opened.close().catch(() => {});
    throw e;
  }
  logger.info(
    { mode: settings.appToken ? 'socket' : 'http', port: settings.port, channel: config.channel },
    'dbchange is running',
  );

  return {
    port: settings.port,
    async stop() {
      await app.stop().catch(() => {});
      await started.stop().catch(() => {});
      for (const t of targets.values()) await t.close().catch(() => {});
      await opened.close();
    },
  };
}

/** The Web API client logs through pino at warn level, so tokens and payloads stay out of logs. */
function quietWebLogger(logger: Logger): WebLogger {
  return {
    debug: () => {},
    info: () => {},
    warn: (...m: unknown[]) => logger.warn({ slack: m.map(String).join(' ') }),
    error: (...m: unknown[]) => logger.error({ slack: m.map(String).join(' ') }),
    setLevel: () => {},
    getLevel: () => WebLogLevel.WARN,
    setName: () => {},
  };
}

/** Warn at start when the bot cannot post in the configured channel; the fix is the operator's. */
async function checkChannel(client: WebClient, channel: string, logger: Logger): Promise<void> {
  try {
    const info = await client.conversations.info({ channel });
    if (info.channel?.is_private && !info.channel.is_member) {
      logger.warn(
        { channel },
        'the channel is private and the bot is not in it: invite it with /invite @dbchange, or issues cannot be posted',
      );
    }
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code === 'channel_not_found' || code === 'not_in_channel') {
      logger.warn(
        { channel },
        'the configured channel was not found: check `channel` in the config (a channel id like C0123ABCD) and invite the bot',
      );
    }
  }
}
