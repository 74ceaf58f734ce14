/**
 * PostgreSQL statements that cannot run inside a transaction block (or manage transactions
 * themselves). A task holding one cannot commit atomically with its ledger row, so it is
 * applied step by step like MySQL DDL: a `running` ledger row first, progress after each
 * statement, `needs-attention` if the bot dies mid-task. A token-level check is enough: a
 * false positive only costs atomicity, never correctness.
 */
import { wordsOf } from '../words.js';

const TRANSACTION_CONTROL = new Set(['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT', 'RELEASE']);
const CLUSTER_WIDE = new Set(['DATABASE', 'TABLESPACE', 'SUBSCRIPTION']);

/** Whether `sql` must run outside a transaction block on a server of `serverVersionNum` (e.g. 150004). */
export function cannotRunInTransaction(sql: string, serverVersionNum: number): boolean {
  const w = wordsOf(sql, 'postgres', 64);
  const [first, second, third] = w;
  if (first === undefined) return false;
  if (TRANSACTION_CONTROL.has(first)) return true;
  switch (first) {
    case 'VACUUM':
      return true;
    case 'PREPARE':
      return second === 'TRANSACTION';
    case 'CLUSTER':
      // Only the bare form (every clustered table) refuses a transaction block.
      return w.length === 1 || (w.length === 2 && second === 'VERBOSE');
    case 'CREATE': {
      const kind = second === 'UNIQUE' ? third : second;
      const after = second === 'UNIQUE' ? w[3] : third;
      return (kind === 'INDEX' && after === 'CONCURRENTLY') || CLUSTER_WIDE.has(second ?? '');
    }
    case 'DROP':
      return (second === 'INDEX' && third === 'CONCURRENTLY') || CLUSTER_WIDE.has(second ?? '');
    case 'REINDEX': {
      const kind = w.slice(1).find((x) => ['INDEX', 'TABLE', 'SCHEMA', 'DATABASE', 'SYSTEM'].includes(x));
      return w.includes('CONCURRENTLY') || kind === 'DATABASE' || kind === 'SYSTEM';
    }
    case 'ALTER':
      if (second === 'SYSTEM' || second === 'SUBSCRIPTION') return true;
      if (second === 'DATABASE') return includesRun(w, ['SET', 'TABLESPACE']);
      if (second === 'TYPE') return serverVersionNum < 120000 && includesRun(w, ['ADD', 'VALUE']);
      if (second === 'TABLE') return includesRun(w, ['DETACH', 'PARTITION']) && w.includes('CONCURRENTLY');
      return false;
    default:
      return false;
  }
}

/** The server version to ask about when the server is not known: a statement refused on any server counts. */
export const ANY_SERVER = 0;

/**
 * Whether a task of these statements runs in one transaction on a server of `serverVersionNum`
 * (ANY_SERVER: on every server): it does unless one of them cannot run in a transaction block.
 */
export function runsInOneTransaction(statements: readonly { sql: string }[], serverVersionNum: number): boolean {
  return !statements.some((s) => cannotRunInTransaction(s.sql, serverVersionNum));
}

function includesRun(words: string[], run: string[]): boolean {
  return words.some((_, i) => run.every((r, k) => words[i + k] === r));
}
