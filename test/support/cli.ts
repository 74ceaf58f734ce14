// Runs the dbchange CLI in-process, as bin/dbchange.js does, with strings for its streams.
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Relative file arguments are read from here (default: this process's cwd). */
  cwd?: string;
  /** What `-` reads. */
  stdin?: string;
  /** The environment the command sees (default: empty, so nothing leaks in from the test run). */
  env?: Record<string, string | undefined>;
}

/** `dbchange ...args`: its exit code and everything it wrote. */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}
