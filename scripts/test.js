#!/usr/bin/env node
// Runs every *.test.ts under test/ (or the paths given) with Node's own test runner.
// Node 20 has no glob support for --test, so the files are collected here.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test'];
const files = roots.flatMap((root) => collect(root, []));
if (files.length === 0) {
  console.error(`no test files found under ${roots.join(', ')}`);
  process.exit(1);
}

// Files that load the database servers to their limits (a stage over 100 databases) run after
// the others, by themselves: beside another file they could take the connections it needs.
const ALONE = new Set(['test/e2e/load.test.ts']);
const passes = [files.filter((f) => !ALONE.has(f)), files.filter((f) => ALONE.has(f))].filter((p) => p.length);

const dir = mkdtempSync(join(tmpdir(), 'dbchange-test-'));
const totals = { pass: 0, fail: 0 };
let status = 0;
passes.forEach((pass, i) => {
  const countsFile = join(dir, `counts-${i}.json`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${i === 0 ? 2 : 1}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${new URL('./count-reporter.mjs', import.meta.url).href}`,
      `--test-reporter-destination=${countsFile}`,
      ...pass,
    ],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) status = result.status ?? 1;
  try {
    const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
    totals.pass += counts.pass;
    totals.fail += counts.fail;
  } catch {
    // A run that died before its summary: its failure is in its exit status.
    totals.fail += 1;
  }
});
rmSync(dir, { recursive: true, force: true });
if (passes.length > 1) console.log(`\n${totals.pass} passed, ${totals.fail} failed`);
process.exit(status);
