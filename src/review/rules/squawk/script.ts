// Squawk's rules that follow the script: transactions, re-runnable statements and timeouts (PostgreSQL).
import type { CreateStmt, DropStmt, IndexStmt, RenameStmt, SelectStmt, VacuumStmt, VariableSetStmt } from 'libpg-query';
import type { Statement } from '../../statement.js';
import { alterCommands, as, contains, kindOf, wordAt } from './ast.js';
import { squawkRule } from './define.js';
import { closes, inTransaction, opens, rerunnableCommands, transactionKind } from './state.js';

const NESTING_HELP =
  "Put migration statements in separate files to have them be in separate transactions or don't use the assume-in-transaction setting.";
const ASSUMED_BEGIN = `There is an existing transaction already in progress, managed by your migration tool. ${NESTING_HELP}`;
const ASSUMED_END = `Attempting to end the transaction that is managed by your migration tool. ${NESTING_HELP}`;

export const transactionNesting = squawkRule({
  name: 'transaction-nesting',
  summary: 'No BEGIN inside a transaction, no COMMIT outside one',
  message: 'There is an existing transaction already in progress.',
  help: NESTING_HELP,
  checkScript(ctx, report) {
    let open = false;
    for (const s of ctx.statements) {
      const kind = transactionKind(s.ast);
      if (!kind) continue;
      if (ctx.assumeInTransaction) {
        // The runner owns the transaction: any BEGIN nests in it, any COMMIT/ROLLBACK ends it.
        if (opens(kind)) report(s, 0, ASSUMED_BEGIN);
        else if (closes(kind)) report(s, 0, ASSUMED_END);
        continue;
      }
      if (opens(kind)) {
        if (open) report(s, 0);
        open = true;
      } else if (closes(kind)) {
        if (!open)
          report(
            s,
            0,
            'There is no transaction in progress to end. Remove the COMMIT/ROLLBACK or add the BEGIN it closes.',
          );
        open = false;
      }
    }
  },
});

export const banUncommittedTransaction = squawkRule({
  name: 'ban-uncommitted-transaction',
  summary: 'Every BEGIN needs its COMMIT or ROLLBACK',
  message: 'Transaction never committed or rolled back.',
  help: 'Add a `COMMIT` or `ROLLBACK` statement to complete the transaction.',
  checkScript(ctx, report) {
    let begin: Statement | null = null;
    for (const s of ctx.statements) {
      const kind = transactionKind(s.ast);
      if (opens(kind)) begin = s;
      else if (closes(kind)) begin = null;
    }
    if (begin) report(begin, 0);
  },
});

const RERUN = "the migration can't be rerun if it fails part way through.";
const IF_NOT_EXISTS = `Missing \`IF NOT EXISTS\`, ${RERUN}`;
const IF_EXISTS = `Missing \`IF EXISTS\`, ${RERUN}`;
const NO_TRANSACTION = `Missing transaction, ${RERUN}`;
const DROPS = new Set(['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_TYPE']);
const RENAMED = new Set(['OBJECT_TABLE', 'OBJECT_TABCONSTRAINT']);
const GUARDED = new Set(['AT_AddColumn', 'AT_DropColumn', 'AT_DropConstraint']);

export const preferRobustStmts = squawkRule({
  name: 'prefer-robust-stmts',
  nodes: ['IndexStmt', 'CreateStmt', 'DropStmt', 'RenameStmt', 'AlterObjectSchemaStmt', 'AlterTableStmt'],
  summary: 'Statements outside a transaction should be re-runnable (IF [NOT] EXISTS)',
  message: IF_NOT_EXISTS,
  check(s, ctx, report) {
    const tx = inTransaction(ctx, s);
    const ix = as<IndexStmt>(s.ast, 'IndexStmt');
    if (ix) {
      // An unnamed index gets a fresh name each run: nothing to collide with.
      if (!ix.if_not_exists && ix.idxname && (!tx || ix.concurrent)) report(0, IF_NOT_EXISTS);
      return;
    }
    if (tx) return;
    const ct = as<CreateStmt>(s.ast, 'CreateStmt');
    if (ct) {
      // A temporary table dropped at COMMIT is gone before a re-run.
      const gone = ct.relation?.relpersistence === 't' && ct.oncommit === 'ONCOMMIT_DROP';
      if (!ct.if_not_exists && !gone) report(0, IF_NOT_EXISTS);
      return;
    }
    const d = as<DropStmt>(s.ast, 'DropStmt');
    if (d) {
      if (!d.missing_ok && DROPS.has(d.removeType ?? '')) report(0, IF_EXISTS);
      return;
    }
    // ALTER TABLE … RENAME (the table, a column, a constraint) and … SET SCHEMA: no guard makes them re-runnable.
    const r = as<RenameStmt>(s.ast, 'RenameStmt');
    if (r && (r.relationType === 'OBJECT_TABLE' || RENAMED.has(r.renameType ?? ''))) {
      report(wordAt(s, 'RENAME', 1), NO_TRANSACTION);
      return;
    }
    if (as<{ objectType?: string }>(s.ast, 'AlterObjectSchemaStmt')?.objectType === 'OBJECT_TABLE') {
      report(wordAt(s, 'SET', 1), NO_TRANSACTION);
      return;
    }
    const rerunnable = rerunnableCommands(ctx.statements);
    for (const { cmd, pos } of alterCommands(s)) {
      // IF [NOT] EXISTS guards only these; an ALTER COLUMN … IF EXISTS is still not re-runnable.
      if ((cmd.missing_ok && GUARDED.has(cmd.subtype ?? '')) || rerunnable.has(cmd)) continue;
      if (cmd.subtype === 'AT_AddColumn') report(pos, IF_NOT_EXISTS);
      else if (cmd.subtype === 'AT_DropColumn' || cmd.subtype === 'AT_DropConstraint') report(pos, IF_EXISTS);
      else report(pos, NO_TRANSACTION);
    }
  },
});

// Statements that take no lock worth a timeout: queries, session and transaction control, a new table.
// (Squawk's list: everything else, LOCK and LOAD included, may wait on or hold a lock.)
const NO_LOCK = new Set([
  'SelectStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
  'TransactionStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'GrantStmt',
  'GrantRoleStmt',
  'DoStmt',
  'CopyStmt',
  'ExplainStmt',
  'CallStmt',
  'PrepareStmt',
  'ExecuteStmt',
  'DeallocateStmt',
  'ListenStmt',
  'NotifyStmt',
  'UnlistenStmt',
  'DiscardStmt',
  'CheckPointStmt',
  'ReassignOwnedStmt',
  'SecLabelStmt',
  'ConstraintsSetStmt',
  'DeclareCursorStmt',
  'FetchStmt',
  'ClosePortalStmt',
]);

function takesLock(s: Statement): boolean {
  const kind = kindOf(s.ast);
  if (!kind || NO_LOCK.has(kind)) {
    // SELECT … INTO creates a table, as CREATE TABLE … AS does.
    return kind === 'SelectStmt' && !!as<SelectStmt>(s.ast, 'SelectStmt')?.intoClause;
  }
  // ANALYZE (a VacuumStmt that is not VACUUM) waits on nothing but schema changes.
  if (kind === 'VacuumStmt') return !!as<VacuumStmt>(s.ast, 'VacuumStmt')?.is_vacuumcmd;
  // A new table locks nothing, unless it references another: its foreign keys lock that table.
  if (kind === 'CreateStmt') return contains(s.ast, 'Constraint', (c) => c.contype === 'CONSTR_FOREIGN');
  return true;
}

function timeoutRule(name: string, setting: string, message: string, help: string) {
  return squawkRule({
    name,
    aliases: ['require-timeout-settings'],
    summary: `Set ${setting} before the first statement that takes a lock`,
    message,
    help,
    checkScript(ctx, report) {
      for (const s of ctx.statements) {
        const set = as<VariableSetStmt>(s.ast, 'VariableSetStmt');
        // SET (SESSION, LOCAL, TO DEFAULT) sets it; RESET does not count.
        if (set?.name?.toLowerCase() === setting && set.kind !== 'VAR_RESET') return;
        if (takesLock(s)) {
          report(s, 0);
          return;
        }
      }
    },
  });
}

export const requireLockTimeout = timeoutRule(
  'require-lock-timeout',
  'lock_timeout',
  'Missing `set lock_timeout` before potentially slow ACCESS EXCLUSIVE lock operations',
  'Configure a `lock_timeout` before this statement.',
);

export const requireStatementTimeout = timeoutRule(
  'require-statement-timeout',
  'statement_timeout',
  'Missing `set statement_timeout` before potentially slow operations',
  'Configure a `statement_timeout` before this statement',
);
