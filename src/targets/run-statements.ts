/**
 * The statement loop shared by every apply path: runs statements `from..N-1` in order on one
 * connection, emitting start/done/failed events (and `statement-skipped` for those before
 * `from` and those in `skip`). It stops at the first statement error and reports it; any other error (the
 * connection is gone, a log callback threw) is thrown with `inFlight` telling whether a
 * statement was running when it happened, i.e. whether its outcome is unknown.
 */
import type { ApplyConnection } from './apply-connection.js';
import type { ApplyTaskInput, StatementError } from './types.js';

export type LoopResult = { ok: true } | { ok: false; index: number; error: StatementError };

/** Thrown when something other than a statement error stops the loop. */
export class LoopInterrupted extends Error {
  constructor(
    readonly inFlight: boolean,
    /** Statements known to be applied (the index of the next one to run). */
    readonly applied: number,
    options: { cause: unknown },
  ) {
    super(`interrupted ${inFlight ? 'while' : 'after'} running statement ${applied + 1}`, options);
    this.name = 'LoopInterrupted';
  }
}

export const SKIPPED_REASON = 'applied in an earlier attempt';
export const UNCHANGED_REASON = 'applied in an earlier attempt and unchanged since';

/** Run statements `from..N-1`; `afterEach(i)` runs after statement i succeeded, before its done event. */
export async function runStatements(
  conn: ApplyConnection,
  input: ApplyTaskInput,
  from: number,
  afterEach: (index: number) => Promise<void> = async () => {},
  now: () => number = () => performance.now(),
  /** Statements after `from` that are applied already (unchanged since an earlier attempt). */
  skip: readonly number[] = [],
): Promise<LoopResult> {
  const total = input.statements.length;
  let applied = from;
  let inFlight = false;
  try {
    for (let index = 0; index < Math.min(from, total); index++) {
      await input.onLog({ kind: 'statement-skipped', index, total, reason: SKIPPED_REASON });
    }
    for (let index = from; index < total; index++) {
      const stmt = input.statements[index]!;
      if (skip.includes(index)) {
        await afterEach(index);
        applied = index + 1;
        await input.onLog({ kind: 'statement-skipped', index, total, reason: UNCHANGED_REASON });
        continue;
      }
      await input.onLog({ kind: 'statement-start', index, total, sql: stmt.sql, line: stmt.line });
      const started = now();
      let rowsAffected: number | null;
      inFlight = true;
      try {
        rowsAffected = await conn.run(stmt.sql);
      } catch (err) {
        const error = conn.statementError(err, stmt);
        if (!error) throw err;
        inFlight = false;
        await input.onLog({ kind: 'statement-failed', index, total, durationMs: now() - started, error });
        return { ok: false, index, error };
      }
      await afterEach(index);
      inFlight = false;
      applied = index + 1;
      await input.onLog({ kind: 'statement-done', index, total, durationMs: now() - started, rowsAffected });
    }
    return { ok: true };
  } catch (err) {
    throw new LoopInterrupted(inFlight, applied, { cause: err });
  }
}
