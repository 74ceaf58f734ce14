/**
 * The statement guards of a MySQL/MariaDB task. Timeouts: `lock_wait_timeout` (metadata locks:
 * DDL) and `innodb_lock_wait_timeout` (row locks), whole seconds; the statement timeout is
 * MariaDB's `max_statement_time` (seconds, every statement) or MySQL's `max_execution_time`
 * (milliseconds, SELECT only: MySQL has no limit for other statements). Who blocks a statement:
 * for a row lock, the InnoDB lock waits; for a metadata lock (MySQL and MariaDB name no holder
 * without performance_schema), the other sessions with an open transaction, oldest first. Never
 * a holder's query text, only its first keyword. Cancelling is KILL QUERY, also from another bot
 * process: the connection to cancel is the one holding the task's GET_LOCK.
 */
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { LockHolder, LockWait, StatementGuards } from '../types.js';
import { wordsOf } from '../words.js';

export const SERVER_VERSION = 'SELECT VERSION() AS version';

/** Whole seconds, at least 1: MySQL's lock timeouts take no fractions. */
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Set the task's timeouts on its connection (session variables; the connection is closed after the task). */
export async function setMysqlGuards(conn: PoolConnection, guards: StatementGuards): Promise<void> {
  const [rows] = await conn.query<RowDataPacket[]>(SERVER_VERSION);
  const mariadb = /mariadb/i.test(String(rows[0]?.version ?? ''));
  const lock = seconds(guards.lockTimeoutMs);
  await conn.query('SET SESSION lock_wait_timeout = ?, SESSION innodb_lock_wait_timeout = ?', [lock, lock]);
  if (mariadb) await conn.query('SET SESSION max_statement_time = ?', [guards.statementTimeoutMs / 1000]);
  else await conn.query('SET SESSION max_execution_time = ?', [Math.round(guards.statementTimeoutMs)]);
}

/** What the session waits for: its processlist state, and whether InnoDB has it waiting for a row lock. */
const SELECT_WAIT = `
SELECT p.STATE AS state, t.trx_state AS trx_state
  FROM information_schema.PROCESSLIST p
  LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID
 WHERE p.ID = ?`;

const HOLDER_COLUMNS = `p.ID AS pid, p.USER AS user, p.HOST AS client, p.COMMAND AS command, p.STATE AS state,
       TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) DIV 1000 AS held_ms, LEFT(p.INFO, 200) AS query`;

/** Row locks (MariaDB, MySQL 5.7): the transactions that block ours. */
const SELECT_ROW_BLOCKERS = `
SELECT ${HOLDER_COLUMNS}
  FROM information_schema.INNODB_TRX w
  JOIN information_schema.INNODB_LOCK_WAITS lw ON lw.requesting_trx_id = w.trx_id
  JOIN information_schema.INNODB_TRX t ON t.trx_id = lw.blocking_trx_id
  JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
 WHERE w.trx_mysql_thread_id = ?
 ORDER BY t.trx_started, p.ID`;

/** Row locks on MySQL 8, where the lock waits moved to performance_schema. */
const SELECT_ROW_BLOCKERS_8 = `
SELECT ${HOLDER_COLUMNS}
  FROM performance_schema.data_lock_waits lw
  JOIN information_schema.INNODB_TRX w ON w.trx_id = lw.REQUESTING_ENGINE_TRANSACTION_ID
  JOIN information_schema.INNODB_TRX t ON t.trx_id = lw.BLOCKING_ENGINE_TRANSACTION_ID
  JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
 WHERE w.trx_mysql_thread_id = ?
 ORDER BY t.trx_started, p.ID`;

/** Anything else (metadata locks): the other sessions with an open transaction. */
const SELECT_OPEN_TRANSACTIONS = `
SELECT ${HOLDER_COLUMNS}
  FROM information_schema.INNODB_TRX t
  JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
 WHERE p.ID <> ?
 ORDER BY t.trx_started, p.ID`;

/** The connection holding a task's GET_LOCK, if any. */
export const TASK_LOCK_HOLDER = 'SELECT IS_USED_LOCK(?) AS id';
export const KILL_QUERY = 'KILL QUERY ?';

/** What connection `id` waits for, and who holds it; null when it waits for no lock. */
export async function mysqlBlocked(conn: PoolConnection, id: number): Promise<Omit<LockWait, 'waitedMs'> | null> {
  const [waits] = await conn.query<RowDataPacket[]>(SELECT_WAIT, [id]);
  const state = String(waits[0]?.state ?? '');
  const rowLock = waits[0]?.trx_state === 'LOCK WAIT';
  if (!rowLock && !/waiting for .*lock/i.test(state)) return null;
  let rows: RowDataPacket[] = [];
  if (rowLock) {
    for (const sql of [SELECT_ROW_BLOCKERS, SELECT_ROW_BLOCKERS_8]) {
      try {
        [rows] = await conn.query<RowDataPacket[]>(sql, [id]);
        break;
      } catch {
        // That server keeps its lock waits in the other place.
      }
    }
  }
  if (rows.length === 0) [rows] = await conn.query<RowDataPacket[]>(SELECT_OPEN_TRANSACTIONS, [id]);
  const holders = rows.map(
    (r): LockHolder => ({
      pid: String(r.pid),
      user: r.user ?? null,
      application: null,
      client: r.client ?? null,
      state: r.query ? (r.state ? `${r.command}: ${r.state}` : String(r.command)) : 'idle in transaction',
      heldForMs: r.held_ms == null ? null : Number(r.held_ms),
      statementKind: r.query ? (wordsOf(String(r.query), 'mysql', 1)[0] ?? null) : null,
    }),
  );
  return { lock: rowLock ? 'a row lock' : state, holders };
}
