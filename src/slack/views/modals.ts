// The modals: submit a change, edit its SQL, schedule its rollout, and read-only info views.
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { formatInTimeZone } from 'date-fns-tz';
import type { Issue } from '../../domain/issue.js';
import type { Submission } from '../../app/index.js';
import { SQL_FILE_LIMIT_TEXT } from '../sql-file.js';
import { CALLBACK, FIELD } from './ids.js';
import { clip, escapeText, mrkdwn, plain } from './text.js';

const SQL_MAX = 3000;
const SQL_FILE_LIMIT_LABEL = SQL_FILE_LIMIT_TEXT;

function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, 75), value: clip(value, 75) };
}

function textInput(
  blockId: string,
  label: string,
  opts: {
    multiline?: boolean;
    optional?: boolean;
    initial?: string;
    placeholder?: string;
    max?: number;
    hint?: string;
  } = {},
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: plain(label, 2000),
    ...(opts.hint ? { hint: plain(opts.hint, 2000) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: blockId,
      multiline: opts.multiline ?? false,
      ...(opts.max ? { max_length: opts.max } : {}),
      ...(opts.initial ? { initial_value: clip(opts.initial, opts.max ?? 3000) } : {}),
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder, 150) } : {}),
    },
  };
}

const CHANGE_TYPES = [
  option('DDL — schema migration', 'ddl'),
  option('DML — data migration', 'dml'),
  option('Desired schema (SDL)', 'sdl'),
];

/** The SQL as a file, for scripts longer than a text field takes (read through files.info). */
function sqlFileInput(): KnownBlock {
  return {
    type: 'input',
    block_id: FIELD.sqlFile,
    optional: true,
    label: plain('…or a .sql file', 2000),
    hint: plain(
      `For scripts longer than ${SQL_MAX} characters; up to ${SQL_FILE_LIMIT_LABEL}. A file replaces the text above.`,
      2000,
    ),
    element: { type: 'file_input', action_id: FIELD.sqlFile, filetypes: ['sql', 'txt', 'text'], max_files: 1 },
  } as KnownBlock;
}

/** What a follow-up change starts from: the original's fields, and its id for the links. */
export interface SubmitPrefill {
  submission: Submission;
  followUpOf: string;
}

/**
 * The /dbchange modal. `targets` are database and group names from the config; `channel` is
 * where /dbchange was typed; `prefill` fills it in for a follow-up change.
 */
export function submitModal(targets: string[], channel?: string, prefill?: SubmitPrefill): ModalView {
  const p = prefill?.submission;
  const initialTarget = p && targets.includes(p.target) ? { initial_option: option(p.target, p.target) } : {};
  const target: KnownBlock =
    targets.length <= 100
      ? {
          type: 'input',
          block_id: FIELD.target,
          label: plain('Database'),
          element: {
            type: 'static_select',
            action_id: FIELD.target,
            placeholder: plain('Choose a database or group'),
            options: targets.map((t) => option(t, t)),
            ...initialTarget,
          },
        }
      : textInput(FIELD.target, 'Database', {
          placeholder: 'Database or group name from the config',
          initial: p?.target,
        });
  const meta = { ...(channel ? { channel } : {}), ...(prefill ? { followUpOf: prefill.followUpOf } : {}) };
  const changeType = CHANGE_TYPES.find((o) => o.value === p?.changeType) ?? CHANGE_TYPES[0]!;
  const longSql = (p?.sql.length ?? 0) > SQL_MAX;
  return {
    type: 'modal',
    callback_id: CALLBACK.submit,
    ...(Object.keys(meta).length ? { private_metadata: JSON.stringify(meta) } : {}),
    title: plain(prefill ? 'Follow-up change' : 'New database change', 24),
    submit: plain('Submit', 24),
    close: plain('Cancel', 24),
    blocks: [
      ...(prefill
        ? [
            {
              type: 'context',
              elements: [
                mrkdwn(
                  `Follow-up to #${escapeText(prefill.followUpOf)}: change what needs amending; both issues will link to each other.${longSql ? ` Its SQL is longer than ${SQL_MAX} characters: only the start is filled in, so attach the full script as a file.` : ''}`,
                ),
              ],
            } as KnownBlock,
          ]
        : []),
      textInput(FIELD.title, 'Title', {
        max: 150,
        placeholder: 'Add an index on orders.created_at',
        initial: p?.title,
      }),
      target,
      {
        type: 'input',
        block_id: FIELD.changeType,
        label: plain('Change type'),
        element: {
          type: 'static_select',
          action_id: FIELD.changeType,
          initial_option: changeType,
          options: CHANGE_TYPES,
        },
      },
      textInput(FIELD.sql, 'SQL', {
        multiline: true,
        optional: true,
        max: SQL_MAX,
        initial: p?.sql,
        hint: 'Several statements separated by ; are fine. For SDL, paste the full desired schema.',
      }),
      sqlFileInput(),
      textInput(FIELD.description, 'Description', {
        multiline: true,
        optional: true,
        max: 3000,
        initial: p?.description,
      }),
      textInput(FIELD.labels, 'Labels', {
        optional: true,
        placeholder: 'rollout:night, rollout:maintenance-window',
        initial: p?.labels?.join(', '),
      }),
      textInput(FIELD.timing, 'Timing requirements', {
        optional: true,
        placeholder: 'After 22:00 Berlin time, not on Fridays',
        initial: p?.timing,
      }),
    ],
  };
}

/** Edit the SQL of an issue (creator only). */
export function editModal(issue: Issue): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.edit,
    private_metadata: JSON.stringify({ issueId: issue.id, revision: issue.revision }),
    title: plain(`Edit SQL of #${issue.id}`, 24),
    submit: plain('Save', 24),
    close: plain('Cancel', 24),
    blocks: [
      { type: 'context', elements: [mrkdwn('Saving runs review again and resets every approval.')] },
      issue.changeType === 'sdl'
        ? textInput(FIELD.sql, 'Desired schema (SDL)', {
            multiline: true,
            optional: true,
            max: SQL_MAX,
            initial: issue.desiredSdl ?? issue.sql,
          })
        : textInput(FIELD.sql, 'SQL', { multiline: true, optional: true, max: SQL_MAX, initial: issue.sql }),
      sqlFileInput(),
    ],
  };
}

/** A time as a person reads it in their own zone, with the zone named. */
export function formatInZone(at: Date, tz: string): string {
  return `${formatInTimeZone(at, tz, 'EEE d MMM yyyy, HH:mm zzz')} (${tz})`;
}

/** What the schedule dialog's submission carries back (private_metadata). */
export interface ScheduleMeta {
  issueId?: string;
  revision?: number;
  tz?: string;
  /** The dialog moves an existing schedule (Reschedule, Postpone) instead of making one. */
  reschedule?: boolean;
}

/**
 * Pick the rollout time; shown in the clicker's own time zone. With `reschedule` it moves the
 * existing schedule and starts at its time.
 */
export function scheduleModal(
  issue: Issue,
  environment: string,
  tz: string,
  tzNote: string | null,
  now: Date,
  opts: { window?: { timezone: string; start: string; end: string; days?: string[] }; reschedule?: boolean } = {},
): ModalView {
  const { window, reschedule } = opts;
  const current = reschedule ? issue.schedule?.at : undefined;
  const initial = current ? Math.floor(current.getTime() / 1000) : Math.ceil(now.getTime() / 1000 / 3600) * 3600 + 3600;
  const meta: ScheduleMeta = { issueId: issue.id, revision: issue.revision, tz, ...(reschedule ? { reschedule } : {}) };
  return {
    type: 'modal',
    callback_id: CALLBACK.schedule,
    private_metadata: JSON.stringify(meta),
    title: plain(`${reschedule ? 'Reschedule' : 'Schedule'} #${issue.id}`, 24),
    submit: plain(reschedule ? 'Move' : 'Schedule', 24),
    close: plain('Cancel', 24),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          current
            ? `Move the rollout of *${escapeText(issue.title)}* to *${environment}*, now at ${formatInZone(current, tz)}.`
            : `Roll out *${escapeText(issue.title)}* to *${environment}*.`,
        ),
      },
      {
        type: 'input',
        block_id: FIELD.at,
        label: plain(reschedule ? 'New rollout time' : 'Rollout time'),
        element: { type: 'datetimepicker', action_id: FIELD.at, initial_date_time: initial },
      },
      {
        type: 'context',
        elements: [
          mrkdwn(`Times are in your time zone: *${tz}*, now ${formatInZone(now, tz)}.${tzNote ? ` ${tzNote}` : ''}`),
        ],
      },
      ...(window
        ? [
            {
              type: 'context' as const,
              elements: [
                mrkdwn(
                  `${environment} rolls out only in its maintenance window: ${window.start}–${window.end} ${window.timezone}${window.days?.length ? ` on ${window.days.join(', ')}` : ''}.`,
                ),
              ],
            },
          ]
        : []),
    ],
  };
}

/** A read-only modal made of text sections (full SQL, all findings), cut to fit Slack's limits. */
export function infoModal(title: string, sections: string[]): ModalView {
  const blocks: KnownBlock[] = [];
  let size = 0;
  for (const text of sections) {
    if (blocks.length >= 99 || size > 200_000) {
      blocks.push({
        type: 'context',
        elements: [
          mrkdwn('…cut here: the rest does not fit in a Slack modal. `/dbchange status` and the CLI show everything.'),
        ],
      });
      break;
    }
    size += text.length;
    blocks.push({ type: 'section', text: mrkdwn(clip(text, 3000)) });
  }
  return { type: 'modal', callback_id: CALLBACK.info, title: plain(title, 24), close: plain('Close', 24), blocks };
}

/** The full SQL as code sections of at most 3000 characters each. */
export function sqlSections(sql: string): string[] {
  const escaped = escapeText(sql).replace(/```/g, '`\u200b``');
  const out: string[] = [];
  const lines = escaped.split('\n');
  let current = '';
  for (const line of lines) {
    const pieces = line.length > 2900 ? (line.match(/.{1,2900}/gs) ?? [line]) : [line];
    for (const piece of pieces) {
      if (current.length + piece.length + 1 > 2900) {
        out.push(`\`\`\`${current}\`\`\``);
        current = '';
      }
      current += (current ? '\n' : '') + piece;
    }
  }
  if (current) out.push(`\`\`\`${current}\`\`\``);
  return out;
}
