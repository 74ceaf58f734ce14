import type { Rejection } from './rejection.js';

/** A Web API answer: Slack's JSON body. */
export type ApiResult = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };

/** Slack's body for a refused call, with response_metadata.messages when there are reasons. */
export function failure(r: Rejection): ApiResult {
  return r.messages
    ? { ok: false, error: r.error, errors: r.messages, response_metadata: { messages: r.messages } }
    : { ok: false, error: r.error };
}

/** Turns a missing or non-string argument into Slack's invalid_arguments answer. */
export function missing(name: string): Rejection {
  return { error: 'invalid_arguments', messages: [`[ERROR] missing required field: ${name}`] };
}
