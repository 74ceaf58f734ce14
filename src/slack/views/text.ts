// Small text helpers for Block Kit: Slack's limits are hard errors, so every text is cut to fit.
import type { TaskStatus } from '../../domain/issue.js';
import type { Button, PlainTextElement, MrkdwnElement } from '@slack/types';

/** Cut `text` to at most `max` characters, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Escape user text for Slack: &, < and > are control characters in mrkdwn and plain message
 * text (https://api.slack.com/reference/surfaces/formatting#escaping). Every user-provided
 * string (title, description, SQL, labels, timing, file paths, database errors) goes through here, once.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const plain = (text: string, max = 3000): PlainTextElement => ({
  type: 'plain_text',
  text: clip(text || ' ', max),
  emoji: true,
});
export const mrkdwn = (text: string, max = 3000): MrkdwnElement => ({ type: 'mrkdwn', text: clip(text || ' ', max) });

/** A code block that fits in a section (3000 chars with the fences). */
export function codeBlock(sql: string, max = 2900): string {
  const body = escapeText(sql).replace(/```/g, '`\u200b``');
  return `\`\`\`${clip(body, max - 6)}\`\`\``;
}

/** A user or user group as a Slack mention. */
export function mention(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

/** A moment in Slack's date syntax: each reader sees it in their own time zone (UTC in the fallback text). */
export function slackDate(at: Date): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} at {time}|${at
    .toISOString()
    .replace(/\.\d{3}Z$/, ' UTC')
    .replace('T', ' ')}>`;
}

/** The emoji for a task's status, in the pipeline and in wave results. */
export const TASK_ICON: Record<TaskStatus, string> = {
  pending: ':white_circle:',
  running: ':arrows_counterclockwise:',
  done: ':white_check_mark:',
  failed: ':x:',
  'needs-attention': ':warning:',
  skipped: ':fast_forward:',
};
/** A button; with `confirm`, Slack asks before it sends the click. */
export function button(
  actionId: string,
  text: string,
  value: string,
  style?: 'primary' | 'danger',
  confirm?: { title: string; text: string; confirm: string },
): Button {
  const b: Button = { type: 'button', action_id: actionId, text: plain(text, 75), value };
  if (style) b.style = style;
  if (confirm)
    b.confirm = {
      title: plain(confirm.title, 100),
      text: plain(confirm.text, 300),
      confirm: plain(confirm.confirm, 30),
      deny: plain('Back', 30),
    };
  return b;
}

/** A time of day with seconds, in each reader's own time zone (UTC in the fallback text). */
export function slackTime(at: Date): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{time_secs}|${at.toISOString().slice(11, 19)} UTC>`;
}

/** A size in bytes as people read it: 512 B, 264.0 kB, 1.5 MB, 2.0 GB (1 kB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${n.toFixed(1)} ${units[u]}`;
}
