// `dbchange dump`: a database's canonical SDL.
import type { Command } from 'commander';
import { messageOf } from '../errors.js';
import { dumpSdl, introspectUrl } from '../schema/index.js';

/** Register `dbchange dump <url>`. */
export function registerDump(program: Command): void {
  program
    .command('dump')
    .description("print a database's canonical schema (SDL)")
    .argument('<url>', 'database URL (postgres://… or mysql://…)')
    .action(async (url: string) => {
      try {
        process.stdout.write(dumpSdl(await introspectUrl(url)));
      } catch (e) {
        process.stderr.write(`dbchange dump: ${messageOf(e)}\n`);
        process.exit(2);
      }
    });
}
