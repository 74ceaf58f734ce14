// Identifiers in Slack's formats. Message timestamps are "seconds.micros" strings that only
// ever increase, even when several messages are posted in the same microsecond.
import { randomBytes } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A Slack-style ID: prefix plus upper-case alphanumerics, e.g. V0A1B2C3D4E. */
export function slackId(prefix: string, length = 10): string {
  const bytes = randomBytes(length);
  return prefix + Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join('');
}

/** A trigger_id shaped like Slack's: "<digits>.<digits>.<hex>". */
export function triggerId(nowMs: number): string {
  return `${Math.floor(nowMs)}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
}

/** Hands out strictly increasing message timestamps from a clock. */
export function messageClock(now: () => number): () => string {
  let last = 0;
  return () => {
    const micros = Math.max(last + 1, Math.floor(now() * 1000));
    last = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  };
}
