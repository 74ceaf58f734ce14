/**
 * Work that follows an ack runs in a lane of its own, behind the acks: Slack's 3-second clock runs
 * for every request that has arrived, and all of them share the one event loop. A piece of work
 * waits while requests keep arriving: once none has come in for QUIET_MS, each turn of the event
 * loop releases the oldest piece, so a request arriving meanwhile waits for one piece at most.
 * Nothing waits longer than MAX_WAIT_MS however busy the bot is (a views.open still uses its
 * trigger id well within the trigger's 3 s), and nothing is dropped.
 */

/** The longest a piece of post-ack work waits for a quiet moment before it runs anyway. */
export const MAX_WAIT_MS = 500;
/** Quiet: no Slack request has arrived for this long. */
export const QUIET_MS = 2;
/** How many pieces that have waited MAX_WAIT_MS one turn of the event loop releases. */
const DUE_PER_TURN = 4;

/**
 * The context key the receiver sets on a request it acknowledged on arrival: its listener already
 * runs in the lane, so its work after the ack goes on at once.
 */
export const ACKED_ON_ARRIVAL = 'ackedOnArrival';

interface Waiting {
  at: number;
  resolve: () => void;
}

export class PostAckLane {
  private readonly waiting: Waiting[] = [];
  private head = 0;
  private lastArrival = Number.NEGATIVE_INFINITY;
  private scheduled = false;
  private idle: (() => void)[] = [];

  /** `now` in milliseconds (monotonic); passed in so tests can move the clock. */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A Slack request has arrived (the receiver says so before reading it): post-ack work waits. */
  requestArrived(): void {
    this.lastArrival = this.now();
  }

  /** Resolves when a piece of post-ack work may run. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ at: this.now(), resolve });
      this.schedule(0);
    });
  }

  /** Pieces of work waiting for their turn. */
  get pending(): number {
    return this.waiting.length - this.head;
  }

  /** Resolves once every piece of work waiting now has been released. */
  drained(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (delayMs > 0) setTimeout(() => this.drain(), delayMs);
    else setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const now = this.now();
    const quietFor = now - this.lastArrival;
    let quiet = quietFor >= QUIET_MS ? 1 : 0;
    // Pieces that have waited their longest go however busy it is, a few per turn, so the acks
    // of requests arriving meanwhile still come between them.
    let due = DUE_PER_TURN;
    const { waiting } = this;
    while (this.head < waiting.length) {
      const next = waiting[this.head]!;
      if (quiet > 0) quiet--;
      else if (due > 0 && now - next.at >= MAX_WAIT_MS) due--;
      else break;
      this.head++;
      next.resolve();
    }
    if (this.head < waiting.length) {
      if (this.head > 1024) {
        waiting.splice(0, this.head);
        this.head = 0;
      }
      // Look again next turn when it is quiet (or pieces are due), else once it may have become so.
      const untilQuiet = QUIET_MS - quietFor;
      const untilDue = MAX_WAIT_MS - (now - waiting[this.head]!.at);
      return this.schedule(untilQuiet > 0 && untilDue > 0 ? Math.ceil(Math.min(untilQuiet, untilDue)) : 0);
    }
    waiting.length = 0;
    this.head = 0;
    const done = this.idle;
    this.idle = [];
    for (const resolve of done) resolve();
  }
}

/** The bot's one lane: the receiver notes arrivals in it, every listener waits in it after its ack. */
export const postAckLane = new PostAckLane();

/** A Slack request has arrived: see PostAckLane.requestArrived. */
export function requestArrived(): void {
  postAckLane.requestArrived();
}

/**
 * Resolves when the work after an ack may run (see above); `context` is the listener's, and a
 * request the receiver acknowledged on arrival already waited in the lane.
 */
export function afterAck(context?: Record<string, unknown>): Promise<void> {
  if (context?.[ACKED_ON_ARRIVAL] === true) return Promise.resolve();
  return postAckLane.wait();
}
