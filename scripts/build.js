#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ (tsconfig.build.json), which bin/dbchange.js runs.
// `npm ci` and `npm install` run it as the `prepare` script with --if-possible: an install
// without dev dependencies (no TypeScript) then skips the build, and the bin runs the sources
// through tsx instead.
import { rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// An old build would run in place of newer sources: it goes first, whatever happens next.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (process.argv.includes('--if-possible')) {
    console.error(
      'dbchange: TypeScript is not installed (no dev dependencies), so dist/ is not built; the bin runs the sources.',
    );
    process.exit(0);
  }
  console.error('dbchange: cannot build: TypeScript is not installed; run `npm ci` (with dev dependencies) first.');
  process.exit(1);
}
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

// The command line as one module (dist/bundle/main.js, which bin/dbchange.js runs when it is
// there) instead of the hundred-odd files a `dbchange review` loads otherwise: loading them is a
// large part of a short command's start-up. What only some commands need (the bot, the drivers)
// stays in chunks loaded when used; packages stay in node_modules. esbuild comes with tsx.
let esbuild;
try {
  esbuild = await import(createRequire(import.meta.url).resolve('esbuild'));
} catch {
  console.error('dbchange: esbuild is not installed, so the bin runs dist/cli/ module by module.');
  process.exit(0);
}
await esbuild.build({
  entryPoints: [fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))],
  outdir: fileURLToPath(new URL('../dist/bundle', import.meta.url)),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
