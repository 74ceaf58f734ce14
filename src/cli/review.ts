/**
 * `dbchange review`: SQL review for pull requests. Exit 1 when any finding is an ERROR, 0
 * otherwise, 2 on usage errors (bad options, unreadable files, unreachable --url).
 */
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { engineOfUrl, isEngine, type Engine } from '../domain/engine.js';
import { messageOf } from '../errors.js';
import type { QueryFn } from '../targets/types.js';
import {
  DEFAULT_POLICY,
  listRules,
  loadPolicy,
  reviewLive,
  reviewScript,
  type Finding,
  type ReviewPolicy,
} from '../review/index.js';

type Format = 'text' | 'json' | 'github';

interface Options {
  engine?: string;
  policy?: string;
  url?: string;
  format: Format;
  listRules?: boolean;
}

interface FileFinding extends Finding {
  file: string;
}

class UsageError extends Error {}

async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${messageOf(e)}`);
  }
}

/** Open one connection to DATABASE_URL as a QueryFn, with a close function. */
async function connect(engine: Engine, url: string): Promise<{ query: QueryFn; close: () => Promise<void> }> {
  try {
    if (engine === 'postgres') {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const query = (async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows) as QueryFn;
      return { query, close: () => client.end() };
    }
    const conn = await mysql.createConnection(url);
    const query = (async (sql: string, params?: unknown[]) => {
      const [rows] = await conn.query(sql, params);
      return Array.isArray(rows) ? rows : [];
    }) as QueryFn;
    return { query, close: () => conn.end() };
  } catch (e) {
    throw new UsageError(`cannot connect to --url: ${messageOf(e)}`);
  }
}

// GitHub workflow commands: data and property values escape differently.
function ghData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function ghProp(s: string): string {
  return ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
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
      .map(
        (f) =>
          `::${f.level === 'ERROR' ? 'error' : 'warning'} file=${ghProp(f.file)},line=${f.line},col=${f.column},title=${ghProp(f.rule)}::${ghData(f.message)}`,
      )
      .join('\n');
  }
  const errors = findings.filter((f) => f.level === 'ERROR').length;
  const lines = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.level} [${f.rule}] ${f.message}`);
  lines.push(`${files} file(s) reviewed: ${errors} error(s), ${findings.length - errors} warning(s)`);
  return lines.join('\n');
}

async function run(files: string[], opts: Options): Promise<number> {
  if (opts.engine !== undefined && !isEngine(opts.engine))
    throw new UsageError(`--engine must be postgres or mysql, got "${opts.engine}"`);
  if (opts.listRules) {
    process.stdout.write(`${listRules(opts.engine as Engine | undefined).join('\n')}\n`);
    return 0;
  }
  const engine = (opts.engine as Engine | undefined) ?? (opts.url ? engineOfUrl(opts.url) : undefined);
  if (!engine) throw new UsageError('say which engine the SQL is for: --engine postgres|mysql (or give --url)');
  if (files.length === 0) throw new UsageError('give the SQL files to review, or - to read standard input');
  let policy: ReviewPolicy = DEFAULT_POLICY;
  if (opts.policy) {
    const text = await readInput(opts.policy);
    try {
      policy = loadPolicy(text, opts.policy);
    } catch (e) {
      throw new UsageError(messageOf(e));
    }
  }
  const inputs = await Promise.all(files.map(async (file) => ({ file, sql: await readInput(file) })));
  const live = opts.url ? await connect(engine, opts.url) : null;
  const all: FileFinding[] = [];
  try {
    for (const { file, sql } of inputs) {
      const found = reviewScript({ engine, sql, policy }).findings;
      if (live && !found.some((f) => f.rule === 'syntax-error' || f.rule === 'builtin.statement.maximum-sql-size')) {
        found.push(...(await reviewLive({ engine, sql, policy, query: live.query })));
        found.sort((a, b) => a.line - b.line || a.column - b.column);
      }
      all.push(...found.map((f) => ({ ...f, file })));
    }
  } finally {
    await live?.close();
  }
  const out = render(all, opts.format, files.length);
  if (out) process.stdout.write(`${out}\n`);
  return all.some((f) => f.level === 'ERROR') ? 1 : 0;
}

/** Register `dbchange review`. */
export function registerReview(program: Command): void {
  program
    .command('review')
    .description('review SQL files against the policy (exit 1 on an ERROR finding)')
    .argument('[files...]', 'SQL files to review, or - for standard input')
    .addOption(new Option('--engine <engine>', 'SQL dialect').choices(['postgres', 'mysql']))
    .option('--policy <file>', 'Bytebase-compatible policy (YAML or JSON); default: the built-in policy')
    .option('--url <url>', 'also run the live-database rules against this database')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--list-rules', 'print the supported rule ids, one per line')
    .action(async (files: string[], opts: Options) => {
      try {
        process.exitCode = await run(files, opts);
      } catch (e) {
        process.stderr.write(`dbchange review: ${messageOf(e)}\n`);
        process.exitCode = 2; // usage errors and unreachable inputs alike: nothing was reviewed
      }
    });
}
