/**
 * A database server out of connections ("too many clients") or still starting refuses a new
 * connection for a moment only: the task's connection is asked for again, with growing pauses,
 * for up to BUSY_BUDGET_MS before the refusal fails the task.
 */
export const BUSY_BUDGET_MS = 10_000;

const PG_BUSY = new Set(['53300', '57P03']); // too_many_connections, cannot_connect_now
const MYSQL_BUSY = new Set(['ER_CON_COUNT_ERROR', 'ER_TOO_MANY_USER_CONNECTIONS']);

/** True for a refusal that says the server has no connection to spare right now. */
export function isServerBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (PG_BUSY.has(code) || MYSQL_BUSY.has(code));
}

/** `connect()`, asked again while the server is busy, until `budgetMs` has passed. */
export async function whileServerBusy<T>(
  connect: () => Promise<T>,
  budgetMs = BUSY_BUDGET_MS,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => number = Date.now,
): Promise<T> {
  const deadline = now() + budgetMs;
  for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
    try {
      return await connect();
    } catch (err) {
      if (!isServerBusy(err) || now() + pause > deadline) throw err;
      await sleep(pause);
    }
  }
}
