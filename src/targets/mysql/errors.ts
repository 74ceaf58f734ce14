/** MySQL driver errors as statement errors with the position in the submitted script. */
import { scriptPosition } from '../position.js';
import type { StatementError, TaskStatement } from '../types.js';

interface MysqlDriverError {
  code?: string;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  message?: string;
  fatal?: boolean;
}

/**
 * The statement's error, or undefined when the error is not the statement's: not from the
 * server, or fatal (the connection is gone, so whether the statement took effect is unknown).
 */
export function mysqlStatementError(err: unknown, stmt: TaskStatement): StatementError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as MysqlDriverError;
  if (e.fatal === true || typeof e.errno !== 'number' || typeof e.sqlState !== 'string') return undefined;
  const message = e.sqlMessage ?? e.message ?? String(err);
  const out: StatementError = { message };
  if (e.code) out.code = e.code;
  const offset = syntaxErrorOffset(message, stmt.sql);
  if (offset !== undefined) Object.assign(out, scriptPosition(stmt, offset));
  return out;
}

/**
 * Syntax errors say "... near '<text from the error on>' at line <n>" (line within the
 * statement). The column is where that text starts on that line; empty text means the end.
 * Returns a code-point offset into the statement.
 */
export function syntaxErrorOffset(message: string, sql: string): number | undefined {
  const m = /near '([\s\S]*)' at line (\d+)\s*$/.exec(message);
  if (!m) return undefined;
  const near = m[1]!;
  let lineStart = 0;
  for (let l = 1; l < Number(m[2]); l++) {
    const nl = sql.indexOf('\n', lineStart);
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  let at: number;
  if (near === '') {
    at = sql.length;
  } else {
    const probe = near.split('\n')[0]!;
    const found = probe === '' ? -1 : sql.indexOf(probe, lineStart);
    at = found >= 0 ? found : lineStart;
  }
  return Array.from(sql.slice(0, at)).length;
}
