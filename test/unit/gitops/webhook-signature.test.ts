import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { pushEventOf, verifyWebhook } from '../../../src/gitops/webhook-signature.js';

const SECRET = 'webhook-secret';
const body = Buffer.from(
  JSON.stringify({ ref: 'refs/heads/main', repository: { clone_url: 'https://github.com/o/r.git' } }),
);
const sign = (b: Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(b).digest('hex')}`;

describe('webhook verification', () => {
  test('a GitHub push signed with the secret is accepted', () => {
    assert.deepEqual(verifyWebhook({ 'x-hub-signature-256': sign(body) }, body, SECRET), {
      ok: true,
      provider: 'github',
    });
  });

  test('a GitHub push signed with another secret, or whose body changed, is refused', () => {
    assert.equal(verifyWebhook({ 'x-hub-signature-256': sign(body, 'other') }, body, SECRET).ok, false);
    const changed = Buffer.from(`${body.toString()} `);
    assert.equal(verifyWebhook({ 'x-hub-signature-256': sign(body) }, changed, SECRET).ok, false);
  });

  test('a GitLab push with the right token is accepted and a wrong token is refused', () => {
    assert.deepEqual(verifyWebhook({ 'x-gitlab-token': SECRET }, body, SECRET), { ok: true, provider: 'gitlab' });
    assert.equal(verifyWebhook({ 'x-gitlab-token': 'nope' }, body, SECRET).ok, false);
  });

  test('a request without a signature, or a bot without a secret, is refused', () => {
    assert.match((verifyWebhook({}, body, SECRET) as { reason: string }).reason, /neither/);
    assert.match(
      (verifyWebhook({ 'x-gitlab-token': '' }, body, '') as { reason: string }).reason,
      /GITOPS_WEBHOOK_SECRET/,
    );
  });

  test('a push event names its branch and repository URLs', () => {
    assert.deepEqual(pushEventOf(JSON.parse(body.toString())), {
      branch: 'main',
      urls: ['https://github.com/o/r.git'],
    });
    assert.deepEqual(pushEventOf(null), { urls: [] });
  });
});
