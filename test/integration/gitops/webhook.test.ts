// The webhook's own listener (Socket Mode, where Slack needs no HTTP port): real HTTP requests,
// signed as GitHub and GitLab sign them, trigger a poll of the repository they name; others change nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import pino from 'pino';
import type { GitopsConfig } from '../../../src/config/model.js';
import { serveWebhook, webhookHandler } from '../../../src/gitops/webhook.js';

const SECRET = 'webhook-secret-for-tests';
const repo = { repo: 'https://github.com/acme/app.git', branch: 'main' } as GitopsConfig;
const other = { repo: 'https://gitlab.com/acme/other.git', branch: 'main' } as GitopsConfig;

describe('the GitOps webhook on a listener of its own', () => {
  const triggered: string[] = [];
  let server: { port: number; close(): Promise<void> };
  const logger = pino({ level: 'silent' });

  before(async () => {
    const handler = webhookHandler({
      repos: [repo, other],
      secret: SECRET,
      trigger: async (r) => void triggered.push(r.repo),
      logger,
    });
    server = await serveWebhook(0, handler, logger);
  });
  after(async () => server?.close());

  const send = async (path: string, body: string, headers: Record<string, string>, method = 'POST') =>
    (
      await fetch(`http://127.0.0.1:${server.port}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(method === 'POST' ? { body } : {}),
      })
    ).status;
  const push = JSON.stringify({ ref: 'refs/heads/main', repository: { clone_url: repo.repo } });
  const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  test('a bad GitHub signature or GitLab token gets 401 and polls nothing', async () => {
    assert.equal(await send('/gitops/webhook', push, { 'x-hub-signature-256': sign(push, 'wrong') }), 401);
    assert.equal(await send('/gitops/webhook', push, { 'x-gitlab-token': 'wrong' }), 401);
    assert.equal(await send('/gitops/webhook', push, {}), 401);
    assert.deepEqual(triggered, []);
  });

  test('a signed GitHub push polls the repository it names, and only that one', async () => {
    assert.equal(await send('/gitops/webhook', push, { 'x-hub-signature-256': sign(push) }), 202);
    assert.deepEqual(triggered, [repo.repo]);
  });

  test('a GitLab push with the right token polls its repository', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/main', project: { git_http_url: other.repo } });
    assert.equal(await send('/gitops/webhook', body, { 'x-gitlab-token': SECRET }), 202);
    assert.deepEqual(triggered, [repo.repo, other.repo]);
  });

  test('any other path or method is not found', async () => {
    assert.equal(await send('/slack/events', push, { 'x-hub-signature-256': sign(push) }), 404);
    assert.equal(await send('/gitops/webhook', '', {}, 'GET'), 404);
    assert.equal(triggered.length, 2);
  });
});
