// What a stop waits for: the Slack requests taken in before it, however they end, and no longer
// than its cap; what is still running then is logged by kind and age alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { InFlight, STOP_WAIT_MS, stopGracefully } from '../../../src/slack/in-flight.js';

interface LogLine {
  msg: string;
  running?: { type?: string; action?: string; runningMs: number }[];
}

function capture() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

function later() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('requests in flight', () => {
  test('the cap is ten seconds', () => {
    assert.equal(STOP_WAIT_MS, 10_000);
  });

  test('a stop closes the door first, then waits for every request taken in, failed ones too', async () => {
    const inFlight = new InFlight();
    const a = later();
    const b = later();
    inFlight.track({ type: 'block_actions', action: 'issue_approve' }, a.promise);
    inFlight.track(
      { type: 'slash_command', command: '/dbchange' },
      b.promise.catch(() => undefined),
    );
    const { logger, lines } = capture();
    const order: string[] = [];
    const stopped = stopGracefully(
      async () => {
        order.push('closed');
      },
      inFlight,
      logger,
    ).then(() => order.push('stopped'));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(order, ['closed']);
    a.resolve();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(order, ['closed'], 'stopped while a request was still running');
    b.reject(new Error('the handler failed'));
    await stopped;
    assert.deepEqual(order, ['closed', 'stopped']);
    assert.equal(inFlight.size, 0);
    assert.ok(!lines.some((l) => /still being handled/.test(l.msg)));
  });

  test('past the cap the stop goes on, and logs what was still running by kind, never its content', async () => {
    const inFlight = new InFlight();
    inFlight.track({ type: 'block_actions', action: 'issue_approve' }, new Promise(() => {}));
    const { logger, lines } = capture();
    const started = performance.now();
    await stopGracefully(async () => {}, inFlight, logger, 50);
    assert.ok(performance.now() - started < 1000);
    const warned = lines.find((l) => /still being handled/.test(l.msg));
    assert.ok(warned, JSON.stringify(lines));
    assert.match(warned.msg, /1 Slack request\(s\) still being handled after 0\.05 s/);
    const [running, ...more] = warned.running ?? [];
    assert.equal(more.length, 0);
    assert.equal(running?.type, 'block_actions');
    assert.equal(running?.action, 'issue_approve');
    assert.ok((running?.runningMs ?? 0) >= 40, JSON.stringify(warned));
  });

  test('with nothing in flight a stop waits only for the door to close', async () => {
    const inFlight = new InFlight();
    let closed = false;
    await stopGracefully(
      async () => {
        closed = true;
      },
      inFlight,
      capture().logger,
    );
    assert.equal(closed, true);
  });
});
