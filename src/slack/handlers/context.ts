// What every Slack handler shares: the Bolt app, the change service, and small helpers to read
// modal state and to answer the one person who acted.
import type { App as BoltApp } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChangeService } from '../../app/service.js';
import type { Config, DatabaseConfig } from '../../config/model.js';
import { isValidTimeZone } from '../../domain/maintenance-window.js';
import type { Directory } from '../../domain/transitions.js';
import type { Store } from '../../store/types.js';
import type { Target } from '../../targets/types.js';
import type { SchemaCommands } from '../command.js';

export interface HandlerContext {
  app: BoltApp;
  service: ChangeService;
  store: Store;
  logger: Logger;
  now: () => Date;
  targetFor: (db: DatabaseConfig) => Target;
  schema?: SchemaCommands;
  /** User groups expanded (see ../directory.ts). */
  directory: Directory;
  /** What the state machine needs to decide: config, clock, directory. */
  ctx: () => { config: Config; now: Date; directory: Directory };
}

type ViewState = Record<
  string,
  Record<
    string,
    { value?: string | null; selected_option?: { value: string } | null; selected_date_time?: number | null }
  >
>;
type StateValue = ViewState[string][string];

/** The one input element of a modal block, whatever its action id. */
export function element(values: unknown, blockId: string): StateValue | undefined {
  const block = (values as ViewState)[blockId];
  return block ? Object.values(block)[0] : undefined;
}

/** The text or selected value of a modal block's input. */
export function field(values: unknown, blockId: string): string {
  const v = element(values, blockId);
  return (v?.selected_option?.value ?? v?.value ?? '').toString();
}

/** The user's IANA time zone from users.info, or UTC with a note saying why. */
export async function userTimeZone(h: HandlerContext, user: string): Promise<{ tz: string; note: string | null }> {
  try {
    const res = await h.app.client.users.info({ user });
    const tz = res.user?.tz;
    if (tz && isValidTimeZone(tz)) return { tz, note: null };
    return {
      tz: 'UTC',
      note: tz
        ? `(Your Slack time zone "${tz}" is not one we know, so UTC is used.)`
        : '(Your Slack profile has no time zone, so UTC is used.)',
    };
  } catch (err) {
    h.logger.warn({ err, user }, 'users.info failed; using UTC');
    return { tz: 'UTC', note: '(Could not read your Slack time zone, so UTC is used.)' };
  }
}

/** An ephemeral message only `user` sees. */
export async function tellUser(h: HandlerContext, channel: string, user: string, text: string): Promise<void> {
  try {
    await h.app.client.chat.postEphemeral({ channel, user, text });
  } catch {
    // The person may not be in the channel; a DM is the fallback.
    try {
      await h.app.client.chat.postMessage({ channel: user, text });
    } catch {
      /* nothing more we can do; the action changed nothing */
    }
  }
}
