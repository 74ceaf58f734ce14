/**
 * The Slack side: a Bolt app whose handlers parse payloads, call the application (src/app, the
 * one door) and render the result. Every handler acks first (Slack allows 3 s) and does slow work after, in the
 * post-ack lane (after-ack.ts); clicks and most commands are acked by the receiver as they arrive. Refusals go
 * back only to the person who clicked (ephemeral), and change nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import bolt from '@slack/bolt';
import type { App as BoltApp } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Application } from '../app/index.js';
import { commandAcksEmpty, registerCommand } from './command.js';
import type { SlackDirectory } from './directory.js';
import type { HandlerContext } from './handlers/context.js';
import { registerDecisions } from './handlers/decisions.js';
import { registerDialogs } from './handlers/dialogs.js';
import { registerGitops } from './handlers/gitops.js';
import { registerSubmissions } from './handlers/submissions.js';
import { requestArrived } from './after-ack.js';
import { InFlight, stopGracefully } from './in-flight.js';
import { boltLogger, describeRequest, guardedHttpReceiver, processAcknowledged } from './receiver.js';
import { webClientOptions } from './web-client.js';

export { initSlack, startSlack } from './start.js';

const { App } = bolt;

export interface SlackOptions {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  port: number;
  apiUrl?: string;
  app: Application;
  /** User groups in approver and releaser lists; refreshed before each request. */
  directory: SlackDirectory;
  logger: Logger;
  now: () => Date;
  /** Other HTTP routes served on the same port (HTTP mode), e.g. the GitOps webhook. */
  httpRoutes?: {
    path: string;
    method: 'POST';
    handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  }[];
}

/**
 * Requests every listener acks with nothing: button clicks (Slack ignores what their ack says) and
 * `/dbchange` but for its subcommands answered in the ack. The receiver acks them on arrival.
 */
function acksEmpty(body: Record<string, unknown>): boolean {
  if (body.type === 'block_actions') return true;
  return body.command === '/dbchange' && typeof body.text === 'string' && commandAcksEmpty(body.text);
}

/** Build the Bolt app with every handler registered. */
export function createSlackApp(opts: SlackOptions): BoltApp {
  const { logger } = opts;
  const bolt = new App({
    token: opts.botToken,
    signingSecret: opts.signingSecret,
    ...(opts.appToken
      ? { appToken: opts.appToken, socketMode: true }
      : {
          receiver: guardedHttpReceiver({
            signingSecret: opts.signingSecret,
            port: opts.port,
            logger,
            customRoutes: opts.httpRoutes,
            ackOnArrival: acksEmpty,
          }),
        }),
    clientOptions: webClientOptions(opts.apiUrl),
    logger: boltLogger(logger),
    // No conversation state is kept between requests: skip Bolt's per-request store lookup.
    convoStore: false,
    // auth.test runs in startSlack(), where a refused token becomes a message that says what to do.
    deferInitialization: true,
  });

  // Approver, releaser and admin lists may name user groups: know their members before any decision.
  const { directory } = opts;
  const groupIds = [
    ...new Set([
      ...opts.app.config.environments.flatMap((e) => [...e.approvers, ...e.releasers]),
      ...opts.app.config.admins,
    ]),
  ].filter((e) => e.startsWith('S'));
  if (groupIds.length > 0) {
    bolt.use(async ({ next }) => {
      await directory.refresh(groupIds);
      await next();
    });
  }

  const h: HandlerContext = { bolt, app: opts.app, logger, now: opts.now };
  registerCommand(bolt, opts.app, logger);
  registerSubmissions(h);
  registerDecisions(h);
  registerDialogs(h);
  registerGitops(h);

  bolt.error(async (err) => {
    logger.error({ err }, 'slack handler failed');
  });

  // In HTTP mode the receiver acks on arrival and lets the requests it took in finish when it
  // stops; over the socket, the app does both.
  if (opts.appToken) overTheSocket(bolt, logger);
  return bolt;
}

/**
 * Socket Mode: a request whose ack carries nothing (acksEmpty) is acknowledged as it arrives, as
 * the HTTP receiver does, so the middleware (user-group members read from Slack) and the listener
 * never hold Slack's 3 s; its listener then runs in the post-ack lane. Stopping disconnects, then
 * waits for the requests already handed to the app (see in-flight.ts).
 */
function overTheSocket(bolt: BoltApp, logger: Logger): void {
  const inFlight = new InFlight();
  const processEvent = bolt.processEvent.bind(bolt);
  bolt.processEvent = (event) => {
    requestArrived();
    const body = event.body as Record<string, unknown>;
    const work = acksEmpty(body)
      ? event.ack().then(() => processAcknowledged(processEvent, event, logger))
      : processEvent(event);
    inFlight.track(describeRequest(body), work);
    return work;
  };
  const stop = bolt.stop.bind(bolt);
  bolt.stop = (...args: unknown[]) =>
    stopGracefully(
      async () => {
        await stop(...args);
      },
      inFlight,
      logger,
    );
}
