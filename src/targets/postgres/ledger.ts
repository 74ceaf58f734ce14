/** The ledger on a PostgreSQL connection (see ../ledger-row.ts for the model). */
import type pg from 'pg';
import type { LedgerOps } from '../apply-connection.js';
import { checksumsText, ledgerRowFrom } from '../ledger-row.js';
import * as sql from './ledger-sql.js';

/** Create the ledger table if missing; safe to race with other processes. */
export async function ensureLedger(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(sql.LOCK_LEDGER_DDL, [sql.LOCK_CLASS]);
    await client.query(sql.CREATE_LEDGER);
    await client.query(sql.CREATE_LEDGER_DONE_ONCE);
    await client.query(sql.ADD_STATEMENT_CHECKSUMS);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Ledger operations on one connection. */
export function pgLedger(client: pg.ClientBase): LedgerOps {
  return {
    async decisive(taskId) {
      const { rows } = await client.query(sql.SELECT_DECISIVE, [taskId]);
      return rows[0] ? ledgerRowFrom(rows[0]) : undefined;
    },
    async insert(r) {
      await client.query(sql.INSERT_ATTEMPT, [
        r.taskId,
        r.attempt,
        r.issueId,
        r.version,
        r.migrationType,
        r.checksum,
        r.status,
        r.statementsDone,
        r.error,
        r.appliedBy,
        checksumsText(r.statementChecksums),
      ]);
    },
    async progress(taskId, attempt, statementsDone) {
      await client.query(sql.UPDATE_PROGRESS, [taskId, attempt, statementsDone]);
    },
    async finish(taskId, attempt, status, statementsDone, error) {
      await client.query(sql.FINISH_ATTEMPT, [taskId, attempt, status, statementsDone, error]);
    },
  };
}
