/**
 * Losing the store and getting it back. The store's drivers reconnect by themselves (a pg pool
 * opens new clients, the MongoDB client re-selects its server); what the bot adds is knowing
 * that the store is gone, saying so once, and telling who waits when it answers again:
 *
 *   up ──(a call fails with a connection error)──▶ down ──(a probe answers)──▶ up
 *
 * While down, a probe (`ping`) runs every `probeEveryMs`. `guardStore` wraps a Store so that a
 * lost connection surfaces as DbchangeError(StoreUnavailable), which the application answers
 * with "the store is unavailable, nothing was changed" and the rollout waits out. Slack wants an
 * answer within 3 s, so while the store is known to be down a call fails at once instead of
 * waiting for the driver, and a read still waiting when the loss becomes known (a request sent
 * on a connection that died under it may never be answered) is given up at that moment: nothing
 * was changed by a read. A write is left to the driver: it may have reached the store.
 */
import type { Logger } from 'pino';
import { DbchangeError, ErrorCode, isDbchangeError, messageOf } from '../errors.js';
import type { Store } from './types.js';

/** When the store was lost and when it answered again. */
export interface Outage {
  lostAt: Date;
  resumedAt: Date;
}

/** Node's socket errors that mean the server cannot be reached (or went away). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** PostgreSQL: the server is shutting down, restarting or not yet accepting connections. */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
/** The MongoDB driver's error classes for a server it cannot reach. */
const MONGO_UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
]);
/** What pg says when a connection dies under it or cannot be opened in time. */
const PG_MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/i;

/** True when `e` (or its cause) says the server could not be reached, rather than that a request was wrong. */
export function isConnectionLoss(e: unknown): boolean {
  for (let err = e, depth = 0; err && depth < 5; err = (err as { cause?: unknown }).cause, depth++) {
    if (isDbchangeError(err, ErrorCode.StoreUnavailable)) return true;
    if (typeof err !== 'object') return false;
    const { code, name, message } = err as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_UNAVAILABLE.has(code) || code.startsWith('08')))
      return true;
    if (typeof name === 'string' && MONGO_UNREACHABLE.has(name)) return true;
    if (typeof message === 'string' && PG_MESSAGES.test(message)) return true;
  }
  return false;
}

/** The error every caller of an unreachable store gets, with the driver's error as its cause. */
export function storeUnavailable(cause: unknown): DbchangeError {
  return new DbchangeError(ErrorCode.StoreUnavailable, "the bot's store cannot be reached right now", { cause });
}

/** Watches the store's availability: learns of a loss from failed calls, probes until it answers. */
export class StoreWatch {
  private lostAt: Date | undefined;
  private lostCause: unknown;
  private lastOutage: Outage | undefined;
  /** Told once when the store is lost (see whenLost). */
  private readonly lossListeners = new Set<(e: DbchangeError) => void>();
  private waiters: ((outage: Outage) => void)[] = [];
  private readonly listeners: ((outage: Outage) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly deps: {
      /** A cheap call that succeeds only when the store answers. */
      probe: () => Promise<void>;
      logger: Logger;
      now: () => Date;
      probeEveryMs?: number;
    },
  ) {}

  /** False between a lost connection and the first probe that answers. */
  get available(): boolean {
    return this.lostAt === undefined;
  }

  /** The last outage that ended, if any. */
  get last(): Outage | undefined {
    return this.lastOutage;
  }

  /** A call failed because the store could not be reached: start probing (and say so once). */
  lost(cause: unknown): void {
    if (this.lostAt || this.stopped) return;
    this.lostAt = this.deps.now();
    this.lostCause = cause;
    const error = storeUnavailable(cause);
    for (const listener of [...this.lossListeners]) listener(error);
    this.lossListeners.clear();
    this.deps.logger.warn(
      { err: messageOf(cause) },
      "the bot's store is unavailable; Slack requests are refused with a retry hint and rollouts wait until it is back",
    );
    this.schedule();
  }

  /** What made the store count as lost, while it does. */
  get cause(): unknown {
    return this.lostAt ? this.lostCause : undefined;
  }

  /** Calls `listener` with StoreUnavailable if the store is lost before the returned function is called. */
  whenLost(listener: (e: DbchangeError) => void): () => void {
    this.lossListeners.add(listener);
    return () => void this.lossListeners.delete(listener);
  }

  /** Resolves when the store answers again (at once, with the last outage, when it already does). */
  untilAvailable(): Promise<Outage | undefined> {
    if (!this.lostAt) return Promise.resolve(this.lastOutage);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Called each time the store is back after an outage. */
  onRestored(listener: (outage: Outage) => void): void {
    this.listeners.push(listener);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.probeOnce(), this.deps.probeEveryMs ?? 1000);
  }

  private async probeOnce(): Promise<void> {
    try {
      await this.deps.probe();
    } catch {
      this.schedule();
      return;
    }
    const outage: Outage = { lostAt: this.lostAt!, resumedAt: this.deps.now() };
    this.lostAt = undefined;
    this.lostCause = undefined;
    this.lastOutage = outage;
    const seconds = Math.round((outage.resumedAt.getTime() - outage.lostAt.getTime()) / 1000);
    this.deps.logger.info({ seconds }, "the bot's store is back; resuming");
    for (const resolve of this.waiters.splice(0)) resolve(outage);
    for (const listener of this.listeners) {
      try {
        listener(outage);
      } catch (err) {
        this.deps.logger.error({ err }, 'could not resume after the store came back');
      }
    }
  }
}

/** Store calls that only read: given up when the store is lost while they wait (see the top of this file). */
const READS: ReadonlySet<PropertyKey> = new Set<keyof Store>([
  'ping',
  'getIssue',
  'listIssues',
  'listTaskLogs',
  'listMigrations',
  'latestSnapshot',
  'getCursor',
  'listGitVersions',
]);

/**
 * The store, with every call that fails for want of a connection turned into
 * DbchangeError(StoreUnavailable); while the store is known to be down, calls fail at once.
 */
export function guardStore(store: Store, watch: StoreWatch): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || key === 'close') return value;
      return async (...args: unknown[]) => {
        if (!watch.available) throw storeUnavailable(watch.cause);
        let givenUp = false;
        try {
          if (!READS.has(key)) return await value.apply(target, args);
          return await new Promise((resolve, reject) => {
            const forget = watch.whenLost((e) => {
              // The read given up ends by itself later; its outcome is nobody's concern.
              givenUp = true;
              reject(e);
            });
            Promise.resolve()
              .then(() => value.apply(target, args))
              .then(
                (answer) => {
                  forget();
                  resolve(answer);
                },
                (e: unknown) => {
                  forget();
                  reject(e);
                },
              );
          });
        } catch (e) {
          if (givenUp) throw e;
          if (!isConnectionLoss(e)) throw e;
          watch.lost(e);
          throw storeUnavailable(e);
        }
      };
    },
  });
}
