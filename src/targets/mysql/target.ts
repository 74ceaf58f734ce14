/** A MySQL/MariaDB target: the Target contract over one small `mysql2` pool. */
import { hostname } from 'node:os';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { isDbchangeError } from '../../errors.js';
import { ledgerRowFrom, toLedgerState } from '../ledger-row.js';
import { defaultAppliedBy, targetError } from '../target-error.js';
import type { LedgerState, QueryFn, Target } from '../types.js';
import { applyMysql, currentDatabase } from './apply.js';
import { acquire, createMysqlPool } from './connect.js';
import { ledgerSql } from './ledger-sql.js';
import { resolveMysql } from './resolve.js';
import { mysqlSessions } from './sessions.js';
import { KILL_QUERY, TASK_LOCK_HOLDER } from './guards.js';
import { taskLockName } from './lock-name.js';

/** Open (lazily) a MySQL/MariaDB target at `url`. */
export function createMysqlTarget(url: string): Target {
  const pool = createMysqlPool(url);
  let closed: Promise<void> | undefined;

  async function withConn<T>(doing: string, fn: (conn: PoolConnection) => Promise<T>): Promise<T> {
    const conn = await acquire(pool, url);
    try {
      return await fn(conn);
    } catch (err) {
      throw isDbchangeError(err)
        ? err
        : targetError(url, doing, err, 'Check that the database is reachable and retry.');
    } finally {
      conn.release();
    }
  }

  return {
    engine: 'mysql',
    apply: (input) => applyMysql(pool, url, input, input.appliedBy ?? defaultAppliedBy(hostname(), process.pid)),
    ledgerState: (taskId) =>
      withConn(`Reading the ledger of task ${taskId}`, async (conn): Promise<LedgerState> => {
        const sql = ledgerSql(await currentDatabase(conn, url));
        try {
          const [rows] = await conn.query<RowDataPacket[]>(sql.selectDecisive, [taskId]);
          return toLedgerState(rows[0] ? ledgerRowFrom(rows[0]) : undefined);
        } catch (err) {
          // No ledger table yet: nothing was ever applied here.
          if ((err as { code?: string }).code === 'ER_NO_SUCH_TABLE') return { state: 'absent' };
          throw err;
        }
      }),
    resolveLedger: (taskId, outcome) =>
      withConn(`Resolving task ${taskId}`, (conn) => resolveMysql(conn, url, taskId, outcome)),
    sessions: () => withConn('Listing sessions', (conn) => mysqlSessions(conn)),
    cancelTask: (taskId) =>
      withConn(`Cancelling task ${taskId}`, async (conn) => {
        const [rows] = await conn.query<RowDataPacket[]>(TASK_LOCK_HOLDER, [taskLockName(taskId)]);
        const id = rows[0]?.id;
        if (id == null) return false;
        await conn.query(KILL_QUERY, [Number(id)]);
        return true;
      }),
    async withConnection(fn) {
      const conn = await acquire(pool, url);
      try {
        const query: QueryFn = async (text, params) => {
          const [rows] = await conn.query(text, params);
          return Array.isArray(rows) ? (rows as never[]) : [];
        };
        return await fn(query);
      } finally {
        conn.release();
      }
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
