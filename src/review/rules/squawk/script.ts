// Squawk's rules that follow the script: transactions, re-runnable statements and timeouts (PostgreSQL).
import type {
  AlterTableCmd,
  Constraint,
  CreateStmt,
  DropStmt,
  IndexStmt,
  ReindexStmt,
  RenameStmt,
  SelectStmt,
  VacuumStmt,
  VariableSetStmt,
} from 'libpg-query';
import type { Statement } from '../../statement.js';
import { alterCommands, as, contains, kindOf, optionOn, wordAt } from './ast.js';
import { squawkRule } from './define.js';
import { closes, inTransaction, opens, rerunnableCommands, transactionKind } from './state.js';

const NESTING_HELP =
  "Put migration statements in separate files to have them be in separate transactions or don't use the assume-in-transaction setting.";
const ASSUMED_BEGIN = `There is an existing transaction already in progress, managed by your migration tool. ${NESTING_HELP}`;
const ASSUMED_END = `Attempting to end the transaction that is managed by your migration tool ${NESTING_HELP}`;

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
            'There is no transaction to `COMMIT` or `ROLLBACK`. `BEGIN` a transaction at an earlier point in the migration or remove this statement.',
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
const INDEX_IF_NOT_EXISTS = `${IF_NOT_EXISTS} Use an explicit name for a concurrently created index`;
const DROPS = new Set(['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_TYPE']);
const RENAMED = new Set(['OBJECT_TABLE', 'OBJECT_TABCONSTRAINT']);

/** ALTER TABLE … RENAME (the table, a column, a constraint): its own node in PostgreSQL's AST. */
function alterTableRename(s: Statement): boolean {
  const r = as<RenameStmt>(s.ast, 'RenameStmt');
  return !!r && (r.relationType === 'OBJECT_TABLE' || RENAMED.has(r.renameType ?? ''));
}
/** ALTER TABLE … SET SCHEMA. */
function alterTableSetSchema(s: Statement): boolean {
  return as<{ objectType?: string }>(s.ast, 'AlterObjectSchemaStmt')?.objectType === 'OBJECT_TABLE';
}
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
      if (!ix.if_not_exists && ix.idxname && (!tx || ix.concurrent)) report(0, INDEX_IF_NOT_EXISTS);
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
    if (alterTableRename(s)) {
      report(wordAt(s, 'RENAME', 1), NO_TRANSACTION);
      return;
    }
    if (alterTableSetSchema(s)) {
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

function timeoutRule(
  name: string,
  setting: string,
  message: string,
  help: string,
  describe?: (s: Statement) => string | undefined,
) {
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
          report(s, 0, describe?.(s));
          return;
        }
      }
    },
  });
}

type Lock =
  | 'ACCESS EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'SHARE ROW EXCLUSIVE'
  | 'SHARE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'ROW EXCLUSIVE'
  | 'ROW SHARE'
  | 'ACCESS SHARE';

/** PostgreSQL's table locks, weakest first (LockStmt's mode is the index + 1). */
const LOCKS: readonly Lock[] = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
];

/** What each lock blocks. */
const BLOCKS: Record<Lock, string> = {
  'ACCESS EXCLUSIVE': 'reads, writes, schema changes',
  EXCLUSIVE: 'writes, schema changes',
  'SHARE ROW EXCLUSIVE': 'writes, schema changes',
  SHARE: 'writes, schema changes',
  'SHARE UPDATE EXCLUSIVE': 'schema changes',
  'ROW EXCLUSIVE': 'schema changes',
  'ROW SHARE': 'schema changes',
  'ACCESS SHARE': 'schema changes',
};

const UPDATE_EXCLUSIVE_COMMANDS = new Set([
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_SetRelOptions',
  'AT_ResetRelOptions',
  'AT_ValidateConstraint',
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
]);
const TRIGGER_COMMANDS = new Set([
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_EnableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrig',
  'AT_DisableTrigAll',
  'AT_DisableTrigUser',
]);

/** The lock an ALTER TABLE command takes, as Squawk names it. */
function commandLock(cmd: AlterTableCmd): Lock {
  const subtype = cmd.subtype ?? '';
  if (UPDATE_EXCLUSIVE_COMMANDS.has(subtype)) return 'SHARE UPDATE EXCLUSIVE';
  if (TRIGGER_COMMANDS.has(subtype)) return 'SHARE ROW EXCLUSIVE';
  if (subtype === 'AT_AddConstraint' && as<Constraint>(cmd.def, 'Constraint')?.contype === 'CONSTR_FOREIGN')
    return 'SHARE ROW EXCLUSIVE';
  return 'ACCESS EXCLUSIVE';
}

/** The lock a statement takes, as Squawk 2.66 names it in require-lock-timeout; undefined when it names none. */
function statementLock(s: Statement): Lock | undefined {
  const node = s.ast;
  const alter = as<{ objtype?: string }>(node, 'AlterTableStmt');
  if (alter) {
    if (alter.objtype !== 'OBJECT_TABLE') return undefined;
    let strongest = -1;
    for (const { cmd } of alterCommands(s)) strongest = Math.max(strongest, LOCKS.indexOf(commandLock(cmd)));
    return strongest < 0 ? 'ACCESS EXCLUSIVE' : LOCKS[strongest];
  }
  if (alterTableRename(s) || alterTableSetSchema(s)) return 'ACCESS EXCLUSIVE';
  const ix = as<IndexStmt>(node, 'IndexStmt');
  if (ix) return ix.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
  const drop = as<DropStmt>(node, 'DropStmt');
  if (drop) {
    if (drop.removeType === 'OBJECT_INDEX') return drop.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    return drop.removeType === 'OBJECT_TABLE' || drop.removeType === 'OBJECT_VIEW' ? 'ACCESS EXCLUSIVE' : undefined;
  }
  const lock = as<{ mode?: number }>(node, 'LockStmt');
  if (lock) return LOCKS[(lock.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE';
  const refresh = as<{ concurrent?: boolean }>(node, 'RefreshMatViewStmt');
  if (refresh) return refresh.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE';
  const reindex = as<ReindexStmt>(node, 'ReindexStmt');
  if (reindex) return optionOn(reindex.params, 'concurrently') ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
  const vacuum = as<VacuumStmt>(node, 'VacuumStmt');
  if (vacuum) return optionOn(vacuum.options, 'full') ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE';
  if (as(node, 'ClusterStmt') || as(node, 'TruncateStmt')) return 'ACCESS EXCLUSIVE';
  if (as(node, 'CommentStmt')) return 'SHARE UPDATE EXCLUSIVE';
  return undefined;
}

const LOCK_TIMEOUT_HELP = 'Configure a `lock_timeout` before this statement.';

export const requireLockTimeout = timeoutRule(
  'require-lock-timeout',
  'lock_timeout',
  'Missing `set lock_timeout` before potentially slow operations',
  LOCK_TIMEOUT_HELP,
  (s) => {
    const lock = statementLock(s);
    return lock
      ? `Missing \`set lock_timeout\` before potentially slow ${lock} lock operations ${LOCK_TIMEOUT_HELP} Statement requires: ${lock} lock; blocking: ${BLOCKS[lock]}.`
      : undefined;
  },
);

export const requireStatementTimeout = timeoutRule(
  'require-statement-timeout',
  'statement_timeout',
  'Missing `set statement_timeout` before potentially slow operations',
  'Configure a `statement_timeout` before this statement',
);
