/** Positions reported by an engine, translated to the line and column of the submitted script. */
import type { TaskStatement } from './types.js';

/**
 * Line/column in the script of the character at `offset` (0-based, in code points) of the
 * statement's text; the statement's own column shifts only its first line.
 */
export function scriptPosition(stmt: TaskStatement, offset: number): { line: number; column: number } {
  const chars = Array.from(stmt.sql);
  const at = Math.max(0, Math.min(offset, chars.length));
  let line = 0;
  let lineStart = 0;
  for (let k = 0; k < at; k++) {
    if (chars[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  const column = at - lineStart + 1 + (line === 0 ? (stmt.column ?? 1) - 1 : 0);
  return { line: stmt.line + line, column };
}
