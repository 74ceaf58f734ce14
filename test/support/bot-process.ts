// Runs the real bot (`node bin/dbchange.js serve`) as a child process, pointed at a fake Slack,
// exactly as a user would start it: environment variables and a config file. It runs the
// TypeScript sources (DBCHANGE_SOURCE=1), so e2e tests need no build and never test a stale one.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SIGNING_SECRET = 'e2e-signing-secret-0123456789abcdef';
/** Generous: on a shared 2-core machine the embedded store (PGlite, WebAssembly) can take a minute to open. */
const START_TIMEOUT_MS = 120_000;

export interface BotProcess {
  url: string;
  port: number;
  dir: string;
  output(): string;
  /** Sends `signal` (at once) and resolves when the process has exited, with how it ended. */
  kill(signal?: NodeJS.Signals): Promise<ExitStatus>;
}

/** How the bot's process ended: its exit code, or the signal that ended it. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  config: string;
  slackApiUrl: string;
  botToken: string;
  storeUrl?: string;
  dir?: string;
  port?: number;
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof'] when profiling. */
  nodeArgs?: string[];
}

/** Start the bot and wait until it says it is running (or fail with its output). */
export async function startBotProcess(opts: StartOptions): Promise<BotProcess> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'dbchange-e2e-')));
  const configPath = join(dir, 'dbchange.config.yaml');
  await writeFile(configPath, opts.config);
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), join(ROOT, 'bin/dbchange.js'), 'serve'],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        SLACK_BOT_TOKEN: opts.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: opts.slackApiUrl,
        PORT: String(port),
        DBCHANGE_CONFIG: configPath,
        // The sources under test, through tsx, even when a build in dist/ exists (it may be older).
        DBCHANGE_SOURCE: '1',
        ...(opts.storeUrl ? { DBCHANGE_STORE_URL: opts.storeUrl } : {}),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  await new Promise<void>((resolve, reject) => {
    // A bot that never says it is running is killed, so a failed start never leaves the test process hanging.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bot did not start within ${START_TIMEOUT_MS / 1000} s:\n${out}`));
    }, START_TIMEOUT_MS);
    const onData = () => {
      if (out.includes('dbchange is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code} before it was running:\n${out}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    port,
    dir,
    output: () => out,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * A barrier on what the bot says: resolves once its output holds `count` lines matching `pattern`
 * (the bot has done that much), or fails with the output after `timeoutMs`.
 */
export async function waitForOutput(bot: BotProcess, pattern: RegExp, count = 1, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (outputCount(bot, pattern) < count) {
    if (Date.now() > deadline)
      throw new Error(`the bot did not log ${count}× ${pattern} within ${timeoutMs} ms:\n${bot.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How many lines of the bot's output match `pattern` so far. */
export function outputCount(bot: BotProcess, pattern: RegExp): number {
  return bot
    .output()
    .split('\n')
    .filter((l) => pattern.test(l)).length;
}
