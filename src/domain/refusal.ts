// Why something was not done, as a code a door can switch on and a plain-text message for the
// person who asked. Slack renders the message (and the people named) in its own words.

export const REFUSAL_CODES = [
  'not-allowed',
  'stale',
  'wrong-state',
  'needs-approval',
  'needs-acknowledgement',
  'approval-expired',
  'frozen',
  'frozen',
  'outside-window',
  'not-in-future',
  'nothing-to-do',
  'unchanged',
  'busy',
  'unavailable',
  'invalid',
  'target-failed',
  'duplicate',
  'store-unavailable',
  'held-by-drift',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  ok: false;
  code: RefusalCode;
  /** Plain text; no markup. */
  message: string;
  /** People who could do it instead (user or user-group ids), e.g. the approvers of an environment. */
  who?: { role: 'approvers' | 'releasers'; ids: string[] };
}

export function refuse(code: RefusalCode, message: string, who?: Refusal['who']): Refusal {
  return who ? { ok: false, code, message, who } : { ok: false, code, message };
}
