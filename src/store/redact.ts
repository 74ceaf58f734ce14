/** Connection URLs as they may appear in logs and error messages: never with a password. */

/** The URL with any password (and secret-looking query parameters) replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) u.searchParams.set(key, '***');
    }
    return u.toString();
  } catch {
    // Not parseable as a URL: hide everything between "//" and "@", where credentials live.
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}
