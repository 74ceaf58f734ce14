/**
 * Freeze windows: per environment, periods in which nothing rolls out (`freeze: [{from, to,
 * reason, timezone}]`). Scheduling into one is refused with its reason; a stage that falls due
 * inside one (automatic, Roll out now, a schedule's time) is held until the window ends and then
 * runs by itself, as it would have without the freeze. Windows that touch or overlap hold until
 * the last of them ends. Pure.
 */
import { fromZonedTime } from 'date-fns-tz';
import { isValidTimeZone } from './maintenance-window.js';

export interface FreezeWindow {
  from: Date;
  to: Date;
  reason: string;
}

/** A freeze window as written in the config, before its times are read. */
export interface RawFreezeWindow {
  from: string;
  to: string;
  reason: string;
  timezone?: string;
}

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const LOCAL = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?$/;

/**
 * A moment as the config writes it: an ISO date-time with an offset (`2026-12-20T18:00:00Z`,
 * `…+01:00`), or a local date-time (`2026-12-20 18:00`, or a date, meaning its midnight) read in
 * `timezone`. Returns an error message naming what to write otherwise.
 */
export function readMoment(text: string, timezone?: string): { at: Date } | { error: string } {
  const t = text.trim();
  if (WITH_OFFSET.test(t)) {
    const at = new Date(t.replace(' ', 'T'));
    return Number.isNaN(at.getTime()) ? { error: `"${text}" is not a date-time` } : { at };
  }
  const local = LOCAL.exec(t);
  if (!local)
    return {
      error: `"${text}" is not a date-time; write e.g. 2026-12-20T18:00:00Z, or 2026-12-20 18:00 with a timezone`,
    };
  if (!timezone)
    return { error: `"${text}" has no time zone: add an offset (2026-12-20T18:00:00+01:00) or a timezone key` };
  if (!isValidTimeZone(timezone)) return { error: `unknown time zone "${timezone}"` };
  const iso = `${local[1]}T${local[2] ?? '00:00'}${local[2]?.length === 5 ? ':00' : ''}`;
  const at = fromZonedTime(iso, timezone);
  return Number.isNaN(at.getTime()) ? { error: `"${text}" is not a date-time` } : { at };
}

/** The config's windows with their times read; problems (per key) for those that cannot be. */
export function readFreezeWindows(raw: RawFreezeWindow[]): {
  windows: FreezeWindow[];
  problems: { index: number; key: 'from' | 'to' | 'timezone'; message: string }[];
} {
  const windows: FreezeWindow[] = [];
  const problems: { index: number; key: 'from' | 'to' | 'timezone'; message: string }[] = [];
  raw.forEach((w, index) => {
    if (w.timezone !== undefined && !isValidTimeZone(w.timezone)) {
      problems.push({
        index,
        key: 'timezone',
        message: `unknown time zone "${w.timezone}"; use an IANA name like Europe/Berlin or UTC`,
      });
      return;
    }
    const from = readMoment(w.from, w.timezone);
    const to = readMoment(w.to, w.timezone);
    if ('error' in from) problems.push({ index, key: 'from', message: from.error });
    if ('error' in to) problems.push({ index, key: 'to', message: to.error });
    if ('error' in from || 'error' in to) return;
    if (to.at.getTime() <= from.at.getTime()) {
      problems.push({ index, key: 'to', message: `the window must end after it starts (${w.from})` });
      return;
    }
    windows.push({ from: from.at, to: to.at, reason: w.reason });
  });
  return { windows, problems };
}

/** The window `at` falls in, and when the freeze (with any window it runs into) ends; undefined when not frozen. */
export function frozenAt(
  windows: FreezeWindow[] | undefined,
  at: Date,
): { window: FreezeWindow; until: Date } | undefined {
  const inside = (t: number) => (windows ?? []).find((w) => w.from.getTime() <= t && t < w.to.getTime());
  const window = inside(at.getTime());
  if (!window) return undefined;
  let until = window.to.getTime();
  for (let next = inside(until); next; next = inside(until)) until = next.to.getTime();
  return { window, until: new Date(until) };
}

/** A moment in plain text for messages that cannot use Slack's date syntax (field errors): "2026-12-20 18:00 UTC". */
export function utcText(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
