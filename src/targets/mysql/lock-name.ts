/** The GET_LOCK name of a task: `dbchange:<task id>`, hashed when too long for MySQL's 64-character limit. */
import { createHash } from 'node:crypto';

const MAX = 64;

/** The user-level lock name guarding `taskId`. */
export function taskLockName(taskId: string): string {
  const plain = `dbchange:${taskId}`;
  if (plain.length <= MAX) return plain;
  return `dbchange:${createHash('sha256')
    .update(taskId)
    .digest('hex')
    .slice(0, MAX - 'dbchange:'.length)}`;
}
