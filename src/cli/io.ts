/**
 * What a CLI run may touch of its process, passed in: bin/dbchange.js hands over the real
 * process, tests hand over strings, so every subcommand runs in-process in a test.
 */
import { resolve } from 'node:path';

export interface Writer {
  write(text: string): unknown;
}

export interface CliIo {
  stdout: Writer;
  stderr: Writer;
  /** Read for `-` (review). */
  stdin: AsyncIterable<string | Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative file arguments are read from here. */
  cwd: string;
}

/** One run of the CLI: its I/O and the exit code the subcommand settles on. */
export interface CliRun {
  readonly io: CliIo;
  exitCode: number;
}

/** The real process as a CliIo. */
export function processIo(): CliIo {
  // process.stdin is opened only when read: creating the stream costs start-up time.
  const stdin: AsyncIterable<string | Uint8Array> = {
    [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator](),
  };
  return { stdout: process.stdout, stderr: process.stderr, stdin, env: process.env, cwd: process.cwd() };
}

/** `file` as a process started in `io.cwd` would open it (unchanged when that is this process's cwd). */
export function inCwd(io: CliIo, file: string): string {
  return io.cwd === process.cwd() ? file : resolve(io.cwd, file);
}

/** Everything on `stdin`, as UTF-8 text. */
export async function readAll(stdin: AsyncIterable<string | Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}
