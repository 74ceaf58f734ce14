// The embedded store keeps its data in its directory across restarts, and refuses a second
// owner of that directory with a message that points at DBCHANGE_STORE_URL.
import { after, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDbchangeError, ErrorCode } from '../../../src/errors.js';
import { openStore } from '../../../src/store/open.js';
import { startEmbeddedPostgres } from '../../../src/store/embedded.js';
import { at, busyIssue } from './fixtures.js';

const dirs: string[] = [];
async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dbchange-embedded-'));
  dirs.push(dir);
  return join(dir, 'pgdata');
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function inUseError(pid: number) {
  return (e: unknown) =>
    isDbchangeError(e, ErrorCode.StoreUnavailable) &&
    e.message.includes(`process ${pid}`) &&
    e.message.includes('DBCHANGE_STORE_URL') &&
    e.message.includes('one process only');
}

test('data written to the embedded store is there after it is closed and opened again, and the directory is refused while open', async () => {
  const dataDir = await tempDataDir();
  const first = await openStore(undefined, { dataDir });
  assert.equal(first.kind, 'embedded');
  assert.match(first.describe, /embedded PGlite in .*pgdata/);
  const created = await first.store.createIssue(busyIssue(), at(0));
  await first.store.setCursor('git:main', 'abc');
  await assert.rejects(openStore(undefined, { dataDir }), inUseError(process.pid));
  await first.close();
  await assert.rejects(stat(`${dataDir}.lock`), /ENOENT/, 'close() releases the lock');

  const second = await openStore(undefined, { dataDir });
  try {
    assert.deepEqual(await second.store.getIssue(created.id), created);
    assert.equal(await second.store.getCursor('git:main'), 'abc');
    const next = await second.store.createIssue(busyIssue(), at(1));
    assert.equal(next.id, '2');
  } finally {
    await second.close();
  }
});

test('a data directory locked by another running process is refused with a message naming DBCHANGE_STORE_URL', async () => {
  const dataDir = await tempDataDir();
  // The parent process (the test runner) is alive and is not us: it stands in for another bot.
  await writeFile(`${dataDir}.lock`, String(process.ppid));
  await assert.rejects(startEmbeddedPostgres({ dataDir }), inUseError(process.ppid));
  assert.equal(await readFile(`${dataDir}.lock`, 'utf8'), String(process.ppid), 'the other owner keeps its lock');
});

test('a lock left by a process that no longer runs is taken over', async () => {
  const dataDir = await tempDataDir();
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  assert.ok(gone);
  await writeFile(`${dataDir}.lock`, String(gone));
  const embedded = await startEmbeddedPostgres({ dataDir });
  try {
    assert.equal(await readFile(`${dataDir}.lock`, 'utf8'), String(process.pid));
    assert.match(embedded.url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
  } finally {
    await embedded.close();
  }
});
