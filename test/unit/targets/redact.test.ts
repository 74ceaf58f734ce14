import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { redactUrl, safeCause, scrubSecrets } from '../../../src/redact.js';

const CASES: Array<[string, string]> = [
  ['postgres://app:pa55word@db.internal:5432/orders', 'postgres://app:***@db.internal:5432/orders'],
  ['mysql://root@127.0.0.1:3306/app', 'mysql://root@127.0.0.1:3306/app'],
  ['postgresql://u:p%40ss%3Aw@h/db?sslmode=require', 'postgresql://u:***@h/db?sslmode=require'],
  ['postgres://u@h/db?password=topsecret&sslmode=require', 'postgres://u@h/db?password=***&sslmode=require'],
  ['mysql://u:secret@[::1]:3306/db', 'mysql://u:***@[::1]:3306/db'],
  ['pg://u:secret@host with space/db', 'pg://u:***@host with space/db'],
];

for (const [url, expected] of CASES) {
  test(`redactUrl hides the password of ${JSON.stringify(url)}`, () => {
    assert.equal(redactUrl(url), expected);
  });
}

test('scrubSecrets replaces the URL and any stray copy of its password', () => {
  const url = 'postgres://app:pa55word@db/orders';
  assert.equal(
    scrubSecrets(`failed on ${url} (password pa55word rejected)`, url),
    'failed on postgres://app:***@db/orders (password *** rejected)',
  );
});

test('safeCause keeps a harmless error and replaces one that carries the password', () => {
  const url = 'postgres://app:pa55word@db/orders';
  const harmless = new Error('connect ECONNREFUSED 10.0.0.1:5432');
  assert.equal(safeCause(harmless, url), harmless);
  const leaky = Object.assign(new TypeError('Invalid URL'), { input: url, code: 'ERR_INVALID_URL' });
  const safe = safeCause(leaky, url);
  assert.notEqual(safe, leaky);
  assert.ok(safe instanceof Error);
  assert.equal((safe as Error & { code: string }).code, 'ERR_INVALID_URL');
  assert.ok(!JSON.stringify({ ...(safe as object), message: (safe as Error).message }).includes('pa55word'));
});
