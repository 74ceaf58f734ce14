// `dbchange diff`: the DDL that turns one schema (URL or SDL file) into another.
import type { Command } from 'commander';
import { messageOf } from '../errors.js';
import { type CliRun, inCwd } from './io.js';

interface DiffOptions {
  from: string;
  to: string;
  engine?: string;
  devUrl?: string;
  exitCode?: boolean;
}

/** Register `dbchange diff --from <url|file.sql> --to <url|file.sql> [--engine] [--dev-url] [--exit-code]`. */
export function registerDiff(program: Command, cli: CliRun): void {
  const { io } = cli;
  program
    .command('diff')
    .description('print the DDL that turns --from into --to (each a database URL or an SDL file)')
    .requiredOption('--from <source>', 'current schema: database URL or .sql file')
    .requiredOption('--to <source>', 'desired schema: database URL or .sql file')
    .option('--engine <engine>', 'postgres or mysql (default: from the URLs)')
    .option(
      '--dev-url <url>',
      'dev instance for loading SQL files into a temporary database (default: $DBCHANGE_DEV_URL)',
    )
    .option('--exit-code', 'exit 1 when there are differences, 0 when there are none (as git diff --exit-code)')
    .action(async (opts: DiffOptions) => {
      try {
        const { diffSchemas, renderDdl } = await import('../schema/index.js');
        const { isUrl, loadDesired, loadSource, resolveEngine } = await import('../schema/source.js');
        const devUrl = opts.devUrl ?? io.env.DBCHANGE_DEV_URL;
        const engine = resolveEngine([opts.from, opts.to], opts.engine, devUrl);
        const source = (spec: string) => loadSource(isUrl(spec) ? spec : inCwd(io, spec), engine, devUrl);
        const from = await source(opts.from);
        const to = await loadDesired(isUrl(opts.to) ? opts.to : inCwd(io, opts.to), engine, devUrl);
        const changes = diffSchemas(from, to.model, { renames: to.renames });
        io.stdout.write(renderDdl(changes));
        const destructive = changes.filter((c) => c.destructive);
        if (destructive.length > 0) {
          io.stderr.write(
            `-- ${destructive.length} destructive statement(s): ${destructive.map((c) => c.kind).join(', ')}\n`,
          );
        }
        cli.exitCode = opts.exitCode && changes.length > 0 ? 1 : 0;
      } catch (e) {
        io.stderr.write(`dbchange diff: ${messageOf(e)}\n`);
        cli.exitCode = 2;
      }
    });
}
