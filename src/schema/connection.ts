/** One short-lived connection for schema work: a QueryFn and a way to close it. */
import type { QueryFn } from '../targets/types.js';

export interface SchemaConnection {
  query: QueryFn;
  /** Run one statement as-is (no parameters), e.g. a DDL statement from an SDL file. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export { redactUrl } from '../redact.js';

/** The URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
