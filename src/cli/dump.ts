// `dbchange dump`: a database's canonical SDL.
import type { Command } from 'commander';
import { messageOf } from '../errors.js';
import type { CliRun } from './io.js';

/** Register `dbchange dump <url>`. */
export function registerDump(program: Command, cli: CliRun): void {
  program
    .command('dump')
    .description("print a database's canonical schema (SDL)")
    .argument('<url>', 'database URL (postgres://… or mysql://…)')
    .action(async (url: string) => {
      try {
        const { dumpSdl, introspectUrl } = await import('../schema/index.js');
        cli.io.stdout.write(dumpSdl(await introspectUrl(url)));
      } catch (e) {
        cli.io.stderr.write(`dbchange dump: ${messageOf(e)}\n`);
        cli.exitCode = 2;
      }
    });
}
