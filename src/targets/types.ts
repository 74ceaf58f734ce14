/**
 * The contract between the rollout executor and a target database engine.
 *
 * Applying a task is guarded by a ledger table that lives in the target database itself
 * (`dbchange_ledger`), so "already applied" is decided by the database that was changed,
 * not by the bot's store:
 * - PostgreSQL: the statements and the ledger row commit in one transaction. A crash leaves
 *   either both or neither, so a re-run after a crash is safe.
 * - MySQL: DDL commits implicitly, so the ledger row is written `running` before the first
 *   statement and its `statements_done` is advanced after each one. A row found `running` when
 *   a task starts means a process died mid-task: the outcome is `needs-attention`, never a
 *   blind re-run. A cleanly `failed` attempt resumes at the statement that failed.
 */
import type { Engine } from '../domain/engine.js';

export interface TaskStatement {
  /** The SQL of one statement, without a trailing delimiter. */
  sql: string;
  /** 1-based line of the statement's first character in the submitted script. */
  line: number;
  /** 1-based column of the statement's first character (default 1); shifts error columns on its first line. */
  column?: number;
}

export interface StatementError {
  message: string;
  /** Engine error code (SQLSTATE for PostgreSQL, errno name for MySQL), when known. */
  code?: string;
  /** 1-based line and column in the submitted script, when the engine reports a position. */
  line?: number;
  column?: number;
  /** The statement was stopped by a guard: its lock or statement timeout, or a cancel. */
  guard?: GuardStop;
}

/** Why a guard stopped a statement. */
export type GuardStop = 'lock-timeout' | 'statement-timeout' | 'cancelled';

/** The limits every statement of a task runs under (PostgreSQL lock_timeout/statement_timeout, MySQL's equivalents). */
export interface StatementGuards {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
}

/** A session holding a lock another statement waits for. Never its query text: only what kind of statement it ran last. */
export interface LockHolder {
  pid: string;
  user: string | null;
  application: string | null;
  client: string | null;
  /** e.g. "idle in transaction", "active". */
  state: string | null;
  /** How long its transaction (or, without one, its statement) has been open. */
  heldForMs: number | null;
  /** The first keyword of its current or last statement, e.g. "UPDATE". */
  statementKind: string | null;
}

/** A statement that has waited for a lock: what it waits for and who holds it. */
export interface LockWait {
  /** e.g. "AccessExclusiveLock on relation accounts", "Waiting for table metadata lock". */
  lock: string | null;
  holders: LockHolder[];
  waitedMs: number;
}

/** How a running statement is watched for lock waits. */
export interface LockWatchOptions {
  /** The first look, after the statement has run this long. */
  afterMs: number;
  /** Later looks, this far apart, while it still runs. */
  everyMs: number;
  /** Called at each look that finds the statement blocked. */
  onWait: (wait: LockWait) => void;
}

/** `index` is 0-based; `total` is the number of statements in the task. */
export type TaskLogEvent =
  | { kind: 'statement-start'; index: number; total: number; sql: string; line: number }
  | { kind: 'statement-done'; index: number; total: number; durationMs: number; rowsAffected: number | null }
  | { kind: 'statement-failed'; index: number; total: number; durationMs: number; error: StatementError }
  | { kind: 'statement-skipped'; index: number; total: number; reason: string };

export interface ApplyTaskInput {
  /** Unique id of the task; the ledger key. */
  taskId: string;
  issueId: string;
  /** Migration version (GitOps) or the issue's own version label. */
  version: string;
  migrationType: 'ddl' | 'dml' | 'baseline';
  checksum: string;
  statements: TaskStatement[];
  /** Who applies it, recorded in the ledger's `applied_by` (default: dbchange@host:pid). */
  appliedBy?: string;
  /** Called for each event, awaited in order. */
  onLog: (event: TaskLogEvent) => Promise<void> | void;
  /** Lock and statement timeouts, set on the task's connection before its first statement. */
  guards?: StatementGuards;
  /** Watch each statement from a second connection for lock waits. */
  watch?: LockWatchOptions;
  /** Aborting cancels the statement in flight (pg_cancel_backend / KILL QUERY) and starts no other. */
  signal?: AbortSignal;
  /**
   * Reads of the database as the task left it (the schema after it), once the task is done: on
   * the task's own connection, its session settings reset, so no second connection is opened for
   * them. It must not throw. An engine that does not call it leaves the caller to read afresh.
   */
  afterDone?: (query: QueryFn) => Promise<void>;
}

export type ApplyOutcome =
  | { status: 'done'; durationMs: number }
  | { status: 'already-applied'; appliedAt: Date }
  /**
   * `statementIndex` is 0-based. `applied` statements of the task are in place afterwards (the
   * first ones); `rolledBack` says the attempt ran in one transaction that was rolled back.
   * Both are unknown when the database could not be reached.
   */
  | { status: 'failed'; error: StatementError; statementIndex: number; applied?: number; rolledBack?: boolean }
  | { status: 'needs-attention'; reason: string };

export type LedgerState =
  | { state: 'absent' }
  | { state: 'running'; statementsDone: number; startedAt: Date }
  | { state: 'failed'; statementsDone: number; error: string }
  | { state: 'done'; appliedAt: Date };

export interface ActiveSession {
  pid: string;
  user: string | null;
  application: string | null;
  client: string | null;
  state: string | null;
  startedAt: Date | null;
  query: string | null;
}

/** A connected target database. */
export interface Target {
  readonly engine: Engine;
  /** Apply a task exactly once (see the module comment). Never throws for SQL errors: returns `failed`. */
  apply(input: ApplyTaskInput): Promise<ApplyOutcome>;
  /** What the ledger says about a task. */
  ledgerState(taskId: string): Promise<LedgerState>;
  /** Mark a `running` (needs attention) ledger row resolved by a person: `done` or `failed`. */
  resolveLedger(taskId: string, outcome: 'done' | 'failed'): Promise<void>;
  /** Active sessions of this database (pg_stat_activity / processlist). */
  sessions(): Promise<ActiveSession[]>;
  /**
   * Cancel the statement a task is running, from any process: the session holding the task's
   * lock. Resolves false when no session holds it (the task is not running here).
   */
  cancelTask(taskId: string): Promise<boolean>;
  /** Run a read-only callback on one connection (introspection, EXPLAIN). */
  withConnection<T>(fn: (query: QueryFn) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A parameterised query on one connection: `$1`-style for postgres, `?` for mysql. */
export type QueryFn = {
  <R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /**
   * Where the connection can (PostgreSQL): run statements without parameters together in one
   * round trip, each kept prepared on the connection under its name so that it is planned once
   * per connection; the rows of each, in order. `planner`: settings (name → value) the
   * statements are planned with, for this round trip only (left out inside a transaction of the
   * caller's, where they would outlast it).
   */
  prepared?: (
    statements: readonly PreparedStatement[],
    opts?: { planner?: Readonly<Record<string, string>> },
  ) => Promise<Record<string, unknown>[][]>;
};

/** A statement without parameters, and the name it is kept prepared under (an SQL identifier). */
export interface PreparedStatement {
  name: string;
  sql: string;
}

/** One connection of its own (introspection, shadow databases, the CLI); the caller closes it. */
export interface DbConnection {
  query: QueryFn;
  /** Run one statement as-is (no parameters), e.g. a DDL statement from an SDL file. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
