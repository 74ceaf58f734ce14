/** Active sessions of a MySQL database, from information_schema.PROCESSLIST. */
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { ActiveSession } from '../types.js';

export const SELECT_SESSIONS = `
SELECT ID AS pid, USER AS user, HOST AS client, COMMAND AS command, STATE AS state, TIME AS seconds, INFO AS query
  FROM information_schema.PROCESSLIST
 WHERE DB = DATABASE() AND ID <> CONNECTION_ID()
 ORDER BY TIME DESC, ID`;

/**
 * Sessions using this database other than our own. MySQL has no application name; `state` is
 * the command (and its state when there is one); `startedAt` is when that command began.
 */
export async function mysqlSessions(conn: PoolConnection, now: () => number = Date.now): Promise<ActiveSession[]> {
  const [rows] = await conn.query<RowDataPacket[]>(SELECT_SESSIONS);
  const at = now();
  return rows.map((r) => ({
    pid: String(r.pid),
    user: r.user ?? null,
    application: null,
    client: r.client ?? null,
    state: r.state ? `${r.command}: ${r.state}` : (r.command ?? null),
    startedAt: r.seconds == null ? null : new Date(at - Number(r.seconds) * 1000),
    query: r.query ?? null,
  }));
}
