// What the progress message and the lock watch cost a rollout: one 200-statement task on a real
// PostgreSQL target and store, run by the application (runStage) with its thread going to the fake
// Slack Web API through the bot's own Web API client, with the live progress edits and lock watch
// on (as shipped) against the same task with them off, interleaved, in the same run. Target: at
// most 5% more wall time.
import { WebClient } from '@slack/web-api';
import pino from 'pino';
import { createApplication, DEFAULT_TASK_WATCH, type RolloutQueue } from '../src/app/index.js';
import { parseConfig } from '../src/config/load.js';
import type { DatabaseConfig } from '../src/config/model.js';
import { slackNotifier } from '../src/slack/notifier.js';
import { webClientOptions } from '../src/slack/web-client.js';
import { openStore } from '../src/store/open.js';
import { openTarget } from '../src/targets/index.js';
import type { Target } from '../src/targets/types.js';
import { freshPostgres } from '../test/support/db.js';
import { startFakeSlack } from '../test/support/fake-slack.js';

const STATEMENTS = 200;
const PAIRS = 11;
const CHANNEL = 'C_BENCH';

const fake = await startFakeSlack();
fake.setChannel(CHANNEL, { name: 'bench', isMember: true });
const storeDb = await freshPostgres('bench_progress_store');
const targetDb = await freshPostgres('bench_progress_target');
const opened = await openStore(storeDb.url);
await opened.store.migrate();
const config = parseConfig(
  `channel: ${CHANNEL}
environments:
  - id: prod
    releasers: [U_REL]
    rollout: manual
databases:
  - { name: app, environment: prod, engine: postgres, url: "${targetDb.url}" }
`,
  'bench.yaml',
  {},
);
const client = new WebClient(fake.token, webClientOptions(fake.url));
const logger = pino({ level: 'silent' });
const targets = new Map<string, Target>();
const targetFor = (db: DatabaseConfig) => {
  let t = targets.get(db.name);
  if (!t) targets.set(db.name, (t = openTarget(db.engine, db.url)));
  return t;
};
const queue: RolloutQueue = {
  runStage: async () => {},
  scheduleStage: async () => {},
  cancelSchedule: async () => {},
  continueWavesAt: async () => {},
  approvalExpiresAt: async () => {},
};
const appFor = (on: boolean) =>
  createApplication({
    config,
    store: opened.store,
    queue,
    notifier: slackNotifier(client, config),
    reviewer: () => [],
    targetFor,
    directory: (entries) => new Set(entries),
    now: () => new Date(),
    logger,
    // On: the progress message posted at the task's start (a task this short would otherwise post
    // none), edited as shipped, and the lock watch; off: neither.
    taskWatch: on
      ? { ...DEFAULT_TASK_WATCH, progressAfterMs: null }
      : { ...DEFAULT_TASK_WATCH, progressAfterMs: null, progressEveryMs: null, lockWatch: false },
  });
const apps = { on: appFor(true), off: appFor(false) };

let n = 0;
/** One running issue whose single task creates a table and fills it, statement by statement. */
async function runningIssue(): Promise<string> {
  const table = `bench_${++n}`;
  const sql = [
    `CREATE TABLE ${table} (id int PRIMARY KEY, note text);`,
    ...Array.from(
      { length: STATEMENTS - 1 },
      (_, i) => `INSERT INTO ${table} (id, note) SELECT ${i} * 1000 + g, md5(g::text) FROM generate_series(1, 50) g;`,
    ),
  ].join('\n');
  const posted = await client.chat.postMessage({ channel: CHANNEL, text: `bench ${n}` });
  const issue = await opened.store.createIssue(
    {
      title: `bench ${n}`,
      description: '',
      labels: [],
      timing: '',
      creator: 'U_DEV',
      target: 'app',
      changeType: 'ddl',
      sql,
      revision: 1,
      status: 'running',
      source: { kind: 'slack' },
      findings: [],
      slack: { channel: CHANNEL, ts: posted.ts! },
      stages: [
        {
          environment: 'prod',
          status: 'running',
          approvals: [],
          releasedBy: 'U_REL',
          tasks: [{ id: `bench-task-${n}`, database: 'app', engine: 'postgres', status: 'pending', attempt: 0 }],
        },
      ],
    },
    new Date(),
  );
  return issue.id;
}

async function timed(mode: 'on' | 'off'): Promise<number> {
  const id = await runningIssue();
  const started = performance.now();
  await apps[mode].runStage(id, 0);
  const ms = performance.now() - started;
  const after = await opened.store.getIssue(id);
  if (after?.status !== 'done') throw new Error(`bench task ${id} ended ${after?.status}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  await timed('on');
  await timed('off');
  const runs: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const editsBefore = fake.callsOf('chat.update').length;
  for (let i = 0; i < PAIRS; i++) {
    // Alternate which goes first, so a drift in the machine's load falls on both.
    for (const mode of i % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const)) runs[mode].push(await timed(mode));
  }
  const edits = fake.callsOf('chat.update').length - editsBefore;
  const on = median(runs.on);
  const off = median(runs.off);
  // Each pair ran back to back: the median of their ratios is the least disturbed by the machine's load.
  const ratio = median(runs.on.map((x, i) => x / runs.off[i]!));
  console.log(`${STATEMENTS}-statement task, median of ${PAIRS} runs each (PostgreSQL target and store, fake Slack):`);
  console.log(`  progress edits and lock watch off  ${off.toFixed(0).padStart(6)} ms`);
  console.log(
    `  progress edits and lock watch on   ${on.toFixed(0).padStart(6)} ms  (${edits} chat.update calls in all)`,
  );
  console.log(
    `  runs off: ${runs.off.map((x) => x.toFixed(0)).join(' ')}; on: ${runs.on.map((x) => x.toFixed(0)).join(' ')}`,
  );
  console.log(`  ratio on/off ${ratio.toFixed(3)}x, median of the pairs' ratios (target <= 1.05x)`);
} finally {
  for (const t of targets.values()) await t.close();
  await opened.close();
  await fake.close();
  await targetDb.drop();
  await storeDb.drop();
}
