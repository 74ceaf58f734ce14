// User groups (S…) in approvers/releasers: their members come from Slack (usergroups.users.list),
// cached briefly, so the pure state machine gets a plain synchronous lookup.
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Directory } from '../domain/permissions.js';

const TTL_MS = 5 * 60_000;

export interface SlackDirectory {
  /** Make sure the members of every group in `entries` are known (cached for five minutes). */
  refresh(entries: string[]): Promise<void>;
  directory: Directory;
}

export function slackDirectory(client: WebClient, logger: Logger, now: () => number = Date.now): SlackDirectory {
  const groups = new Map<string, { members: string[]; at: number }>();
  return {
    async refresh(entries) {
      for (const id of new Set(entries.filter((e) => e.startsWith('S')))) {
        const cached = groups.get(id);
        if (cached && now() - cached.at < TTL_MS) continue;
        try {
          const res = await client.usergroups.users.list({ usergroup: id });
          groups.set(id, { members: res.users ?? [], at: now() });
        } catch (err) {
          // Unknown group or missing usergroups:read scope: the group grants nobody, and the log says why.
          logger.warn(
            { err, usergroup: id },
            'could not read the members of a user group; add the usergroups:read scope or fix the id',
          );
          groups.set(id, { members: cached?.members ?? [], at: now() });
        }
      }
    },
    directory(entries) {
      const out = new Set<string>();
      for (const e of entries) {
        if (e.startsWith('S')) for (const m of groups.get(e)?.members ?? []) out.add(m);
        else out.add(e);
      }
      return out;
    },
  };
}
