// What the git door shows in Slack: the poller's reports, and where a change issue came from
// (its commits and files) on the issue message. Paths, names and commit messages are user text.
import type { KnownBlock } from '@slack/types';
import type { GitCommitRef, Issue } from '../../domain/issue.js';
import type { GitopsReport } from '../../gitops/reports.js';
import { unreachable } from '../../app/index.js';
import { ACTION, nthAction } from './ids.js';
import { clip, escapeText, mention, mrkdwn, plain } from './text.js';

const SHOWN = 25;

/** `abc1234` linked to the commit when its URL is known, then the author and first line. */
export function commitLine(c: GitCommitRef): string {
  const short = escapeText(c.sha.slice(0, 7));
  const sha = c.url ? `<${c.url}|\`${short}\`>` : `\`${short}\``;
  return `${sha} ${escapeText(c.author)}: ${escapeText(c.subject)}`;
}

const code = (s: string) => `\`${escapeText(s).replace(/`/g, "'")}\``;

function list<T>(items: T[], line: (t: T) => string): string {
  const shown = items.slice(0, SHOWN).map(line);
  if (items.length > SHOWN) shown.push(`… and ${items.length - SHOWN} more`);
  return clip(shown.join('\n'), 2900);
}

const HELD_BLOCK = 'gitops_held:';

/** What a held file's buttons carry: the version's key in the store. */
export interface HeldRef {
  repo: string;
  database: string;
  environment: string;
  version: string;
}

function heldValue(repoKey: string, f: { database: string; environment: string; version: string }): string {
  const ref: HeldRef = { repo: repoKey, database: f.database, environment: f.environment, version: f.version };
  return JSON.stringify(ref);
}

/** A held file's button value, read back; undefined when it is not one. */
export function heldRefOf(value: string | undefined): HeldRef | undefined {
  try {
    const v = JSON.parse(value ?? '') as Partial<HeldRef>;
    const ok = [v.repo, v.database, v.environment, v.version].every((x) => typeof x === 'string');
    return ok ? (v as HeldRef) : undefined;
  } catch {
    return undefined;
  }
}

/** The held report once a file is decided: its buttons give way to who decided what. */
export function heldDecidedBlocks(
  blocks: KnownBlock[],
  blockId: string,
  decision: { applied: boolean; by: string },
): KnownBlock[] {
  const said = decision.applied
    ? `:arrow_forward: ${mention(decision.by)} chose *Apply anyway*: its change issue opens at once.`
    : `:fast_forward: ${mention(decision.by)} chose *Skip*: it is recorded as not applied and never asked about again.`;
  return blocks.map((b) =>
    b.type === 'actions' && b.block_id === blockId && blockId.startsWith(HELD_BLOCK)
      ? { type: 'context', block_id: blockId, elements: [mrkdwn(said)] }
      : b,
  );
}

/** The message of a poller report. */
export function gitopsReportMessage(report: GitopsReport): { text: string; blocks: KnownBlock[] } {
  const repo = escapeText(report.repo);
  const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text) });
  const context = (text: string): KnownBlock => ({ type: 'context', elements: [mrkdwn(text)] });
  const via = (c?: GitCommitRef) => (c ? ` — ${commitLine(c)}` : '');
  switch (report.kind) {
    case 'stray': {
      const text = `${report.files.length} file(s) in ${repo} do not fit the migration file path template`;
      return {
        text,
        blocks: [
          { type: 'header', text: plain(':warning: Files that are not migrations', 150) },
          section(`These files under the base directory of ${repo} were not applied:`),
          section(list(report.files, (f) => `• ${code(f.path)}: ${escapeText(f.reason)}${via(f.commit)}`)),
          context(
            'Rename them to match the file path template (`dbchange check-files` checks names before a merge), or move them out of the base directory.',
          ),
        ],
      };
    }
    case 'checksum-mismatch': {
      const text = `Checksum mismatch: ${report.files.length} applied migration version(s) changed in ${repo}`;
      return {
        text,
        blocks: [
          { type: 'header', text: plain(':no_entry: Applied migrations were changed', 150) },
          section(
            `These versions were already taken on their databases, and the file now has other content. They are *not* run again:`,
          ),
          section(
            list(
              report.files,
              (f) =>
                `• ${code(f.path)}: version ${code(f.version)} on ${escapeText(f.database)} (${escapeText(f.environment)})${f.takenBy !== f.path ? `, taken by ${code(f.takenBy)}` : ''}${via(f.commit)}`,
            ),
          ),
          context('Revert the edit, and put the change in a new migration file with a higher version.'),
        ],
      };
    }
    case 'out-of-order': {
      const text = `${report.files.length} migration(s) in ${repo} have a version lower than one already applied`;
      const perFile = report.files.flatMap((f, i): KnownBlock[] => [
        section(
          `• ${code(f.path)}: version ${code(f.version)} is lower than ${code(f.highest)}, already on ${escapeText(f.database)} (${escapeText(f.environment)})${via(f.commit)}`,
        ),
        {
          type: 'actions',
          block_id: `${HELD_BLOCK}${i}`,
          elements: [
            {
              type: 'button',
              action_id: nthAction(ACTION.gitHeldApply, i),
              text: plain('Apply anyway', 75),
              value: heldValue(report.repoKey, f),
            },
            {
              type: 'button',
              action_id: nthAction(ACTION.gitHeldSkip, i),
              text: plain('Skip', 75),
              value: heldValue(report.repoKey, f),
            },
          ],
        },
      ]);
      return {
        text,
        blocks: [
          { type: 'header', text: plain(':pause_button: Migrations held: version out of order', 150) },
          ...perFile,
          context(
            'Held for an admin. *Apply anyway* opens its change issue (reviewed, approved and rolled out like any other); *Skip* records it as not applied, and it is never asked about again. Or give the file a version above the latest one.',
          ),
        ],
      };
    }
    case 'first-connect': {
      const text = `Connected to ${repo} (${escapeText(report.branch)}) at ${report.head.slice(0, 7)}`;
      const files = report.files.length
        ? list(
            report.files,
            (f) => `• ${code(f.path)}: version ${code(f.version)} on ${f.databases.map(escapeText).join(', ')}`,
          )
        : 'Every migration file found there is already recorded.';
      return {
        text,
        blocks: [
          { type: 'header', text: plain(':link: GitOps repository connected', 150) },
          section(
            `dbchange now watches ${repo} (branch ${code(report.branch)}) from commit ${code(report.head.slice(0, 7))}. Nothing that was already on the branch is applied; only commits after it are.`,
          ),
          section(`*${report.files.length} migration file(s) there whose versions are not recorded:*\n${files}`),
          context(
            'To bring one in, apply it with `/dbchange` or record the live schema with `/dbchange baseline <db>`.',
          ),
        ],
      };
    }
    case 'baseline-recorded': {
      const text = `Baseline versions recorded from ${repo}`;
      return {
        text,
        blocks: [
          section(
            `:bookmark: *Baseline recorded* (nothing was run):\n${list(report.files, (f) => `• ${code(f.path)}: version ${code(f.version)} on ${f.databases.map(escapeText).join(', ')}${via(f.commit)}`)}`,
          ),
        ],
      };
    }
    case 'write-back-failed': {
      const text = `The LATEST schema could not be pushed to ${repo}`;
      return {
        text,
        blocks: [
          section(`:warning: *${escapeText(text)}*: ${escapeText(clip(report.reason, 1500))}`),
          context('dbchange tries again at the next poll; it never force-pushes.'),
        ],
      };
    }
    default:
      return unreachable(report, 'GitOps report');
  }
}

/** On the issue message of a change from git: its commits and files, with versions and names. */
export function gitSourceBlocks(issue: Issue): KnownBlock[] {
  if (issue.source.kind !== 'git') return [];
  const { source } = issue;
  const commits = source.commits ?? [{ sha: source.commit, author: '', subject: '' }];
  const files = source.files ?? [{ path: source.path, version: source.version, commit: source.commit }];
  const names = new Map<string, string>();
  for (const s of issue.stages) for (const t of s.tasks) if (t.version && t.name) names.set(t.version, t.name);
  const fileLines = list(files, (f) => {
    const name = names.get(f.version);
    return `• ${code(f.version)}${name && name !== f.version ? ` ${escapeText(name)}` : ''} — ${code(f.path)}`;
  });
  return [
    {
      type: 'section',
      text: mrkdwn(clip(`*From git*\n${commits.map(commitLine).join('\n')}\n${fileLines}`, 3000)),
    },
  ];
}
