// `dbchange diff`: the DDL that turns one schema (URL or SDL file) into another.
import type { Command } from 'commander';
import { messageOf } from '../errors.js';
import { diffSchemas, renderDdl } from '../schema/index.js';
import { loadSource, resolveEngine } from '../schema/source.js';

interface DiffOptions {
  from: string;
  to: string;
  engine?: string;
  devUrl?: string;
}

/** Register `dbchange diff --from <url|file.sql> --to <url|file.sql> [--engine] [--dev-url]`. */
export function registerDiff(program: Command): void {
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
    .action(async (opts: DiffOptions) => {
      try {
        const devUrl = opts.devUrl ?? process.env.DBCHANGE_DEV_URL;
        const engine = resolveEngine([opts.from, opts.to], opts.engine, devUrl);
        const from = await loadSource(opts.from, engine, devUrl);
        const to = await loadSource(opts.to, engine, devUrl);
        const changes = diffSchemas(from, to);
        process.stdout.write(renderDdl(changes));
        const destructive = changes.filter((c) => c.destructive);
        if (destructive.length > 0) {
          process.stderr.write(
            `-- ${destructive.length} destructive statement(s): ${destructive.map((c) => c.kind).join(', ')}\n`,
          );
        }
      } catch (e) {
        process.stderr.write(`dbchange diff: ${messageOf(e)}\n`);
        process.exit(2);
      }
    });
}
