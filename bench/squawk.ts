/**
 * dbchange against Squawk (`squawk-cli`, a dev dependency) on one 10,000-statement PostgreSQL file
 * of four common migration kinds (CREATE TABLE, ADD COLUMN … NOT NULL, UPDATE … WHERE, CREATE
 * INDEX CONCURRENTLY): both command lines, start-up included, in the same run, and the violations
 * each reports on Squawk's rules (rule, line and column). Targets: the same violations, and a wall
 * time within 2× Squawk's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SQUAWK_DEFAULT_RULES } from '../src/review/catalog.js';

const COUNT = 10_000;
const root = fileURLToPath(new URL('..', import.meta.url));

/** The benchmark file: four statement kinds in turn. */
export function squawkScript(count = COUNT): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = `t_${Math.floor(i / 4)}`;
    switch (i % 4) {
      case 0:
        out.push(`CREATE TABLE ${t} (id int PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now())`);
        break;
      case 1:
        out.push(`ALTER TABLE customers ADD COLUMN c_${i} int NOT NULL`);
        break;
      case 2:
        out.push(`UPDATE customers SET name = 'n${i}' WHERE id = ${i}`);
        break;
      default:
        out.push(`CREATE INDEX CONCURRENTLY idx_${t} ON customers (c_${i - 2})`);
    }
  }
  return `${out.join(';\n')};\n`;
}

function squawkBin(): string {
  const pkg = createRequire(import.meta.url).resolve('squawk-cli/package.json');
  return join(dirname(pkg), 'js', 'bin', 'squawk');
}

function wall(cmd: string, args: string[]): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function count(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** Run both tools and print the comparison. */
export function run(): void {
  const dir = mkdtempSync(join(tmpdir(), 'dbchange-squawk-'));
  try {
    const file = join(dir, 'migration.sql');
    writeFileSync(file, squawkScript());
    const policy = join(dir, 'squawk.yaml');
    writeFileSync(
      policy,
      `ruleList:\n${SQUAWK_DEFAULT_RULES.map((r) => `  - {type: ${r.id}, level: WARNING, engine: POSTGRES}`).join('\n')}\n`,
    );
    // Built JavaScript, as users run it (npm ci builds dist/).
    execFileSync(process.execPath, ['scripts/build.js'], { cwd: root, stdio: 'inherit' });
    const dbchangeArgs = [
      'bin/dbchange.js',
      'review',
      '--engine',
      'postgres',
      '--policy',
      policy,
      '--format',
      'json',
      file,
    ];
    const squawkArgs = ['--reporter', 'json', file];
    // Warm the file cache for both, then take the best of three alternating runs.
    wall(process.execPath, [squawkBin(), ...squawkArgs]);
    wall(process.execPath, dbchangeArgs);
    let sq = { ms: Infinity, stdout: '' };
    let db = { ms: Infinity, stdout: '' };
    for (let round = 0; round < 3; round++) {
      const a = wall(process.execPath, [squawkBin(), ...squawkArgs]);
      if (a.ms < sq.ms) sq = a;
      const b = wall(process.execPath, dbchangeArgs);
      if (b.ms < db.ms) db = b;
    }
    const names = new Set(SQUAWK_DEFAULT_RULES.map((r) => r.id));
    const theirs = (JSON.parse(sq.stdout) as Array<{ rule_name: string; line: number; column: number }>)
      .filter((v) => names.has(v.rule_name))
      .map((v) => `${v.rule_name}@${v.line + 1}:${v.column + 1}`);
    const ours = (JSON.parse(db.stdout) as { findings: Array<{ rule: string; line: number; column: number }> }).findings
      .filter((f) => names.has(f.rule))
      .map((f) => `${f.rule}@${f.line}:${f.column}`);
    const a = count(theirs);
    const b = count(ours);
    let same = 0;
    for (const [k, n] of a) same += Math.min(n, b.get(k) ?? 0);
    const byRule = (keys: string[]): string =>
      [...count(keys.map((k) => k.split('@')[0]!))]
        .sort()
        .map(([r, n]) => `${r} ${n}`)
        .join(', ');
    console.log(`squawk: ${theirs.length} violations in ${(sq.ms / 1000).toFixed(2)} s (${byRule(theirs)})`);
    console.log(`dbchange: ${ours.length} violations in ${(db.ms / 1000).toFixed(2)} s (${byRule(ours)})`);
    const ratio = db.ms / sq.ms;
    console.log(
      `same violations (rule, line, column): ${same} of ${Math.max(theirs.length, ours.length)} ` +
        `(${same === theirs.length && same === ours.length ? 'ok' : 'differ'}); wall time dbchange/squawk = ${ratio.toFixed(2)} (${ratio <= 2 ? 'ok' : 'over'} ≤2)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) run();
