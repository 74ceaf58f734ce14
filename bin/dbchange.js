#!/usr/bin/env node
// The dbchange command. Runs the JavaScript compiled into dist/ at install (the `prepare` script
// of `npm ci` / `npm install`; `npm run build` again after changing src/). Without dist/, or with
// DBCHANGE_SOURCE=1 (the tests set it: they exercise the sources they compile), it runs the
// TypeScript sources through tsx instead, which starts a few seconds slower.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

// A short-lived command would wait about a second at exit for V8 to finish optimising the
// WebAssembly PostgreSQL parser (libpg-query) it calls a few times; the bot (serve) runs long
// enough to gain from that, the other commands do not.
if (process.argv[2] !== 'serve') v8.setFlagsFromString('--liftoff-only');

const root = new URL('..', import.meta.url);
// The build bundles the command line into one module (dist/bundle/), faster to load than dist/cli/.
let entry = new URL('dist/bundle/main.js', root);
if (!existsSync(entry)) entry = new URL('dist/cli/main.js', root);
if (process.env.DBCHANGE_SOURCE === '1' || !existsSync(entry)) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write(
      `dbchange: ${fileURLToPath(entry)} is missing and tsx, which runs the sources instead, is not installed; ` +
        `run \`npm ci\` (or \`npm run build\`) in ${fileURLToPath(root)}\n`,
    );
    process.exit(2);
  }
  entry = new URL('src/cli/main.ts', root);
}
const { main, processIo } = await import(entry.href);
const code = await main(process.argv.slice(2), processIo());
// `serve` resolves once the bot runs (code 0) and keeps the process alive; a failure ends it now.
process.exitCode = code;
if (code !== 0) process.exit(code);
