// Starting the Slack side: the token check and the listener, with errors that say what to fix.
import type { App as BoltApp } from '@slack/bolt';
import { DbchangeError, ErrorCode } from '../errors.js';

/** Check the token with Slack (auth.test); a refusal says what to fix. */
export async function initSlack(app: BoltApp): Promise<void> {
  try {
    await app.init();
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
    throw new DbchangeError(
      ErrorCode.EnvMissing,
      `Slack refused SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token (xoxb-…) again from your app's "OAuth & Permissions" page, and reinstall the app to the workspace if its scopes changed.`,
      { cause: err },
    );
  }
}

/** Start receiving requests (HTTP on the port, or Socket Mode); errors say what to fix. */
export async function startSlack(app: BoltApp, opts: { port: number; socketMode: boolean }): Promise<void> {
  try {
    if (opts.socketMode) await app.start();
    else await app.start(opts.port);
  } catch (err) {
    const message = (err as Error).message;
    throw new DbchangeError(
      ErrorCode.EnvMissing,
      opts.socketMode
        ? `Socket Mode could not connect (${message}); check SLACK_APP_TOKEN (an xapp- token with connections:write) and that Socket Mode is enabled for the app.`
        : `cannot listen on PORT ${opts.port} (${message}); choose a free port with PORT.`,
      { cause: err },
    );
  }
}
