// The answers to /dbchange subcommands, as mrkdwn text (ephemeral, to the person who asked).
import type { ActiveSession, DriftResult, LatestWritten, MigrationRecord, TaskLogEntry } from '../../app/index.js';
import { issueVersion, unreachable } from '../../app/index.js';
import type { DatabaseConfig } from '../../config/model.js';
import type { Issue } from '../../domain/issue.js';
import { clip, codeBlock, escapeText, mention } from './text.js';

export const SUBCOMMANDS: [string, string][] = [
  ['/dbchange', 'open the form to submit a database change'],
  ['/dbchange help', 'this list'],
  ['/dbchange status <issue>', 'where an issue stands: stages, tasks, the latest task log'],
  ['/dbchange list', 'open, scheduled and running issues'],
  ['/dbchange history <db>', 'migrations applied to a database, newest first'],
  ['/dbchange drift <db>', 'compare the live schema with the last recorded one, now'],
  ['/dbchange baseline <db>', 'record the live schema as the new baseline'],
  ['/dbchange sessions <db>', 'active sessions of a database (pg_stat_activity / processlist)'],
];

export function helpText(): string {
  return `*dbchange* — database changes from request to production.\n${SUBCOMMANDS.map(([c, d]) => `• \`${c}\` — ${d}`).join('\n')}`;
}

function when(d: Date | undefined): string {
  return d ? `<!date^${Math.floor(d.getTime() / 1000)}^{date_short} {time}|${d.toISOString()}>` : '—';
}

export function statusText(issue: Issue, logs: TaskLogEntry[]): string {
  const stages = issue.stages
    .map((s) => {
      const tasks = s.tasks
        .map(
          (t) =>
            `    ◦ ${escapeText(t.database)}: ${t.status}${t.attempt > 1 ? ` (attempt ${t.attempt})` : ''}${t.error ? ` — ${escapeText(clip(t.error, 300))}` : ''}`,
        )
        .join('\n');
      return `• *${s.environment}*: ${s.status}${s.approvals.length ? `, approved by ${s.approvals.map((a) => mention(a.user)).join(', ')}` : ''}\n${tasks}`;
    })
    .join('\n');
  const recent = logs
    .slice(-10)
    .map((l) => `${l.level === 'error' ? ':x:' : '·'} ${escapeText(clip(l.text, 300))}`)
    .join('\n');
  return clip(
    `*#${issue.id} ${escapeText(issue.title)}* — ${issue.status}\nDatabase \`${escapeText(issue.target)}\`, ${issue.changeType.toUpperCase()}, by <@${issue.creator}>, review: ${issue.findings.length ? `${issue.findings.length} finding(s)` : 'passed'}\n${stages}${recent ? `\n*Latest task log*\n${recent}` : ''}`,
    3000,
  );
}

export function listText(issues: Issue[]): string {
  if (issues.length === 0) return 'No open changes. `/dbchange` submits one.';
  return clip(
    `*Open changes*\n${issues.map((i) => `• *#${i.id}* ${escapeText(i.title)} — \`${escapeText(i.target)}\`, ${i.status}, by <@${i.creator}>`).join('\n')}`,
    3000,
  );
}

export function historyText(
  database: string,
  records: MigrationRecord[],
  git: Record<string, { path: string; commit: string }> = {},
): string {
  if (records.length === 0) return `No migrations recorded for \`${escapeText(database)}\` yet.`;
  const from = (r: MigrationRecord) => {
    const g = git[`${r.environment}#${r.version}`];
    return g ? ` from \`${escapeText(g.path)}\` (commit \`${escapeText(g.commit.slice(0, 7))}\`)` : '';
  };
  const lines = records.map(
    (r) =>
      `• ${when(r.finishedAt)} *${r.environment}* ${r.type.toUpperCase()}${r.version === issueVersion(r.issueId) ? '' : ` \`${escapeText(r.version)}\``}${from(r)} — ${r.status}, issue #${r.issueId}, checksum \`${r.checksum.slice(0, 12)}\`, released by ${r.releaser === 'automatic' ? 'automatic rollout' : `<@${r.releaser}>`}${r.approvers.length ? `, approved by ${r.approvers.map((a) => `<@${a}>`).join(', ')}` : ''}${r.error ? ` — ${escapeText(clip(r.error, 200))}` : ''}`,
  );
  return clip(`*History of ${escapeText(database)}* (newest first)\n${lines.join('\n')}`, 3000);
}

/** Other sessions' SQL may set passwords: hide the literal after PASSWORD / IDENTIFIED BY. */
export function hidePasswords(sql: string): string {
  return sql.replace(
    /\b(PASSWORD|IDENTIFIED\s+(?:WITH\s+\S+\s+)?BY)(\s*=?\s*)('(?:[^']|'')*'|"(?:[^"]|"")*")/gi,
    "$1$2'***'",
  );
}

export function sessionsText(
  database: string,
  environment: string,
  sessions: ActiveSession[],
  queriesHidden = false,
): string {
  if (sessions.length === 0)
    return `No other active sessions on \`${escapeText(database)}\` (${escapeText(environment)}).`;
  const note = queriesHidden
    ? `\n_${sessions.length} session(s); their query text is shown to approvers, releasers and admins of ${environment}._`
    : '';
  const lines = sessions.map(
    (s) =>
      `• pid ${escapeText(s.pid)} ${escapeText(s.user ?? '?')}${s.application ? ` (${escapeText(s.application)})` : ''} ${escapeText(s.state ?? '')}${s.startedAt ? ` since ${when(s.startedAt)}` : ''}${s.query ? `\n    \`${escapeText(clip(hidePasswords(s.query).replace(/\s+/g, ' '), 200))}\`` : ''}`,
  );
  return clip(`*Sessions on ${escapeText(database)}* (${environment})\n${lines.join('\n')}${note}`, 3000);
}

/** The answer to `/dbchange drift <db>` for one database. */
export function driftText(db: DatabaseConfig, result: DriftResult): string {
  const name = `\`${escapeText(db.name)}\` (${escapeText(db.environment)})`;
  const ref = escapeText(`${db.name}@${db.environment}`);
  if (result.recorded === null)
    return `${name} has no recorded schema yet: \`/dbchange baseline ${ref}\` records the live one as the baseline.`;
  if (!result.drifted) return `:white_check_mark: ${name}: no drift; the live schema matches the last recorded one.`;
  if (result.hidden !== undefined)
    return `:warning: ${name} has drifted from its last recorded schema (${result.hidden} changed line(s)); the difference is shown to approvers, releasers and admins of ${escapeText(db.environment)}.`;
  const shown = result.diff.slice(0, 60).join('\n');
  return `:warning: ${name} has drifted from its last recorded schema:\n${codeBlock(`${shown.slice(0, 2500)}${result.diff.length > 60 ? '\n…' : ''}`)}\nIf the change was intended, \`/dbchange baseline ${ref}\` records it as the new baseline.`;
}

/** The answer to a baseline: a line per database recorded, with where it was written in git. */
export function baselineReply(r: {
  recorded: DatabaseConfig[];
  git: { database: DatabaseConfig; written: LatestWritten[] }[];
}): string[] {
  return r.recorded.map((db) => baselineText(db, r.git.find((g) => g.database === db)?.written));
}

/** The answer to a baseline of one database; with where it was written in git. */
export function baselineText(db: DatabaseConfig, written: LatestWritten[] = []): string {
  const lines = written.map((w) => {
    const file = `\`${escapeText(w.path)}\` in ${escapeText(w.url)}`;
    switch (w.kind) {
      case 'pushed':
        return `\n• written to ${file} (commit \`${escapeText(w.commit.slice(0, 7))}\`)`;
      case 'unchanged':
        return `\n• ${file} already holds this schema: no commit`;
      case 'failed':
        return `\n• :warning: could not be written to ${file}: ${escapeText(clip(w.reason, 400))}`;
      default:
        return unreachable(w, 'LATEST write');
    }
  });
  return `:white_check_mark: recorded the live schema of \`${escapeText(db.name)}\` (${escapeText(db.environment)}) as the new baseline.${lines.join('')}`;
}
