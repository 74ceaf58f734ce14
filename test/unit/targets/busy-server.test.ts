// A server out of connections is asked again for a while; any other refusal fails at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isServerBusy, whileServerBusy } from '../../../src/targets/busy-server.js';

const refusal = (code: string) => Object.assign(new Error(`refused ${code}`), { code });

/** A clock moved only by the pauses, and a connect that fails with `errors` in turn, then succeeds. */
function scripted(errors: Error[]) {
  let clock = 0;
  const pauses: number[] = [];
  let calls = 0;
  const connect = async () => {
    calls++;
    const err = errors.shift();
    if (err) throw err;
    return 'connection';
  };
  const sleep = async (ms: number) => {
    pauses.push(ms);
    clock += ms;
  };
  return { connect, sleep, now: () => clock, pauses, calls: () => calls };
}

for (const code of ['53300', '57P03', 'ER_CON_COUNT_ERROR', 'ER_TOO_MANY_USER_CONNECTIONS'])
  test(`a refusal with ${code} is asked again, with growing pauses, until the server has a connection`, async () => {
    assert.equal(isServerBusy(refusal(code)), true);
    const s = scripted([refusal(code), refusal(code), refusal(code)]);
    assert.equal(await whileServerBusy(s.connect, 10_000, s.sleep, s.now), 'connection');
    assert.deepEqual(s.pauses, [100, 200, 400]);
    assert.equal(s.calls(), 4);
  });

for (const err of [refusal('28P01'), refusal('ER_ACCESS_DENIED_ERROR'), refusal('ECONNREFUSED'), new Error('plain')])
  test(`${err.message} fails at once, not asked again`, async () => {
    const s = scripted([err]);
    await assert.rejects(whileServerBusy(s.connect, 10_000, s.sleep, s.now), (e) => e === err);
    assert.equal(s.calls(), 1);
    assert.deepEqual(s.pauses, []);
  });

test('a server busy for longer than the budget fails with its refusal once the budget is spent', async () => {
  const s = scripted(Array.from({ length: 50 }, () => refusal('53300')));
  await assert.rejects(whileServerBusy(s.connect, 10_000, s.sleep, s.now), /refused 53300/);
  assert.ok(s.now() <= 10_000, `paused ${s.now()} ms`);
  assert.ok(s.now() >= 5_000, `gave up after only ${s.now()} ms`);
  assert.ok(s.pauses.every((p) => p <= 2000));
});
