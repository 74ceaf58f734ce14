/** PostgreSQL driver errors as statement errors with the position in the submitted script. */
import pg from 'pg';
import { scriptPosition } from '../position.js';
import type { GuardStop, StatementError, TaskStatement } from '../types.js';

/**
 * The statement's error, or undefined when the error is not the statement's: not from the
 * server, or FATAL/PANIC (the session is gone, so whether the statement took effect is unknown).
 */
export function pgStatementError(err: unknown, stmt: TaskStatement): StatementError | undefined {
  if (!(err instanceof pg.DatabaseError)) return undefined;
  if (err.severity === 'FATAL' || err.severity === 'PANIC') return undefined;
  const out: StatementError = { message: err.message };
  if (err.code) out.code = err.code;
  const guard = guardOf(err);
  if (guard) out.guard = guard;
  // `position` is 1-based, in characters, into the text that was sent: the statement alone.
  const position = Number(err.position);
  if (err.position && Number.isInteger(position) && position > 0) {
    Object.assign(out, scriptPosition(stmt, position - 1));
  }
  return out;
}

/**
 * 55P03 is a lock timeout (also NOWAIT's "could not obtain lock", which a guard did not cause,
 * but reads the same to a person); 57014 is a statement timeout or a cancel, told apart by message.
 */
function guardOf(err: pg.DatabaseError): GuardStop | undefined {
  if (err.code === '55P03' && /lock timeout/i.test(err.message)) return 'lock-timeout';
  if (err.code !== '57014') return undefined;
  return /statement timeout/i.test(err.message) ? 'statement-timeout' : 'cancelled';
}
