// A running task as the thread shows it: its progress message (edited in place), the notice of a
// statement waiting for a lock (with Cancel my statement and Keep waiting), and what a guard
// stopped. Everyone in the channel reads these, so a lock holder is named by pid, user,
// application, state and how long it has held on, and by the kind of its statement: never its
// query text (`/dbchange sessions` shows that to the environment's approvers, releasers and admins).
import type { KnownBlock } from '@slack/types';
import type { GuardStopped, IssueEvent, LockWaitOutcome, TaskProgress, TaskRef } from '../../domain/events.js';
import type { LockHolder, LockWait } from '../../targets/types.js';
import { formatDuration } from '../../app/index.js';
import { unreachable } from '../../app/index.js';
import { ACTION } from './ids.js';
import { button, escapeText, mention, mrkdwn } from './text.js';

type LockWaitEvent = Extract<IssueEvent, { kind: 'lock-wait' }>;

function label(task: TaskRef): string {
  return escapeText(`${task.database} (${task.environment})${task.name ? ` ${task.name}` : ''}`);
}

const rowsText = (rows: number | null) => (rows === null ? '' : `, ${rows} row${rows === 1 ? '' : 's'}`);

/** The progress message: statement n of N, elapsed, rows so far; its final state when the task ended. */
export function progressText(task: TaskRef, p: TaskProgress): string {
  const head = `*${label(task)}*`;
  const elapsed = formatDuration(p.elapsedMs);
  switch (p.state) {
    case 'running': {
      const now = p.running
        ? `statement ${p.running} of ${p.total} running`
        : `${p.finished} of ${p.total} statements done`;
      return `:arrow_forward: ${head}: ${now}, ${elapsed} elapsed${p.rows === null ? '' : `, ${p.rows} row${p.rows === 1 ? '' : 's'} so far`}`;
    }
    case 'done':
      return `:white_check_mark: ${head}: ${p.total} of ${p.total} statements done in ${elapsed}${rowsText(p.rows)}`;
    case 'already-applied':
      return `:white_check_mark: ${head}: already applied earlier; nothing ran again`;
    case 'failed':
      return `:x: ${head}: failed after ${p.finished} of ${p.total} statements, ${elapsed}${rowsText(p.rows)}`;
    case 'needs-attention':
      return `:warning: ${head}: needs attention after ${p.finished} of ${p.total} statements, ${elapsed}`;
    default:
      return unreachable(p.state, 'progress state');
  }
}

/** "pid 4242 (user app, application psql, idle in transaction for 2 min 5 s, last statement LOCK)". */
export function holderText(h: LockHolder): string {
  const parts = [
    h.user ? `user ${h.user}` : undefined,
    h.application ? `application ${h.application}` : undefined,
    h.state ? `${h.state}${h.heldForMs !== null ? ` for ${formatDuration(h.heldForMs)}` : ''}` : undefined,
    h.statementKind ? `last statement ${h.statementKind}` : undefined,
  ].filter(Boolean);
  return escapeText(`pid ${h.pid}${parts.length ? ` (${parts.join(', ')})` : ''}`);
}

function holdersText(wait: LockWait): string {
  if (wait.holders.length === 0) return 'by a session the database does not name';
  const shown = wait.holders.slice(0, 5).map(holderText).join('; ');
  return `by ${shown}${wait.holders.length > 5 ? ` and ${wait.holders.length - 5} more` : ''}`;
}

function lockName(wait: LockWait): string {
  return wait.lock ? escapeText(wait.lock) : 'a lock';
}

function outcomeText(o: LockWaitOutcome, lockTimeoutMs: number): string {
  switch (o.kind) {
    case 'got-lock':
      return `It got the lock; the statement finished after ${formatDuration(o.waitedMs)}.`;
    case 'keep-waiting':
      return `${mention(o.by)} chose to keep waiting; the lock timeout (${formatDuration(lockTimeoutMs)}) still ends the wait.`;
    case 'cancelled':
      return `${mention(o.by)} cancelled the statement.`;
    case 'lock-timeout':
      return `The lock timeout (${formatDuration(lockTimeoutMs)}) ended the wait.`;
    case 'ended':
      return 'The task has ended.';
    default:
      return unreachable(o, 'lock wait outcome');
  }
}

/** The lock-wait notice as text (the notification, and the message's first section). */
export function lockWaitText(e: LockWaitEvent): string {
  const db = `${e.task.database}@${e.task.environment}`;
  const base =
    `:lock: *${label(e.task)}*: statement ${e.statement} of ${e.total} has waited ${formatDuration(e.wait.waitedMs)} ` +
    `for ${lockName(e.wait)}, held ${holdersText(e.wait)}.`;
  if (e.outcome) return `${base}\n${outcomeText(e.outcome, e.lockTimeoutMs)}`;
  return (
    `${base}\nThe lock timeout ends the wait after ${formatDuration(e.lockTimeoutMs)}. ` +
    `A releaser can cancel the statement (the task fails and nothing of it stays applied on PostgreSQL) or keep waiting. ` +
    `\`/dbchange sessions ${escapeText(db)}\` shows their queries to approvers, releasers and admins.`
  );
}

/** The notice's blocks: its text, and its two buttons while nobody has answered and the wait goes on. */
export function lockWaitBlocks(e: LockWaitEvent): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(lockWaitText(e)) }];
  if (e.outcome) return blocks;
  const value = `${e.issueId}:${e.taskId}`;
  blocks.push({
    type: 'actions',
    block_id: `lockwait:${e.taskId}:${e.statement}`,
    elements: [
      button(ACTION.cancelStatement, 'Cancel my statement', value, 'danger', {
        title: 'Cancel the statement?',
        text: 'The task fails; on PostgreSQL its transaction rolls back. Retry runs it again.',
        confirm: 'Cancel statement',
      }),
      button(ACTION.keepWaiting, 'Keep waiting', value),
    ],
  });
  return blocks;
}

/** What a guard stopped, in words, for the failed task's line; `error` is the engine's own message. */
export function stoppedText(s: GuardStopped, error: string): string {
  const n = `statement ${s.statement} of ${s.total}`;
  const limit = s.limitMs !== undefined ? formatDuration(s.limitMs) : '';
  switch (s.guard) {
    case 'lock-timeout': {
      const held = s.wait ? ` ${lockName(s.wait)}, held ${holdersText(s.wait)}` : ' a lock';
      return `lock timeout after ${limit} on ${n}: it waited for${held} (${escapeText(error)}). Once the lock is free, press Retry.`;
    }
    case 'statement-timeout':
      return `statement timeout: ${n} ran longer than ${limit} (${escapeText(error)}). Raise timeouts.statement for this environment or split the work, then Retry.`;
    case 'cancelled':
      return `${n} was cancelled${s.by ? ` by ${mention(s.by)}` : ''} (${escapeText(error)}). Retry runs it again.`;
    default:
      return unreachable(s.guard, 'guard');
  }
}
