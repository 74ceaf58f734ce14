// Modal submissions: a new change, an edited SQL, a picked schedule time. Field problems go back
// into the modal (response_action: errors) within Slack's 3 s; slow work happens after the ack.
// A SQL file is described (files.info) before the ack, so its size and the bot's scope are field
// errors, and downloaded after it: a problem with its content is told in an ephemeral message.
import type { ViewSubmitAction } from '@slack/bolt';
import { parseLabels, type Submission } from '../../app/index.js';
import { isValidTimeZone } from '../../app/index.js';
import { afterAck } from '../after-ack.js';
import { CALLBACK, FIELD } from '../views/ids.js';
import { formatInZone, type ScheduleMeta } from '../views/modals.js';
import { escapeText, mention } from '../views/text.js';
import { describeSqlFile, downloadSqlFile, pickedFileId } from '../sql-file.js';
import { element, field, type HandlerContext, postInThread, tellRefusal, tellUser } from './context.js';

export function registerSubmissions(h: HandlerContext): void {
  const { bolt, app, logger } = h;

  bolt.view<ViewSubmitAction>(CALLBACK.submit, async ({ ack, body, view }) => {
    const values = view.state.values;
    const fileId = pickedFileId(values, FIELD.sqlFile);
    const described = fileId ? await describeSqlFile(bolt.client, fileId) : undefined;
    const submission: Submission = {
      title: field(values, FIELD.title),
      target: field(values, FIELD.target).trim(),
      changeType: field(values, FIELD.changeType) || 'ddl',
      sql: field(values, FIELD.sql),
      description: field(values, FIELD.description),
      labels: parseLabels(field(values, FIELD.labels)),
      timing: field(values, FIELD.timing),
    };
    const errors: Record<string, string> = { ...app.validate(submission) };
    // A file replaces the typed SQL; its own problems go under the file field.
    if (fileId) delete errors[FIELD.sql];
    if (described && !described.ok) errors[FIELD.sqlFile] = described.error;
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    await afterAck();
    // Answers go where the person typed /dbchange (or the changes channel, when unknown).
    const channel = app.config.channel;
    const meta = JSON.parse(view.private_metadata || '{}') as { channel?: string; followUpOf?: string };
    const where = meta.channel ?? channel;
    const user = body.user.id;
    const title = escapeText(submission.title);
    if (described?.ok) {
      const read = await downloadSqlFile(bolt.client, described.file);
      if (!read.ok)
        return void (await tellUser(
          h,
          where,
          user,
          `:x: Your change "${title}" was not created: ${escapeText(read.error)} Nothing was saved; submit it again with /dbchange.`,
        ));
      submission.sql = read.sql;
    }
    try {
      // Slack may deliver the same submission again (x-slack-retry-num): one view, one issue.
      const result = await app.submit({
        actor: { user },
        submission,
        once: `submit:${view.id}:${view.hash ?? ''}`,
        ...(meta.followUpOf ? { followUpOf: meta.followUpOf } : {}),
      });
      if (result.kind === 'refused' && result.code === 'duplicate')
        return void logger.info({ view: view.id }, 'duplicate submission ignored');
      if (result.kind === 'refused' && result.code === 'store-unavailable')
        return void (await tellRefusal(h, where, user, result));
      if (result.kind !== 'done')
        return void (await tellUser(
          h,
          where,
          user,
          `:x: Your change "${title}" could not be saved: ${escapeText(result.kind === 'refused' ? result.message : 'unknown target')}. Nothing was created; try again.`,
        ));
      if ('unchanged' in result) {
        await tellUser(
          h,
          where,
          user,
          `:white_check_mark: The desired schema for "${title}" is what \`${escapeText(result.unchanged.name)}\` (${escapeText(result.unchanged.environment)}) already has; no issue was opened.`,
        );
      } else if (!result.issue.slack) {
        await tellUser(
          h,
          where,
          user,
          `:warning: Your change #${result.issue.id} "${title}" was saved, but it could not be posted in <#${channel}>. Invite the bot there (\`/invite @dbchange\`) or fix \`channel\` in the config; \`/dbchange status ${result.issue.id}\` shows it meanwhile.`,
        );
      } else if (where !== channel) {
        await tellUser(
          h,
          where,
          user,
          `:memo: Your change #${result.issue.id} "${title}" is in <#${channel}>; review, approvals and the rollout log are there.`,
        );
      }
    } catch (err) {
      logger.error({ err }, 'could not create the issue');
      await tellUser(
        h,
        where,
        user,
        `:x: Your change "${title}" could not be saved: ${escapeText((err as Error).message)}. Nothing was created; try again.`,
      );
    }
  });

  bolt.view<ViewSubmitAction>(CALLBACK.edit, async ({ ack, body, view }) => {
    const meta = JSON.parse(view.private_metadata || '{}') as { issueId?: string; revision?: number };
    const seen = { actor: { user: body.user.id }, issueId: meta.issueId ?? '', revision: meta.revision };
    const fileId = pickedFileId(view.state.values, FIELD.sqlFile);
    if (fileId) {
      // Whether this person may edit, and what Slack says about the file, are field errors; the
      // download and the edit itself follow the ack.
      const described = await describeSqlFile(bolt.client, fileId);
      if (!described.ok)
        return void (await ack({ response_action: 'errors', errors: { [FIELD.sqlFile]: described.error } }));
      const allowed = await app.prepareEdit(seen);
      if (allowed.kind !== 'done') {
        const message = allowed.kind === 'refused' ? allowed.message.slice(0, 1900) : 'This issue no longer exists.';
        return void (await ack({ response_action: 'errors', errors: { [FIELD.sqlFile]: message } }));
      }
      await ack();
      await afterAck();
      const channel = allowed.issue.slack?.channel ?? app.config.channel;
      const read = await downloadSqlFile(bolt.client, described.file);
      if (!read.ok)
        return void (await tellUser(
          h,
          channel,
          seen.actor.user,
          `:x: The SQL of #${escapeText(allowed.issue.id)} was not changed: ${escapeText(read.error)}`,
        ));
      const edited = await app.edit({ ...seen, sql: read.sql });
      if (edited.kind !== 'done') await tellRefusal(h, channel, seen.actor.user, edited);
      return;
    }
    const result = await app.edit({ ...seen, sql: field(view.state.values, FIELD.sql) });
    if (result.kind !== 'done') {
      const message = result.kind === 'refused' ? result.message.slice(0, 1900) : 'This issue no longer exists.';
      await ack({ response_action: 'errors', errors: { [FIELD.sql]: message } });
      return;
    }
    await ack();
    await afterAck();
  });

  bolt.view<ViewSubmitAction>(CALLBACK.schedule, async ({ ack, body, view }) => {
    const meta = JSON.parse(view.private_metadata || '{}') as ScheduleMeta;
    const at = pickedTime(element(view.state.values, FIELD.at)?.selected_date_time);
    if (!at) {
      await ack({ response_action: 'errors', errors: { [FIELD.at]: 'Pick a date and time.' } });
      return;
    }
    const tz = meta.tz && isValidTimeZone(meta.tz) ? meta.tz : 'UTC';
    const input = { actor: { user: body.user.id }, issueId: meta.issueId ?? '', revision: meta.revision, at };
    const result = await (meta.reschedule ? app.reschedule(input) : app.schedule(input));
    if (result.kind !== 'done') {
      const message = result.kind === 'refused' ? result.message : 'This issue no longer exists.';
      await ack({ response_action: 'errors', errors: { [FIELD.at]: message } });
      return;
    }
    await ack();
    await afterAck();
    await postInThread(
      h,
      result.issue,
      `:alarm_clock: runs at ${formatInZone(at, tz)} (as ${mention(body.user.id)} picked it)`,
    );
  });
}

/** The latest time a schedule may name: the end of the year 9999. */
const LAST_SECOND = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;

/** A datetimepicker value (whole seconds since the epoch) as a Date; undefined for anything else. */
export function pickedTime(value: unknown): Date | undefined {
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds <= 0 || seconds > LAST_SECOND)
    return undefined;
  return new Date(seconds * 1000);
}
