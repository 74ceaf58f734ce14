/** The ledger on a MySQL connection (see ../ledger-row.ts for the model). */
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { LedgerOps } from '../apply-connection.js';
import { checksumsText, ledgerRowFrom } from '../ledger-row.js';
import type { ledgerSql } from './ledger-sql.js';

type Sql = ReturnType<typeof ledgerSql>;

/** Create the ledger table if missing (CREATE TABLE IF NOT EXISTS is race-safe on MySQL). */
export async function ensureLedger(conn: PoolConnection, sql: Sql): Promise<void> {
  await conn.query(sql.create);
  const [rows] = await conn.query<RowDataPacket[]>(sql.hasStatementChecksums, [sql.database]);
  if (Number(rows[0]?.n) > 0) return;
  try {
    await conn.query(sql.addStatementChecksums);
  } catch (err) {
    // Another process added it first.
    if ((err as { code?: string }).code !== 'ER_DUP_FIELDNAME') throw err;
  }
}

/** Ledger operations on one connection. */
export function mysqlLedger(conn: PoolConnection, sql: Sql): LedgerOps {
  return {
    async decisive(taskId) {
      const [rows] = await conn.query<RowDataPacket[]>(sql.selectDecisive, [taskId]);
      return rows[0] ? ledgerRowFrom(rows[0]) : undefined;
    },
    async insert(r) {
      await conn.query(sql.insertAttempt, [
        r.taskId,
        r.attempt,
        r.issueId,
        r.version,
        r.migrationType,
        r.checksum,
        r.status,
        r.statementsDone,
        r.error,
        r.status,
        r.appliedBy,
        checksumsText(r.statementChecksums),
      ]);
    },
    async progress(taskId, attempt, statementsDone) {
      await conn.query(sql.updateProgress, [statementsDone, taskId, attempt]);
    },
    async finish(taskId, attempt, status, statementsDone, error) {
      await conn.query(sql.finishAttempt, [status, statementsDone, error, taskId, attempt]);
    },
  };
}
