/**
 * Work that follows an ack runs in a lane of its own, behind the acks: Slack's 3-second clock runs
 * for every request that has arrived, and all of them share the one event loop. A piece of work
 * waits while requests keep arriving: each turn of the event loop in which a Slack request came in
 * releases none of it, a turn without one releases the oldest piece. Nothing waits longer than
 * MAX_WAIT_MS, however busy the bot is, so a views.open still uses its trigger id well within the
 * trigger's 3 s; nothing is dropped.
 */

/** The longest a piece of post-ack work waits for a quiet turn before it runs anyway. */
export const MAX_WAIT_MS = 500;

interface Waiting {
  at: number;
  resolve: () => void;
}

const waiting: Waiting[] = [];
let head = 0;
let arrivals = 0;
let arrivalsSeen = 0;
let scheduled = false;
let idle: (() => void)[] = [];

/** A Slack request has arrived (the receiver says so before reading it): post-ack work waits a turn. */
export function requestArrived(): void {
  arrivals++;
}

/**
 * The context key the receiver sets on a request it acknowledged on arrival: its listener already
 * runs in the lane, so its work after the ack goes on at once.
 */
export const ACKED_ON_ARRIVAL = 'ackedOnArrival';

/** Resolves when the work after an ack may run (see above); `context` is the listener's. */
export function afterAck(context?: Record<string, unknown>): Promise<void> {
  if (context?.[ACKED_ON_ARRIVAL] === true) return Promise.resolve();
  return new Promise((resolve) => {
    waiting.push({ at: performance.now(), resolve });
    schedule();
  });
}

/** Post-ack work waiting for its turn, for tests and for stopping. */
export function waitingAfterAck(): number {
  return waiting.length - head;
}

/** Resolves once every piece of post-ack work waiting now has been released. */
export function afterAckDrained(): Promise<void> {
  if (waitingAfterAck() === 0) return Promise.resolve();
  return new Promise((resolve) => idle.push(resolve));
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(drain);
}

function drain(): void {
  scheduled = false;
  const busy = arrivals !== arrivalsSeen;
  arrivalsSeen = arrivals;
  const now = performance.now();
  let quota = busy ? 0 : 1;
  while (head < waiting.length) {
    const next = waiting[head]!;
    if (quota === 0 && now - next.at < MAX_WAIT_MS) break;
    if (quota > 0) quota--;
    head++;
    next.resolve();
  }
  if (head > 1024 && head * 2 > waiting.length) {
    waiting.splice(0, head);
    head = 0;
  }
  if (head < waiting.length) return schedule();
  waiting.length = 0;
  head = 0;
  const done = idle;
  idle = [];
  for (const resolve of done) resolve();
}
