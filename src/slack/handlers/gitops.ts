// Buttons on the git poller's reports: an admin applies or skips a migration file held because
// its version is out of order. Parse the click, ask the application, show who decided.
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { afterAck } from '../after-ack.js';
import { heldDecidedBlocks, heldRefOf } from '../views/gitops.js';
import { ACTION, numberedAction } from '../views/ids.js';
import { channelOf, type HandlerContext, tellRefusal, tellUser } from './context.js';

export function registerGitops(h: HandlerContext): void {
  const { bolt, app } = h;
  for (const [actionId, apply] of [
    [ACTION.gitHeldApply, true],
    [ACTION.gitHeldSkip, false],
  ] as const) {
    bolt.action<BlockAction<ButtonAction>>(numberedAction(actionId), async ({ ack, body, action, context }) => {
      await ack();
      await afterAck(context);
      const user = body.user.id;
      const channel = channelOf(h, body);
      const ref = heldRefOf(action.value);
      if (!ref) return void (await tellUser(h, channel, user, ':no_entry_sign: this button is not one dbchange made'));
      const result = await app.decideHeldMigration({ actor: { user }, ...ref, apply });
      if (result.kind !== 'done') return void (await tellRefusal(h, channel, user, result));
      const message = body.message;
      if (!message?.ts) return;
      const blocks = heldDecidedBlocks((message.blocks ?? []) as KnownBlock[], action.block_id, {
        applied: result.applied,
        by: user,
      });
      await bolt.client.chat
        .update({ channel, ts: message.ts, text: String(message.text ?? ''), blocks })
        .catch((err: unknown) => h.logger.error({ err }, 'could not update the held-migration report'));
    });
  }
}
