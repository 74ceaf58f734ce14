// Runs only the schema subcommands (diff, dump) the way src/cli/main.ts wires them, so their
// tests do not depend on every other subcommand of the CLI loading.
import { Command } from 'commander';
import { registerDiff } from '../../../src/cli/diff.js';
import { registerDump } from '../../../src/cli/dump.js';

const program = new Command('dbchange').exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});
registerDiff(program);
registerDump(program);
await program.parseAsync(process.argv);
