// The answers to /dbchange subcommands, as mrkdwn text (ephemeral, to the person who asked).
import type { Issue } from '../../domain/issue.js';
import type { MigrationRecord, TaskLogEntry } from '../../store/types.js';
import type { ActiveSession } from '../../targets/types.js';
import { escapeMrkdwn, clip } from './text.js';

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
            `    ◦ ${escapeMrkdwn(t.database)}: ${t.status}${t.attempt > 1 ? ` (attempt ${t.attempt})` : ''}${t.error ? ` — ${escapeMrkdwn(clip(t.error, 300))}` : ''}`,
        )
        .join('\n');
      return `• *${s.environment}*: ${s.status}${s.approvals.length ? `, approved by ${s.approvals.map((a) => `<@${a.user}>`).join(', ')}` : ''}\n${tasks}`;
    })
    .join('\n');
  const recent = logs
    .slice(-10)
    .map((l) => `${l.level === 'error' ? ':x:' : '·'} ${escapeMrkdwn(clip(l.text, 300))}`)
    .join('\n');
  return clip(
    `*#${issue.id} ${escapeMrkdwn(issue.title)}* — ${issue.status}\nDatabase \`${escapeMrkdwn(issue.target)}\`, ${issue.changeType.toUpperCase()}, by <@${issue.creator}>, review: ${issue.findings.length ? `${issue.findings.length} finding(s)` : 'passed'}\n${stages}${recent ? `\n*Latest task log*\n${recent}` : ''}`,
    3000,
  );
}

export function listText(issues: Issue[]): string {
  if (issues.length === 0) return 'No open changes. `/dbchange` submits one.';
  return clip(
    `*Open changes*\n${issues.map((i) => `• *#${i.id}* ${escapeMrkdwn(i.title)} — \`${escapeMrkdwn(i.target)}\`, ${i.status}, by <@${i.creator}>`).join('\n')}`,
    3000,
  );
}

export function historyText(database: string, records: MigrationRecord[]): string {
  if (records.length === 0) return `No migrations recorded for \`${escapeMrkdwn(database)}\` yet.`;
  const lines = records.map(
    (r) =>
      `• ${when(r.finishedAt)} *${r.environment}* ${r.type.toUpperCase()} \`${escapeMrkdwn(r.version)}\` — ${r.status}, issue #${r.issueId}, checksum \`${r.checksum.slice(0, 12)}\`, released by ${r.releaser === 'automatic' ? 'automatic rollout' : `<@${r.releaser}>`}${r.approvers.length ? `, approved by ${r.approvers.map((a) => `<@${a}>`).join(', ')}` : ''}${r.error ? ` — ${escapeMrkdwn(clip(r.error, 200))}` : ''}`,
  );
  return clip(`*History of ${escapeMrkdwn(database)}* (newest first)\n${lines.join('\n')}`, 3000);
}

/** Other sessions' SQL may set passwords: hide the literal after PASSWORD / IDENTIFIED BY. */
export function hidePasswords(sql: string): string {
  return sql.replace(
    /\b(PASSWORD|IDENTIFIED\s+(?:WITH\s+\S+\s+)?BY)(\s*=?\s*)('(?:[^']|'')*'|"(?:[^"]|"")*")/gi,
    "$1$2'***'",
  );
}

export function sessionsText(database: string, environment: string, sessions: ActiveSession[]): string {
  if (sessions.length === 0) return `No other active sessions on \`${escapeMrkdwn(database)}\` (${environment}).`;
  const lines = sessions.map(
    (s) =>
      `• pid ${s.pid} ${s.user ?? '?'}${s.application ? ` (${escapeMrkdwn(s.application)})` : ''} ${s.state ?? ''}${s.startedAt ? ` since ${when(s.startedAt)}` : ''}${s.query ? `\n    \`${escapeMrkdwn(clip(hidePasswords(s.query).replace(/\s+/g, ' '), 200))}\`` : ''}`,
  );
  return clip(`*Sessions on ${escapeMrkdwn(database)}* (${environment})\n${lines.join('\n')}`, 3000);
}
