/** Active sessions of a PostgreSQL database, from pg_stat_activity. */
import type pg from 'pg';
import type { ActiveSession } from '../types.js';

export const SELECT_SESSIONS = `
SELECT pid::text AS pid, usename AS "user", application_name AS application,
       CASE WHEN client_addr IS NULL THEN NULL ELSE host(client_addr) || ':' || client_port END AS client,
       state, query_start AS started_at, query
  FROM pg_stat_activity
 WHERE datname = current_database() AND pid <> pg_backend_pid()
 ORDER BY query_start NULLS LAST, pid`;

/** Sessions connected to this database other than our own; `startedAt` is when the current (or last) query began. */
export async function pgSessions(client: pg.ClientBase): Promise<ActiveSession[]> {
  const { rows } = await client.query(SELECT_SESSIONS);
  return rows.map((r) => ({
    pid: String(r.pid),
    user: r.user ?? null,
    application: r.application === '' ? null : (r.application ?? null),
    client: r.client ?? null,
    state: r.state ?? null,
    startedAt: r.started_at ?? null,
    query: r.query === '' ? null : (r.query ?? null),
  }));
}
