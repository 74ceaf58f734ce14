// Modal submissions: a new change, edited SQL, a rollout time. Field errors go back into the
// modal (response_action: errors); slow work happens after the ack.
import type { ViewSubmitAction } from '@slack/bolt';
import { parseLabels, validateSubmission, type Submission } from '../../app/submission.js';
import type { Issue } from '../../domain/issue.js';
import { isValidTimeZone } from '../../domain/maintenance-window.js';
import { editSql, schedule } from '../../domain/transitions.js';
import { afterAck } from '../after-ack.js';
import { CALLBACK, FIELD } from '../views/ids.js';
import { formatInZone } from '../views/modals.js';
import { element, field, tellUser, type HandlerContext } from './context.js';

export function registerSubmissions(h: HandlerContext): void {
  const { app, service, store, logger } = h;
  // ---- modal submissions -------------------------------------------------------------------

  app.view<ViewSubmitAction>(CALLBACK.submit, async ({ ack, body, view }) => {
    const values = view.state.values;
    const submission: Submission = {
      title: field(values, FIELD.title),
      target: field(values, FIELD.target).trim(),
      changeType: field(values, FIELD.changeType) || 'ddl',
      sql: field(values, FIELD.sql),
      description: field(values, FIELD.description),
      labels: parseLabels(field(values, FIELD.labels)),
      timing: field(values, FIELD.timing),
    };
    const errors = validateSubmission(service.config, submission);
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors: errors as Record<string, string> });
      return;
    }
    await ack();
    await afterAck();
    // Slack may deliver the same submission again (x-slack-retry-num): one view, one issue.
    if (!(await store.claimOnce(`submit:${view.id}:${view.hash ?? ''}`, h.now()))) {
      logger.info({ view: view.id }, 'duplicate submission ignored');
      return;
    }
    // Answers go where the person typed /dbchange (or the changes channel, when unknown).
    const where = (JSON.parse(view.private_metadata || '{}') as { channel?: string }).channel ?? service.config.channel;
    const channel = service.config.channel;
    try {
      const issue =
        submission.changeType === 'sdl'
          ? await service.submitDesired(submission, body.user.id)
          : { issue: await service.submit(submission, body.user.id) };
      if ('unchanged' in issue) {
        await tellUser(
          h,
          where,
          body.user.id,
          `:white_check_mark: The desired schema for "${submission.title}" is what \`${issue.unchanged.name}\` (${issue.unchanged.environment}) already has; no issue was opened.`,
        );
      } else if (!issue.issue.slack) {
        await tellUser(
          h,
          where,
          body.user.id,
          `:warning: Your change #${issue.issue.id} "${submission.title}" was saved, but it could not be posted in <#${channel}>. Invite the bot there (\`/invite @dbchange\`) or fix \`channel\` in the config; \`/dbchange status ${issue.issue.id}\` shows it meanwhile.`,
        );
      } else if (where !== channel) {
        await tellUser(
          h,
          where,
          body.user.id,
          `:memo: Your change #${issue.issue.id} "${submission.title}" is in <#${channel}>; review, approvals and the rollout log are there.`,
        );
      }
    } catch (err) {
      logger.error({ err }, 'could not create the issue');
      await tellUser(
        h,
        where,
        body.user.id,
        `:x: Your change "${submission.title}" could not be saved: ${(err as Error).message}. Nothing was created; try again.`,
      );
    }
  });

  app.view<ViewSubmitAction>(CALLBACK.edit, async ({ ack, body, view }) => {
    const meta = JSON.parse(view.private_metadata || '{}') as { issueId?: string };
    const sql = field(view.state.values, FIELD.sql);
    if (!sql.trim()) {
      await ack({ response_action: 'errors', errors: { [FIELD.sql]: 'Enter the SQL to run.' } });
      return;
    }
    const issue = meta.issueId ? await store.getIssue(meta.issueId) : null;
    if (!issue) {
      await ack({ response_action: 'errors', errors: { [FIELD.sql]: 'This issue no longer exists.' } });
      return;
    }
    let ddl = sql;
    let state: Pick<Issue, 'desiredSdl' | 'schemaChange'> = {};
    if (issue.changeType === 'sdl' && service.deps.planner) {
      // Editing a desired-state change edits the desired schema; the DDL is generated again.
      const probe = editSql(issue, body.user.id, sql, [], h.ctx());
      if (!probe.ok) return void (await ack({ response_action: 'errors', errors: { [FIELD.sql]: probe.reason } }));
      try {
        const plan = await service.deps.planner.plan(issue.target, sql);
        if (plan.kind === 'unchanged')
          return void (await ack({
            response_action: 'errors',
            errors: { [FIELD.sql]: 'This desired schema is what the database already has; cancel the change instead.' },
          }));
        ddl = plan.ddl;
        state = { desiredSdl: sql, schemaChange: plan.schemaChange };
      } catch (err) {
        return void (await ack({
          response_action: 'errors',
          errors: { [FIELD.sql]: (err as Error).message.slice(0, 1900) },
        }));
      }
    }
    const findings = service.review(issue.target, ddl);
    const result = await service.mutate(issue.id, (current) => {
      const d = editSql(current, body.user.id, ddl, findings, { config: service.config, now: h.now() });
      return d.ok ? { ...d, issue: { ...d.issue, ...state } } : d;
    });
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: { [FIELD.sql]: result.reason } });
      return;
    }
    await ack();
    await afterAck();
  });

  app.view<ViewSubmitAction>(CALLBACK.schedule, async ({ ack, body, view }) => {
    const meta = JSON.parse(view.private_metadata || '{}') as { issueId?: string; tz?: string };
    const seconds = element(view.state.values, FIELD.at)?.selected_date_time;
    if (!seconds) {
      await ack({ response_action: 'errors', errors: { [FIELD.at]: 'Pick a date and time.' } });
      return;
    }
    const at = new Date(seconds * 1000);
    const tz = meta.tz && isValidTimeZone(meta.tz) ? meta.tz : 'UTC';
    const result = await service.mutate(meta.issueId ?? '', (issue) =>
      schedule(issue, body.user.id, at, { config: service.config, now: h.now() }),
    );
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: { [FIELD.at]: result.reason } });
      return;
    }
    await ack();
    await afterAck();
    await service.threadSafe(
      result.issue,
      `:alarm_clock: runs at ${formatInZone(at, tz)} (as <@${body.user.id}> picked it)`,
    );
  });
}
