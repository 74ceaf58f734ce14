// The `dbchange` command: one subcommand per file, registered here.
import { Command } from 'commander';
import { registerServe } from './serve.js';
import { registerReview } from './review.js';
import { registerDiff } from './diff.js';
import { registerDump } from './dump.js';
import { registerCheckFiles } from './check-files.js';

const program = new Command('dbchange')
  .description('Slack-first database change management for PostgreSQL and MySQL')
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander's usage errors exit 2, like every other usage error of ours.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

registerServe(program);
registerReview(program);
registerDiff(program);
registerDump(program);
registerCheckFiles(program);

await program.parseAsync(process.argv);
