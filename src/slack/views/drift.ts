// The drift report posted in the channel: the difference as a diff, and a Baseline button.
import type { KnownBlock } from '@slack/types';
import type { DatabaseConfig } from '../../config/model.js';
import { ACTION } from './ids.js';
import { codeBlock, escapeText, mrkdwn, plain } from './text.js';

/** The first `max` lines of a drift diff, with a note of how many more there are. */
export function shownDiff(diff: string[], max = 80): string {
  return diff.slice(0, max).join('\n') + (diff.length > max ? `\n… ${diff.length - max} more lines` : '');
}

export function driftMessage(db: DatabaseConfig, diff: string[]): { text: string; blocks: KnownBlock[] } {
  const shown = shownDiff(diff);
  const text = `Schema drift on ${db.name} (${db.environment})`;
  return {
    text,
    blocks: [
      { type: 'header', text: plain(`:warning: ${text}`, 150) },
      {
        type: 'section',
        text: mrkdwn(
          `The live schema of \`${escapeText(db.name)}\` (${db.environment}) differs from the last one dbchange recorded. Lines with \`-\` were recorded, lines with \`+\` are live:`,
        ),
      },
      { type: 'section', text: mrkdwn(codeBlock(shown)) },
      {
        type: 'context',
        elements: [
          mrkdwn(
            'If the change was intended, record the live schema as the new baseline. Otherwise, find out who changed the database outside dbchange.',
          ),
        ],
      },
      {
        type: 'actions',
        block_id: `drift:${db.name}@${db.environment}`,
        elements: [
          {
            type: 'button',
            action_id: ACTION.driftBaseline,
            text: plain('Baseline', 75),
            value: `${db.name}@${db.environment}`,
            style: 'primary',
          },
        ],
      },
    ],
  };
}
