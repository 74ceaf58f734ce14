/**
 * One owner per embedded data directory. PGlite itself does not lock its directory, and two
 * processes writing the same files would corrupt it, so we hold `<dataDir>.lock` (created
 * exclusively, holding our pid) for as long as the database is open. A lock whose pid is no
 * longer running was left by a crash and is taken over.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface DataDirLock {
  path: string;
  release(): Promise<void>;
}

/** Locks held by this process: a second open in the same process is refused too. */
const heldHere = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

async function ownerOf(path: string): Promise<number | null> {
  const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Take the lock for `dataDir`, or return the pid that holds it (or -1 when unknown, e.g. a
 * lock file still being written by another process).
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock | { heldBy: number }> {
  const path = `${dataDir.replace(/[\\/]+$/, '')}.lock`;
  if (heldHere.has(path)) return { heldBy: process.pid };
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await tryCreate(path)) {
      heldHere.add(path);
      return {
        path,
        async release() {
          heldHere.delete(path);
          await unlink(path).catch(() => undefined);
        },
      };
    }
    const pid = await ownerOf(path);
    if (pid === null) return { heldBy: -1 };
    if (pid !== process.pid && isRunning(pid)) return { heldBy: pid };
    // Stale: left by a process that is gone (or by this pid in an earlier life).
    await unlink(path).catch(() => undefined);
  }
  return { heldBy: -1 };
}
