// Buttons that decide: approve, reject, roll out, cancel, retry, continue or halt waves, roll out anyway, and resolving
// a task that needs attention. Each parses the click, calls the application, and tells the
// clicker when it was refused.
import type { BlockAction, ButtonAction, CheckboxesAction } from '@slack/bolt';
import type { Actor, Application, Result, Seen } from '../../app/index.js';
import type { Issue } from '../../domain/issue.js';
import { afterAck } from '../after-ack.js';
import { ACTION, numberedAction } from '../views/ids.js';
import { channelOf, type HandlerContext, seenIn, tellRefusal } from './context.js';

type Decide = (input: Seen & { actor: Actor }) => Promise<Result<{ issue: Issue }>>;

export function registerDecisions(h: HandlerContext): void {
  const { bolt, app } = h;

  const button = (actionId: string, decide: (a: Application) => Decide) => {
    bolt.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, context }) => {
      await ack();
      await afterAck(context);
      const result = await decide(app)({ actor: { user: body.user.id }, ...seenIn(action.value) });
      if (result.kind !== 'done') await tellRefusal(h, channelOf(h, body), body.user.id, result);
    });
  };
  button(ACTION.approve, (a) => a.approve);
  button(ACTION.reject, (a) => a.reject);
  button(ACTION.rollout, (a) => a.rolloutNow);
  button(ACTION.cancel, (a) => a.cancel);
  button(ACTION.retry, (a) => a.retry);
  button(ACTION.continueWaves, (a) => a.continueWaves);
  button(ACTION.haltWaves, (a) => a.haltWaves);

  // A pre-flight check's Confirm and Cancel, each for the schedule at the time the check was for.
  for (const [actionId, decide] of [
    [ACTION.preflightConfirm, app.confirmPreflight],
    [ACTION.preflightCancel, app.cancelSchedule],
  ] as const) {
    bolt.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, context }) => {
      await ack();
      await afterAck(context);
      const at = new Date(Number((action.value ?? '').split(':')[2]));
      const result = await decide({ actor: { user: body.user.id }, ...seenIn(action.value), at });
      if (result.kind !== 'done') await tellRefusal(h, channelOf(h, body), body.user.id, result);
    });
  }

  // A task that needs attention: the person checked the database and says whether it was applied.
  for (const [actionId, applied] of [
    [ACTION.resolveApplied, true],
    [ACTION.resolveNotApplied, false],
  ] as const) {
    bolt.action<BlockAction<ButtonAction>>(numberedAction(actionId), async ({ ack, body, action, context }) => {
      await ack();
      await afterAck(context);
      const [issueId = '', taskId = ''] = (action.value ?? '').split(':');
      const result = await app.resolveAttention({ actor: { user: body.user.id }, issueId, taskId, applied });
      if (result.kind !== 'done') await tellRefusal(h, channelOf(h, body), body.user.id, result);
    });
  }

  // A running rollout: Cancel run on the issue message (every running task of the stage), and the
  // lock-wait notice's Cancel my statement and Keep waiting (one task: `issue:task`).
  bolt.action<BlockAction<ButtonAction>>(ACTION.stopRun, async ({ ack, body, action, context }) => {
    await ack();
    await afterAck(context);
    const { issueId } = seenIn(action.value);
    const result = await app.stopRun({ actor: { user: body.user.id }, issueId });
    if (result.kind !== 'done') await tellRefusal(h, channelOf(h, body), body.user.id, result);
  });
  for (const [actionId, use] of [
    [ACTION.cancelStatement, (a: Application) => a.stopRun],
    [ACTION.keepWaiting, (a: Application) => a.keepWaiting],
  ] as const) {
    bolt.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, context }) => {
      await ack();
      await afterAck(context);
      const [issueId = '', taskId = ''] = (action.value ?? '').split(':');
      const result = await use(app)({ actor: { user: body.user.id }, issueId, taskId });
      if (result.kind !== 'done') await tellRefusal(h, channelOf(h, body), body.user.id, result);
    });
  }

  bolt.action<BlockAction<CheckboxesAction>>(ACTION.rolloutAnyway, async ({ ack, body, action, context }) => {
    await ack();
    await afterAck(context);
    // The block id carries the issue and the SQL revision the checkbox was shown for.
    const seen = seenIn((body.actions[0]?.block_id ?? '').replace(/^issue:/, ''));
    const checked = action.selected_options.some((o) => o.value === 'yes');
    const result = await app.acknowledgeReview({ actor: { user: body.user.id }, ...seen, checked });
    if (result.kind !== 'done') await tellRefusal(h, channelOf(h, body), body.user.id, result);
  });
}
