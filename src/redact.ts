/**
 * Connection URLs carry passwords; anything that can reach a message, a log or Slack goes
 * through `redactUrl` first.
 */

const SECRET_PARAMS = new Set(['password', 'pass', 'pwd', 'sslpassword', 'secret', 'token', 'sslkey']);
const MASK = '***';

/** The URL with its password (and password-like query parameters) replaced by `***`. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not parsable: still hide anything between `user:` and `@`, and secret-looking parameters.
    return url
      .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*):[^@/?#]*@/i, `$1:${MASK}@`)
      .replace(/([?&](?:password|pass|pwd|sslpassword|secret|token|sslkey)=)[^&#]*/gi, `$1${MASK}`);
  }
  if (u.password !== '') u.password = MASK;
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAMS.has(key.toLowerCase())) u.searchParams.set(key, MASK);
  }
  // URLSearchParams percent-encodes `*`; keep the mask readable.
  return u.toString().replaceAll('%2A%2A%2A', MASK);
}

/** Every way the password of `url` could appear in text (raw and percent-decoded). */
function secretsOf(url: string): string[] {
  const out: string[] = [];
  try {
    const u = new URL(url);
    if (u.password !== '') out.push(u.password, decodeURIComponent(u.password));
    for (const [key, value] of u.searchParams) {
      if (SECRET_PARAMS.has(key.toLowerCase()) && value !== '') out.push(value);
    }
  } catch {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@?#]*:([^@/?#]+)@/i.exec(url);
    if (m?.[1]) out.push(m[1]);
  }
  // Very short secrets would mask ordinary words; the full URL is always replaced anyway.
  return out.filter((s) => s.length >= 4);
}

/** `text` with the URL replaced by its redacted form and any stray copy of its password masked. */
export function scrubSecrets(text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url));
  for (const secret of secretsOf(url)) out = out.split(secret).join(MASK);
  return out;
}

/**
 * A driver error fit to be a `cause`: the original when it holds no secret, otherwise a copy of
 * its message and code with the secret masked (e.g. Node's ERR_INVALID_URL keeps the whole URL in
 * `input`).
 */
export function safeCause(err: unknown, url: string): unknown {
  const secrets = secretsOf(url);
  if (!(err instanceof Error)) return typeof err === 'string' ? scrubSecrets(err, url) : err;
  const fields = Object.values(err as unknown as Record<string, unknown>).filter((v) => typeof v === 'string');
  const leaks = [err.message, err.stack ?? '', ...(fields as string[])].some(
    (text) => text.includes(url) || secrets.some((s) => text.includes(s)),
  );
  if (!leaks) return err;
  const copy = new Error(scrubSecrets(err.message, url));
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}
