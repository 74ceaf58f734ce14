/** A person's verdict on an interrupted PostgreSQL task (see ../resolve-message.ts). */
import type pg from 'pg';
import { notRunningError, busyError, RESOLVED_NOTE } from '../resolve-message.js';
import { ledgerRowFrom, toLedgerState } from '../ledger-row.js';
import { ensureLedger } from './ledger.js';
import * as sql from './ledger-sql.js';

/** Mark the task's `running` row `outcome`; refuses while another process holds the task. */
export async function resolvePg(
  client: pg.ClientBase,
  url: string,
  taskId: string,
  outcome: 'done' | 'failed',
): Promise<void> {
  await ensureLedger(client);
  const { rows } = await client.query<{ locked: boolean }>(sql.TRY_LOCK_TASK, [sql.LOCK_CLASS, taskId]);
  if (!rows[0]?.locked) throw busyError(url, taskId);
  try {
    const updated = await client.query(sql.RESOLVE_RUNNING, [taskId, outcome, RESOLVED_NOTE[outcome]]);
    if (updated.rowCount === 0) {
      const current = await client.query(sql.SELECT_DECISIVE, [taskId]);
      throw notRunningError(url, taskId, toLedgerState(current.rows[0] ? ledgerRowFrom(current.rows[0]) : undefined));
    }
  } finally {
    await client.query(sql.UNLOCK_TASK, [sql.LOCK_CLASS, taskId]);
  }
}
