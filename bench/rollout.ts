// Rollout benchmark against the running bot (a real process, signed requests, fake Slack, a
// PostgreSQL store and real PostgreSQL targets), with baselines measured in the same run:
// - a 200-statement script rolled out by the bot against `psql -1 -f` of the same script on the
//   same database (target ≤ 1.1×): the statement loop, first statement to last, as the database's
//   own clock saw it; and the whole task (ledger, schema snapshots, history) against psql's wall time;
// - a stage over 100 databases with rollout.concurrency 10 against 10 × the same stage on one
//   database (target ≤ 1.2×): stage wall time, first task started to last task done.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freshPostgres, type FreshDatabase } from '../test/support/db.js';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { startBotProcess } from '../test/support/bot-process.js';
import { CHANNEL, SlackDriver } from '../test/support/driver.js';
import { openStore } from '../src/store/open.js';
import type { Issue } from '../src/domain/issue.js';

const STATEMENTS = 200;
const GROUP = 100;
const CONCURRENCY = 10;
const RUNS = 3;
const LOOP_RUNS = 6;

/** CPU time all cores spent busy so far (milliseconds, every process). */
const busyMs = () => cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
/** Busy CPU sampled every 10 ms, so the CPU within a stage's span (first task started to last done) can be read. */
const samples: { at: number; busy: number }[] = [];
const sampler = setInterval(() => samples.push({ at: Date.now(), busy: busyMs() }), 10);
sampler.unref();
const busyAt = (t: number) => (samples.find((x) => x.at >= t) ?? samples.at(-1)!).busy;

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The same 200 statements for psql and for the bot; the first and the last note the database's clock. */
function script(tag: string): string {
  const body = Array.from({ length: STATEMENTS - 2 }, (_, i) =>
    i % 2 === 0
      ? `CREATE TABLE b_${tag}_${i} (id int PRIMARY KEY, note text);`
      : `INSERT INTO b_${tag}_${i - 1} (id, note) VALUES (1, 'x'), (2, 'y');`,
  );
  return [
    `INSERT INTO bench_clock (tag, mark, at) VALUES ('${tag}', 'first', clock_timestamp());`,
    ...body,
    `INSERT INTO bench_clock (tag, mark, at) VALUES ('${tag}', 'last', clock_timestamp());`,
  ].join('\n');
}

async function loopMs(url: string, tag: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ ms: number }>(
      `SELECT EXTRACT(EPOCH FROM (MAX(at) FILTER (WHERE mark = 'last') - MAX(at) FILTER (WHERE mark = 'first'))) * 1000 AS ms
         FROM bench_clock WHERE tag = $1`,
      [tag],
    );
    return Number(r.rows[0]!.ms);
  } finally {
    await c.end();
  }
}

const fake = await startFakeSlack();
fake.setChannel(CHANNEL, { name: 'bench' });
fake.setUser('U_DEV', { tz: 'UTC' });
const store = await freshPostgres('bench_ro_store');
const single = await freshPostgres('bench_ro_single');
const solo = await freshPostgres('bench_ro_solo');
const group: FreshDatabase[] = [];
let bot: Awaited<ReturnType<typeof startBotProcess>> | undefined;
const opened = await openStore(store.url);
try {
  for (let i = 0; i < GROUP; i++) group.push(await freshPostgres(`bench_ro_g${i}`));
  {
    const c = new pg.Client({ connectionString: single.url });
    await c.connect();
    await c.query('CREATE TABLE bench_clock (tag text, mark text, at timestamptz)');
    await c.end();
  }
  const config = `channel: ${CHANNEL}
rollout:
  concurrency: ${CONCURRENCY}
environments:
  - id: dev
    rollout: automatic
    # psql runs the same script on the same database between the bot's runs: that is not drift to hold for.
    holdOnDrift: false
databases:
  - { name: single, environment: dev, engine: postgres, url: "${single.url}" }
  - { name: one, environment: dev, engine: postgres, url: "${solo.url}", group: solo }
${group.map((d, i) => `  - { name: g${i}, environment: dev, engine: postgres, url: "${d.url}", group: many }`).join('\n')}
`;
  bot = await startBotProcess({ config, slackApiUrl: fake.url, botToken: fake.token, storeUrl: store.url });
  const slack = new SlackDriver(fake, bot.url);

  /** Submit a change, wait until its stage has ended, and return the issue as stored. */
  async function rollOut(title: string, target: string, sql: string): Promise<Issue> {
    await slack.submit('U_DEV', { title, target, sql });
    const msg = await slack.waitForMessage(title, (m) => /\bdone\b|failed/.test(m.text ?? ''), 600_000);
    const id = /^#(\d+)/.exec(msg.text ?? '')?.[1];
    const issue = id ? await opened.store.getIssue(id) : null;
    if (!issue) throw new Error(`issue of "${title}" not found (message: ${msg.text})`);
    const tasks = issue.stages[0]!.tasks;
    if (tasks.some((t) => t.status !== 'done'))
      throw new Error(`"${title}" did not end done: ${tasks.map((t) => `${t.database} ${t.status} ${t.error ?? ''}`)}`);
    return issue;
  }
  const span = (issue: Issue) => {
    const tasks = issue.stages[0]!.tasks;
    const start = Math.min(...tasks.map((t) => t.startedAt!.getTime()));
    const end = Math.max(...tasks.map((t) => t.finishedAt!.getTime()));
    return end - start;
  };

  // 1. 200 statements: psql against the bot, alternating, on the same database.
  const dir = await mkdtemp(join(tmpdir(), 'dbchange-bench-'));
  const psqlLoop: number[] = [];
  const psqlWall: number[] = [];
  const botLoop: number[] = [];
  const botTask: number[] = [];
  // Every run adds tables to the database, so the side that goes second faces a slightly larger
  // catalog: the order alternates, and there are more runs of this short part.
  const psqlRun = async (run: number) => {
    const tag = `p${run}`;
    const file = join(dir, `${tag}.sql`);
    await writeFile(file, script(tag));
    const t0 = performance.now();
    const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-f', file, single.url], {
      encoding: 'utf8',
    });
    psqlWall.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
    psqlLoop.push(await loopMs(single.url, tag));
  };
  const botRun = async (run: number) => {
    const btag = `b${run}`;
    const issue = await rollOut(`bench 200 statements ${run}`, 'single', script(btag));
    botLoop.push(await loopMs(single.url, btag));
    botTask.push(span(issue));
  };
  for (let run = 0; run < LOOP_RUNS; run++) {
    if (run % 2 === 0) {
      await psqlRun(run);
      await botRun(run);
    } else {
      await botRun(run);
      await psqlRun(run);
    }
  }
  const loopRatio = median(botLoop) / median(psqlLoop);
  console.log(
    `${STATEMENTS} statements, first to last: bot ${median(botLoop).toFixed(0)} ms, psql -1 -f ${median(psqlLoop).toFixed(0)} ms → ${loopRatio.toFixed(2)}x (target ≤ 1.1x; median of ${LOOP_RUNS}, in alternating order)`,
  );
  console.log(
    `${STATEMENTS} statements, whole task (ledger, snapshots, history): bot ${median(botTask).toFixed(0)} ms, psql process ${median(psqlWall).toFixed(0)} ms → ${(median(botTask) / median(psqlWall)).toFixed(2)}x`,
  );

  // 2. 100 databases, 10 at a time, against 10 × one database, with the same small script.
  const small = (tag: string) =>
    `CREATE TABLE s_${tag} (id int PRIMARY KEY, note text);\nINSERT INTO s_${tag} (id, note) VALUES (1, 'x'), (2, 'y');\nCREATE TABLE s_${tag}_2 (id int PRIMARY KEY);`;
  /** CPU all processes spent within the stage's span (to the sampler's 10 ms). */
  const spanCpu = (issue: Issue) => {
    const tasks = issue.stages[0]!.tasks;
    const start = Math.min(...tasks.map((t) => t.startedAt!.getTime()));
    const end = Math.max(...tasks.map((t) => t.finishedAt!.getTime()));
    return busyAt(end) - busyAt(start);
  };
  const oneDb: number[] = [];
  for (let run = 0; run < RUNS; run++)
    oneDb.push(span(await rollOut(`bench one db ${run}`, 'solo', small(`one${run}`))));
  const manyIssue = await rollOut('bench 100 databases', 'many', small('many'));
  const many = span(manyIssue);
  const manyCpu = spanCpu(manyIssue);
  const ratio = many / (CONCURRENCY * median(oneDb));
  console.log(
    `stage over ${GROUP} databases, concurrency ${CONCURRENCY}: ${(many / 1000).toFixed(1)} s; one database ${median(oneDb).toFixed(0)} ms (×${CONCURRENCY} = ${((CONCURRENCY * median(oneDb)) / 1000).toFixed(1)} s) → ${ratio.toFixed(2)}x (target ≤ 1.2x)`,
  );
  // What the machine allows: the CPU the stage's tasks cost (all processes: the bot, the databases,
  // the fake Slack), spread over every core, is the least the stage can take on this machine.
  const perDb = manyCpu / GROUP;
  const floor = manyCpu / cpus().length;
  console.log(
    `  CPU within the stage: ${(manyCpu / 1000).toFixed(1)} core-s, ${perDb.toFixed(0)} ms per database (all processes); spread over ${cpus().length} cores that is at least ${(floor / 1000).toFixed(1)} s → ${(floor / (CONCURRENCY * median(oneDb))).toFixed(2)}x at best on this machine, against one database's ${median(oneDb).toFixed(0)} ms wall`,
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await bot?.kill('SIGTERM');
  await fake.close();
  await opened.close();
  for (const d of [single, solo, ...group]) await d.drop().catch(() => {});
  await store.drop();
}
