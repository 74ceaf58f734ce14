// Buttons that decide: approve, reject, roll out, cancel, retry, roll out anyway, and resolving
// a task that needs attention. Each is the state machine's call; a refusal is told to the clicker.
import type { BlockAction, ButtonAction, CheckboxesAction } from '@slack/bolt';
import type { Issue } from '../../domain/issue.js';
import {
  approve,
  cancel,
  reject,
  resolveAttention,
  retry,
  rolloutNow,
  setRolloutAnyway,
  type Decision,
} from '../../domain/transitions.js';
import { afterAck } from '../after-ack.js';
import { ACTION } from '../views/ids.js';
import { tellUser, type HandlerContext } from './context.js';

export function registerDecisions(h: HandlerContext): void {
  const { app, service, store } = h;
  // ---- buttons -------------------------------------------------------------------------------

  const decide = (actionId: string, decideFn: (issue: Issue, user: string, body: BlockAction) => Decision) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      await afterAck();
      const [issueId, revision] = (action.value ?? '').split(':');
      const user = body.user.id;
      const result = await service.mutate(issueId ?? '', (issue) => {
        if (revision && Number(revision) !== issue.revision)
          return {
            ok: false,
            reason: `the SQL of #${issue.id} changed since this button was shown; look at the updated message`,
          };
        return decideFn(issue, user, body);
      });
      if (!result.ok)
        await tellUser(h, body.channel?.id ?? service.config.channel, user, `:no_entry_sign: ${result.reason}`);
    });
  };
  decide(ACTION.approve, (issue, user) => approve(issue, user, h.ctx()));
  decide(ACTION.reject, (issue, user) => reject(issue, user, h.ctx()));
  decide(ACTION.rollout, (issue, user) => rolloutNow(issue, user, h.ctx()));
  decide(ACTION.cancel, (issue, user) => cancel(issue, user, h.ctx()));
  decide(ACTION.retry, (issue, user) => retry(issue, user, h.ctx()));

  // A task that needs attention: the person checked the database; the ledger is resolved first,
  // after the same authorisation check the state machine will make.
  for (const [actionId, applied] of [
    [ACTION.resolveApplied, true],
    [ACTION.resolveNotApplied, false],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      await afterAck();
      const [issueId = '', taskId = ''] = (action.value ?? '').split(':');
      const user = body.user.id;
      const channel = body.channel?.id ?? service.config.channel;
      const issue = await store.getIssue(issueId);
      const probe = issue
        ? resolveAttention(issue, user, taskId, applied, h.ctx())
        : { ok: false as const, reason: 'that issue no longer exists' };
      if (!probe.ok || !issue)
        return void (await tellUser(h, channel, user, `:no_entry_sign: ${probe.ok ? '' : probe.reason}`));
      const stage = issue.stages.find((s) => s.tasks.some((t) => t.id === taskId))!;
      const task = stage.tasks.find((t) => t.id === taskId)!;
      const db = service.config.databases.find((d) => d.name === task.database && d.environment === stage.environment);
      if (!db)
        return void (await tellUser(
          h,
          channel,
          user,
          `:no_entry_sign: ${task.database} is no longer configured for ${stage.environment}`,
        ));
      try {
        await h.targetFor(db).resolveLedger(taskId, applied ? 'done' : 'failed');
      } catch (err) {
        return void (await tellUser(
          h,
          channel,
          user,
          `:x: could not update the ledger of ${db.name} (${db.environment}): ${(err as Error).message}`,
        ));
      }
      const result = await service.mutate(issueId, (current) =>
        resolveAttention(current, user, taskId, applied, h.ctx()),
      );
      if (!result.ok) await tellUser(h, channel, user, `:no_entry_sign: ${result.reason}`);
    });
  }

  app.action<BlockAction<CheckboxesAction>>(ACTION.rolloutAnyway, async ({ ack, body, action }) => {
    await ack();
    await afterAck();
    const issueId = (body.actions[0]?.block_id ?? '').replace(/^issue:/, '');
    const checked = action.selected_options.some((o) => o.value === 'yes');
    const result = await service.mutate(issueId, (issue) => setRolloutAnyway(issue, body.user.id, checked, h.ctx()));
    if (!result.ok) {
      await tellUser(h, body.channel?.id ?? service.config.channel, body.user.id, `:no_entry_sign: ${result.reason}`);
      // Put the checkbox back the way it was for everyone.
      await service.refreshMessage(issueId);
    }
  });

  // Buttons that open a modal must call views.open within 3 s of the click, with its trigger_id.
}
