// `dbchange check-files`: checks migration file names and versions, for pull requests.
import type { Command } from 'commander';
import { loadConfigFile } from '../config/load.js';
import { isDbchangeError } from '../errors.js';
import { checkMigrationFiles } from '../gitops/path-template.js';

const DEFAULT_TEMPLATE = '{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql';

export function registerCheckFiles(program: Command): void {
  program
    .command('check-files')
    .description('check migration file names against the file path template; exit 1 on a problem')
    .argument('<files...>', 'repository paths of migration files')
    .option('--config <file>', 'dbchange config: its gitops settings and database names are used')
    .option('--template <template>', 'file path template', undefined)
    .option('--base-dir <dir>', 'base directory of migration files in the repository', undefined)
    .option('--format <format>', 'text or github', 'text')
    .action(async (files: string[], opts: { config?: string; template?: string; baseDir?: string; format: string }) => {
      try {
        const config = opts.config ? await loadConfigFile(opts.config) : undefined;
        const template = opts.template ?? config?.gitops?.filePathTemplate ?? DEFAULT_TEMPLATE;
        const baseDirectory = opts.baseDir ?? config?.gitops?.baseDirectory ?? '';
        const { files: ok, problems } = checkMigrationFiles(files, {
          template,
          baseDirectory,
          knownDatabases: config ? [...new Set(config.databases.map((d) => d.name))] : undefined,
          knownEnvironments: config?.environments.map((e) => e.id),
        });
        for (const p of problems) {
          console.log(opts.format === 'github' ? `::error file=${p.path}::${p.message}` : `${p.path}: ${p.message}`);
        }
        if (opts.format !== 'github') console.log(`${ok.length} migration file(s) ok, ${problems.length} problem(s)`);
        process.exit(problems.length ? 1 : 0);
      } catch (e) {
        console.error(isDbchangeError(e) ? e.message : `check-files: ${(e as Error).message}`);
        process.exit(2);
      }
    });
}
