/**
 * Slack requests the bot has taken in and not finished: from arrival, through the ack, the wait in
 * the post-ack lane and the handler's work. A stop first closes the door to new requests, then waits
 * for these (at most STOP_WAIT_MS), so a click Slack was told "ok" for is still carried out.
 */
import { within } from '../within.js';
import type { Logger } from 'pino';

/** The longest a stop waits for the requests already taken in to finish. */
export const STOP_WAIT_MS = 10_000;

/** What a running request is, for a log line: its kind, command or action, never its content. */
export type RequestKind = Record<string, unknown>;

export class InFlight {
  private readonly running = new Set<{ kind: RequestKind; since: number }>();
  private idle: (() => void)[] = [];

  /** `now` in milliseconds (monotonic); passed in so tests can move the clock. */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Count `work` as running until it settles; `kind` may be filled in later (once the body is read).
   * A failure of `work` is its caller's to report: here it only ends the count.
   */
  track(kind: RequestKind, work: Promise<unknown>): void {
    const entry = { kind, since: this.now() };
    this.running.add(entry);
    const done = () => {
      this.running.delete(entry);
      if (this.running.size > 0) return;
      const idle = this.idle;
      this.idle = [];
      for (const resolve of idle) resolve();
    };
    work.then(done, done);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves once nothing is running, or after `ms` with what still is (oldest first, with its age). */
  async settled(ms: number): Promise<(RequestKind & { runningMs: number })[]> {
    if (this.running.size > 0) await within(new Promise<void>((resolve) => this.idle.push(resolve)), ms);
    const now = this.now();
    return [...this.running].map((r) => ({ ...r.kind, runningMs: Math.round(now - r.since) }));
  }
}

/**
 * Stop taking requests (`stopAccepting`, e.g. closing the listener), and wait for the ones taken
 * in before to finish, at most `capMs`; what was still running then is logged by kind alone.
 */
export async function stopGracefully(
  stopAccepting: () => Promise<void>,
  inFlight: InFlight,
  logger: Logger,
  capMs = STOP_WAIT_MS,
): Promise<void> {
  const started = performance.now();
  const closed = stopAccepting().catch((err: unknown) => logger.warn({ err }, 'could not close the Slack listener'));
  if (inFlight.size > 0) logger.info({ requests: inFlight.size }, 'waiting for the Slack requests being handled');
  const still = await inFlight.settled(capMs);
  if (still.length > 0) {
    logger.warn(
      { running: still },
      `stopping with ${still.length} Slack request(s) still being handled after ${capMs / 1000} s`,
    );
    return;
  }
  // The listener closes once its connections have ended: not longer than the cap in all.
  await within(closed, Math.max(0, capMs - (performance.now() - started)));
}
