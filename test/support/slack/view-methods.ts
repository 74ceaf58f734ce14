// views.open / views.push / views.update. A modal stack starts with views.open (which spends a
// trigger_id) and grows with views.push (a trigger from inside that modal) to at most 3 views.
import { randomBytes } from 'node:crypto';
import { LIMITS } from './limits.js';
import { failure, missing, type ApiResult } from './results.js';
import { checkView } from './view-args.js';
import { isRejection, type Workspace } from './workspace.js';

type Args = Record<string, unknown>;

function newHash(ws: Workspace): string {
  return `${Math.floor(ws.now() / 1000)}.${randomBytes(4).toString('hex')}`;
}

/** The view as Slack returns it: what was sent plus id, hash, state and stack links. */
function storedView(ws: Workspace, sent: Args, id: string, rootId: string, previousId: string | null): Args {
  return {
    id,
    team_id: ws.teamId,
    type: sent.type,
    blocks: sent.blocks,
    private_metadata: sent.private_metadata ?? '',
    callback_id: sent.callback_id ?? '',
    state: { values: {} },
    hash: newHash(ws),
    title: sent.title,
    clear_on_close: sent.clear_on_close ?? false,
    notify_on_close: sent.notify_on_close ?? false,
    close: sent.close ?? null,
    submit: sent.submit ?? null,
    previous_view_id: previousId,
    root_view_id: rootId,
    app_id: ws.appId,
    external_id: sent.external_id ?? '',
    app_installed_team_id: ws.teamId,
    bot_id: ws.botId,
  };
}

function findView(ws: Workspace, args: Args): Args | undefined {
  if (typeof args.view_id === 'string') return ws.views.get(args.view_id);
  if (typeof args.external_id === 'string' && args.external_id !== '') {
    return [...ws.views.values()].find((v) => v.external_id === args.external_id);
  }
  return undefined;
}

export const viewMethods: Record<string, (ws: Workspace, args: Args) => ApiResult> = {
  'views.open'(ws, args) {
    if (args.trigger_id === undefined) return failure(missing('trigger_id'));
    const bad = checkView(args.view);
    if (bad) return failure(bad);
    const trigger = ws.useTrigger(args.trigger_id);
    if (isRejection(trigger)) return failure(trigger);
    const id = ws.newViewId();
    const view = storedView(ws, args.view as Args, id, id, null);
    ws.views.set(id, view);
    ws.stacks.set(id, [id]);
    return { ok: true, view };
  },

  'views.push'(ws, args) {
    if (args.trigger_id === undefined) return failure(missing('trigger_id'));
    const bad = checkView(args.view);
    if (bad) return failure(bad);
    const trigger = ws.useTrigger(args.trigger_id);
    if (isRejection(trigger)) return failure(trigger);
    const from = trigger.viewId ? ws.views.get(trigger.viewId) : undefined;
    if (!from) {
      return failure({
        error: 'invalid_trigger_id',
        messages: ['[ERROR] views.push needs a trigger_id from an interaction inside an open modal'],
      });
    }
    const rootId = from.root_view_id as string;
    const stack = ws.stacks.get(rootId) ?? [];
    if (stack.length >= LIMITS.viewStack) return failure({ error: 'push_limit_reached' });
    const id = ws.newViewId();
    const view = storedView(ws, args.view as Args, id, rootId, stack.at(-1) ?? null);
    ws.views.set(id, view);
    stack.push(id);
    ws.stacks.set(rootId, stack);
    return { ok: true, view };
  },

  'views.update'(ws, args) {
    if (args.view_id === undefined && args.external_id === undefined) return failure(missing('view_id'));
    const bad = checkView(args.view);
    if (bad) return failure(bad);
    const current = findView(ws, args);
    if (!current) return failure({ error: 'not_found' });
    if (args.hash !== undefined && args.hash !== current.hash) return failure({ error: 'hash_conflict' });
    const id = current.id as string;
    const view = storedView(
      ws,
      args.view as Args,
      id,
      current.root_view_id as string,
      current.previous_view_id as string | null,
    );
    ws.views.set(id, view);
    return { ok: true, view };
  },
};
