/**
 * What the Squawk rules follow across a script: whether each statement runs inside an explicit
 * transaction (BEGIN … COMMIT/ROLLBACK), and which tables that transaction created (locks and
 * scans on those cost nothing: nobody else can see them yet). Computed once per script.
 */
import type { CreateStmt, Node, TransactionStmt } from 'libpg-query';
import type { Statement } from '../../statement.js';
import { as, relKey } from './ast.js';

export interface ScriptState {
  /** Per statement index: the index of the BEGIN of the explicit transaction it runs in, or -1. */
  transactionStart: number[];
  /** Table → the statement indexes that created it inside a transaction. */
  createdAt: Map<string, number[]>;
}

const cache = new WeakMap<readonly Statement[], ScriptState>();

/** The transaction statement kind (TRANS_STMT_BEGIN …), or ''. */
export function transactionKind(node: Node | null): string {
  return as<TransactionStmt>(node, 'TransactionStmt')?.kind ?? '';
}

/** True for BEGIN / START TRANSACTION. */
export function opens(kind: string): boolean {
  return kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START';
}
/** True for COMMIT / ROLLBACK / PREPARE TRANSACTION. */
export function closes(kind: string): boolean {
  return kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE';
}

/** The script state for the statements of one script (PostgreSQL ASTs). */
export function scriptState(statements: readonly Statement[]): ScriptState {
  let st = cache.get(statements);
  if (st) return st;
  const size = statements.length === 0 ? 0 : statements[statements.length - 1]!.index + 1;
  st = { transactionStart: new Array(size).fill(-1), createdAt: new Map() };
  let start = -1;
  for (const s of statements) {
    const kind = transactionKind(s.ast);
    st.transactionStart[s.index] = start;
    if (opens(kind)) start = s.index;
    else if (closes(kind)) start = -1;
    else if (start >= 0) {
      const ct = as<CreateStmt>(s.ast, 'CreateStmt');
      if (ct) {
        const key = relKey(ct.relation);
        const list = st.createdAt.get(key);
        if (list) list.push(s.index);
        else st.createdAt.set(key, [s.index]);
      }
    }
  }
  cache.set(statements, st);
  return st;
}

/** True when statement `s` runs inside an explicit transaction. */
export function inTransaction(statements: readonly Statement[], s: Statement): boolean {
  return (scriptState(statements).transactionStart[s.index] ?? -1) >= 0;
}

/** True when `table` was created earlier in the transaction `s` runs in. */
export function createdInTransaction(statements: readonly Statement[], s: Statement, table: string): boolean {
  const st = scriptState(statements);
  const start = st.transactionStart[s.index] ?? -1;
  if (start < 0) return false;
  return (st.createdAt.get(table) ?? []).some((i) => i > start && i < s.index);
}
