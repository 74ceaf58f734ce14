/** MySQL driver errors as statement errors with the position in the submitted script. */
import { scriptPosition } from '../position.js';
import type { GuardStop, StatementError, TaskStatement } from '../types.js';

interface MysqlDriverError {
  code?: string;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  message?: string;
  fatal?: boolean;
}

/** Server errors that mean a guard stopped the statement (lock wait timeout, statement time limit, KILL QUERY). */
const GUARDS: Record<number, GuardStop> = {
  1205: 'lock-timeout', // ER_LOCK_WAIT_TIMEOUT: metadata and row locks alike
  1969: 'statement-timeout', // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
  3024: 'statement-timeout', // ER_QUERY_TIMEOUT (MySQL max_execution_time)
  1317: 'cancelled', // ER_QUERY_INTERRUPTED (KILL QUERY)
};

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
  const guard = GUARDS[e.errno];
  if (guard) out.guard = guard;
  const offset = syntaxErrorOffset(message, stmt.sql);
  if (offset !== undefined) Object.assign(out, scriptPosition(stmt, offset));
  return out;
}

/**
 * Syntax errors say "... near '<text from the error on>' at line <n>". The text is the rest of
 * the statement from the error (cut after about 80 characters), so it is located by matching
 * it against the statement: as a suffix when whole, else the last occurrence on or before line
 * n (the server's line can run one ahead, after its look-ahead token). Empty text means the end.
 * Returns a code-point offset into the statement.
 */
export function syntaxErrorOffset(message: string, sql: string): number | undefined {
  const m = /near '([\s\S]*)' at line (\d+)\s*$/.exec(message);
  if (!m) return undefined;
  const near = m[1]!;
  const reportedLine = Number(m[2]);
  let at: number;
  if (near === '') {
    at = sql.length;
  } else if (sql.endsWith(near)) {
    at = sql.length - near.length;
  } else {
    const found: number[] = [];
    for (let k = sql.indexOf(near); k >= 0; k = sql.indexOf(near, k + 1)) found.push(k);
    const lineOf = (k: number) => sql.slice(0, k).split('\n').length;
    at = found.filter((k) => lineOf(k) <= reportedLine).at(-1) ?? found[0] ?? lineStart(sql, reportedLine);
  }
  return Array.from(sql.slice(0, at)).length;
}

function lineStart(sql: string, line: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = sql.indexOf('\n', start);
    if (nl < 0) break;
    start = nl + 1;
  }
  return start;
}
