/**
 * What the Squawk rules follow across a script: whether each statement runs inside a transaction
 * (BEGIN … COMMIT, or, with Squawk's assume-in-transaction, the one the runner wraps the script
 * in: open from the first statement until a COMMIT), and which tables a transaction of the
 * script creates (Squawk exempts locks and scans on those: nobody else can see them yet). Computed
 * once per script and setting.
 */
import type { AlterTableCmd, Constraint, CreateStmt, Node, TransactionStmt } from 'libpg-query';
import type { Statement } from '../../statement.js';
import type { RuleContext } from '../../types.js';
import { alterCommands, as, relKey } from './ast.js';

export interface ScriptState {
  /** Per statement index: the index of the BEGIN of the transaction it runs in (-1: the assumed one), or null. */
  transactionStart: (number | null)[];
  /** The tables the script creates inside a transaction. */
  created: Set<string>;
}

/** The assumed transaction's start: before the first statement. */
const ASSUMED = -1;
const caches = {
  explicit: new WeakMap<readonly Statement[], ScriptState>(),
  assumed: new WeakMap<readonly Statement[], ScriptState>(),
};

/** The transaction statement kind (TRANS_STMT_BEGIN …), or ''. */
export function transactionKind(node: Node | null): string {
  return as<TransactionStmt>(node, 'TransactionStmt')?.kind ?? '';
}

/** True for BEGIN / START TRANSACTION. */
export function opens(kind: string): boolean {
  return kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START';
}
/**
 * True for COMMIT (END, COMMIT PREPARED): what ends a transaction for Squawk's rules that follow
 * one (re-runnable statements, new tables, NOT VALID then VALIDATE). A ROLLBACK does not, for them.
 */
export function commits(kind: string): boolean {
  return kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_COMMIT_PREPARED';
}
/**
 * True for a commit or any rollback (ABORT, ROLLBACK TO SAVEPOINT, ROLLBACK PREPARED included):
 * what ends a transaction for transaction-nesting and ban-uncommitted-transaction, as Squawk reads
 * them. PREPARE TRANSACTION ends none.
 */
export function closes(kind: string): boolean {
  return (
    commits(kind) ||
    kind === 'TRANS_STMT_ROLLBACK' ||
    kind === 'TRANS_STMT_ROLLBACK_TO' ||
    kind === 'TRANS_STMT_ROLLBACK_PREPARED'
  );
}

/**
 * The script state for the statements of one script (PostgreSQL ASTs). `assumeInTransaction`:
 * the script runs wrapped in BEGIN … COMMIT (Squawk's --assume-in-transaction).
 */
export function scriptState(statements: readonly Statement[], assumeInTransaction = false): ScriptState {
  const cache = assumeInTransaction ? caches.assumed : caches.explicit;
  let st = cache.get(statements);
  if (st) return st;
  const size = statements.length === 0 ? 0 : statements[statements.length - 1]!.index + 1;
  st = { transactionStart: new Array(size).fill(null), created: new Set() };
  let start: number | null = assumeInTransaction ? ASSUMED : null;
  for (const s of statements) {
    const kind = transactionKind(s.ast);
    st.transactionStart[s.index] = start;
    if (opens(kind)) start = s.index;
    else if (commits(kind)) start = null;
    else if (start !== null) {
      const ct = as<CreateStmt>(s.ast, 'CreateStmt');
      if (ct) st.created.add(relKey(ct.relation));
    }
  }
  cache.set(statements, st);
  return st;
}

/** What the state is read from: the rule context's statements and setting. */
type Script = Pick<RuleContext, 'statements' | 'assumeInTransaction'>;

/** True when statement `s` runs inside a transaction (explicit, or the assumed one). */
export function inTransaction(ctx: Script, s: Statement): boolean {
  return (scriptState(ctx.statements, ctx.assumeInTransaction).transactionStart[s.index] ?? null) !== null;
}

/**
 * True when the script creates `table` inside a transaction, as Squawk reads it: anywhere in the
 * file, whichever transaction `s` runs in (or none), before or after it. (`s` is kept for callers
 * that read it per statement.)
 */
export function createdInTransaction(ctx: Script, _s: Statement, table: string): boolean {
  return scriptState(ctx.statements, ctx.assumeInTransaction).created.has(table);
}

const rerunnable = new WeakMap<readonly Statement[], Set<AlterTableCmd>>();

/**
 * The ALTER TABLE commands a re-run of the script gets past, as Squawk reads them: ADD CONSTRAINT
 * of a name the script dropped before (the first add after the drop), and VALIDATE CONSTRAINT of a
 * name the script dropped before. Names count across the whole script, whatever the table.
 */
export function rerunnableCommands(statements: readonly Statement[]): Set<AlterTableCmd> {
  let out = rerunnable.get(statements);
  if (out) return out;
  out = new Set();
  const dropped = new Map<string, boolean>();
  for (const s of statements) {
    for (const { cmd } of alterCommands(s)) {
      if (cmd.subtype === 'AT_DropConstraint' && cmd.name) dropped.set(cmd.name, true);
      else if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name && dropped.has(cmd.name)) out.add(cmd);
      else if (cmd.subtype === 'AT_AddConstraint') {
        const name = as<Constraint>(cmd.def, 'Constraint')?.conname;
        if (name && dropped.get(name)) {
          dropped.set(name, false);
          out.add(cmd);
        }
      }
    }
  }
  rerunnable.set(statements, out);
  return out;
}
