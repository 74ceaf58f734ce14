/** The ledger on a PostgreSQL connection (see ../ledger-row.ts for the model). */
import type pg from 'pg';
import type { LedgerOps } from '../apply-connection.js';
import { checksumsText, ledgerRowFrom } from '../ledger-row.js';
import * as sql from './ledger-sql.js';

/** Create the ledger table if missing (or add what an older one lacks); safe to race with other processes. */
export async function ensureLedger(client: pg.ClientBase): Promise<void> {
  // One round trip; the lock serialises concurrent CREATE TABLE IF NOT EXISTS, which can otherwise fail on pg_type.
  try {
    await client.query(
      [
        'BEGIN',
        `SELECT pg_advisory_xact_lock(${sql.LOCK_CLASS}, 0)`,
        sql.CREATE_LEDGER,
        sql.CREATE_LEDGER_DONE_ONCE,
        sql.ADD_STATEMENT_CHECKSUMS,
        'COMMIT',
      ].join(';\n'),
    );
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
