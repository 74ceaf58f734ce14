/**
 * `POST /gitops/webhook` on the bot's HTTP port: a GitHub or GitLab push event, verified with
 * GITOPS_WEBHOOK_SECRET, triggers an immediate poll of the repository it names. It only brings a
 * poll forward: polling stays the source of truth, so a lost webhook delays nothing beyond the
 * poll interval. A bad signature gets 401 and changes nothing. In HTTP mode the route shares
 * Slack's listener; in Socket Mode (no HTTP for Slack) it gets a listener of its own on PORT.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { GitopsConfig } from '../config/model.js';
import { DbchangeError, ErrorCode } from '../errors.js';
import { pushEventOf, verifyWebhook } from './webhook-signature.js';

export const WEBHOOK_PATH = '/gitops/webhook';
const MAX_BODY = 5 * 1024 * 1024;

/** A repository URL reduced to host and path, so https, ssh and web URLs of one repository compare equal. */
export function normalizeRepoUrl(url: string): string {
  return url
    .trim()
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d)/, '$1/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The repositories a push event is for: those whose URL it names, else those on its branch. */
export function reposForPush(repos: GitopsConfig[], event: { branch?: string; urls: string[] }): GitopsConfig[] {
  const onBranch = repos.filter((r) => !event.branch || r.branch === event.branch);
  const urls = new Set(event.urls.map(normalizeRepoUrl));
  const named = onBranch.filter((r) => urls.has(normalizeRepoUrl(r.repo)));
  return named.length ? named : onBranch;
}

export function webhookHandler(opts: {
  repos: GitopsConfig[];
  secret: string;
  trigger: (repo: GitopsConfig) => Promise<void>;
  logger: Logger;
}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      answer(res, 413, { error: 'the body is too large' });
      return;
    }
    const verdict = verifyWebhook(req.headers, body, opts.secret);
    if (!verdict.ok) {
      opts.logger.warn({ reason: verdict.reason }, 'gitops webhook refused');
      answer(res, 401, { error: verdict.reason });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      answer(res, 400, { error: 'the body is not JSON' });
      return;
    }
    const repos = reposForPush(opts.repos, pushEventOf(payload));
    for (const repo of repos) {
      await opts.trigger(repo).catch((err: unknown) => opts.logger.error({ err }, 'could not trigger a poll'));
    }
    opts.logger.info({ provider: verdict.provider, repos: repos.length }, 'gitops webhook: poll triggered');
    answer(res, 202, { polling: repos.length });
  };
}

/**
 * A listener on `port` for the webhook alone (Socket Mode, where Slack needs no HTTP): every other
 * path gets 404. Resolves once it listens; a port in use fails with a message naming PORT.
 */
export async function serveWebhook(
  port: number,
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  logger: Logger,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (req.method !== 'POST' || path !== WEBHOOK_PATH) return answer(res, 404, { error: `only POST ${WEBHOOK_PATH}` });
    handler(req, res).catch((err: unknown) => {
      logger.error({ err }, 'gitops webhook failed');
      if (!res.headersSent) answer(res, 500, { error: 'the webhook could not be handled' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(
        new DbchangeError(
          ErrorCode.EnvMissing,
          `cannot listen on PORT ${port} for the GitOps webhook (${e.message}); choose a free port with PORT`,
        ),
      ),
    );
    server.listen(port, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
