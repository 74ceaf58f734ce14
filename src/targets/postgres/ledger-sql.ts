/**
 * The SQL dbchange runs for itself on a PostgreSQL target, all parameterised. The ledger lives
 * in `public` so a task that changes `search_path` cannot move it.
 * Locks use the two-key advisory lock form with a class id of our own, so they cannot collide
 * with the application's own advisory locks.
 */

/** Advisory lock class id: 'dbch' in ASCII. */
export const LOCK_CLASS = 0x64626368;

export const CREATE_LEDGER = `
CREATE TABLE IF NOT EXISTS public.dbchange_ledger (
  task_id         text        NOT NULL,
  attempt         integer     NOT NULL,
  issue_id        text        NOT NULL,
  version         text        NOT NULL,
  migration_type  text        NOT NULL,
  checksum        text        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  statements_done integer     NOT NULL DEFAULT 0,
  error           text,
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  applied_by      text        NOT NULL,
  statement_checksums text,
  PRIMARY KEY (task_id, attempt)
)`;

/** Ledgers created before statement checksums existed get the column. */
export const ADD_STATEMENT_CHECKSUMS = `
ALTER TABLE public.dbchange_ledger ADD COLUMN IF NOT EXISTS statement_checksums text`;

/** A second guard behind the lock: a task can commit `done` only once. */
export const CREATE_LEDGER_DONE_ONCE = `
CREATE UNIQUE INDEX IF NOT EXISTS dbchange_ledger_done_once ON public.dbchange_ledger (task_id) WHERE status = 'done'`;

export const LOCK_TASK = `SELECT pg_advisory_lock($1::int4, hashtext($2))`;
export const TRY_LOCK_TASK = `SELECT pg_try_advisory_lock($1::int4, hashtext($2)) AS locked`;
export const UNLOCK_TASK = `SELECT pg_advisory_unlock($1::int4, hashtext($2))`;

const COLUMNS = `task_id, attempt, issue_id, version, migration_type, checksum, status, statements_done, error, started_at, finished_at, applied_by, statement_checksums`;

/** The `done` row if any, else the latest attempt. */
export const SELECT_DECISIVE = `
SELECT ${COLUMNS} FROM public.dbchange_ledger
 WHERE task_id = $1
 ORDER BY (status = 'done') DESC, attempt DESC
 LIMIT 1`;

export const INSERT_ATTEMPT = `
INSERT INTO public.dbchange_ledger (${COLUMNS})
VALUES ($1, $2, $3, $4, $5, $6, $7::text, $8, $9, now(),
        CASE WHEN $7::text = 'running' THEN NULL ELSE clock_timestamp() END, $10, $11)`;

export const UPDATE_PROGRESS = `
UPDATE public.dbchange_ledger SET statements_done = $3 WHERE task_id = $1 AND attempt = $2`;

export const FINISH_ATTEMPT = `
UPDATE public.dbchange_ledger
   SET status = $3, statements_done = $4, error = $5, finished_at = clock_timestamp()
 WHERE task_id = $1 AND attempt = $2`;

export const RESOLVE_RUNNING = `
UPDATE public.dbchange_ledger
   SET status = $2, error = concat_ws(' ', error, $3::text), finished_at = clock_timestamp()
 WHERE task_id = $1 AND status = 'running'
RETURNING attempt`;

/**
 * A task's first query: the server version; on PostgreSQL 14+, a check every 2 s whether the
 * client is still there while a statement runs, so a bot killed mid-task has its transaction
 * rolled back and its task lock freed within seconds instead of when the statement would have
 * finished; and whether the ledger is already complete (table, statement checksums, the
 * done-once index), in which case ensureLedger has nothing to do.
 */
export const OPEN_TASK = `
SELECT current_setting('server_version_num')::int AS version,
       CASE WHEN current_setting('server_version_num')::int >= 140000
            THEN set_config('client_connection_check_interval', '2000', false) END AS client_check,
       to_regclass('public.dbchange_ledger_done_once') IS NOT NULL
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                    WHERE attrelid = to_regclass('public.dbchange_ledger') AND attname = 'statement_checksums'
                      AND NOT attisdropped) AS ledger_ready`;

/** A read (catalog sizes, EXPLAIN, introspection) waits at most 5 s for a lock, then fails. */
export const READ_LOCK_TIMEOUT_MS = 5000;
export const SET_READ_LOCK_TIMEOUT = `SET lock_timeout = '${READ_LOCK_TIMEOUT_MS}ms'`;
