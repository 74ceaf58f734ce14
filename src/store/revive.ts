/**
 * Turning JSON back into domain values. JSON has no date type, so an issue read from a jsonb
 * column carries ISO strings where the domain has Dates; this is the one place that knows
 * which fields those are (the issue's, the migration record's).
 */
import type { Issue } from '../domain/issue.js';
import type { MigrationRecord } from './types.js';

/** A Date from a Date, an ISO string or epoch milliseconds; throws on anything else. */
export function toDate(value: unknown, field: string): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new TypeError(`stored value of ${field} is not a date: ${JSON.stringify(value)}`);
}

function optionalDate(value: unknown, field: string): Date | undefined {
  return value === undefined || value === null ? undefined : toDate(value, field);
}

/**
 * An Issue from its parsed JSON document, with every known date field turned back into a
 * Date (createdAt, updatedAt, rolloutAnyway.at, schedule.at, approvals[].at,
 * tasks[].startedAt and finishedAt, stages[].waves.continueAt). Optional dates that are absent stay absent.
 */
export function reviveIssue(doc: Record<string, unknown>): Issue {
  const raw = doc as unknown as Issue;
  const issue: Issue = {
    ...raw,
    createdAt: toDate(raw.createdAt, 'createdAt'),
    updatedAt: toDate(raw.updatedAt, 'updatedAt'),
    stages: (raw.stages ?? []).map((stage) => ({
      ...stage,
      ...(stage.waves?.continueAt
        ? { waves: { ...stage.waves, continueAt: toDate(stage.waves.continueAt, 'waves.continueAt') } }
        : {}),
      approvals: (stage.approvals ?? []).map((a) => ({ ...a, at: toDate(a.at, 'approvals[].at') })),
      tasks: (stage.tasks ?? []).map((task) => {
        const t = { ...task };
        const startedAt = optionalDate(task.startedAt, 'tasks[].startedAt');
        const finishedAt = optionalDate(task.finishedAt, 'tasks[].finishedAt');
        if (startedAt) t.startedAt = startedAt;
        else delete t.startedAt;
        if (finishedAt) t.finishedAt = finishedAt;
        else delete t.finishedAt;
        return t;
      }),
    })),
  };
  if (raw.rolloutAnyway)
    issue.rolloutAnyway = { ...raw.rolloutAnyway, at: toDate(raw.rolloutAnyway.at, 'rolloutAnyway.at') };
  else delete issue.rolloutAnyway;
  if (raw.schedule) issue.schedule = { ...raw.schedule, at: toDate(raw.schedule.at, 'schedule.at') };
  else delete issue.schedule;
  return issue;
}

/** A MigrationRecord from its parsed JSON document, with startedAt and finishedAt as Dates. */
export function reviveMigration(doc: Record<string, unknown>): MigrationRecord {
  const raw = doc as unknown as MigrationRecord;
  return {
    ...raw,
    startedAt: toDate(raw.startedAt, 'startedAt'),
    finishedAt: toDate(raw.finishedAt, 'finishedAt'),
  };
}
