// Agenda runs jobs on the backend openStore hands out: embedded (in-process notifications),
// real PostgreSQL (LISTEN/NOTIFY) and MongoDB without change streams (in-process notifications). Polling is every 10 s, so a job that starts within a
// second of now() was started by a notification, not by a poll. The short lock lifetime only
// shortens the liveness timer Agenda leaves behind each job (lifetime / 2, default 5 min),
// which would otherwise keep the test process alive after stop().
import { after, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agenda } from 'agenda';
import { freshPostgres, type FreshDatabase } from '../../support/db.js';
import { openStore, type OpenedStore } from '../../../src/store/open.js';
import { startMongo } from '../../support/mongo.js';

async function runOneJob(opened: OpenedStore): Promise<{ latencyMs: number; data: unknown }> {
  const agenda = new Agenda({
    backend: opened.agendaBackend,
    ...(opened.notificationChannel ? { notificationChannel: opened.notificationChannel } : {}),
    processEvery: '10 seconds',
    defaultLockLifetime: 4000,
  });
  try {
    let savedAt = 0;
    const ran = new Promise<{ latencyMs: number; data: unknown }>((resolve) => {
      agenda.define('ping', async (job) => {
        resolve({ latencyMs: Date.now() - savedAt, data: job.attrs.data });
      });
    });
    await agenda.start();
    // Let the first poll pass, so the job can only be picked up through a notification.
    await new Promise((r) => setTimeout(r, 300));
    savedAt = Date.now();
    await agenda.now('ping', { issueId: '7' });
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('job did not run within 5 s')), 5000).unref(),
    );
    return await Promise.race([ran, timeout]);
  } finally {
    await agenda.stop();
  }
}

const dirs: string[] = [];
const dbs: FreshDatabase[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  for (const db of dbs) await db.drop();
});

test('Agenda on the embedded store runs a job within a second of now()', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dbchange-agenda-'));
  dirs.push(dir);
  const opened = await openStore(undefined, { dataDir: join(dir, 'pgdata') });
  try {
    assert.equal(opened.kind, 'embedded');
    assert.ok(opened.notificationChannel, 'the embedded store supplies an in-process notification channel');
    const { latencyMs, data } = await runOneJob(opened);
    assert.deepEqual(data, { issueId: '7' });
    assert.ok(latencyMs < 1000, `job started ${latencyMs} ms after now()`);
  } finally {
    await opened.close();
  }
});

test('Agenda on a PostgreSQL store URL runs a job within a second of now() through LISTEN/NOTIFY', async () => {
  const db = await freshPostgres('agenda');
  dbs.push(db);
  const opened = await openStore(db.url);
  try {
    assert.equal(opened.kind, 'postgres');
    assert.equal(opened.notificationChannel, undefined);
    const { latencyMs, data } = await runOneJob(opened);
    assert.deepEqual(data, { issueId: '7' });
    assert.ok(latencyMs < 1000, `job started ${latencyMs} ms after now()`);
  } finally {
    await opened.close();
  }
});

test('Agenda on a MongoDB store without change streams runs a job within a second of now(), notified in process', async () => {
  const mongo = await startMongo();
  try {
    const opened = await openStore(mongo.freshUrl('agenda'));
    try {
      assert.equal(opened.kind, 'mongodb');
      assert.ok(opened.notificationChannel, 'a server without change streams gets an in-process notification channel');
      const { latencyMs, data } = await runOneJob(opened);
      assert.deepEqual(data, { issueId: '7' });
      assert.ok(latencyMs < 1000, `job started ${latencyMs} ms after now()`);
    } finally {
      await opened.close();
    }
  } finally {
    await mongo.stop();
  }
});

test('a job the last run of the bot locked and never finished runs at the next start of the embedded store, without waiting out its lock', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dbchange-agenda-'));
  dirs.push(dir);
  const dataDir = join(dir, 'pgdata');
  // Longer than the wait below, so only an expired lock lets the job run in time (and short, see the top).
  const lockLifetime = 30_000;
  const first = await openStore(undefined, { dataDir });
  try {
    const agenda = new Agenda({
      backend: first.agendaBackend,
      processEvery: '1 hour',
      defaultLockLifetime: lockLifetime,
    });
    agenda.define('stage', async () => undefined, { lockLifetime });
    await agenda.ready;
    await agenda.schedule(new Date(Date.now() + 1000), 'stage', { issueId: '9' });
    // What a scan does up to one interval ahead of a job's time: lock it for this process.
    const locked = await agenda.db.getNextJobToRun('stage', new Date(Date.now() + 5000), new Date(0), undefined, {
      lastModifiedBy: 'killed-bot',
    });
    assert.ok(locked?.lockedAt, 'the job is locked as a killed bot would have left it');
  } finally {
    // The bot dies here: Agenda is never stopped, so nothing unlocks the job.
    await first.close();
  }

  const second = await openStore(undefined, { dataDir });
  const agenda = new Agenda({
    backend: second.agendaBackend,
    notificationChannel: second.notificationChannel,
    processEvery: 500,
    defaultLockLifetime: lockLifetime,
  });
  try {
    const ran = new Promise<unknown>((resolve) => {
      agenda.define('stage', async (job) => resolve(job.attrs.data), { lockLifetime });
    });
    await agenda.start();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the locked job did not run within 10 s')), 10_000).unref(),
    );
    assert.deepEqual(await Promise.race([ran, timeout]), { issueId: '9' });
  } finally {
    await agenda.stop();
    await second.close();
  }
});
