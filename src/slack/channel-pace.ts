/**
 * Slack's pace for what the bot sends most, kept by the bot itself so Slack need not answer 429
 * (after which everything the client sends waits):
 * - chat.postMessage: about one a second in one channel, with short bursts allowed: per channel
 *   a bucket of CHANNEL_BURST posts, refilled at one a second (POST_EVERY_MS: with a margin);
 * - chat.update: Slack's tier 3, about 50 a minute for the app: one bucket of UPDATE_BURST
 *   edits, refilled at one every 1.2 s (UPDATE_EVERY_MS: with a margin; issue messages and tasks'
 *   progress together).
 * A call that finds its bucket empty waits its turn, in the order calls asked. `ready` lets a
 * sender that gathers what it sends (a thread's lines) wait first and gather what arrived
 * meanwhile.
 */

/** Posts one channel may take at once before the one-a-second pace applies. */
export const CHANNEL_BURST = 3;
/** Edits the app may make at once before the 50-a-minute pace applies. */
export const UPDATE_BURST = 10;
/**
 * The bot counts a call when it sends it and Slack when it arrives, and arrivals bunch up on the
 * way: each pace keeps a tenth more time between calls than Slack's own, so that a post sent a
 * second after the one before does not arrive just under it (and get a 429).
 */
const MARGIN = 1.1;
/** Time between posts in one channel once the burst is used: Slack's second, with the margin. */
export const POST_EVERY_MS = Math.round(1000 * MARGIN);
/** Time between edits once the burst is used: Slack's 1.2 s (50 a minute), with the margin. */
export const UPDATE_EVERY_MS = Math.round(1200 * MARGIN);

export interface PaceClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PaceClock = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

interface Bucket {
  tokens: number;
  at: number;
  /** The last turn asked for: turns run one after another. */
  turn: Promise<void>;
}

/** Buckets by key (a channel, or one for the whole app): `burst` calls at once, then one every `everyMs`. */
export class Pace {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    private readonly burst: number,
    private readonly everyMs: number,
    private readonly clock: PaceClock = realClock,
  ) {}

  /** Resolves when a call under `key` may go out, and counts it. */
  take(key: string): Promise<void> {
    return this.#queue(key, true);
  }

  /** Resolves when a call under `key` could go out now, without counting one. */
  ready(key: string): Promise<void> {
    return this.#queue(key, false);
  }

  #queue(key: string, take: boolean): Promise<void> {
    const b = this.#bucket(key);
    const turn = b.turn.then(async () => {
      this.#refill(b);
      if (b.tokens < 1) {
        await this.clock.sleep(Math.ceil((1 - b.tokens) * this.everyMs));
        this.#refill(b);
      }
      if (take) b.tokens = Math.max(0, b.tokens - 1);
    });
    b.turn = turn;
    return turn;
  }

  #bucket(key: string): Bucket {
    let b = this.#buckets.get(key);
    if (!b) {
      b = { tokens: this.burst, at: this.clock.now(), turn: Promise.resolve() };
      this.#buckets.set(key, b);
    }
    return b;
  }

  #refill(b: Bucket): void {
    const now = this.clock.now();
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) / this.everyMs);
    b.at = now;
  }
}

/** The bot's paces: posts per channel, edits for the whole app. */
export interface SlackPaces {
  posts: Pace;
  updates: Pace;
}

export function slackPaces(clock: PaceClock = realClock): SlackPaces {
  return {
    posts: new Pace(CHANNEL_BURST, POST_EVERY_MS, clock),
    updates: new Pace(UPDATE_BURST, UPDATE_EVERY_MS, clock),
  };
}
