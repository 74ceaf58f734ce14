/** A person's verdict on an interrupted MySQL task (see ../resolve-message.ts). */
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { ledgerRowFrom, toLedgerState } from '../ledger-row.js';
import { busyError, notRunningError, RESOLVED_NOTE } from '../resolve-message.js';
import { currentDatabase } from './apply.js';
import { ensureLedger } from './ledger.js';
import { GET_LOCK, ledgerSql, RELEASE_LOCK } from './ledger-sql.js';
import { taskLockName } from './lock-name.js';

/** Mark the task's `running` row `outcome`; refuses while another process holds the task. */
export async function resolveMysql(
  conn: PoolConnection,
  url: string,
  taskId: string,
  outcome: 'done' | 'failed',
): Promise<void> {
  const sql = ledgerSql(await currentDatabase(conn, url));
  await ensureLedger(conn, sql);
  const lock = taskLockName(taskId);
  const [got] = await conn.query<RowDataPacket[]>(GET_LOCK, [lock, 0]);
  if (Number(got[0]?.locked) !== 1) throw busyError(url, taskId);
  try {
    const [result] = await conn.query<ResultSetHeader>(sql.resolveRunning, [outcome, RESOLVED_NOTE[outcome], taskId]);
    if (result.affectedRows === 0) {
      const [rows] = await conn.query<RowDataPacket[]>(sql.selectDecisive, [taskId]);
      throw notRunningError(url, taskId, toLedgerState(rows[0] ? ledgerRowFrom(rows[0]) : undefined));
    }
  } finally {
    await conn.query(RELEASE_LOCK, [lock]);
  }
}
