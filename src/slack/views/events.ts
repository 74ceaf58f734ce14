// The one place where what happened to an issue (src/domain/events.ts) and why something was
// refused (src/app/results.ts) become Slack text. User text is escaped here, once.
import type { NotFound, Refused } from '../../app/index.js';
import type { IssueEvent, TaskRef } from '../../domain/events.js';
import { formatDuration, formatEvent, periodText } from '../../app/index.js';
import { unreachable } from '../../app/index.js';
import type { KnownBlock } from '@slack/types';
import { shownDiff } from './drift.js';
import { lockWaitBlocks, lockWaitText, progressText, stoppedText } from './task-watch.js';
import type { ReviewFinding } from '../../domain/issue.js';
import { ACTION } from './ids.js';
import { button, clip, codeBlock, escapeText, mention, mrkdwn, slackDate, slackTime, TASK_ICON } from './text.js';

/** The start of a sha256, as the message shows it: "1f2e3d4c…". */
export function shortSum(checksum: string): string {
  return `${checksum.slice(0, 8)}…`;
}

function label(task: TaskRef): string {
  return escapeText(`${task.database} (${task.environment})${task.name ? ` ${task.name}` : ''}`);
}

/** The start of a statement on one line, for thread posts. */
function snippet(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').replace(/`/g, "'");
  return escapeText(one.length > 80 ? `${one.slice(0, 79)}…` : one);
}

/** One thread reply for one event. */
export function eventText(event: IssueEvent): string {
  switch (event.kind) {
    case 'started-automatically':
      return `rollout to ${escapeText(event.environment)} started automatically`;
    case 'approved': {
      const left = event.approvalsLeft;
      const what =
        event.revision !== undefined
          ? ` revision ${event.revision}${event.checksum ? `, sha256 ${shortSum(event.checksum)},` : ''} for`
          : '';
      const verb = event.renewed ? 'renewed their approval: approved' : 'approved';
      return `${mention(event.by)} ${verb}${what} ${escapeText(event.environment)}${left > 0 ? ` (${left} more approval${left > 1 ? 's' : ''} needed)` : ''}`;
    }
    case 'approval-expired':
      return `:hourglass: the approval of ${escapeText(event.environment)} by ${mention(event.user)} expired (approvals count for ${periodText(event.period)}): it must be renewed before release; ${mention(event.user)} or another approver can approve again`;
    case 'schedule-held':
      return event.why === 'unconfirmed'
        ? `:raised_hand: the scheduled rollout to ${escapeText(event.environment)} is held: nobody confirmed its pre-flight check, and ${escapeText(event.environment)} requires it. ${mention(event.by)} can roll out or schedule it again.`
        : `:raised_hand: the scheduled rollout to ${escapeText(event.environment)} did not start: ${event.approvers.length ? `the approval by ${event.approvers.map(mention).join(', ')}` : 'an approval'} expired before it was due. Once it is renewed, ${mention(event.by)} can roll out or schedule it again.`;
    case 'rejected':
      return `${mention(event.by)} rejected the change at ${escapeText(event.environment)}`;
    case 'rollout-started':
      return `${mention(event.by)} started the rollout to ${escapeText(event.environment)}`;
    case 'scheduled':
      return `${mention(event.by)} scheduled the rollout to ${escapeText(event.environment)} for ${slackDate(event.at)}`;
    case 'rescheduled':
      return `${mention(event.by)} moved the rollout to ${escapeText(event.environment)} from ${slackDate(event.from)} to ${slackDate(event.at)}`;
    case 'scheduled-run-started': {
      const env = escapeText(event.environment);
      const what = event.freeze
        ? `the freeze of ${env} ended (${escapeText(event.freeze)}): the rollout to ${env} it held started`
        : `the scheduled rollout to ${env} started`;
      if (event.confirmedBy) return `${what} (confirmed by ${mention(event.confirmedBy)})`;
      return event.unconfirmed
        ? `${what}: nobody confirmed its pre-flight check, and ${env} does not require it, so it went ahead`
        : what;
    }
    case 'held-by-freeze': {
      const env = escapeText(event.environment);
      const what =
        event.by === 'automatic'
          ? `the rollout to ${env}, which would start automatically now,`
          : `the rollout to ${env} released by ${mention(event.by)}`;
      return `:snowflake: ${env} is frozen until ${slackDate(event.until)}: ${escapeText(event.reason)}. Held: ${what} starts by itself when the window ends.`;
    }
    case 'preflight': {
      const env = escapeText(event.environment);
      const found = event.findings.length
        ? `the live review found ${event.findings.length} problem(s) now:\n${event.findings
            .slice(0, 8)
            .map((f) => findingText(f))
            .join('\n')}${event.findings.length > 8 ? `\n…and ${event.findings.length - 8} more` : ''}`
        : 'the live review found nothing now.';
      // Confirming acknowledges the problems shown; unconfirmed, the live review at the start decides again.
      const confirm = event.findings.length
        ? 'Confirm it (it then runs despite these problems), Postpone it or Cancel it.'
        : 'Confirm it, Postpone it or Cancel it.';
      const unconfirmed = event.require
        ? `Unconfirmed, it is held: ${env} requires a confirmation.`
        : event.findings.length
          ? 'Unconfirmed, it starts as scheduled unless the live review still finds problems then: it is held for "Roll out anyway" instead.'
          : 'Unconfirmed, it goes ahead as scheduled.';
      return `:mag: ${mention(event.releaser)} pre-flight check: the rollout to ${env} starts ${slackDate(event.at)}; ${found}\n${confirm} ${unconfirmed}`;
    }
    case 'preflight-confirmed': {
      const env = escapeText(event.environment);
      const head = `:white_check_mark: ${mention(event.by)} confirmed the rollout to ${env} at ${slackDate(event.at)}`;
      if (event.acknowledged)
        return `${head}, with the ${event.acknowledged} problem(s) its pre-flight check found: it runs despite them (roll out anyway)`;
      if (event.unacknowledged)
        return `${head}. ${mention(event.by)} created this change, so the confirmation does not cover the ${event.unacknowledged} problem(s) its pre-flight check found: if the live review still finds them when it starts, ${env} is held until someone else who may release it ticks "Roll out anyway"`;
      return head;
    }
    case 'schedule-cancelled':
      return `${mention(event.by)} cancelled the scheduled rollout; the SQL can be edited again`;
    case 'cancelled':
      return `${mention(event.by)} cancelled the change`;
    case 'edited': {
      const voided = event.voided?.length
        ? ` Approvals voided: ${event.voided.map((v) => `${mention(v.user)} (${escapeText(v.environment)})`).join(', ')}.`
        : '';
      const base = `${mention(event.by)} edited the SQL (revision ${event.revision}); review ran again and approvals were reset.${voided}`;
      if (!event.retry) return base;
      const env = escapeText(event.retry.environment);
      const approvals = event.retry.approvals > 0 ? ` once ${env} is approved again` : '';
      return `${base} Retry runs revision ${event.revision} on ${env}${approvals}: statements applied earlier and unchanged at the same position are skipped.`;
    }
    case 'follow-up-opened':
      return `${mention(event.by)} opened a follow-up change: #${escapeText(event.issueId)}`;
    case 'rollout-anyway':
      return event.checked
        ? `${mention(event.by)} chose to roll out despite the review findings`
        : `${mention(event.by)} withdrew "roll out anyway"`;
    case 'retried':
      return `${mention(event.by)} retried the failed tasks in ${escapeText(event.environment)}${event.revision && event.revision > 1 ? ` with revision ${event.revision}` : ''}`;
    case 'held-by-live-review': {
      const env = escapeText(event.environment);
      return `:mag: review against the live ${env} database found ${event.findings} problem(s); nothing ran. Check them, tick "Roll out anyway" if you are sure, and release ${env} again.`;
    }
    case 'held-by-drift': {
      const env = escapeText(event.environment);
      const dbs = event.drifts.map((d) => `\`${escapeText(d.database)}\``).join(', ');
      const diffs = event.drifts
        .map(
          (d) =>
            `*${escapeText(d.database)}* (lines with \`-\` were recorded, lines with \`+\` are live):\n${codeBlock(shownDiff(d.diff, 60))}`,
        )
        .join('\n');
      return `:warning: ${env} is held: the live schema of ${dbs} differs from the last one dbchange recorded, and nothing ran. An admin decides on the issue message: *Baseline* (the live schema becomes the recorded one) or *Open revert change* (a change back to the recorded schema). ${env} goes on as released once the drift is resolved.\n${diffs}`;
    }
    case 'drift-hold-lifted':
      return `:white_check_mark: the drift that held ${escapeText(event.environment)} is resolved${event.resumed ? `; ${escapeText(event.environment)} rolls out now` : '; it is no longer held'}`;
    case 'drift-revert-opened':
      return `${mention(event.by)} opened #${escapeText(event.issueId)} to revert the drift of ${escapeText(event.database)} (${escapeText(event.environment)}); this stage goes on once it has run`;
    case 'attention-resolved':
      return `${mention(event.by)} marked the task on ${escapeText(event.task.database)} (${escapeText(event.task.environment)}) as ${event.applied ? 'applied' : 'not applied; Retry resumes it'}`;
    case 'stage-done':
      return `:white_check_mark: ${escapeText(event.environment)} done`;
    case 'stage-failed':
      return `:x: ${escapeText(event.environment)} failed; fix the cause and press Retry`;
    case 'rollback-generated':
      return `${mention(event.by)} generated a rollback: #${event.issueId}`;
    case 'task-started':
      return `:arrow_forward: *${label(event.task)}*: task started, ${event.statements} statement(s)`;
    case 'task-log':
      return [taskLogHead(event.task), ...event.entries.map(taskLogLine)].join('\n');
    case 'ddl-generated': {
      const sql = event.sql.length > 2500 ? `${event.sql.slice(0, 2500)}…` : event.sql;
      return `*${label(event.task)}*: generated DDL\n\`\`\`${escapeText(sql).replace(/```/g, '`\u200b``')}\`\`\``;
    }
    case 'task-done':
      return `:white_check_mark: *${label(event.task)}*: task done in ${formatDuration(event.durationMs)}${event.beforeRestart ? ', before the bot restarted' : ''}`;
    case 'task-already-applied':
      return `:white_check_mark: *${label(event.task)}*: already applied on ${event.appliedAt.toISOString()}; nothing was run again`;
    case 'task-failed': {
      const why = event.stopped ? stoppedText(event.stopped, event.error) : escapeText(event.error);
      return `:x: *${label(event.task)}*: task failed after ${formatDuration(event.durationMs)}: ${why}${event.aftermath ? `\n${escapeText(event.aftermath)}` : ''}`;
    }
    case 'task-progress':
      return progressText(event.task, event.progress);
    case 'lock-wait':
      return lockWaitText(event);
    case 'stop-requested':
      return `${mention(event.by)} stopped the rollout to ${escapeText(event.environment)}: the running statement of ${event.tasks} task(s) is being cancelled`;
    case 'task-needs-attention':
      return `:warning: *${label(event.task)}*: task needs attention: ${escapeText(event.reason)}`;
    case 'task-not-started':
      return event.cause === 'not-configured'
        ? `:x: ${label(event.task)}: ${escapeText(event.error)}`
        : `:x: *${label(event.task)}*: ${escapeText(event.error)}`;
    case 'task-bot-failure':
      return `:x: *${label(event.task)}*: task failed: ${escapeText(event.error)}. The database's ledger keeps what was applied; Retry runs the rest.`;
    case 'task-in-desired-schema':
      return `:white_check_mark: *${label(event.task)}*: already in the desired schema; nothing to run`;
    case 'wave-done': {
      const env = escapeText(event.environment);
      const failed = event.results.filter((r) => r.status !== 'done' && r.status !== 'skipped').length;
      const head = `:ocean: wave ${event.wave} of ${event.waves} on ${env} ended: ${event.results.length - failed} database(s) done, ${failed} not`;
      const lines = event.results.map((r) => `${TASK_ICON[r.status]} ${escapeText(r.database)} ${r.status}`);
      const next =
        event.next === 'none'
          ? ''
          : event.next === 'halted'
            ? `\nThe rollout is halted: wave ${event.wave + 1} waits for Continue, or Cancel the change.`
            : event.next === 'automatic' && event.continueAt
              ? `\nWave ${event.wave + 1} starts by itself ${slackDate(event.continueAt)} unless someone halts it; Continue starts it now.`
              : `\nWave ${event.wave + 1} starts on Continue by a releaser of ${env}${failed ? ' (this wave had failures, so nothing starts by itself)' : ''}; Halt stops the rollout here.`;
      return `${head}\n${lines.join('\n')}${next}`;
    }
    case 'wave-started':
      return event.by === 'automatic'
        ? `:ocean: wave ${event.wave} of ${event.waves} on ${escapeText(event.environment)} started by itself after the wave delay (${event.databases} database(s))`
        : `:ocean: ${mention(event.by)} started wave ${event.wave} of ${event.waves} on ${escapeText(event.environment)} (${event.databases} database(s))`;
    case 'waves-halted':
      return `:octagonal_sign: ${mention(event.by)} halted the rollout of ${escapeText(event.environment)}${event.running ? ' after the running wave' : ''}: ${event.pending} database(s) stay pending and untouched until Continue (or Cancel the change)`;
    case 'store-outage': {
      const tasks = event.tasks.map(
        ({ task, resumed }) =>
          `task ${label(task)} ${resumed === 're-run' ? 'was re-run (the ledger skipped what was already applied)' : 'continued'}`,
      );
      return `:electric_plug: the bot lost its store at ${slackTime(event.lostAt)} and resumed at ${slackTime(event.resumedAt)}${tasks.length ? `; ${tasks.join('; ')}` : ''}`;
    }
    default:
      return unreachable(event, 'issue event');
  }
}

/** The most text Slack shows of one message (it cuts a longer `text` at 40,000 characters). */
export const MESSAGE_TEXT_MAX = 39_000;

/**
 * The thread replies for one event: one, except for a batch of statement lines longer than one
 * message, which is split between lines into as many as it takes, so no line is cut off.
 */
export function eventTexts(event: IssueEvent): string[] {
  const whole = eventText(event);
  if (event.kind !== 'task-log' || whole.length <= MESSAGE_TEXT_MAX) return [whole];
  const head = taskLogHead(event.task);
  const texts: string[] = [];
  let text = head;
  for (const entry of event.entries) {
    const line = clip(taskLogLine(entry), MESSAGE_TEXT_MAX - head.length - 1);
    if (text.length + 1 + line.length > MESSAGE_TEXT_MAX) {
      texts.push(text);
      text = head;
    }
    text += `\n${line}`;
  }
  texts.push(text);
  return texts;
}

/** The first line of each message of a task's log: the task it is about. */
function taskLogHead(task: TaskRef): string {
  return `*${label(task)}*`;
}

/** One statement's line in a task's log. */
function taskLogLine({ event, sql }: Extract<IssueEvent, { kind: 'task-log' }>['entries'][number]): string {
  return `${escapeText(formatEvent(event))}${sql ? ` — \`${snippet(sql)}\`` : ''}`;
}

/** Blocks for the events whose reply has buttons (a lock-wait notice); undefined for plain text. */
export function eventBlocks(event: IssueEvent): KnownBlock[] | undefined {
  if (event.kind === 'lock-wait') return lockWaitBlocks(event);
  if (event.kind === 'preflight') return preflightBlocks(event);
  return undefined;
}

/** One finding on one line, for thread posts. */
function findingText(f: ReviewFinding): string {
  return `• line ${f.line}: \`${escapeText(f.rule)}\` — ${escapeText(f.message)}`;
}

/** A pre-flight check with its buttons: Confirm, Postpone, Cancel (each for the schedule at `at`). */
function preflightBlocks(event: Extract<IssueEvent, { kind: 'preflight' }>): KnownBlock[] {
  const value = `${event.issueId}:${event.revision}:${event.at.getTime()}`;
  return [
    { type: 'section', text: mrkdwn(clip(eventText(event), 3000)) },
    {
      type: 'actions',
      block_id: `preflight:${event.issueId}:${event.at.getTime()}`,
      elements: [
        button(ACTION.preflightConfirm, 'Confirm', value, 'primary'),
        button(ACTION.preflightPostpone, 'Postpone', value),
        button(ACTION.preflightCancel, 'Cancel', value, 'danger', {
          title: 'Cancel this schedule?',
          text: 'The change goes back to open; a releaser can roll it out or schedule it again.',
          confirm: 'Cancel schedule',
        }),
      ],
    },
  ];
}

/** What someone hears when the bot cannot reach its store: nothing they did was saved. */
export const STORE_UNAVAILABLE_TEXT =
  ":warning: The bot's store is unavailable right now; nothing was changed. Try again in a minute.";

/** Why nothing was done, for the one person who asked (plain-text message, people as mentions). */
export function refusalText(r: Refused | NotFound): string {
  if (r.kind === 'not-found') return `:no_entry_sign: ${notFoundText(r)}`;
  if (r.code === 'store-unavailable') return STORE_UNAVAILABLE_TEXT;
  const icon = r.code === 'target-failed' ? ':x:' : ':no_entry_sign:';
  const who = r.who ? `; ${r.who.role}: ${r.who.ids.map(mention).join(', ')}` : '';
  return `${icon} ${escapeText(r.message)}${who}`;
}

/** "there is no issue #9", "unknown database `x`; known: a, b". */
export function notFoundText(r: NotFound): string {
  switch (r.what) {
    case 'issue':
      return `there is no issue #${escapeText(r.id)}; \`/dbchange list\` shows the open ones`;
    case 'database':
      return `unknown database \`${escapeText(r.id)}\`; known: ${escapeText((r.known ?? []).join(', '))}`;
    case 'task':
      return `that task is not part of issue #${escapeText(r.id)}`;
    default:
      return unreachable(r.what, 'kind of thing not found');
  }
}
