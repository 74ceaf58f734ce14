/**
 * Watching and cancelling the statements of a task, the same way on every engine. While a
 * statement runs on the task's connection, a second connection looks (after `afterMs`, then
 * every `everyMs`) at who blocks it and reports it; aborting the task's signal cancels the
 * statement in flight (pg_cancel_backend / KILL QUERY) and refuses to start another, so the
 * statement loop sees an ordinary statement error and the task fails cleanly (a PostgreSQL
 * transaction is rolled back). Each engine supplies the two probes.
 */
import type { ApplyConnection } from './apply-connection.js';
import type { ApplyTaskInput, LockWait, StatementError } from './types.js';

export interface WatchProbes {
  /** What the task's statement waits for now; null when it waits for no lock. */
  blocked(): Promise<Omit<LockWait, 'waitedMs'> | null>;
  /** Cancel whatever statement runs on the task's connection. */
  cancel(): Promise<void>;
}

/** Thrown instead of starting a statement once the task was cancelled. */
class CancelledBeforeStart extends Error {}

/** `conn` with its statements watched and cancellable as `input` asks; `conn` itself when it asks for neither. */
export function watchedConnection(
  conn: ApplyConnection,
  input: Pick<ApplyTaskInput, 'watch' | 'signal'>,
  probes: WatchProbes,
  now: () => number = () => performance.now(),
): ApplyConnection {
  const { watch, signal } = input;
  if (!watch && !signal) return conn;
  let inFlight = false;
  signal?.addEventListener('abort', () => {
    if (inFlight) probes.cancel().catch(() => undefined);
  });
  return {
    ...conn,
    async run(text) {
      if (signal?.aborted) throw new CancelledBeforeStart();
      const started = now();
      let running = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const look = async () => {
        try {
          const found = await probes.blocked();
          if (running && found) watch?.onWait({ ...found, waitedMs: now() - started });
        } catch {
          // A look that fails (the second connection is refused) only means no report this time.
        }
        if (running && watch) timer = setTimeout(look, watch.everyMs);
      };
      if (watch) timer = setTimeout(look, watch.afterMs);
      inFlight = true;
      try {
        return await conn.run(text);
      } finally {
        inFlight = false;
        running = false;
        clearTimeout(timer);
      }
    },
    statementError(err, stmt): StatementError | undefined {
      if (err instanceof CancelledBeforeStart) return { message: 'cancelled before it started', guard: 'cancelled' };
      const error = conn.statementError(err, stmt);
      // A cancel the engine reports in its own words is still the person's cancel.
      return error && signal?.aborted && !error.guard ? { ...error, guard: 'cancelled' } : error;
    },
  };
}
