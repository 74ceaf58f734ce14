/**
 * `dbchange review`: SQL review for pull requests. Exit 1 when any finding is an ERROR, 0
 * otherwise, 2 on usage errors (bad options, unreadable files, unreachable --url). The review
 * engine and the drivers load only when the command runs, so `dbchange --help` starts fast.
 */
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { engineOfUrl, isEngine, type Engine } from '../domain/engine.js';
import { DbchangeError, ErrorCode, messageOf } from '../errors.js';
import type { Finding, ReviewPolicy } from '../review/index.js';
import { annotation } from './github.js';
import { type CliIo, type CliRun, inCwd, readAll } from './io.js';

type Format = 'text' | 'json' | 'github';

interface Options {
  engine?: string;
  policy?: string;
  url?: string;
  format: Format;
  listRules?: boolean;
  pgVersion?: string;
  assumeInTransaction?: boolean;
}

interface FileFinding extends Finding {
  file: string;
}

function usage(message: string, cause?: unknown): DbchangeError {
  return new DbchangeError(ErrorCode.InvalidInput, message, { cause });
}

async function readInput(io: CliIo, file: string): Promise<string> {
  if (file === '-') return readAll(io.stdin);
  try {
    return await readFile(inCwd(io, file), 'utf8');
  } catch (e) {
    throw usage(`cannot read ${file}: ${messageOf(e)}`, e);
  }
}

/** Render findings in one of the output formats. */
export function render(findings: FileFinding[], format: Format, files: number): string {
  if (format === 'json') {
    return JSON.stringify({
      findings: findings.map((f) => ({
        file: f.file,
        rule: f.rule,
        level: f.level,
        line: f.line,
        column: f.column,
        message: f.message,
      })),
    });
  }
  if (format === 'github') {
    return findings
      .map((f) =>
        annotation(
          f.level === 'ERROR' ? 'error' : 'warning',
          { file: f.file, line: f.line, col: f.column, title: f.rule },
          f.message,
        ),
      )
      .join('\n');
  }
  const errors = findings.filter((f) => f.level === 'ERROR').length;
  const lines = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.level} [${f.rule}] ${f.message}`);
  lines.push(`${files} file(s) reviewed: ${errors} error(s), ${findings.length - errors} warning(s)`);
  return lines.join('\n');
}

async function run(io: CliIo, files: string[], opts: Options): Promise<number> {
  if (opts.engine !== undefined && !isEngine(opts.engine))
    throw usage(`--engine must be postgres or mysql, got "${opts.engine}"`);
  const { DEFAULT_PRODUCTION_POLICY, catalog, listRules, loadPolicy, reviewLive, reviewScript } = await import(
    '../review/index.js'
  );
  if (opts.listRules) {
    const onlyEngine = opts.engine as Engine | undefined;
    if (opts.format === 'json') {
      const rules = catalog()
        .filter((r) => onlyEngine === undefined || r.engines.includes(onlyEngine))
        .map((r) => ({
          id: r.id,
          aliases: [r.type, ...r.aliases],
          engines: r.engines,
          live: r.live,
          description: r.summary,
        }));
      io.stdout.write(`${JSON.stringify({ rules })}\n`);
    } else io.stdout.write(`${listRules(onlyEngine).join('\n')}\n`);
    return 0;
  }
  let pgVersion: number | undefined;
  if (opts.pgVersion !== undefined) {
    pgVersion = Number.parseInt(opts.pgVersion, 10);
    if (!(pgVersion >= 9 && pgVersion < 100))
      throw usage(`--pg-version must be a PostgreSQL major version such as 15 or 11.2, got "${opts.pgVersion}"`);
  }
  const engine = (opts.engine as Engine | undefined) ?? (opts.url ? engineOfUrl(opts.url) : undefined);
  if (!engine) throw usage('say which engine the SQL is for: --engine postgres|mysql (or give --url)');
  if (files.length === 0) throw usage('give the SQL files to review, or - to read standard input');
  // A pull-request check guards what will reach production: the production defaults.
  let policy: ReviewPolicy = DEFAULT_PRODUCTION_POLICY;
  if (opts.policy) {
    const text = await readInput(io, opts.policy);
    try {
      policy = loadPolicy(text, opts.policy);
    } catch (e) {
      throw usage(messageOf(e), e);
    }
  }
  const inputs = await Promise.all(files.map(async (file) => ({ file, sql: await readInput(io, file) })));
  const live = opts.url ? await (await import('../targets/index.js')).connectDatabase(engine, opts.url) : null;
  const all: FileFinding[] = [];
  try {
    if (live && engine === 'postgres' && pgVersion === undefined) {
      const rows = (await live.query('SHOW server_version_num')) as Array<{ server_version_num?: string }>;
      const num = Number(rows[0]?.server_version_num);
      if (num > 0) pgVersion = Math.floor(num / 10000);
    }
    for (const { file, sql } of inputs) {
      const found = reviewScript({
        engine,
        sql,
        policy,
        ...(pgVersion ? { pgVersion } : {}),
        ...(opts.assumeInTransaction ? { assumeInTransaction: true } : {}),
      }).findings;
      if (live && !found.some((f) => f.rule === 'syntax-error' || f.rule === 'builtin.statement.maximum-sql-size')) {
        found.push(...(await reviewLive({ engine, sql, policy, query: live.query })));
        found.sort((a, b) => a.line - b.line || a.column - b.column);
      }
      for (const f of found) all.push(Object.assign(f, { file }));
    }
  } finally {
    await live?.close();
  }
  const out = render(all, opts.format, files.length);
  if (out) io.stdout.write(`${out}\n`);
  return all.some((f) => f.level === 'ERROR') ? 1 : 0;
}

/** Register `dbchange review`. */
export function registerReview(program: Command, cli: CliRun): void {
  program
    .command('review')
    .description('review SQL files against the policy (exit 1 on an ERROR finding)')
    .argument('[files...]', 'SQL files to review, or - for standard input')
    .addOption(new Option('--engine <engine>', 'SQL dialect').choices(['postgres', 'mysql']))
    .option('--policy <file>', 'Bytebase-compatible policy (YAML or JSON); default: the built-in policy')
    .option('--url <url>', 'also run the live-database rules against this database')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--pg-version <version>', "PostgreSQL version the SQL is for (default: the --url server's, else current)")
    .option(
      '--assume-in-transaction',
      "PostgreSQL: review each file as if wrapped in BEGIN … COMMIT by the migration tool (Squawk's setting)",
    )
    .option(
      '--list-rules',
      'print the supported rule ids, one per line (--format json: with aliases, engines, description)',
    )
    .action(async (files: string[], opts: Options) => {
      try {
        cli.exitCode = await run(cli.io, files, opts);
      } catch (e) {
        cli.io.stderr.write(`dbchange review: ${messageOf(e)}\n`);
        cli.exitCode = 2; // usage errors and unreachable inputs alike: nothing was reviewed
      }
    });
}
