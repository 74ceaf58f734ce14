/**
 * The SQL dbchange runs for itself on a MySQL/MariaDB target, all parameterised with `?`.
 * The ledger table is always qualified with the target's database, so a task that runs `USE`
 * cannot move it. Times are written with UTC_TIMESTAMP and read back as ISO strings, so neither
 * the server's nor the driver's time zone matters.
 */

/** Backtick-quote an identifier. */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

const COLUMNS =
  'task_id, attempt, issue_id, version, migration_type, checksum, status, statements_done, error, started_at, finished_at, applied_by, statement_checksums';

const READ_COLUMNS = `task_id, attempt, issue_id, version, migration_type, checksum, status, statements_done, error,
  DATE_FORMAT(started_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS started_at,
  DATE_FORMAT(finished_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS finished_at, applied_by, statement_checksums`;

/** The named statements for the ledger in database `database`. */
export function ledgerSql(database: string) {
  const table = `${quoteIdent(database)}.dbchange_ledger`;
  return {
    // utf8mb4_bin: task ids compare exactly, not case-insensitively.
    create: `
CREATE TABLE IF NOT EXISTS ${table} (
  task_id         VARCHAR(255) NOT NULL,
  attempt         INT          NOT NULL,
  issue_id        VARCHAR(255) NOT NULL,
  version         VARCHAR(255) NOT NULL,
  migration_type  VARCHAR(16)  NOT NULL,
  checksum        VARCHAR(255) NOT NULL,
  status          VARCHAR(16)  NOT NULL,
  statements_done INT          NOT NULL DEFAULT 0,
  error           TEXT         NULL,
  started_at      DATETIME(3)  NOT NULL,
  finished_at     DATETIME(3)  NULL,
  applied_by      VARCHAR(255) NOT NULL,
  statement_checksums TEXT     NULL,
  PRIMARY KEY (task_id, attempt)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    selectDecisive: `
SELECT ${READ_COLUMNS} FROM ${table}
 WHERE task_id = ?
 ORDER BY (status = 'done') DESC, attempt DESC
 LIMIT 1`,
    insertAttempt: `
INSERT INTO ${table} (${COLUMNS})
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), IF(? = 'running', NULL, UTC_TIMESTAMP(3)), ?, ?)`,
    // Ledgers created before statement checksums existed get the column (MySQL 8 has no ADD COLUMN IF NOT EXISTS).
    hasStatementChecksums: `
SELECT COUNT(*) AS n FROM information_schema.COLUMNS
 WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'dbchange_ledger' AND COLUMN_NAME = 'statement_checksums'`,
    addStatementChecksums: `ALTER TABLE ${table} ADD COLUMN statement_checksums TEXT NULL`,
    database,
    updateProgress: `UPDATE ${table} SET statements_done = ? WHERE task_id = ? AND attempt = ?`,
    finishAttempt: `
UPDATE ${table} SET status = ?, statements_done = ?, error = ?, finished_at = UTC_TIMESTAMP(3)
 WHERE task_id = ? AND attempt = ?`,
    resolveRunning: `
UPDATE ${table} SET status = ?, error = CONCAT_WS(' ', error, ?), finished_at = UTC_TIMESTAMP(3)
 WHERE task_id = ? AND status = 'running'`,
  };
}

export const CURRENT_DATABASE = 'SELECT DATABASE() AS db';

/** Held by the connection for the whole attempt; released when it closes, e.g. when the bot dies. */
export const GET_LOCK = 'SELECT GET_LOCK(?, ?) AS locked';
export const RELEASE_LOCK = 'SELECT RELEASE_LOCK(?) AS released';
