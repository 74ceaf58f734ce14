/**
 * The statement guards of a PostgreSQL task: its lock and statement timeouts, who blocks its
 * statement (pg_blocking_pids, pg_stat_activity: never the holder's query text, only its first
 * keyword), and cancelling it (pg_cancel_backend), also from another bot process: the backend
 * to cancel is the one holding the task's advisory lock.
 */
import type pg from 'pg';
import type { StatementGuards, LockHolder, LockWait } from '../types.js';
import { wordsOf } from '../words.js';

/** Session-level: the task's connection is closed after the task, so nothing outlives it. */
export const SET_GUARDS = `SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)`;

export const BACKEND_PID = 'SELECT pg_backend_pid() AS pid';

/** The lock a backend waits for (none when it waits for nothing). */
export const SELECT_WAITED_LOCK = `
SELECT l.mode, l.locktype,
       CASE WHEN l.relation IS NULL THEN NULL ELSE l.relation::regclass::text END AS relation
  FROM pg_locks l
 WHERE l.pid = $1 AND NOT l.granted
 LIMIT 1`;

/** The sessions blocking a backend, oldest transaction first. */
export const SELECT_BLOCKERS = `
SELECT a.pid::text AS pid, a.usename AS "user", a.application_name AS application,
       CASE WHEN a.client_addr IS NULL THEN NULL ELSE host(a.client_addr) END AS client, a.state,
       (extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start)) * 1000)::bigint AS held_ms,
       left(a.query, 200) AS query
  FROM pg_stat_activity a
 WHERE a.pid = ANY (pg_blocking_pids($1))
 ORDER BY a.xact_start NULLS LAST, a.pid`;

export const CANCEL_BACKEND = 'SELECT pg_cancel_backend($1) AS cancelled';

/** The backends holding a task's lock (LOCK_TASK's two-key advisory lock: classid, objid, objsubid 2). */
export const CANCEL_TASK = `
SELECT pg_cancel_backend(l.pid) AS cancelled
  FROM pg_locks l
 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
   AND l.classid = ($1::bigint & 4294967295)::oid AND l.objid = (hashtext($2)::bigint & 4294967295)::oid
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/**
 * Set the task's lock and statement timeouts on its connection (when given), and return the
 * connection's backend pid, in one round trip.
 */
export async function setPgGuards(client: pg.ClientBase, guards: StatementGuards | undefined): Promise<number> {
  const { rows } = guards
    ? await client.query<{ pid: number }>(`${SET_GUARDS}, pg_backend_pid() AS pid`, [
        `${Math.round(guards.lockTimeoutMs)}ms`,
        `${Math.round(guards.statementTimeoutMs)}ms`,
      ])
    : await client.query<{ pid: number }>(BACKEND_PID);
  return Number(rows[0]?.pid);
}

/** What backend `pid` waits for, and who holds it; null when it waits for no lock. */
export async function pgBlocked(client: pg.ClientBase, pid: number): Promise<Omit<LockWait, 'waitedMs'> | null> {
  const waited = await client.query(SELECT_WAITED_LOCK, [pid]);
  const lock = waited.rows[0];
  if (!lock) return null;
  const { rows } = await client.query(SELECT_BLOCKERS, [pid]);
  const holders = rows.map(
    (r): LockHolder => ({
      pid: String(r.pid),
      user: r.user ?? null,
      application: r.application ? String(r.application) : null,
      client: r.client ?? null,
      state: r.state ?? null,
      heldForMs: r.held_ms == null ? null : Number(r.held_ms),
      statementKind: r.query ? (wordsOf(String(r.query), 'postgres', 1)[0] ?? null) : null,
    }),
  );
  const on = lock.relation ? ` on ${lock.relation}` : lock.locktype === 'relation' ? '' : ` (${lock.locktype})`;
  return { lock: `${lock.mode}${on}`, holders };
}
