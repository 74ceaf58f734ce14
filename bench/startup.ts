/**
 * Start-up of the CLI as CI runs it: `dbchange review` of one small file, against a bare
 * `node -e ''` started the same way, in alternating pairs after a warm-up, so the ratio holds
 * when the machine's speed drifts. Target: review within 4x of bare node. Builds dist/ first
 * when it is missing or older than src/, since that is what an installed dbchange runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distIsCurrent, ROOT } from '../scripts/dist.js';

const PAIRS = 10;
const TARGET = 4;

function wallSeconds(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    stdio: 'ignore',
    cwd: ROOT,
    env: { ...process.env, DBCHANGE_SOURCE: '' },
  });
  if (r.status === null || r.status > 1) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return (performance.now() - t0) / 1000;
}

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[s.length >> 1]!, max: s.at(-1)! };
}

function row(label: string, xs: number[], digits: number): string {
  const { min, median, max } = stats(xs);
  return `  ${label.padEnd(34)} ${[min, median, max].map((x) => x.toFixed(digits).padStart(7)).join(' ')}`;
}

/** Run the benchmark and print the rows. */
export function run(): void {
  if (!distIsCurrent()) {
    console.log('dist/ is missing or older than src/: npm run build');
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build.js')], { stdio: 'inherit', cwd: ROOT });
    if (b.status !== 0) throw new Error('build failed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'dbchange-startup-'));
  try {
    const file = join(dir, 'small.sql');
    writeFileSync(
      file,
      'CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL);\nUPDATE t SET name = 1 WHERE id = 2;\n',
    );
    const bare = ['-e', ''];
    for (const engine of ['postgres', 'mysql'] as const) {
      const cli = [join(ROOT, 'bin/dbchange.js'), 'review', '--engine', engine, file];
      wallSeconds(cli);
      wallSeconds(bare);
      const a: number[] = [];
      const b: number[] = [];
      const ratio: number[] = [];
      for (let i = 0; i < PAIRS; i++) {
        a.push(wallSeconds(cli));
        b.push(wallSeconds(bare));
        ratio.push(a[i]! / b[i]!);
      }
      const median = stats(ratio).median;
      console.log(`startup ${engine}: ${PAIRS} pairs after a warm-up; wall seconds min / median / max`);
      console.log(row(`dbchange review (1 small file)`, a, 3));
      console.log(row(`node -e ''`, b, 3));
      console.log(row('ratio review / bare node', ratio, 2));
      console.log(`  median ratio ${median.toFixed(2)} (${median <= TARGET ? 'ok' : 'over'} ≤${TARGET})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run();
