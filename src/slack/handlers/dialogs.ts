// Buttons that open a modal (full SQL, findings, schema views, edit, schedule) or start a side
// flow (rollback, baseline). views.open must happen within 3 s of the click.
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { planRollback } from '../../app/rollback.js';
import type { Issue } from '../../domain/issue.js';
import { currentStageIndex, editSql, environmentOf, schedule } from '../../domain/transitions.js';
import { afterAck } from '../after-ack.js';
import { ACTION } from '../views/ids.js';
import { findingLine } from '../views/issue-message.js';
import { editModal, infoModal, scheduleModal, sqlSections } from '../views/modals.js';
import { tellUser, userTimeZone, type HandlerContext } from './context.js';

export function registerDialogs(h: HandlerContext): void {
  const { app, service, store } = h;
  const withIssue = (actionId: string, open: (issue: Issue, body: BlockAction) => Promise<void>) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      await afterAck();
      const issue = await store.getIssue((action.value ?? '').split(':')[0] ?? '');
      if (!issue) {
        await tellUser(
          h,
          body.channel?.id ?? service.config.channel,
          body.user.id,
          ':no_entry_sign: that issue no longer exists',
        );
        return;
      }
      await open(issue, body);
    });
  };

  withIssue(ACTION.showSql, async (issue, body) => {
    await app.client.views.open({
      trigger_id: body.trigger_id,
      view: infoModal(`SQL of #${issue.id}`, sqlSections(issue.sql)),
    });
  });
  withIssue(ACTION.showFindings, async (issue, body) => {
    const lines = issue.findings.map(
      (f) => `${f.level === 'ERROR' ? ':red_circle:' : ':large_yellow_circle:'} ${findingLine(f).slice(2)}`,
    );
    const sections: string[] = [];
    for (let i = 0; i < lines.length; i += 10) sections.push(lines.slice(i, i + 10).join('\n'));
    await app.client.views.open({ trigger_id: body.trigger_id, view: infoModal(`Review of #${issue.id}`, sections) });
  });
  withIssue(ACTION.viewSchemaChange, async (issue, body) => {
    await app.client.views.open({
      trigger_id: body.trigger_id,
      view: infoModal(`Schema change #${issue.id}`, sqlSections(issue.schemaChange || '(no difference)')),
    });
  });
  withIssue(ACTION.viewFullSchema, async (issue, body) => {
    await app.client.views.open({
      trigger_id: body.trigger_id,
      view: infoModal(`Full schema #${issue.id}`, sqlSections(issue.desiredSdl ?? issue.sql)),
    });
  });
  withIssue(ACTION.viewGeneratedDdl, async (issue, body) => {
    // Computed at this moment against the next stage's database: open at once, fill in after.
    const opened = await app.client.views.open({
      trigger_id: body.trigger_id,
      view: infoModal(`Generated DDL #${issue.id}`, ['Computing the DDL against the live schema…']),
    });
    const stage = issue.stages[Math.max(0, currentStageIndex(issue))];
    const task = stage?.tasks[0];
    const db =
      task && service.config.databases.find((d) => d.name === task.database && d.environment === stage.environment);
    let sections: string[];
    try {
      if (!db || !service.deps.planner || !issue.desiredSdl)
        throw new Error('this issue has no desired schema to compare with');
      const ddl = await service.deps.planner.ddlFor(db, issue.desiredSdl);
      sections = [
        `Against \`${db.name}\` (${db.environment}) now:`,
        ...(ddl ? sqlSections(ddl) : ['Nothing: the database already has the desired schema.']),
      ];
    } catch (err) {
      sections = [`:x: ${(err as Error).message}`];
    }
    if (opened.view?.id)
      await app.client.views.update({
        view_id: opened.view.id,
        view: infoModal(`Generated DDL #${issue.id}`, sections),
      });
  });
  withIssue(ACTION.rollback, async (issue, body) => {
    const channel = body.channel?.id ?? service.config.channel;
    const plan = await planRollback(store, issue);
    if (!plan.ok) return void (await tellUser(h, channel, body.user.id, `:no_entry_sign: ${plan.reason}`));
    const created = await service.submit(
      {
        title: `Rollback of #${issue.id}: ${issue.title}`.slice(0, 150),
        target: issue.target,
        changeType: 'ddl',
        sql: plan.ddl,
        description: `Generated from the schema before #${issue.id} (as recorded in ${plan.environment}).`,
        labels: ['rollback'],
      },
      body.user.id,
    );
    await service.threadSafe(issue, `<@${body.user.id}> generated a rollback: #${created.id}`);
  });
  app.action<BlockAction<ButtonAction>>(ACTION.driftBaseline, async ({ ack, body, action }) => {
    await ack();
    await afterAck();
    const [name, env] = (action.value ?? '').split('@');
    const user = body.user.id;
    const channel = body.channel?.id ?? service.config.channel;
    const db = service.config.databases.find((d) => d.name === name && d.environment === env);
    if (!db)
      return void (await tellUser(h, channel, user, `:no_entry_sign: ${action.value} is not a configured database`));
    const environment = service.config.environments.find((e) => e.id === env);
    const allowed = h.directory([...(environment?.approvers ?? []), ...(environment?.releasers ?? [])]);
    if (!allowed.has(user))
      return void (await tellUser(
        h,
        channel,
        user,
        `:no_entry_sign: only approvers or releasers of ${env} can record a new baseline`,
      ));
    if (!h.schema) return;
    const text = await h.schema.baseline(db, user);
    await app.client.chat.postMessage({ channel, thread_ts: body.message?.ts, text: `${text} (by <@${user}>)` });
  });

  withIssue(ACTION.edit, async (issue, body) => {
    // Check before opening the modal, so the person learns at once why they cannot edit.
    const probe = editSql(issue, body.user.id, issue.sql, issue.findings, h.ctx());
    if (!probe.ok) {
      await tellUser(h, body.channel?.id ?? service.config.channel, body.user.id, `:no_entry_sign: ${probe.reason}`);
      return;
    }
    await app.client.views.open({ trigger_id: body.trigger_id, view: editModal(issue) });
  });
  withIssue(ACTION.schedule, async (issue, body) => {
    // Probe with a time far ahead: the same checks as the real schedule, except the time itself.
    const probe = schedule(issue, body.user.id, new Date(h.now().getTime() + 365 * 86400_000), h.ctx());
    if (!probe.ok && !/maintenance window/.test(probe.reason)) {
      await tellUser(h, body.channel?.id ?? service.config.channel, body.user.id, `:no_entry_sign: ${probe.reason}`);
      return;
    }
    const { tz, note } = await userTimeZone(h, body.user.id);
    const stage = issue.stages[currentStageIndex(issue)];
    const env = stage ? environmentOf(service.config, stage) : undefined;
    await app.client.views.open({
      trigger_id: body.trigger_id,
      view: scheduleModal(issue, env?.id ?? 'the next stage', tz, note, h.now(), env?.maintenanceWindow),
    });
  });
}
