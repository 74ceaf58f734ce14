// Load generator for bench/workflow.ts, in its own thread so that the fake Slack's work in the
// main thread does not count as the bot's latency. Sends pre-built signed bodies, N in flight.
import { parentPort, workerData } from 'node:worker_threads';
import { sendToBot } from '../test/support/slack-requests.js';

interface Job {
  url: string;
  secret: string;
  bodies: string[];
  inFlight: number;
  warmup: number;
}

const job = workerData as Job;
// Warm-up with the same concurrency, so the connections are open before measuring: what is
// measured is the bot's ack, not 20 simultaneous TCP handshakes.
{
  const warm = job.bodies.slice(0, job.warmup);
  let k = 0;
  await Promise.all(
    Array.from({ length: job.inFlight }, async () => {
      while (k < warm.length) await sendToBot(job.url, warm[k++]!, { secret: job.secret });
    }),
  );
  await new Promise((r) => setTimeout(r, 1500));
}
const measured = job.bodies.slice(job.warmup);
const times: number[] = [];
let errors = 0;
let next = 0;
await Promise.all(
  Array.from({ length: job.inFlight }, async () => {
    while (next < measured.length) {
      const body = measured[next++]!;
      const r = await sendToBot(job.url, body, { secret: job.secret });
      if (r.status !== 200) errors++;
      times.push(r.ms);
    }
  }),
);
parentPort!.postMessage({ times, errors });
