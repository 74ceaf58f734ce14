/** Messages for resolveLedger, shared by both engines. */
import { DbchangeError, ErrorCode } from '../errors.js';
import { redactUrl } from '../redact.js';
import type { LedgerState } from './types.js';

export const RESOLVED_NOTE = {
  done: 'Resolved by a person as done.',
  failed: 'Resolved by a person as failed; the next apply resumes at the interrupted statement.',
} as const;

/** resolveLedger on a task whose ledger row is not `running`. */
export function notRunningError(url: string, taskId: string, state: LedgerState): DbchangeError {
  return new DbchangeError(
    ErrorCode.InvalidTransition,
    `Task ${taskId} on ${redactUrl(url)} has no interrupted attempt to resolve: the ledger says "${state.state}". ` +
      'Only a task reported as needing attention can be marked done or failed.',
  );
}

/** resolveLedger while another process is applying the task. */
export function busyError(url: string, taskId: string): DbchangeError {
  return new DbchangeError(
    ErrorCode.InvalidTransition,
    `Task ${taskId} on ${redactUrl(url)} is being applied by another process right now; wait for it to finish before resolving it.`,
  );
}
