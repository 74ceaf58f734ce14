/**
 * Verification of git push webhooks. GitHub signs the raw body with HMAC-SHA256 under the
 * shared secret (`X-Hub-Signature-256: sha256=<hex>`); GitLab sends the secret itself in
 * `X-Gitlab-Token`. Both are compared in constant time. No I/O: headers and body in, a verdict out.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type WebhookVerdict = { ok: true; provider: 'github' | 'gitlab' } | { ok: false; reason: string };

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `headers` are lower-cased names, as Node gives them. */
export function verifyWebhook(
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  secret: string,
): WebhookVerdict {
  if (!secret) return { ok: false, reason: 'GITOPS_WEBHOOK_SECRET is not set, so no webhook can be verified' };
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const github = one('x-hub-signature-256');
  if (github !== undefined) {
    const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    return sameBytes(Buffer.from(github), Buffer.from(expected))
      ? { ok: true, provider: 'github' }
      : { ok: false, reason: 'X-Hub-Signature-256 does not match the body' };
  }
  const gitlab = one('x-gitlab-token');
  if (gitlab !== undefined) {
    return sameBytes(Buffer.from(gitlab), Buffer.from(secret))
      ? { ok: true, provider: 'gitlab' }
      : { ok: false, reason: 'X-Gitlab-Token is wrong' };
  }
  return { ok: false, reason: 'neither X-Hub-Signature-256 nor X-Gitlab-Token is present' };
}

/** The branch a push event is for (`refs/heads/main` → `main`), and the repository's URLs it names. */
export function pushEventOf(payload: unknown): { branch?: string; urls: string[] } {
  if (!payload || typeof payload !== 'object') return { urls: [] };
  const p = payload as Record<string, unknown>;
  const ref = typeof p.ref === 'string' ? p.ref : undefined;
  const urls: string[] = [];
  for (const holder of [p.repository, p.project]) {
    if (!holder || typeof holder !== 'object') continue;
    for (const key of ['clone_url', 'ssh_url', 'git_http_url', 'git_ssh_url', 'html_url', 'web_url', 'url']) {
      const v = (holder as Record<string, unknown>)[key];
      if (typeof v === 'string') urls.push(v);
    }
  }
  return { branch: ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined, urls };
}
