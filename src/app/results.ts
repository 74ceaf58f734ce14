// What every use case returns: done (with what it produced), refused (a code a door can switch
// on and a plain-text message), or not found. Doors render these; nothing here is Slack text.
import type { Refusal, RefusalCode } from '../domain/refusal.js';

export type { MigrationRecord, TaskLogEntry } from '../store/types.js';
export type { ActiveSession } from '../targets/types.js';

/** Who acts: a Slack user id (or, from git, the configured author). */
export interface Actor {
  user: string;
}

/** The issue a person acted on, and the SQL revision they saw when they did. */
export interface Seen {
  issueId: string;
  /** When given and the issue's SQL changed since, the use case refuses with `stale`. */
  revision?: number;
}

export interface Refused {
  kind: 'refused';
  code: RefusalCode;
  message: string;
  who?: Refusal['who'];
}

export interface NotFound {
  kind: 'not-found';
  what: 'issue' | 'database' | 'task';
  id: string;
  /** For an unknown database: the names that exist. */
  known?: string[];
}

export type Done<T> = { kind: 'done' } & T;
export type Result<T> = Done<T> | Refused | NotFound;

export function done<T extends object>(value: T): Done<T> {
  return { kind: 'done', ...value };
}

export function refused(code: RefusalCode, message: string, who?: Refusal['who']): Refused {
  return who ? { kind: 'refused', code, message, who } : { kind: 'refused', code, message };
}

export function fromRefusal(r: Refusal): Refused {
  return refused(r.code, r.message, r.who);
}

export function notFound(what: NotFound['what'], id: string, known?: string[]): NotFound {
  return known ? { kind: 'not-found', what, id, known } : { kind: 'not-found', what, id };
}
