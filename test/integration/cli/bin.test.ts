// The one test that starts the real `dbchange` executable: every other CLI test runs it in-process.
// It runs what a user runs: the build in dist/ when that is current (CI builds it at `npm ci`),
// the TypeScript sources when src/ changed since the last build (DBCHANGE_SOURCE=1, as e2e does).
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { distIsCurrent, ROOT } from '../../../scripts/dist.js';

test('bin/dbchange.js reviews standard input and exits with the review verdict', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/dbchange.js'), 'review', '--engine', 'postgres', '-'], {
    input: 'DELETE FROM t;\n',
    encoding: 'utf8',
    env: { ...process.env, DBCHANGE_SOURCE: distIsCurrent() ? '' : '1' },
  });
  assert.equal(r.stderr, '');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^-:1:1: ERROR \[statement\.where\.require\.update-delete\]/m);
  assert.match(r.stdout, /1 file\(s\) reviewed: 1 error\(s\)/);
});
