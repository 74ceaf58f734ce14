/**
 * Keeps a message that is edited in place (a task's progress) within Slack's rate tiers: at most
 * one edit every `everyMs`, however often its state changes. A change inside the interval is
 * sent when the interval is over (the newest state then, never a stale one); edits never
 * overlap; with `idleMs`, an unchanged message is still edited that often (its elapsed time
 * moves). `finish` sends the final state at once, whatever the interval, after any edit in flight.
 * The clock and timers are passed in, so a test moves time by hand.
 */

export interface ThrottleClock {
  now(): number;
  /** Run `fn` after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const realClock: ThrottleClock = {
  now: () => performance.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

export class EditThrottle {
  private lastSent = Number.NEGATIVE_INFINITY;
  private dirty = false;
  private finished = false;
  private inFlight: Promise<void> | undefined;
  private cancelWait: (() => void) | undefined;
  private cancelIdle: (() => void) | undefined;

  constructor(
    /** Sends the state as it is now; a failure is the sender's to log (the next edit sends again). */
    private readonly send: () => Promise<void>,
    private readonly everyMs: number,
    private readonly clock: ThrottleClock = realClock,
    private readonly idleMs?: number,
    /** When the message was last sent as it is (just posted: now), so the first edit waits its interval; absent: never. */
    sentAt?: number,
  ) {
    if (sentAt !== undefined) this.lastSent = sentAt;
  }

  /** The state changed: edit now if the interval allows, else once it does. */
  changed(): void {
    if (this.finished) return;
    this.dirty = true;
    this.pump();
  }

  /** Send the final state now (after an edit in flight), and no edit after it. */
  async finish(): Promise<void> {
    this.finished = true;
    this.cancelWait?.();
    this.cancelIdle?.();
    await this.inFlight;
    this.lastSent = this.clock.now();
    await this.send().catch(() => undefined);
  }

  private pump(): void {
    if (this.finished || !this.dirty || this.inFlight || this.cancelWait) return;
    const wait = this.lastSent + this.everyMs - this.clock.now();
    if (wait > 0) {
      this.cancelWait = this.clock.after(wait, () => {
        this.cancelWait = undefined;
        this.pump();
      });
      return;
    }
    this.dirty = false;
    this.lastSent = this.clock.now();
    this.cancelIdle?.();
    this.inFlight = this.send()
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = undefined;
        if (this.finished) return;
        if (this.idleMs !== undefined) this.cancelIdle = this.clock.after(this.idleMs, () => this.changed());
        this.pump();
      });
  }
}
