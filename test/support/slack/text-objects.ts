// Text composition objects: {type: plain_text|mrkdwn, text}. Slack refuses an empty text, an
// unknown type, mrkdwn where only plain_text is allowed, and `emoji` on mrkdwn / `verbatim`
// on plain_text (a common way to get invalid_blocks).
import { LIMITS } from './limits.js';
import { isObject, type Problems } from './problems.js';

export interface TextRule {
  max: number;
  plainOnly?: boolean;
}

/** Checks one text object at `pointer`. */
export function checkText(p: Problems, v: unknown, pointer: string, rule: TextRule): void {
  if (!isObject(v)) return p.add(pointer, 'must provide an object');
  const allowed = rule.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof v.type !== 'string' || !allowed.includes(v.type)) {
    return p.add(`${pointer}/type`, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
  if (typeof v.text !== 'string' || v.text.length === 0) {
    return p.add(`${pointer}/text`, 'must be at least 1 character');
  }
  p.maxString(v.text, `${pointer}/text`, rule.max);
  if (v.type === 'mrkdwn' && 'emoji' in v) p.add(pointer, 'emoji is only allowed on plain_text');
  if (v.type === 'plain_text' && 'verbatim' in v) p.add(pointer, 'verbatim is only allowed on mrkdwn');
  p.optionalBoolean(v.emoji, `${pointer}/emoji`);
  p.optionalBoolean(v.verbatim, `${pointer}/verbatim`);
}

/** Checks an optional text object: absent is fine. */
export function checkOptionalText(p: Problems, v: unknown, pointer: string, rule: TextRule): void {
  if (v !== undefined) checkText(p, v, pointer, rule);
}

/** Checks a confirmation dialog object (title 100, text 300, buttons 30). */
export function checkConfirm(p: Problems, v: unknown, pointer: string): void {
  if (v === undefined) return;
  if (!isObject(v)) return p.add(pointer, 'must provide an object');
  checkText(p, v.title, `${pointer}/title`, { max: LIMITS.confirmTitle, plainOnly: true });
  checkText(p, v.text, `${pointer}/text`, { max: LIMITS.confirmText });
  checkText(p, v.confirm, `${pointer}/confirm`, { max: LIMITS.confirmButton, plainOnly: true });
  checkText(p, v.deny, `${pointer}/deny`, { max: LIMITS.confirmButton, plainOnly: true });
  p.optionalEnum(v.style, `${pointer}/style`, ['primary', 'danger']);
}
