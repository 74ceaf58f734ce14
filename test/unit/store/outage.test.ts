// Knowing that the store is gone: which errors mean a lost connection, the watch that probes
// until the store answers, and the guard that turns a lost connection into StoreUnavailable.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { DbchangeError, ErrorCode, isDbchangeError } from '../../../src/errors.js';
import { mongoOptions } from '../../../src/store/open.js';
import { guardStore, isConnectionLoss, StoreWatch } from '../../../src/store/outage.js';
import type { Store } from '../../../src/store/types.js';

const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('which errors mean the store cannot be reached', () => {
  const cases: [string, unknown, boolean][] = [
    ['a refused connection', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), true],
    ['a reset connection', coded('ECONNRESET'), true],
    ['pg losing its connection mid-query', new Error('Connection terminated unexpectedly'), true],
    ['pg giving up on connecting', new Error('timeout exceeded when trying to connect'), true],
    ['PostgreSQL shutting down', coded('57P01', 'terminating connection due to administrator command'), true],
    ['a PostgreSQL connection exception', coded('08006'), true],
    ['MongoDB finding no server', named('MongoServerSelectionError'), true],
    ['a MongoDB network error', named('MongoNetworkError', 'connection 9 to 127.0.0.1:1 closed'), true],
    ['a cause that is a lost connection', new Error('save failed', { cause: coded('ECONNREFUSED') }), true],
    ['a unique violation', coded('23505', 'duplicate key value'), false],
    ['a syntax error', coded('42601', 'syntax error at or near "x"'), false],
    ['a MongoDB duplicate key', Object.assign(named('MongoServerError'), { code: 11000 }), false],
    ['a plain bug', new TypeError('Cannot read properties of undefined'), false],
    ['not an error at all', 'nope', false],
  ];
  for (const [name, error, expected] of cases) test(name, () => assert.equal(isConnectionLoss(error), expected));
});

function clock(start: number) {
  let at = start;
  return { now: () => new Date(at), advance: (ms: number) => void (at += ms) };
}

describe('the store watch', () => {
  test('is told once of a loss, probes until the store answers, then wakes who waits with the outage', async () => {
    const c = clock(Date.UTC(2026, 2, 1, 10, 0, 0));
    let answers = false;
    let probes = 0;
    const logged: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line).msg) });
    const watch = new StoreWatch({
      probe: async () => {
        probes++;
        c.advance(1000);
        if (!answers) throw new Error('down');
      },
      logger,
      now: c.now,
      probeEveryMs: 5,
    });
    assert.equal(watch.available, true);
    assert.equal(await watch.untilAvailable(), undefined);

    watch.lost(new Error('Connection terminated unexpectedly'));
    watch.lost(new Error('Connection terminated unexpectedly'));
    assert.equal(watch.available, false);
    const restored: unknown[] = [];
    watch.onRestored((o) => restored.push(o));
    const waiting = watch.untilAvailable();
    while (probes < 3) await new Promise((r) => setTimeout(r, 5));
    answers = true;
    const outage = await waiting;

    assert.deepEqual(outage, { lostAt: new Date(Date.UTC(2026, 2, 1, 10, 0, 0)), resumedAt: c.now() });
    assert.deepEqual(restored, [outage]);
    assert.equal(watch.available, true);
    assert.deepEqual(watch.last, outage);
    assert.equal(logged.filter((m) => /store is unavailable/.test(m)).length, 1);
    assert.equal(logged.filter((m) => /store is back/.test(m)).length, 1);
    watch.stop();
  });
});

describe('the guarded store', () => {
  const watch = () =>
    new StoreWatch({ probe: async () => undefined, logger: pino({ level: 'silent' }), now: () => new Date() });

  test('a lost connection becomes StoreUnavailable and tells the watch', async () => {
    const w = watch();
    const store = guardStore({ getIssue: async () => Promise.reject(coded('ECONNREFUSED')) } as unknown as Store, w);
    await assert.rejects(store.getIssue('1'), (e: unknown) => isDbchangeError(e, ErrorCode.StoreUnavailable));
    assert.equal(w.available, false);
    w.stop();
  });

  test('any other error passes through unchanged, and answers come back as they are', async () => {
    const w = watch();
    const other = new DbchangeError(ErrorCode.InvalidInput, 'bad');
    const store = guardStore(
      {
        getIssue: async () => Promise.reject(other),
        getCursor: async (key: string) => `cursor of ${key}`,
      } as unknown as Store,
      w,
    );
    await assert.rejects(store.getIssue('1'), (e: unknown) => e === other);
    assert.equal(await store.getCursor('k'), 'cursor of k');
    assert.equal(w.available, true);
    w.stop();
  });

  test('while the store is known to be down, a call fails at once without reaching it', async () => {
    const w = watch();
    let calls = 0;
    const store = guardStore({ getIssue: async () => void calls++ } as unknown as Store, w);
    w.lost(coded('ECONNRESET'));
    await assert.rejects(store.getIssue('1'), (e: unknown) => isDbchangeError(e, ErrorCode.StoreUnavailable));
    assert.equal(calls, 0);
    w.stop();
  });

  test('a read still waiting when the store is lost is given up; a write is left to finish', async () => {
    const w = watch();
    let answerWrite: (v: unknown) => void = () => undefined;
    const store = guardStore(
      {
        // A request sent on a connection that died under it: never answered.
        getIssue: () => new Promise(() => undefined),
        saveIssue: () => new Promise((resolve) => (answerWrite = resolve)),
      } as unknown as Store,
      w,
    );
    const read = store.getIssue('1');
    const write = store.saveIssue({} as never, new Date());
    await new Promise((r) => setImmediate(r));
    w.lost(coded('ECONNRESET'));
    await assert.rejects(read, (e: unknown) => isDbchangeError(e, ErrorCode.StoreUnavailable));
    answerWrite('saved');
    assert.equal(await write, 'saved');
    w.stop();
  });
});

describe('the MongoDB client limits', () => {
  test('a server is looked for 5 s, checked every 2 s, and a reply awaited at most 15 s', () => {
    assert.deepEqual(mongoOptions('mongodb://db:27017/dbchange'), {
      serverSelectionTimeoutMS: 5000,
      heartbeatFrequencyMS: 2000,
      socketTimeoutMS: 15_000,
    });
  });

  test('a limit the URL sets is left to the URL', () => {
    assert.deepEqual(mongoOptions('mongodb://db:27017/dbchange?retryWrites=true&socketTimeoutMS=60000'), {
      serverSelectionTimeoutMS: 5000,
      heartbeatFrequencyMS: 2000,
    });
  });
});
