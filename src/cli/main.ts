/**
 * The `dbchange` command. `main(argv, io)` parses the arguments, runs one subcommand and resolves
 * with its exit code: 0 fine, 1 the check found something (review errors, differences under
 * `diff --exit-code`, check-files problems, serve failing to start), 2 a usage error or an input
 * that cannot be read or reached. Output goes to `io` only, so tests run it in-process;
 * bin/dbchange.js passes the real process. One subcommand per file, registered here.
 */
import { Command, CommanderError } from 'commander';
import { registerCheckFiles } from './check-files.js';
import { registerDiff } from './diff.js';
import { registerDump } from './dump.js';
import type { CliIo, CliRun } from './io.js';
import { registerReview } from './review.js';
import { registerServe } from './serve.js';

/** Run the CLI with `argv` (without node and the script) and resolve with the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const run: CliRun = { io, exitCode: 0 };
  // Settings made here are inherited by every subcommand registered below.
  const program = new Command('dbchange')
    .description('Slack-first database change management for PostgreSQL and MySQL')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  registerServe(program, run);
  registerReview(program, run);
  registerDiff(program, run);
  registerDump(program, run);
  registerCheckFiles(program, run);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    // commander's usage errors exit 2, like every other usage error of ours; --help exits 0.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return run.exitCode;
}

export { processIo } from './io.js';
