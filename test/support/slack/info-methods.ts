// auth.test, users.info, conversations.info and conversations.join: who the bot is, a user's
// time zone (IANA name, may be null) and the channels it posts to.
import { isChannelRef } from './channel-ids.js';
import { failure, missing, type ApiResult } from './results.js';
import type { FakeUser, Workspace } from './workspace.js';

type Args = Record<string, unknown>;

/** Seconds east of UTC for `tz` at `atMs`, as users.info reports tz_offset. */
export function tzOffsetSeconds(tz: string, atMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(atMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(atMs / 1000) * 1000) / 1000);
}

/** The long zone name users.info calls tz_label, e.g. "Central European Standard Time". */
export function tzLabel(tz: string, atMs: number): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' }).formatToParts(new Date(atMs));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? tz;
}

function userView(ws: Workspace, u: FakeUser): Args {
  const at = ws.now();
  return {
    id: u.id,
    team_id: ws.teamId,
    name: u.name,
    deleted: false,
    real_name: u.real_name,
    tz: u.tz,
    tz_label: u.tz ? tzLabel(u.tz, at) : null,
    tz_offset: u.tz ? tzOffsetSeconds(u.tz, at) : 0,
    profile: { real_name: u.real_name, display_name: u.name },
    is_bot: false,
    is_app_user: false,
  };
}

function channelView(ws: Workspace, id: string): Args {
  const c = ws.channel(id);
  return {
    id: c.id,
    name: c.name,
    is_channel: !c.is_private,
    is_group: false,
    is_im: false,
    is_private: c.is_private,
    is_member: c.is_member,
  };
}

export const infoMethods: Record<string, (ws: Workspace, args: Args) => ApiResult> = {
  'auth.test'(ws) {
    return {
      ok: true,
      url: 'https://fake-slack.example/',
      team: 'Fake Workspace',
      user: 'dbchange',
      team_id: ws.teamId,
      user_id: ws.botUserId,
      bot_id: ws.botId,
      is_enterprise_install: false,
    };
  },

  'users.info'(ws, args) {
    if (typeof args.user !== 'string') return failure(missing('user'));
    const u = ws.users.get(args.user);
    return u ? { ok: true, user: userView(ws, u) } : failure({ error: 'user_not_found' });
  },

  'usergroups.users.list'(ws, args) {
    if (typeof args.usergroup !== 'string') return failure(missing('usergroup'));
    const members = ws.userGroups.get(args.usergroup);
    return members ? { ok: true, users: [...members] } : failure({ error: 'no_such_subteam' });
  },

  'conversations.info'(ws, args) {
    if (!isChannelRef(args.channel) || args.channel.startsWith('#')) return failure({ error: 'channel_not_found' });
    const c = ws.channel(args.channel);
    if (c.is_private && !c.is_member) return failure({ error: 'channel_not_found' });
    return { ok: true, channel: channelView(ws, args.channel) };
  },

  'conversations.join'(ws, args) {
    if (args.channel === undefined) return failure(missing('channel'));
    if (!isChannelRef(args.channel) || args.channel.startsWith('#')) return failure({ error: 'channel_not_found' });
    const c = ws.channel(args.channel);
    if (c.is_private) return failure({ error: 'method_not_supported_for_channel_type' });
    const already = c.is_member;
    c.is_member = true;
    return { ok: true, channel: channelView(ws, args.channel), ...(already ? { warning: 'already_in_channel' } : {}) };
  },
};
