// The issue message: one Block Kit message per change issue, kept current with chat.update.
// It must stay within Slack's limits however long the SQL or the list of findings is.
import type { ActionsBlockElement, KnownBlock } from '@slack/types';
import type { Config } from '../../config/model.js';
import type { BlastRadius } from '../../domain/blast-radius.js';
import type { Issue, ReviewFinding, Stage } from '../../domain/issue.js';
import {
  availableActions,
  currentStageIndex,
  environmentOf,
  isAcknowledged,
  isFresh,
  periodText,
  unreachable,
  type Waiting,
  waitingFor,
} from '../../app/index.js';
import { groupFindings } from './group-findings.js';
import { gitSourceBlocks } from './gitops.js';
import { shortSum } from './events.js';
import { ACTION, nthAction } from './ids.js';
import {
  button,
  clip,
  codeBlock,
  escapeText,
  formatBytes,
  mention,
  mrkdwn,
  plain,
  slackDate,
  TASK_ICON,
} from './text.js';

const SQL_PREVIEW_LINES = 15;
const SQL_PREVIEW_CHARS = 1500;
const FINDINGS_SHOWN = 8;

const STATUS_LABEL: Record<Issue['status'], string> = {
  open: ':large_blue_circle: open',
  scheduled: ':alarm_clock: scheduled',
  running: ':arrows_counterclockwise: rolling out',
  done: ':white_check_mark: done',
  failed: ':x: failed',
  canceled: ':no_entry_sign: cancelled',
  rejected: ':no_entry: rejected',
};

/** Who approved a stage and what: "<@U> revision 3, sha256 1f2e3d4c…", marked when it expired. */
function approvalList(stage: Stage, config: Config, now?: Date): string {
  const env = environmentOf(config, stage);
  return stage.approvals
    .map((a) => {
      const what =
        a.revision !== undefined
          ? ` revision ${a.revision}${a.checksum ? `, sha256 ${shortSum(a.checksum)}` : ''}`
          : '';
      const stale = now && !isFresh(a, env, now) ? ', expired: approve again' : '';
      return `<@${a.user}>${what}${stale}`;
    })
    .join('; ');
}

function stageLine(stage: Stage, config: Config, now?: Date): string {
  const env = environmentOf(config, stage);
  const icon =
    stage.status === 'done'
      ? ':white_check_mark:'
      : stage.status === 'failed'
        ? ':x:'
        : stage.status === 'running'
          ? ':arrows_counterclockwise:'
          : ':white_circle:';
  const counted = now ? stage.approvals.filter((a) => isFresh(a, env, now)).length : stage.approvals.length;
  const approvals =
    env.requiredApprovals > 0
      ? ` · approvals ${counted}/${env.requiredApprovals}${stage.approvals.length ? ` (${approvalList(stage, config, now)})` : ''}`
      : '';
  const tasks = stage.tasks
    .map(
      (t) =>
        `${TASK_ICON[t.status]} ${escapeText(t.database)}${t.version ? ` \`${escapeText(t.version)}\`` : ''}${t.status === 'failed' || t.status === 'needs-attention' ? ` ${t.status}` : ''}`,
    )
    .join('  ');
  return `${icon} *${env.id}* (${env.rollout})${approvals} — ${tasks}`;
}

/** The SQL shown in the message: the first lines, with a note when there is more. */
export function sqlPreview(sql: string): { text: string; truncated: boolean } {
  const lines = sql.split('\n');
  let text = lines.slice(0, SQL_PREVIEW_LINES).join('\n');
  let truncated = lines.length > SQL_PREVIEW_LINES;
  if (text.length > SQL_PREVIEW_CHARS) {
    text = text.slice(0, SQL_PREVIEW_CHARS);
    truncated = true;
  }
  return { text, truncated };
}

/** One finding as a mrkdwn line: line, rule, message. */
export function findingLine(f: ReviewFinding): string {
  return `• line ${f.line}: \`${f.rule}\` — ${escapeText(f.message)}`;
}

function reviewBlocks(issue: Issue): KnownBlock[] {
  if (issue.findings.length === 0)
    return [{ type: 'section', text: mrkdwn(':white_check_mark: *Review passed*: no findings.') }];
  const blocks: KnownBlock[] = [];
  const grouped = groupFindings(issue.findings, FINDINGS_SHOWN);
  const all = {
    ERROR: issue.findings.filter((f) => f.level === 'ERROR').length,
    WARNING: issue.findings.filter((f) => f.level === 'WARNING').length,
  };
  for (const [level, shown] of [
    ['ERROR', grouped.errors],
    ['WARNING', grouped.warnings],
  ] as const) {
    const count = all[level];
    if (count === 0) continue;
    const head =
      level === 'ERROR'
        ? `:red_circle: *${count} error${count > 1 ? 's' : ''}*`
        : `:large_yellow_circle: *${count} warning${count > 1 ? 's' : ''}*`;
    const more = count > shown.length ? `\n…and ${count - shown.length} more` : '';
    blocks.push({ type: 'section', text: mrkdwn(clip(`${head}\n${shown.map(findingLine).join('\n')}`, 2900) + more) });
  }
  if (grouped.hidden > 0) {
    blocks.push({
      type: 'actions',
      block_id: 'findings',
      elements: [
        {
          type: 'button',
          action_id: ACTION.showFindings,
          text: plain(`Show all ${grouped.total} findings`, 75),
          value: issue.id,
        },
      ],
    });
  }
  const ack = issue.rolloutAnyway;
  if (ack && isAcknowledged(issue, currentStageIndex(issue))) {
    const stage = issue.stages[ack.stageIndex ?? -1]?.environment;
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`<@${ack.user}> chose to roll out anyway${stage ? ` at ${escapeText(stage)}` : ''}.`)],
    });
  }
  return blocks;
}

function actionElements(issue: Issue, config: Config, now?: Date): ActionsBlockElement[] {
  const can = availableActions(issue, config, now);
  const value = `${issue.id}:${issue.revision}`;
  const els: ActionsBlockElement[] = [];
  if (can.has('approve')) els.push(button(ACTION.approve, 'Approve', value, 'primary'));
  if (can.has('reject'))
    els.push(
      button(ACTION.reject, 'Reject', value, 'danger', {
        title: 'Reject this change?',
        text: 'The creator can edit the SQL and submit it again.',
        confirm: 'Reject',
      }),
    );
  if (can.has('rollout'))
    els.push(
      button(ACTION.rollout, 'Roll out now', value, undefined, {
        title: 'Roll out now?',
        text: 'The SQL runs on the next stage right away.',
        confirm: 'Roll out',
      }),
    );
  if (can.has('schedule')) els.push(button(ACTION.schedule, 'Schedule', value));
  if (can.has('reschedule')) els.push(button(ACTION.reschedule, 'Reschedule', value));
  if (can.has('retry')) els.push(button(ACTION.retry, 'Retry', value, 'primary'));
  if (can.has('continue-waves')) els.push(button(ACTION.continueWaves, 'Continue', value, 'primary'));
  if (can.has('halt-waves'))
    els.push(
      button(ACTION.haltWaves, 'Halt', value, 'danger', {
        title: 'Halt the rollout?',
        text: 'No further wave starts (a running wave ends first); the remaining databases stay pending until Continue or Cancel.',
        confirm: 'Halt',
      }),
    );
  if (can.has('edit')) els.push(button(ACTION.edit, 'Edit SQL', value));
  if (can.has('follow-up')) els.push(button(ACTION.followUp, 'Follow-up change', value));
  if (issue.changeType !== 'dml' && issue.stages.some((s) => s.tasks.some((t) => t.status === 'done'))) {
    els.push(
      button(ACTION.rollback, 'Generate rollback', issue.id, undefined, {
        title: 'Generate a rollback?',
        text: 'Opens a new change with the DDL back to the schema before this one. It goes through review and approval like any other.',
        confirm: 'Generate',
      }),
    );
  }
  if (can.has('cancel'))
    els.push(
      button(
        ACTION.cancel,
        issue.status === 'scheduled' ? 'Cancel schedule' : 'Cancel',
        value,
        undefined,
        issue.status === 'scheduled'
          ? undefined
          : { title: 'Cancel this change?', text: 'Nothing more will run for it.', confirm: 'Cancel change' },
      ),
    );
  if (can.has('stop'))
    els.push(
      button(ACTION.stopRun, 'Cancel run', value, 'danger', {
        title: 'Cancel the running rollout?',
        text: 'The statement running now is cancelled and no other starts: the task fails (on PostgreSQL its transaction rolls back). Retry runs it again.',
        confirm: 'Cancel run',
      }),
    );
  if (can.has('rollout-anyway')) {
    const option = { text: mrkdwn('*Roll out anyway* despite the review findings'), value: 'yes' };
    els.push({
      type: 'checkboxes',
      action_id: ACTION.rolloutAnyway,
      options: [option],
      ...(isAcknowledged(issue, currentStageIndex(issue)) ? { initial_options: [option] } : {}),
    });
  }
  return els;
}

function people(ids: string[]): string {
  if (ids.length === 0) return 'nobody (the config names no one)';
  if (ids.length === 1) return mention(ids[0]!);
  return `${ids.slice(0, -1).map(mention).join(', ')} or ${mention(ids.at(-1)!)}`;
}

/** The blast radius line of the review card: databases, the largest table touched, and what a statement does to it. */
export function blastRadiusText(b: BlastRadius): string {
  const dbs = `${b.databases} database${b.databases === 1 ? '' : 's'}`;
  const unread = b.unread ? ` (${b.unread} could not be read)` : '';
  const t = b.largest;
  if (!t) return `:dart: *Blast radius*: ${dbs}${unread}; no existing table is touched`;
  const effect = t.effects.includes('rewrites')
    ? `a statement rewrites it, locking it meanwhile (${t.rules.map((r) => `\`${escapeText(r)}\``).join(', ')})`
    : t.effects.includes('locks')
      ? `a statement locks it (${t.rules.map((r) => `\`${escapeText(r)}\``).join(', ')})`
      : 'no statement rewrites or locks it';
  return `:dart: *Blast radius*: ${dbs}${unread}; largest table touched: \`${escapeText(t.table)}\` on \`${escapeText(t.database)}\` (${escapeText(t.environment)}), ${t.rows.toLocaleString('en-US')} rows, ${formatBytes(t.bytes)}; ${effect}`;
}

/** The "waiting for …" line: what the issue needs next, and from whom. */
export function waitingText(w: Waiting): string {
  switch (w.kind) {
    case 'approval': {
      const stale = w.expired?.length
        ? `: the approval by ${w.expired.map(mention).join(', ')} is older than ${periodText(w.period ?? 0)} and must be renewed (approve again)`
        : '';
      return `:hourglass: waiting for approval from ${people(w.approvers)} (${w.have} of ${w.need}) for ${escapeText(w.environment)}${stale}`;
    }
    case 'release':
      return w.scheduleOnly
        ? `:hourglass: waiting for ${people(w.releasers)} to schedule ${escapeText(w.environment)}`
        : `:hourglass: waiting for ${people(w.releasers)} to roll out or schedule ${escapeText(w.environment)}`;
    case 'acknowledgement': {
      const env = escapeText(w.environment);
      const when = w.automatic ? ' rolls out (it is automatic, and review findings hold it)' : ' can roll out';
      // The creator may not acknowledge their own findings: with nobody else named, say how to get unstuck.
      if (w.releasers.length === 0)
        return `:raised_hand: held: review findings need an acknowledgement before ${env}${when}, and the config names no one who may give it: add \`releasers\`, \`approvers\` or \`admins\` for ${env} to the config (the creator may not acknowledge their own change), or Edit SQL to clear the findings`;
      return `:raised_hand: held: review findings need an acknowledgement from ${people(w.releasers)} before ${env}${when}`;
    }
    case 'scheduled':
      if (w.frozen !== undefined)
        return `:snowflake: held: ${escapeText(w.environment)} is frozen until ${slackDate(w.at)} (${escapeText(w.frozen)}); it starts when the window ends${w.by === 'automatic' ? '' : `, as ${mention(w.by)} released it`}`;
      return `:alarm_clock: scheduled for ${slackDate(w.at)} by ${mention(w.by)} (${escapeText(w.environment)})`;
    case 'running':
      return `:arrows_counterclockwise: rolling out to ${escapeText(w.environment)}`;
    case 'next-wave': {
      const env = escapeText(w.environment);
      if (w.halted)
        return `:octagonal_sign: ${env} halted after wave ${w.wave} of ${w.waves}: the rest stay pending; waiting for ${people(w.releasers)} to Continue or Cancel`;
      return `:ocean: ${env}: wave ${w.wave} of ${w.waves} ended; waiting for ${people(w.releasers)} to Continue or Halt${w.at ? ` (the next wave starts by itself ${slackDate(w.at)})` : ''}`;
    }
    case 'drift':
      return `:raised_hand: held: the schema of ${w.databases.map((d) => `\`${escapeText(d)}\``).join(', ')} (${escapeText(w.environment)}) drifted from the recorded one; waiting for ${people(w.deciders)} to Baseline it or open a revert change`;
    case 'attention':
      return `:warning: waiting for ${people(w.releasers)} to check the task that needs attention in ${escapeText(w.environment)}`;
    case 'retry':
      return `:hourglass: ${escapeText(w.environment)} failed: waiting for ${people(w.who)} to Retry${w.canEdit ? ', or for the creator to fix it with Edit SQL' : ''}`;
    case 'rejected':
      return `:hourglass: rejected: waiting for ${mention(w.creator)} to ${w.canEdit ? 'edit the SQL' : 'open a follow-up change'}`;
    case 'done':
      return ':white_check_mark: rolled out everywhere; nothing is waiting';
    case 'cancelled':
      return ':no_entry_sign: cancelled; nothing is waiting';
    default:
      return unreachable(w, 'waiting state');
  }
}

/** The whole issue message; `now` judges whether approvals are still fresh (approvalExpires). */
export function issueMessage(issue: Issue, config: Config, now?: Date): { text: string; blocks: KnownBlock[] } {
  const preview = sqlPreview(issue.sql);
  const failed = issue.stages.flatMap((s) =>
    s.tasks
      .filter((t) => t.error)
      .map((t) => `:x: ${escapeText(t.database)} (${s.environment}): ${escapeText(t.error!)}`),
  );
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`#${issue.id} ${issue.title}`, 150) },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Status*\n${STATUS_LABEL[issue.status]}`),
        mrkdwn(`*Creator*\n${issue.source.kind === 'git' ? 'git' : `<@${issue.creator}>`}`),
        mrkdwn(`*Database*\n${escapeText(issue.target)}`),
        mrkdwn(`*Type*\n${issue.changeType.toUpperCase()}${issue.revision > 1 ? ` · revision ${issue.revision}` : ''}`),
        ...(issue.labels.length
          ? [mrkdwn(`*Labels*\n${issue.labels.map((l) => `\`${escapeText(l)}\``).join(' ')}`, 2000)]
          : []),
        ...(issue.timing ? [mrkdwn(`*Timing*\n${escapeText(issue.timing)}`, 2000)] : []),
      ],
    },
    ...gitSourceBlocks(issue),
    {
      type: 'section',
      text: mrkdwn(clip(`*Pipeline*\n${issue.stages.map((s) => stageLine(s, config, now)).join('\n')}`, 3000)),
    },
    { type: 'context', elements: [mrkdwn(clip(waitingText(waitingFor(issue, config, now)), 2000))] },
  ];
  const links = [
    ...(issue.followUpOf ? [`:leftwards_arrow_with_hook: Follow-up to #${escapeText(issue.followUpOf)}`] : []),
    ...(issue.followUps?.length
      ? [
          `:arrow_right_hook: Follow-up${issue.followUps.length > 1 ? 's' : ''}: ${issue.followUps.map((id) => `#${escapeText(id)}`).join(', ')}`,
        ]
      : []),
  ];
  if (links.length) blocks.push({ type: 'context', elements: [mrkdwn(clip(links.join('  ·  '), 2000))] });
  if (failed.length) blocks.push({ type: 'section', text: mrkdwn(clip(failed.join('\n'), 3000)) });
  if (issue.changeType === 'sdl') {
    const change = sqlPreview(issue.schemaChange ?? '');
    blocks.push({
      type: 'section',
      text: mrkdwn(`*Schema change*${change.truncated ? ' (preview)' : ''}\n${codeBlock(change.text || '(none)')}`),
    });
    blocks.push({
      type: 'actions',
      block_id: `views:${issue.id}`,
      elements: [
        button(ACTION.viewSchemaChange, 'Schema change', issue.id),
        button(ACTION.viewGeneratedDdl, 'Generated DDL', issue.id),
        button(ACTION.viewFullSchema, 'Full schema', issue.id),
      ],
    });
  } else {
    blocks.push({
      type: 'section',
      text: mrkdwn(`*SQL*${preview.truncated ? ' (preview)' : ''}\n${codeBlock(preview.text)}`),
      accessory: button(ACTION.showSql, preview.truncated ? 'Show full SQL' : 'Open SQL', issue.id),
    });
  }
  blocks.push(...reviewBlocks(issue));
  if (issue.blastRadius)
    blocks.push({ type: 'context', elements: [mrkdwn(clip(blastRadiusText(issue.blastRadius), 2000))] });
  if (issue.description)
    blocks.push({ type: 'context', elements: [mrkdwn(clip(escapeText(issue.description), 2000))] });
  // Buttons repeated per task or database are numbered: no action id twice in the message.
  let attention = 0;
  for (const stage of issue.stages) {
    for (const t of stage.tasks.filter((x) => x.status === 'needs-attention').slice(0, 5)) {
      const n = attention++;
      blocks.push({
        type: 'actions',
        block_id: `attention:${t.id}`,
        elements: [
          button(
            nthAction(ACTION.resolveApplied, n),
            `${t.database} (${stage.environment}) was applied`.slice(0, 75),
            `${issue.id}:${t.id}`,
            undefined,
            {
              title: 'Mark as applied?',
              text: 'Only if you checked the database and every statement of the task is in place.',
              confirm: 'Mark applied',
            },
          ),
          button(nthAction(ACTION.resolveNotApplied, n), 'It was not applied', `${issue.id}:${t.id}`, undefined, {
            title: 'Mark as not applied?',
            text: 'Retry will then run the task again from the statement that was interrupted.',
            confirm: 'Mark not applied',
          }),
        ],
      });
    }
  }
  let drifted = 0;
  for (const stage of issue.stages.filter((s) => s.driftHold && issue.status === 'open')) {
    for (const database of stage.driftHold!.databases.slice(0, 5)) {
      const n = drifted++;
      const value = `${database}@${stage.environment}`;
      blocks.push({
        type: 'actions',
        block_id: `drift-hold:${value}`,
        elements: [
          button(
            nthAction(ACTION.driftBaseline, n),
            `Baseline ${database} (${stage.environment})`.slice(0, 75),
            value,
            'primary',
            {
              title: 'Record a baseline?',
              text: 'The live schema, drift included, becomes the recorded one, and the held stage goes on.',
              confirm: 'Baseline',
            },
          ),
          button(nthAction(ACTION.driftRevert, n), 'Open revert change', value, undefined, {
            title: 'Open a revert change?',
            text: 'Opens a change with the DDL back to the recorded schema; once it has run, the held stage goes on.',
            confirm: 'Open',
          }),
        ],
      });
    }
  }
  const elements = actionElements(issue, config, now);
  if (elements.length) blocks.push({ type: 'actions', block_id: `issue:${issue.id}:${issue.revision}`, elements });
  // The notification text is read as mrkdwn: user text escaped (the header is plain_text, shown as typed).
  const text = `#${issue.id} ${escapeText(issue.title)} — ${issue.status} (${escapeText(issue.target)})`;
  return { text: clip(text, 3000), blocks };
}
