// The progress message's edit throttle, on a clock moved by hand: at most one edit per interval,
// the newest state sent when the interval is over, edits never overlapping, the final state at once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EditThrottle } from '../../../src/app/edit-throttle.js';
import { manualClock } from '../../support/manual-clock.js';

describe('progress edit throttle', () => {
  test('the first change is sent at once; changes inside the interval become one edit when it is over', async () => {
    const { clock, advance, settle } = manualClock();
    let state = 0;
    const sent: { at: number; state: number }[] = [];
    const throttle = new EditThrottle(async () => void sent.push({ at: clock.now(), state }), 5000, clock);
    state = 1;
    throttle.changed();
    await settle();
    for (let i = 2; i <= 200; i++) {
      state = i;
      throttle.changed();
      await advance(10);
    }
    // 200 changes within about 2 s: the first at once, then nothing until the interval is over.
    assert.deepEqual(sent, [{ at: 0, state: 1 }]);
    await advance(5000);
    assert.deepEqual(sent, [
      { at: 0, state: 1 },
      { at: 5000, state: 200 },
    ]);
  });

  test('a message just posted is first edited an interval after it was posted, not at the first change', async () => {
    const { clock, advance } = manualClock();
    await advance(1000);
    let state = 0;
    const sent: { at: number; state: number }[] = [];
    const throttle = new EditThrottle(
      async () => void sent.push({ at: clock.now(), state }),
      5000,
      clock,
      undefined,
      clock.now(),
    );
    for (let i = 1; i <= 100; i++) {
      state = i;
      throttle.changed();
      await advance(10);
    }
    assert.deepEqual(sent, []);
    await advance(4000);
    // Posted at 1000: the one edit goes out at 6000, with the newest state.
    assert.deepEqual(sent, [{ at: 6000, state: 100 }]);
    // A task that ends sooner sends only its final state.
    const quick: number[] = [];
    const short = new EditThrottle(async () => void quick.push(clock.now()), 5000, clock, undefined, clock.now());
    short.changed();
    await advance(100);
    await short.finish();
    assert.deepEqual(quick, [clock.now()]);
  });

  test('a steady stream of changes is edited once per interval, never more', async () => {
    const { clock, advance } = manualClock();
    const sent: number[] = [];
    const throttle = new EditThrottle(async () => void sent.push(clock.now()), 3000, clock);
    for (let i = 0; i < 1000; i++) {
      throttle.changed();
      await advance(20);
    }
    // 20 s of changes: edits at 0, 3 s, 6 s … 18 s.
    assert.deepEqual(sent, [0, 3000, 6000, 9000, 12000, 15000, 18000]);
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i]! - sent[i - 1]! >= 3000);
  });

  test('edits never overlap: a slow send delays the next one', async () => {
    const { clock, advance } = manualClock();
    let inFlight = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const throttle = new EditThrottle(
      () =>
        new Promise<void>((resolve) => {
          inFlight++;
          most = Math.max(most, inFlight);
          releases.push(() => {
            inFlight--;
            resolve();
          });
        }),
      1000,
      clock,
    );
    throttle.changed();
    await advance(5000);
    throttle.changed();
    await advance(5000);
    assert.equal(releases.length, 1, 'the second edit waits for the first');
    releases[0]!();
    await advance(0);
    assert.equal(releases.length, 2);
    releases[1]!();
    assert.equal(most, 1);
  });

  test('the final state is sent at once, whatever the interval, and nothing after it', async () => {
    const { clock, advance, settle } = manualClock();
    let state = 'running';
    const sent: string[] = [];
    const throttle = new EditThrottle(async () => void sent.push(state), 5000, clock, 15000);
    throttle.changed();
    await settle();
    state = 'still running';
    throttle.changed();
    state = 'done';
    await throttle.finish();
    assert.deepEqual(sent, ['running', 'done']);
    throttle.changed();
    await advance(60_000);
    assert.deepEqual(sent, ['running', 'done']);
  });

  test('an unchanged message is still edited every idle interval, so its elapsed time moves', async () => {
    const { clock, advance } = manualClock();
    const sent: number[] = [];
    const throttle = new EditThrottle(async () => void sent.push(clock.now()), 5000, clock, 15000);
    throttle.changed();
    await advance(46_000);
    assert.deepEqual(sent, [0, 15000, 30000, 45000]);
    await throttle.finish();
  });
});
