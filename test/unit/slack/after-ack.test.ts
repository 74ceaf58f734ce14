// The lane that work after an ack waits in: it waits while Slack requests keep arriving, goes one
// piece at a time once they stop, and never longer than MAX_WAIT_MS. The lane's clock is the
// test's: it moves only when the test says so, so every decision below is the lane's own.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACKED_ON_ARRIVAL, afterAck, MAX_WAIT_MS, PostAckLane, QUIET_MS } from '../../../src/slack/after-ack.js';

/** Let the event loop go round a number of times (real timers: the lane looks again on its own). */
async function turns(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 1));
}

function track(lane: PostAckLane, ran: string[], name: string): Promise<void> {
  return lane.wait().then(() => void ran.push(name));
}

describe('the post-ack lane', () => {
  test('work waits while a request has just arrived, and runs once none has for a moment', async () => {
    let now = 1000;
    const lane = new PostAckLane(() => now);
    const ran: string[] = [];
    lane.requestArrived();
    const done = track(lane, ran, 'a');
    await turns();
    assert.deepEqual(ran, [], 'released while a request had just arrived');
    assert.equal(lane.pending, 1);
    now += QUIET_MS;
    await done;
    assert.deepEqual(ran, ['a']);
    assert.equal(lane.pending, 0);
  });

  test('once quiet, one piece goes per turn: a request arriving between two pieces holds back the rest', async () => {
    let now = 1000;
    const lane = new PostAckLane(() => now);
    const ran: string[] = [];
    // The first piece runs in a quiet turn; a request arrives as it does, before the next turn.
    void lane.wait().then(() => {
      ran.push('a');
      lane.requestArrived();
    });
    for (const name of ['b', 'c']) void track(lane, ran, name);
    await turns();
    assert.equal(ran.length, 1, `ran ${ran.join(',')} while a request had just arrived`);
    assert.deepEqual(ran, ['a']);
    now += QUIET_MS;
    await lane.drained();
    await turns(2);
    assert.deepEqual(ran, ['a', 'b', 'c'], 'in the order they came');
  });

  test('requests that never stop arriving hold work back at most MAX_WAIT_MS, and nothing is dropped', async () => {
    let now = 1000;
    const lane = new PostAckLane(() => now);
    const ran: string[] = [];
    lane.requestArrived();
    const all = Promise.all([track(lane, ran, 'a'), track(lane, ran, 'b')]);
    for (let t = 0; t < MAX_WAIT_MS - 1; t += 50) {
      now = 1000 + t;
      lane.requestArrived();
      await turns(2);
    }
    now = 1000 + MAX_WAIT_MS - 1;
    lane.requestArrived();
    await turns();
    assert.deepEqual(ran, [], 'released before it was due while requests kept arriving');
    now = 1000 + MAX_WAIT_MS;
    lane.requestArrived();
    await all;
    assert.deepEqual(ran, ['a', 'b']);
  });

  test('a listener whose request was acknowledged on arrival goes on at once', async () => {
    let resumed = false;
    const p = afterAck({ [ACKED_ON_ARRIVAL]: true }).then(() => {
      resumed = true;
    });
    await p;
    assert.equal(resumed, true);
  });
});
