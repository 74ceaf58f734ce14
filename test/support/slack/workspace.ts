// The state the fake Slack keeps between calls: messages per channel (as they look after
// updates), open modal stacks, trigger ids, response URLs, users and channels.
import { messageClock, slackId, triggerId } from './ids.js';
import type { Rejection } from './rejection.js';

/** A message as Slack stores it, after any chat.update or replace_original. */
export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  user: string;
  bot_id: string;
  /** How many times chat.update (or replace_original) changed it. */
  updates: number;
  edited?: { user: string; ts: string };
}

/** An ephemeral message: shown to one user, never in channel history. */
export interface FakeEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
}

export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  tz: string | null;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_member: boolean;
}

/** A file uploaded to the workspace (as a file_input in a modal does); content is served, not shown. */
export interface FakeFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  pretty_type: string;
  user: string;
  user_team: string;
  editable: boolean;
  size: number;
  mode: 'hosted';
  is_external: false;
  is_public: boolean;
  url_private: string;
  url_private_download: string;
  permalink: string;
  content: Buffer;
}

interface Trigger {
  issuedAt: number;
  used: boolean;
  /** Set when the trigger came from an interaction inside this modal (so views.push may use it). */
  viewId?: string;
}

/** What a response_url was issued for: the channel, the clicked message, the user. */
export interface ResponseUrlSource {
  channel?: string;
  messageTs?: string;
  user?: string;
}

interface ResponseUrl extends ResponseUrlSource {
  issuedAt: number;
  uses: number;
}

/** How long Slack honours a trigger_id, and how often and how long a response_url. */
export const TRIGGER_TTL_MS = 3000;
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

/** One fake workspace with one installed bot. */
export class Workspace {
  readonly messages: FakeMessage[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly views = new Map<string, Record<string, unknown>>();
  /** root view id → ids of the views on its stack, bottom first. */
  readonly stacks = new Map<string, string[]>();
  readonly users = new Map<string, FakeUser>();
  /** User group id (S…) → member user ids, for usergroups.users.list. */
  readonly userGroups = new Map<string, string[]>();
  readonly channels = new Map<string, FakeChannel>();
  readonly files = new Map<string, FakeFile>();
  readonly triggers = new Map<string, Trigger>();
  readonly responseUrls = new Map<string, ResponseUrl>();
  readonly nextTs: () => string;

  constructor(
    readonly teamId: string,
    readonly botUserId: string,
    readonly botId: string,
    readonly appId: string,
    readonly now: () => number,
  ) {
    this.nextTs = messageClock(now);
  }

  /** A fresh single-use trigger_id; pass the modal's view id when the click happened inside a modal. */
  issueTrigger(viewId?: string): string {
    const id = triggerId(this.now());
    this.triggers.set(id, { issuedAt: this.now(), used: false, ...(viewId ? { viewId } : {}) });
    return id;
  }

  /** Spends a trigger_id as views.open/push do, or says why Slack would refuse it. */
  useTrigger(id: unknown): { viewId?: string } | Rejection {
    const t = typeof id === 'string' ? this.triggers.get(id) : undefined;
    if (!t) return { error: 'invalid_trigger_id' };
    if (t.used) return { error: 'exchanged_trigger_id' };
    if (this.now() - t.issuedAt > TRIGGER_TTL_MS) return { error: 'expired_trigger_id' };
    t.used = true;
    return t.viewId ? { viewId: t.viewId } : {};
  }

  /** Registers a response_url path, optionally tied to the message whose button was clicked. */
  issueResponseUrl(path: string, source: ResponseUrlSource): void {
    this.responseUrls.set(path, { issuedAt: this.now(), uses: 0, ...source });
  }

  /** Spends one use of a response_url, or says why Slack would refuse it. */
  useResponseUrl(path: string): ResponseUrl | Rejection {
    const r = this.responseUrls.get(path);
    if (!r) return { error: 'invalid_url' };
    if (this.now() - r.issuedAt > RESPONSE_URL_TTL_MS) return { error: 'expired_url' };
    if (r.uses >= RESPONSE_URL_USES) return { error: 'used_url' };
    r.uses += 1;
    return r;
  }

  /** The channel record for an ID, created on first sight as a public channel the bot is not in. */
  channel(id: string): FakeChannel {
    let c = this.channels.get(id);
    if (!c) {
      c = {
        id,
        name: id.startsWith('#') ? id.slice(1) : `channel-${id.toLowerCase()}`,
        is_private: id.startsWith('G'),
        is_member: false,
      };
      this.channels.set(id, c);
    }
    return c;
  }

  findMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  newViewId(): string {
    return slackId('V');
  }
}

/** Whether a handler result is a rejection. */
export function isRejection(v: unknown): v is Rejection {
  return typeof v === 'object' && v !== null && typeof (v as Rejection).error === 'string';
}
