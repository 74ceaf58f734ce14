/**
 * Composition root: from checked settings and config (startup.ts), open the store, start the queue, connect Slack.
 * Nothing here decides anything; it wires the parts and stops them in reverse order.
 */
import type { Logger } from 'pino';
import type { WebClient } from '@slack/web-api';
import { createApplication, type GitopsPort, type RolloutQueue } from './app/index.js';
import { statePlanner } from './app/state-change.js';
import type { DatabaseConfig } from './config/model.js';
import { createReviewer, policyFor, reviewLive, touchedTables } from './review/index.js';
import { startQueue } from './rollout/queue.js';
import { createSlackApp, initSlack, startSlack } from './slack/app.js';
import { slackDirectory } from './slack/directory.js';
import { slackNotifier } from './slack/notifier.js';
import { slackPaces } from './slack/channel-pace.js';
import { within } from './within.js';
import { botWebClient } from './slack/web-client.js';
import { driftMessage } from './slack/views/drift.js';
import type { StartInput } from './startup.js';
import { openStore } from './store/open.js';
import { guardStore, isConnectionLoss, StoreWatch } from './store/outage.js';
import { onceEvery } from './log.js';
import { openTarget } from './targets/index.js';
import type { Target } from './targets/types.js';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import humanInterval from 'human-interval';
import type { Config } from './config/model.js';
import { messageOf } from './errors.js';
import { type GitopsDoor, Poller, parseAuthor, repoKeyOf, writeLatestEverywhere } from './gitops/poller.js';
import { GitRepo } from './gitops/repo.js';
import type { GitopsReport } from './gitops/reports.js';
import { serveWebhook, WEBHOOK_PATH, webhookHandler } from './gitops/webhook.js';
import { redactUrl } from './redact.js';
import type { Store } from './store/types.js';
import { gitopsReportMessage } from './slack/views/gitops.js';

export interface RunningBot {
  port: number;
  /** Refuse new Slack requests, let those taken in finish (at most STOP_WAIT_MS), then stop the jobs and the store. */
  stop(): Promise<void>;
}

/** Start the whole bot from checked input (see prepareStart). Resolves when Slack is connected and jobs are being processed. */
export async function startBot(input: StartInput, logger: Logger): Promise<RunningBot> {
  const { settings, config, policies } = input;
  // Errors of connections nobody waits on (idle pool clients, the job queue, its notifications):
  // a lost connection means the store is away, anything else is logged, once a minute at most.
  let watch: StoreWatch | undefined;
  const firstTime = onceEvery(60_000);
  const backgroundError = (err: unknown) => {
    if (isConnectionLoss(err)) return watch?.lost(err);
    if (firstTime(messageOf(err)))
      logger.error({ err: messageOf(err) }, 'the store or the job queue reported an error');
  };
  const opened = await openStore(settings.storeUrl, { dataDir: settings.dataDir, onError: backgroundError });
  logger.info({ store: opened.describe }, 'store open');
  await opened.store.migrate();
  const now = () => new Date();
  watch = new StoreWatch({ probe: () => opened.store.ping(), logger, now });
  const outages = watch;
  const store = guardStore(opened.store, watch);

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
    runStage: (i, s, run) => queue!.runStage(i, s, run),
    scheduleStage: (i, s, at, pre) => queue!.scheduleStage(i, s, at, pre),
    cancelSchedule: (i) => queue!.cancelSchedule(i),
    approvalExpiresAt: (i, s, u, at) => queue!.approvalExpiresAt(i, s, u, at),
    continueWavesAt: (i, s, w, at) => queue!.continueWavesAt(i, s, w, at),
  };

  // The git side, late-bound too: the pollers call the application, and a baseline from Slack writes through them.
  let gitops: { key: string; interval: string; poller: Poller }[] = [];
  let triggerPoll: ((repoKey: string) => Promise<void>) | undefined;
  const pollAgain = new Set<string>();
  const gitopsPort: GitopsPort = {
    pollNow: async (repoKey) => triggerPoll?.(repoKey),
    writeLatest: (db, sdl, message) =>
      writeLatestEverywhere(
        gitops.map((g) => g.poller),
        db,
        sdl,
        message,
      ),
  };
  const planner = statePlanner({ config, targetFor, logger });
  const paces = slackPaces();
  const client = botWebClient(settings.botToken, settings.apiUrl, logger, paces);
  const notifier = slackNotifier(client, config, {
    pace: paces.posts,
    onError: (err, issue) => logger.error({ issue, err }, 'could not post to the issue thread'),
  });
  const directory = slackDirectory(client, logger);
  const application = createApplication({
    config,
    store,
    queue: lateQueue,
    notifier,
    reviewer: createReviewer(policies),
    liveReviewer: ({ engine, sql, environment, query }) =>
      reviewLive({ engine, sql, query, policy: policyFor(policies, environment) }),
    measureTables: touchedTables,
    planner,
    ...(config.gitops.length ? { gitops: gitopsPort } : {}),
    targetFor,
    directory: directory.directory,
    now,
    logger,
    outages,
  });
  gitops = gitopsPollers({
    config,
    configDir: dirname(settings.configPath),
    dataDir: settings.dataDir,
    store,
    app: application,
    post: async (report) => {
      const { text, blocks } = gitopsReportMessage(report);
      await client.chat
        .postMessage({ channel: config.channel, text, blocks, unfurl_links: false })
        .catch((err: unknown) => logger.error({ err }, 'could not post a gitops report'));
    },
    now,
    logger,
  });
  const webhookSecret = process.env.GITOPS_WEBHOOK_SECRET ?? '';
  const webhook = webhookHandler({
    repos: config.gitops,
    secret: webhookSecret,
    trigger: async (repo) => triggerPoll?.(repoKeyOf(repo)),
    logger,
  });
  if (gitops.length && !webhookSecret)
    logger.info(
      `gitops webhooks are off (GITOPS_WEBHOOK_SECRET is not set): the repositories are polled every pollInterval`,
    );

  const app = createSlackApp({
    // In Socket Mode Slack needs no HTTP: the webhook gets a listener of its own on PORT (below).
    httpRoutes: gitops.length && !settings.appToken ? [{ path: WEBHOOK_PATH, method: 'POST', handler: webhook }] : [],
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
    processEvery: processEveryFor(config),
    onError: backgroundError,
    gitops: gitops.map((p) => ({ repoKey: p.key, interval: p.interval })),
    handlers: {
      gitopsPoll: async (repoKey) => {
        const poller = gitops.find((p) => p.key === repoKey);
        if (!poller) return;
        try {
          // Commits pushed while a poll ran are taken at once (their webhook may have come mid-poll).
          // A webhook or an admin's decision arriving here while this poll runs asks for one more round.
          for (let round = 0; round < 5; round++) {
            pollAgain.delete(repoKey);
            const outcome = await poller.poller.poll();
            if (outcome.kind === 'unchanged' && !pollAgain.has(repoKey)) break;
            logger.info({ repo: redactUrl(repoKey), ...outcome }, 'gitops poll');
          }
        } catch (err) {
          logger.error(
            { repo: redactUrl(repoKey), err: messageOf(err) },
            'gitops poll failed; trying again at the next poll',
          );
        }
      },
      runStage: (issueId, stageIndex, heartbeat) => application.runStage(issueId, stageIndex, heartbeat),
      driftCheck: async () => {
        const reports = await application.driftCheck();
        for (const report of reports) {
          const { text, blocks } = driftMessage(report.database, report.diff);
          await client.chat
            .postMessage({ channel: config.channel, text, blocks })
            .catch((err: unknown) => logger.error({ err }, 'could not post a drift report'));
        }
        logger.info({ reported: reports.length }, 'drift check done');
      },
      scheduledStageDue: async (issueId, stageIndex, at) => {
        await application.scheduledStageDue(issueId, stageIndex, at);
      },
      approvalExpired: (issueId, stageIndex, user, at) => application.approvalExpired(issueId, stageIndex, user, at),
      preflightDue: async (issueId, stageIndex, at) => {
        await application.preflightDue(issueId, stageIndex, at);
      },
      waveDelayDue: async (issueId, stageIndex, wave) => {
        await application.waveDelayDue(issueId, stageIndex, wave);
      },
    },
  });
  queue = started.queue;
  triggerPoll = async (repoKey) => {
    // A poll running now in this process would end with the job's next run an interval away: it goes round again.
    pollAgain.add(repoKey);
    await started.triggerPoll(repoKey);
  };
  await application.reconcile();
  // Back from an outage: what does not reconnect by itself is connected again, and stages whose
  // job could not be saved while the store was away are queued again (as after a restart).
  outages.onRestored(() => {
    opened.resume().catch((err: unknown) => backgroundError(err));
    application
      .reconcile()
      .catch((err: unknown) => logger.error({ err: messageOf(err) }, 'could not queue the running stages again'));
  });

  let webhookServer: { close(): Promise<void> } | undefined;
  try {
    if (gitops.length && settings.appToken && webhookSecret) {
      webhookServer = await serveWebhook(settings.port, webhook, logger);
      logger.info({ port: settings.port, path: WEBHOOK_PATH }, 'Socket Mode: the gitops webhook listens on PORT');
    }
    await startSlack(app, { port: settings.port, socketMode: Boolean(settings.appToken) });
  } catch (e) {
    await webhookServer?.close().catch(() => {});
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
      // New Slack requests are refused first; those already acknowledged finish (at most
      // STOP_WAIT_MS) on a store that is still open, and only then do the jobs and the store stop.
      await app.stop().catch(() => {});
      outages.stop();
      await webhookServer?.close().catch(() => {});
      await started.stop().catch(() => {});
      // What the stopped tasks told their threads goes out before the bot does (a stuck Slack: at most THREAD_DRAIN_MS).
      if ((await within(notifier.drain(), THREAD_DRAIN_MS)) === 'late')
        logger.warn(`stopping with thread replies still queued for Slack after ${THREAD_DRAIN_MS / 1000} s`);
      for (const t of targets.values()) await t.close().catch(() => {});
      await opened.close();
    },
  };
}

/** How long a stopping bot waits for thread replies still queued for Slack's pace. */
const THREAD_DRAIN_MS = 15_000;

/** The queue looks for due jobs at least as often as the shortest poll interval, so polls keep their interval. */
function processEveryFor(config: Config): number {
  // A number of milliseconds: human-interval reads "1000 milliseconds" as a million.
  const shortest = Math.min(5000, ...config.gitops.map((g) => humanInterval(g.pollInterval) ?? 5000));
  return Math.max(200, shortest);
}

/** One poller per watched repository, with the bot's own clone under the data directory. */
function gitopsPollers(deps: {
  config: Config;
  configDir: string;
  dataDir: string;
  store: Store;
  app: GitopsDoor;
  post: (report: GitopsReport) => Promise<void>;
  now: () => Date;
  logger: Logger;
}): { key: string; interval: string; poller: Poller }[] {
  return deps.config.gitops.map((g) => {
    // A local path is relative to the config file, like every other path in it.
    const url = /^[a-z][a-z0-9+.-]*:\/\/|^[^/]+@[^/]+:/i.test(g.repo) ? g.repo : resolve(deps.configDir, g.repo);
    const key = repoKeyOf(g);
    const dir = join(deps.dataDir, 'gitops', createHash('sha256').update(key).digest('hex').slice(0, 16));
    let opening: Promise<GitRepo> | undefined;
    const poller = new Poller({
      config: deps.config,
      gitops: { ...g, repo: url },
      key,
      store: deps.store,
      app: deps.app,
      repo: () => {
        opening ??= GitRepo.open({ url, branch: g.branch, dir, author: parseAuthor(g.author), env: process.env }).catch(
          (e: unknown) => {
            opening = undefined;
            throw e;
          },
        );
        return opening;
      },
      report: deps.post,
      now: deps.now,
      logger: deps.logger,
    });
    return { key, interval: g.pollInterval, poller };
  });
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
