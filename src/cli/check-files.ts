/**
 * `dbchange check-files`: checks migration file names and versions, for pull requests. Arguments
 * are repository paths; a directory stands for every file under it (recursively), so
 * `dbchange check-files migrations` checks the whole folder. Paths that do not exist are still
 * checked by name (a pull request's list of changed files may hold deleted ones).
 * Output formats live in FORMATS: one function per format, so a new one is one entry.
 */
import { readdir, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { Option, type Command } from 'commander';
import { DbchangeError, ErrorCode, isDbchangeError, messageOf } from '../errors.js';
import type { FileProblem, MigrationFile } from '../gitops/path-template.js';
import { annotation } from './github.js';
import { type CliIo, type CliRun, inCwd, type Writer } from './io.js';

const DEFAULT_TEMPLATE = '{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql';
// Never migrations, and large: not walked when a directory is given.
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

export interface CheckResult {
  files: MigrationFile[];
  problems: FileProblem[];
}

/** How a result is printed, by --format. */
export const FORMATS: Record<string, (result: CheckResult, out: Writer) => void> = {
  text: ({ files, problems }, out) => {
    for (const p of problems) out.write(`${p.path}: ${p.message}\n`);
    out.write(`${files.length} migration file(s) ok, ${problems.length} problem(s)\n`);
  },
  github: ({ problems }, out) => {
    for (const p of problems) out.write(`${annotation('error', { file: p.path }, p.message)}\n`);
  },
};

interface CheckOptions {
  config?: string;
  repo?: string;
  template?: string;
  baseDir?: string;
  format: string;
}

/** The paths to check: files as given, directories replaced by the files under them (sorted). */
export async function expandPaths(io: CliIo, paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(inCwd(io, dir), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = dir === '.' ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(e.name)) await walk(path);
      } else out.push(path);
    }
  };
  for (const p of paths) {
    const isDirectory = await stat(inCwd(io, p)).then(
      (s) => s.isDirectory(),
      () => false,
    );
    // `./migrations/` is the repository path `migrations`.
    if (isDirectory) await walk(posix.normalize(p).replace(/(.)\/+$/, '$1'));
    else out.push(p);
  }
  return out;
}

/** The files a clone's checked-out branch holds under the base directory (git ls-files). */
async function trackedFiles(dir: string, baseDirectory: string): Promise<string[]> {
  const { simpleGit } = await import('simple-git');
  const out = await simpleGit({ baseDir: dir }).raw([
    'ls-files',
    '-z',
    '--',
    ...(baseDirectory ? [baseDirectory] : []),
  ]);
  return out.split('\0').filter(Boolean);
}

export function registerCheckFiles(program: Command, cli: CliRun): void {
  const { io } = cli;
  program
    .command('check-files')
    .description('check migration file names against the file path template; exit 1 on a problem')
    .argument('[paths...]', 'repository paths of migration files, or directories to check every file under')
    .option('--config <file>', 'dbchange config: its gitops settings and database names are used')
    .option('--template <template>', 'file path template', undefined)
    .option('--base-dir <dir>', 'base directory of migration files in the repository', undefined)
    .option('--repo <dir>', 'a clone of the branch: versions are checked against the migration files it holds')
    .addOption(new Option('--format <format>', 'output format').choices(Object.keys(FORMATS)).default('text'))
    .action(async (paths: string[], opts: CheckOptions) => {
      try {
        const { loadConfigFile } = await import('../config/load.js');
        const { checkMigrationFiles } = await import('../gitops/path-template.js');
        const config = opts.config ? await loadConfigFile(inCwd(io, opts.config)) : undefined;
        const template = opts.template ?? config?.gitops[0]?.filePathTemplate ?? DEFAULT_TEMPLATE;
        const baseDirectory = opts.baseDir ?? config?.gitops[0]?.baseDirectory ?? '';
        const held = opts.repo ? await trackedFiles(inCwd(io, opts.repo), baseDirectory) : [];
        if (paths.length === 0 && !opts.repo)
          throw new DbchangeError(ErrorCode.InvalidInput, 'name the files to check, or --repo DIR to check a clone');
        const given = paths.length ? await expandPaths(io, paths) : held;
        const check = {
          template,
          baseDirectory,
          knownDatabases: config ? [...new Set(config.databases.map((d) => d.name))] : undefined,
          knownEnvironments: config?.environments.map((e) => e.id),
        };
        const result = checkMigrationFiles(given, check);
        if (paths.length && opts.repo) {
          const { checkAgainstBranch } = await import('../gitops/path-template.js');
          const { compareVersions, versionOrderOf } = await import('../gitops/versions.js');
          const order = versionOrderOf(template);
          const onBranch = checkMigrationFiles(
            held.filter((p) => !given.includes(p)),
            { template, baseDirectory },
          ).files;
          const against = checkAgainstBranch(result.files, onBranch, (a, b) => compareVersions(a, b, order));
          const bad = new Set(against.map((p) => p.path));
          result.problems.push(...against);
          result.files = result.files.filter((f) => !bad.has(f.path));
        }
        FORMATS[opts.format]!(result, io.stdout);
        cli.exitCode = result.problems.length ? 1 : 0;
      } catch (e) {
        io.stderr.write(`${isDbchangeError(e) ? e.message : `dbchange check-files: ${messageOf(e)}`}\n`);
        cli.exitCode = 2;
      }
    });
}
