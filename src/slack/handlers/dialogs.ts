// Buttons that open a modal (full SQL, findings, schema views, edit, schedule) or start a side
// flow (rollback, baseline). views.open must happen within 3 s of the click.
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Issue } from '../../domain/issue.js';
import { afterAck } from '../after-ack.js';
import { ACTION, numberedAction } from '../views/ids.js';
import { findingLine } from '../views/issue-message.js';
import { targetNames } from '../../app/index.js';
import { editModal, infoModal, scheduleModal, sqlSections, submitModal } from '../views/modals.js';
import { baselineReply } from '../views/replies.js';
import { escapeText, mention } from '../views/text.js';
import { channelOf, type HandlerContext, seenIn, tellRefusal, userTimeZone } from './context.js';

export function registerDialogs(h: HandlerContext): void {
  const { bolt, app } = h;
  /** A read-only view of an issue: no permission needed, only the issue. */
  const withIssue = (actionId: string, open: (issue: Issue, body: BlockAction) => Promise<void>) => {
    bolt.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, context }) => {
      await ack();
      await afterAck(context);
      const found = await app.issue({ issueId: seenIn(action.value).issueId });
      if (found.kind !== 'done') return void (await tellRefusal(h, channelOf(h, body), body.user.id, found));
      await open(found.issue, body);
    });
  };
  const openView = (body: BlockAction, view: Parameters<typeof bolt.client.views.open>[0]['view']) =>
    bolt.client.views.open({ trigger_id: body.trigger_id, view });

  withIssue(ACTION.showSql, async (issue, body) => {
    await openView(body, infoModal(`SQL of #${issue.id}`, sqlSections(issue.sql)));
  });
  withIssue(ACTION.showFindings, async (issue, body) => {
    const lines = issue.findings.map(
      (f) => `${f.level === 'ERROR' ? ':red_circle:' : ':large_yellow_circle:'} ${findingLine(f).slice(2)}`,
    );
    const sections: string[] = [];
    for (let i = 0; i < lines.length; i += 10) sections.push(lines.slice(i, i + 10).join('\n'));
    await openView(body, infoModal(`Review of #${issue.id}`, sections));
  });
  withIssue(ACTION.viewSchemaChange, async (issue, body) => {
    await openView(body, infoModal(`Schema change #${issue.id}`, sqlSections(issue.schemaChange || '(no difference)')));
  });
  withIssue(ACTION.viewFullSchema, async (issue, body) => {
    await openView(body, infoModal(`Full schema #${issue.id}`, sqlSections(issue.desiredSdl ?? issue.sql)));
  });
  withIssue(ACTION.viewGeneratedDdl, async (issue, body) => {
    // Computed at this moment against the next stage's database: open at once, fill in after.
    const opened = await openView(
      body,
      infoModal(`Generated DDL #${issue.id}`, ['Computing the DDL against the live schema…']),
    );
    const result = await app.generatedDdl({ actor: { user: body.user.id }, issueId: issue.id });
    const sections =
      result.kind === 'done'
        ? [
            `Against \`${escapeText(result.database.name)}\` (${escapeText(result.database.environment)}) now:`,
            ...(result.ddl ? sqlSections(result.ddl) : ['Nothing: the database already has the desired schema.']),
          ]
        : [result.kind === 'refused' ? `:x: ${escapeText(result.message)}` : ':x: that issue no longer exists'];
    if (opened.view?.id)
      await bolt.client.views.update({
        view_id: opened.view.id,
        view: infoModal(`Generated DDL #${issue.id}`, sections),
      });
  });

  bolt.action<BlockAction<ButtonAction>>(ACTION.rollback, async ({ ack, body, action, context }) => {
    await ack();
    await afterAck(context);
    const result = await app.rollback({ actor: { user: body.user.id }, issueId: seenIn(action.value).issueId });
    if (result.kind !== 'done') await tellRefusal(h, channelOf(h, body), body.user.id, result);
  });

  bolt.action<BlockAction<ButtonAction>>(ACTION.followUp, async ({ ack, body, action, context }) => {
    await ack();
    await afterAck(context);
    const result = await app.followUp({ actor: { user: body.user.id }, issueId: seenIn(action.value).issueId });
    if (result.kind !== 'done') return void (await tellRefusal(h, channelOf(h, body), body.user.id, result));
    await openView(
      body,
      submitModal(targetNames(app.config), channelOf(h, body), {
        submission: result.prefill,
        followUpOf: result.from.id,
      }),
    );
  });

  bolt.action<BlockAction<ButtonAction>>(
    numberedAction(ACTION.driftBaseline),
    async ({ ack, body, action, context }) => {
      await ack();
      await afterAck(context);
      const user = body.user.id;
      const channel = channelOf(h, body);
      const result = await app.baseline({ actor: { user }, database: action.value ?? '' });
      if (result.kind !== 'done') return void (await tellRefusal(h, channel, user, result));
      const text = baselineReply(result).join('\n');
      await bolt.client.chat.postMessage({
        channel,
        thread_ts: body.message?.ts,
        text: `${text} (by ${mention(user)})`,
      });
    },
  );

  bolt.action<BlockAction<ButtonAction>>(numberedAction(ACTION.driftRevert), async ({ ack, body, action, context }) => {
    await ack();
    await afterAck(context);
    const user = body.user.id;
    // The revert change is posted as an issue of its own, and the held issues' threads link to it.
    const result = await app.openDriftRevert({ actor: { user }, database: action.value ?? '' });
    if (result.kind !== 'done') await tellRefusal(h, channelOf(h, body), user, result);
  });

  bolt.action<BlockAction<ButtonAction>>(ACTION.edit, async ({ ack, body, action, context }) => {
    await ack();
    await afterAck(context);
    // Check before opening the modal, so the person learns at once why they cannot edit.
    const result = await app.prepareEdit({ actor: { user: body.user.id }, ...seenIn(action.value) });
    if (result.kind !== 'done') return void (await tellRefusal(h, channelOf(h, body), body.user.id, result));
    await openView(body, editModal(result.issue));
  });

  // Schedule, and Reschedule of a scheduled issue: one dialog, which says which it does.
  // Postpone (from a pre-flight check) moves the schedule like Reschedule.
  for (const actionId of [ACTION.schedule, ACTION.reschedule, ACTION.preflightPostpone]) {
    bolt.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, context }) => {
      await ack();
      await afterAck(context);
      const result = await app.prepareSchedule({ actor: { user: body.user.id }, ...seenIn(action.value) });
      if (result.kind !== 'done') return void (await tellRefusal(h, channelOf(h, body), body.user.id, result));
      const { tz, note } = await userTimeZone(h, body.user.id);
      await openView(
        body,
        scheduleModal(result.issue, result.environment, tz, note, h.now(), {
          window: result.window,
          reschedule: result.reschedule,
        }),
      );
    });
  }
}
