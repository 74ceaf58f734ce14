/** PostgreSQL driver errors as statement errors with the position in the submitted script. */
import pg from 'pg';
import { scriptPosition } from '../position.js';
import type { StatementError, TaskStatement } from '../types.js';

/**
 * The statement's error, or undefined when the error is not the statement's: not from the
 * server, or FATAL/PANIC (the session is gone, so whether the statement took effect is unknown).
 */
export function pgStatementError(err: unknown, stmt: TaskStatement): StatementError | undefined {
  if (!(err instanceof pg.DatabaseError)) return undefined;
  if (err.severity === 'FATAL' || err.severity === 'PANIC') return undefined;
  const out: StatementError = { message: err.message };
  if (err.code) out.code = err.code;
  // `position` is 1-based, in characters, into the text that was sent: the statement alone.
  const position = Number(err.position);
  if (err.position && Number.isInteger(position) && position > 0) {
    Object.assign(out, scriptPosition(stmt, position - 1));
  }
  return out;
}
