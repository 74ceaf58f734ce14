/** One short-lived connection for schema work: opened by the engine's one connect module in targets/. */
export type { DbConnection as SchemaConnection } from '../targets/types.js';

export { redactUrl } from '../redact.js';

/** The URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
