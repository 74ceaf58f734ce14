/**
 * Slack takes about one chat.postMessage a second in one channel, with short bursts allowed;
 * past that it answers 429 and everything the client sends waits. The bot keeps under that pace
 * itself: per channel a bucket of CHANNEL_BURST posts, refilled at one a second, and a post that
 * finds it empty waits its turn (in the order posts asked). `ready` lets a sender that gathers
 * what it posts (a thread's lines) wait first and gather what arrived meanwhile.
 */

/** Posts one channel may take at once before the one-a-second pace applies. */
export const CHANNEL_BURST = 3;
const PER_POST_MS = 1000;

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

export class ChannelPace {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly clock: PaceClock = realClock) {}

  /** Resolves when a post to `channel` may go out, and counts it. */
  take(channel: string): Promise<void> {
    return this.#queue(channel, true);
  }

  /** Resolves when a post to `channel` could go out now, without counting one. */
  ready(channel: string): Promise<void> {
    return this.#queue(channel, false);
  }

  #queue(channel: string, take: boolean): Promise<void> {
    const b = this.#bucket(channel);
    const turn = b.turn.then(async () => {
      this.#refill(b);
      if (b.tokens < 1) {
        await this.clock.sleep(Math.ceil((1 - b.tokens) * PER_POST_MS));
        this.#refill(b);
      }
      if (take) b.tokens = Math.max(0, b.tokens - 1);
    });
    b.turn = turn;
    return turn;
  }

  #bucket(channel: string): Bucket {
    let b = this.#buckets.get(channel);
    if (!b) {
      b = { tokens: CHANNEL_BURST, at: this.clock.now(), turn: Promise.resolve() };
      this.#buckets.set(channel, b);
    }
    return b;
  }

  #refill(b: Bucket): void {
    const now = this.clock.now();
    b.tokens = Math.min(CHANNEL_BURST, b.tokens + (now - b.at) / PER_POST_MS);
    b.at = now;
  }
}
