/**
 * The Slack side: a Bolt app whose handlers parse payloads, call the change service and render
 * the result. Every handler acks first (Slack allows 3 s) and does slow work after. Refusals go
 * back only to the person who clicked (ephemeral), and change nothing.
 */
import bolt from '@slack/bolt';
import type { App as BoltApp, BlockAction, ButtonAction, CheckboxesAction, ViewSubmitAction, SlackViewAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { afterAck } from './after-ack.js';
import type { ChangeService } from '../app/service.js';
import { parseLabels, validateSubmission, type Submission } from '../app/submission.js';
import type { Issue } from '../domain/issue.js';
import { isValidTimeZone } from '../domain/maintenance-window.js';
import { DbchangeError, ErrorCode } from '../errors.js';
import { cancel, approve, currentStageIndex, editSql, environmentOf, reject, resolveAttention, retry, rolloutNow, schedule, setRolloutAnyway, type Decision } from '../domain/transitions.js';
import type { Store } from '../store/types.js';
import { planRollback } from '../app/rollback.js';
import { slackDirectory } from './directory.js';
import { registerCommand, type CommandDeps } from './command.js';
import { ACTION, CALLBACK, FIELD } from './views/ids.js';
import { findingLine } from './views/issue-message.js';
import { editModal, formatInZone, infoModal, scheduleModal, sqlSections } from './views/modals.js';

const { App, LogLevel } = bolt;

export interface SlackOptions {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  port: number;
  apiUrl?: string;
  service: ChangeService;
  store: Store;
  logger: Logger;
  now: () => Date;
  commandDeps: Omit<CommandDeps, 'service' | 'store' | 'logger' | 'directory'>;
}

type ViewState = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null; selected_date_time?: number | null }>>;

type StateValue = ViewState[string][string];

/** The one input element of a block, whatever its action id. */
function element(values: ViewState, blockId: string): StateValue | undefined {
  const block = values[blockId];
  return block ? Object.values(block)[0] : undefined;
}

function field(values: ViewState, blockId: string): string {
  const v = element(values, blockId);
  return (v?.selected_option?.value ?? v?.value ?? '').toString();
}

/** Build the Bolt app with every handler registered. */
export function createSlackApp(opts: SlackOptions): BoltApp {
  const { service, store, logger } = opts;
  const boltLogger = {
    debug: (...m: unknown[]) => logger.debug({ bolt: m.map(String).join(' ') }),
    info: (...m: unknown[]) => logger.info({ bolt: m.map(String).join(' ') }),
    warn: (...m: unknown[]) => logger.warn({ bolt: m.map(String).join(' ') }),
    error: (...m: unknown[]) => logger.error({ bolt: m.map(String).join(' ') }),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
  const app = new App({
    token: opts.botToken,
    signingSecret: opts.signingSecret,
    ...(opts.appToken ? { appToken: opts.appToken, socketMode: true } : { port: opts.port }),
    clientOptions: opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {},
    logger: boltLogger,
    // No conversation state is kept between requests: skip Bolt's per-request store lookup.
    convoStore: false,
    // auth.test runs in startSlack(), where a refused token becomes a message that says what to do.
    deferInitialization: true,
  });

  // Approver and releaser lists may name user groups: know their members before any decision.
  const directory = slackDirectory(app.client, logger);
  const groupIds = service.config.environments.flatMap((e) => [...e.approvers, ...e.releasers]).filter((e) => e.startsWith('S'));
  if (groupIds.length > 0) {
    app.use(async ({ next }) => {
      await directory.refresh(groupIds);
      await next();
    });
  }
  registerCommand(app, { ...opts.commandDeps, service, store, logger, directory: directory.directory });

  // ---- modal submissions -------------------------------------------------------------------

  app.view<ViewSubmitAction>(CALLBACK.submit, async ({ ack, body, view }) => {
    const values = view.state.values as unknown as ViewState;
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
    if (!(await store.claimOnce(`submit:${view.id}:${view.hash ?? ''}`, opts.now()))) {
      logger.info({ view: view.id }, 'duplicate submission ignored');
      return;
    }
    try {
      if (submission.changeType === 'sdl') {
        const result = await service.submitDesired(submission, body.user.id);
        if ('unchanged' in result) {
          await tellUser(app, service.config.channel, body.user.id, `:white_check_mark: The desired schema for "${submission.title}" is what \`${result.unchanged.name}\` (${result.unchanged.environment}) already has; no issue was opened.`);
        }
      } else {
        await service.submit(submission, body.user.id);
      }
    } catch (err) {
      logger.error({ err }, 'could not create the issue');
      await tellUser(app, service.config.channel, body.user.id, `:x: Your change "${submission.title}" could not be saved: ${(err as Error).message}. Nothing was created; try again.`);
    }
  });

  app.view<ViewSubmitAction>(CALLBACK.edit, async ({ ack, body, view }) => {
    const meta = JSON.parse(view.private_metadata || '{}') as { issueId?: string };
    const sql = field(view.state.values as unknown as ViewState, FIELD.sql);
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
      const probe = editSql(issue, body.user.id, sql, [], ctx());
      if (!probe.ok) return void (await ack({ response_action: 'errors', errors: { [FIELD.sql]: probe.reason } }));
      try {
        const plan = await service.deps.planner.plan(issue.target, sql);
        if (plan.kind === 'unchanged') return void (await ack({ response_action: 'errors', errors: { [FIELD.sql]: 'This desired schema is what the database already has; cancel the change instead.' } }));
        ddl = plan.ddl;
        state = { desiredSdl: sql, schemaChange: plan.schemaChange };
      } catch (err) {
        return void (await ack({ response_action: 'errors', errors: { [FIELD.sql]: (err as Error).message.slice(0, 1900) } }));
      }
    }
    const findings = service.review(issue.target, ddl);
    const result = await service.mutate(issue.id, (current) => {
      const d = editSql(current, body.user.id, ddl, findings, { config: service.config, now: opts.now() });
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
    const seconds = element(view.state.values as unknown as ViewState, FIELD.at)?.selected_date_time;
    if (!seconds) {
      await ack({ response_action: 'errors', errors: { [FIELD.at]: 'Pick a date and time.' } });
      return;
    }
    const at = new Date(seconds * 1000);
    const tz = meta.tz && isValidTimeZone(meta.tz) ? meta.tz : 'UTC';
    const result = await service.mutate(meta.issueId ?? '', (issue) => schedule(issue, body.user.id, at, { config: service.config, now: opts.now() }));
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: { [FIELD.at]: result.reason } });
      return;
    }
    await ack();
    await afterAck();
    await service.threadSafe(result.issue, `:alarm_clock: runs at ${formatInZone(at, tz)} (as <@${body.user.id}> picked it)`);
  });

  // ---- buttons -------------------------------------------------------------------------------

  const decide = (actionId: string, decideFn: (issue: Issue, user: string, body: BlockAction) => Decision) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      await afterAck();
      const [issueId, revision] = (action.value ?? '').split(':');
      const user = body.user.id;
      const result = await service.mutate(issueId ?? '', (issue) => {
        if (revision && Number(revision) !== issue.revision) return { ok: false, reason: `the SQL of #${issue.id} changed since this button was shown; look at the updated message` };
        return decideFn(issue, user, body);
      });
      if (!result.ok) await tellUser(app, body.channel?.id ?? service.config.channel, user, `:no_entry_sign: ${result.reason}`);
    });
  };
  const ctx = () => ({ config: service.config, now: opts.now(), directory: directory.directory });
  decide(ACTION.approve, (issue, user) => approve(issue, user, ctx()));
  decide(ACTION.reject, (issue, user) => reject(issue, user, ctx()));
  decide(ACTION.rollout, (issue, user) => rolloutNow(issue, user, ctx()));
  decide(ACTION.cancel, (issue, user) => cancel(issue, user, ctx()));
  decide(ACTION.retry, (issue, user) => retry(issue, user, ctx()));

  // A task that needs attention: the person checked the database; the ledger is resolved first,
  // after the same authorisation check the state machine will make.
  for (const [actionId, applied] of [[ACTION.resolveApplied, true], [ACTION.resolveNotApplied, false]] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      await afterAck();
      const [issueId = '', taskId = ''] = (action.value ?? '').split(':');
      const user = body.user.id;
      const channel = body.channel?.id ?? service.config.channel;
      const issue = await store.getIssue(issueId);
      const probe = issue ? resolveAttention(issue, user, taskId, applied, ctx()) : { ok: false as const, reason: 'that issue no longer exists' };
      if (!probe.ok || !issue) return void (await tellUser(app, channel, user, `:no_entry_sign: ${probe.ok ? '' : probe.reason}`));
      const stage = issue.stages.find((s) => s.tasks.some((t) => t.id === taskId))!;
      const task = stage.tasks.find((t) => t.id === taskId)!;
      const db = service.config.databases.find((d) => d.name === task.database && d.environment === stage.environment);
      if (!db) return void (await tellUser(app, channel, user, `:no_entry_sign: ${task.database} is no longer configured for ${stage.environment}`));
      try {
        await opts.commandDeps.targetFor(db).resolveLedger(taskId, applied ? 'done' : 'failed');
      } catch (err) {
        return void (await tellUser(app, channel, user, `:x: could not update the ledger of ${db.name} (${db.environment}): ${(err as Error).message}`));
      }
      const result = await service.mutate(issueId, (current) => resolveAttention(current, user, taskId, applied, ctx()));
      if (!result.ok) await tellUser(app, channel, user, `:no_entry_sign: ${result.reason}`);
    });
  }

  app.action<BlockAction<CheckboxesAction>>(ACTION.rolloutAnyway, async ({ ack, body, action }) => {
    await ack();
    await afterAck();
    const issueId = (body.actions[0]?.block_id ?? '').replace(/^issue:/, '');
    const checked = action.selected_options.some((o) => o.value === 'yes');
    const result = await service.mutate(issueId, (issue) => setRolloutAnyway(issue, body.user.id, checked, ctx()));
    if (!result.ok) {
      await tellUser(app, body.channel?.id ?? service.config.channel, body.user.id, `:no_entry_sign: ${result.reason}`);
      // Put the checkbox back the way it was for everyone.
      const issue = await store.getIssue(issueId);
      if (issue) await service.save(issue, (i) => i, 'refresh');
    }
  });

  // Buttons that open a modal must call views.open within 3 s of the click, with its trigger_id.
  const withIssue = (actionId: string, open: (issue: Issue, body: BlockAction) => Promise<void>) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      await afterAck();
      const issue = await store.getIssue((action.value ?? '').split(':')[0] ?? '');
      if (!issue) {
        await tellUser(app, body.channel?.id ?? service.config.channel, body.user.id, ':no_entry_sign: that issue no longer exists');
        return;
      }
      await open(issue, body);
    });
  };

  withIssue(ACTION.showSql, async (issue, body) => {
    await app.client.views.open({ trigger_id: body.trigger_id, view: infoModal(`SQL of #${issue.id}`, sqlSections(issue.sql)) });
  });
  withIssue(ACTION.showFindings, async (issue, body) => {
    const lines = issue.findings.map((f) => `${f.level === 'ERROR' ? ':red_circle:' : ':large_yellow_circle:'} ${findingLine(f).slice(2)}`);
    const sections: string[] = [];
    for (let i = 0; i < lines.length; i += 10) sections.push(lines.slice(i, i + 10).join('\n'));
    await app.client.views.open({ trigger_id: body.trigger_id, view: infoModal(`Review of #${issue.id}`, sections) });
  });
  withIssue(ACTION.viewSchemaChange, async (issue, body) => {
    await app.client.views.open({ trigger_id: body.trigger_id, view: infoModal(`Schema change #${issue.id}`, sqlSections(issue.schemaChange || '(no difference)')) });
  });
  withIssue(ACTION.viewFullSchema, async (issue, body) => {
    await app.client.views.open({ trigger_id: body.trigger_id, view: infoModal(`Full schema #${issue.id}`, sqlSections(issue.desiredSdl ?? issue.sql)) });
  });
  withIssue(ACTION.viewGeneratedDdl, async (issue, body) => {
    // Computed at this moment against the next stage's database: open at once, fill in after.
    const opened = await app.client.views.open({ trigger_id: body.trigger_id, view: infoModal(`Generated DDL #${issue.id}`, ['Computing the DDL against the live schema…']) });
    const stage = issue.stages[Math.max(0, currentStageIndex(issue))];
    const task = stage?.tasks[0];
    const db = task && service.config.databases.find((d) => d.name === task.database && d.environment === stage.environment);
    let sections: string[];
    try {
      if (!db || !service.deps.planner || !issue.desiredSdl) throw new Error('this issue has no desired schema to compare with');
      const ddl = await service.deps.planner.ddlFor(db, issue.desiredSdl);
      sections = [`Against \`${db.name}\` (${db.environment}) now:`, ...(ddl ? sqlSections(ddl) : ['Nothing: the database already has the desired schema.'])];
    } catch (err) {
      sections = [`:x: ${(err as Error).message}`];
    }
    if (opened.view?.id) await app.client.views.update({ view_id: opened.view.id, view: infoModal(`Generated DDL #${issue.id}`, sections) });
  });
  withIssue(ACTION.rollback, async (issue, body) => {
    const channel = body.channel?.id ?? service.config.channel;
    const plan = await planRollback(store, issue);
    if (!plan.ok) return void (await tellUser(app, channel, body.user.id, `:no_entry_sign: ${plan.reason}`));
    const created = await service.submit(
      { title: `Rollback of #${issue.id}: ${issue.title}`.slice(0, 150), target: issue.target, changeType: 'ddl', sql: plan.ddl, description: `Generated from the schema before #${issue.id} (as recorded in ${plan.environment}).`, labels: ['rollback'] },
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
    if (!db) return void (await tellUser(app, channel, user, `:no_entry_sign: ${action.value} is not a configured database`));
    const environment = service.config.environments.find((e) => e.id === env);
    const allowed = directory.directory([...(environment?.approvers ?? []), ...(environment?.releasers ?? [])]);
    if (!allowed.has(user)) return void (await tellUser(app, channel, user, `:no_entry_sign: only approvers or releasers of ${env} can record a new baseline`));
    if (!opts.commandDeps.schema) return;
    const text = await opts.commandDeps.schema.baseline(db, user);
    await app.client.chat.postMessage({ channel, thread_ts: body.message?.ts, text: `${text} (by <@${user}>)` });
  });

  withIssue(ACTION.edit, async (issue, body) => {
    // Check before opening the modal, so the person learns at once why they cannot edit.
    const probe = editSql(issue, body.user.id, issue.sql, issue.findings, ctx());
    if (!probe.ok) {
      await tellUser(app, body.channel?.id ?? service.config.channel, body.user.id, `:no_entry_sign: ${probe.reason}`);
      return;
    }
    await app.client.views.open({ trigger_id: body.trigger_id, view: editModal(issue) });
  });
  withIssue(ACTION.schedule, async (issue, body) => {
    // Probe with a time far ahead: the same checks as the real schedule, except the time itself.
    const probe = schedule(issue, body.user.id, new Date(opts.now().getTime() + 365 * 86400_000), ctx());
    if (!probe.ok && !/maintenance window/.test(probe.reason)) {
      await tellUser(app, body.channel?.id ?? service.config.channel, body.user.id, `:no_entry_sign: ${probe.reason}`);
      return;
    }
    const { tz, note } = await userTimeZone(app, body.user.id, logger);
    const stage = issue.stages[currentStageIndex(issue)];
    const env = stage ? environmentOf(service.config, stage) : undefined;
    await app.client.views.open({ trigger_id: body.trigger_id, view: scheduleModal(issue, env?.id ?? 'the next stage', tz, note, opts.now(), env?.maintenanceWindow) });
  });

  app.error(async (err) => {
    logger.error({ err }, 'slack handler failed');
  });

  return app;
}

/** The user's IANA time zone from users.info, or UTC with a note saying why. */
async function userTimeZone(app: BoltApp, user: string, logger: Logger): Promise<{ tz: string; note: string | null }> {
  try {
    const res = await app.client.users.info({ user });
    const tz = res.user?.tz;
    if (tz && isValidTimeZone(tz)) return { tz, note: null };
    return { tz: 'UTC', note: tz ? `(Your Slack time zone "${tz}" is not one we know, so UTC is used.)` : '(Your Slack profile has no time zone, so UTC is used.)' };
  } catch (err) {
    logger.warn({ err, user }, 'users.info failed; using UTC');
    return { tz: 'UTC', note: '(Could not read your Slack time zone, so UTC is used.)' };
  }
}

/** An ephemeral message only `user` sees. */
export async function tellUser(app: BoltApp, channel: string, user: string, text: string): Promise<void> {
  try {
    await app.client.chat.postEphemeral({ channel, user, text });
  } catch {
    // The person may not be in the channel; a DM is the fallback.
    try {
      await app.client.chat.postMessage({ channel: user, text });
    } catch {
      /* nothing more we can do; the action changed nothing */
    }
  }
}

export type { SlackViewAction };

/** Check the token with Slack (auth.test); a refusal says what to fix. */
export async function initSlack(app: BoltApp): Promise<void> {
  try {
    await app.init();
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
    throw new DbchangeError(
      ErrorCode.EnvMissing,
      `Slack refused SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token (xoxb-…) again from your app's "OAuth & Permissions" page, and reinstall the app to the workspace if its scopes changed.`,
      { cause: err },
    );
  }
}

/** Start receiving requests (HTTP on the port, or Socket Mode); errors say what to fix. */
export async function startSlack(app: BoltApp, opts: { port: number; socketMode: boolean }): Promise<void> {
  try {
    if (opts.socketMode) await app.start();
    else await app.start(opts.port);
  } catch (err) {
    const message = (err as Error).message;
    throw new DbchangeError(
      ErrorCode.EnvMissing,
      opts.socketMode
        ? `Socket Mode could not connect (${message}); check SLACK_APP_TOKEN (an xapp- token with connections:write) and that Socket Mode is enabled for the app.`
        : `cannot listen on PORT ${opts.port} (${message}); choose a free port with PORT.`,
      { cause: err },
    );
  }
}
