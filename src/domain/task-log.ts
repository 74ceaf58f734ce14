// How task log events read as plain text: the stored task log, and the Slack thread lines built on it.
import { unreachable } from '../errors.js';
import type { TaskLogEvent } from '../targets/types.js';

/** "850 ms", "2.4 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * What a failed attempt left in the database, in words: a rolled-back transaction leaves
 * nothing (and the statements reported done before the failure were undone); a step-by-step
 * run leaves the statements before the failing one applied.
 */
export function failureAftermath(
  outcome: { statementIndex: number; applied?: number; rolledBack?: boolean },
  engine: 'postgres' | 'mysql',
): string {
  const { statementIndex, applied, rolledBack } = outcome;
  if (applied === undefined || rolledBack === undefined || statementIndex < 0) return '';
  const range = (from: number, to: number) => (to === from ? `statement ${from}` : `statements ${from}–${to}`);
  if (rolledBack) {
    const undone = statementIndex - applied;
    const kept = applied > 0 ? ` ${range(1, applied)}, applied in an earlier attempt, stay applied.` : '';
    return `The transaction was rolled back: nothing of this attempt remains in the database${undone > 0 ? ` (${range(applied + 1, statementIndex)}, reported done above, ${undone === 1 ? 'was' : 'were'} undone)` : ''}.${kept}`;
  }
  if (applied === 0) return 'No statement of this task was applied.';
  const why = engine === 'mysql' ? 'MySQL commits each DDL statement at once' : 'they cannot run inside a transaction';
  return `${range(1, applied)} stayed applied (${why}); Retry runs from statement ${applied + 1}.`;
}

/** One line for one event, e.g. "statement 2/5 done in 12 ms, 3 rows affected". */
export function formatEvent(event: TaskLogEvent): string {
  const n = `statement ${event.index + 1}/${event.total}`;
  switch (event.kind) {
    case 'statement-start':
      return `${n} started (line ${event.line}): ${event.sql.length > 200 ? `${event.sql.slice(0, 200)}…` : event.sql}`;
    case 'statement-done':
      return `${n} done in ${formatDuration(event.durationMs)}${event.rowsAffected === null ? '' : `, ${event.rowsAffected} row${event.rowsAffected === 1 ? '' : 's'} affected`}`;
    case 'statement-failed': {
      const where = event.error.line
        ? ` at line ${event.error.line}${event.error.column ? `, column ${event.error.column}` : ''}`
        : '';
      return `${n} failed after ${formatDuration(event.durationMs)}${where}: ${event.error.message}${event.error.code ? ` (${event.error.code})` : ''}`;
    }
    case 'statement-skipped':
      return `${n} skipped: ${event.reason}`;
    default:
      return unreachable(event, 'log event');
  }
}
