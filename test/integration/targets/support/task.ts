// Task builders for target tests: statements from lines of SQL, and a log that records events.
import type { ApplyTaskInput, TaskLogEvent, TaskStatement } from '../../../../src/targets/types.js';

export interface RecordedTask extends ApplyTaskInput {
  events: TaskLogEvent[];
}

/** Statements one per line, starting at line 1. */
export function lines(...sql: string[]): TaskStatement[] {
  return sql.map((text, i) => ({ sql: text, line: i + 1 }));
}

/** A task whose onLog records every event in `events`. */
export function recordedTask(
  taskId: string,
  statements: TaskStatement[],
  over: Partial<ApplyTaskInput> = {},
): RecordedTask {
  const events: TaskLogEvent[] = [];
  return {
    taskId,
    issueId: `issue-${taskId}`,
    version: '20261122.1',
    migrationType: 'ddl',
    checksum: `sum-${statements.map((s) => s.sql).join(';').length}`,
    statements,
    appliedBy: 'test',
    ...over,
    events,
    onLog: (event) => void events.push(event),
  };
}

/** The events of a task without their timings, for exact comparison. */
export function shapes(events: TaskLogEvent[]): unknown[] {
  return events.map((e) => {
    switch (e.kind) {
      case 'statement-start':
        return { kind: e.kind, index: e.index, line: e.line };
      case 'statement-done':
        return { kind: e.kind, index: e.index, rowsAffected: e.rowsAffected };
      case 'statement-failed':
        return { kind: e.kind, index: e.index, code: e.error.code };
      case 'statement-skipped':
        return { kind: e.kind, index: e.index, reason: e.reason };
      default: {
        const never: never = e;
        return never;
      }
    }
  });
}
