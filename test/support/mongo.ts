// A MongoDB-compatible server for tests: the jongodb binary from the optional dependency
// @jongodb/memory-server-bin-linux-x64-gnu, started on a free loopback port. It prints
// `JONGODB_URI=…` when it is ready. It keeps everything in memory and lacks dropDatabase,
// drop, listCollections, change streams and $push: tests start from a fresh database name
// instead of dropping one.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';

export const JONGODB_BIN = fileURLToPath(
  new URL('../../node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb', import.meta.url),
);

export interface MongoServer {
  /** mongodb://127.0.0.1:PORT (no database in the path). */
  url: string;
  /** A URL naming a database nobody used yet. */
  freshUrl(prefix: string): string;
  stop(): Promise<void>;
}

/** Starts a jongodb server, or uses TEST_MONGODB_URL when it names a real MongoDB. */
export async function startMongo(): Promise<MongoServer> {
  const external = process.env.TEST_MONGODB_URL;
  if (external) return server(external.replace(/\/[^/?]*(\?.*)?$/, ''), async () => undefined);
  if (!existsSync(JONGODB_BIN)) {
    throw new Error(
      `${JONGODB_BIN} is missing: run npm ci on linux-x64 (glibc), or set TEST_MONGODB_URL to a MongoDB server`,
    );
  }
  const child = spawn(JONGODB_BIN, ['--host=127.0.0.1', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await readyUrl(child);
  return server(url, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
}

function server(url: string, stop: () => Promise<void>): MongoServer {
  return {
    url,
    freshUrl: (prefix) => `${url}/t_${prefix}_${randomBytes(4).toString('hex')}`,
    stop,
  };
}

function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jongodb did not print JONGODB_URI within 20 s: ${stderr}`));
    }, 20_000);
    lines.on('line', (line) => {
      const m = /^JONGODB_URI=(mongodb:\/\/[^/\s]+)/.exec(line.trim());
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1]!);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`jongodb exited (${code ?? signal}) before it was ready: ${stderr}`));
    });
  });
}
