// Maintenance windows: "HH:mm"–"HH:mm" in a named IANA time zone, optionally on some weekdays.
// A window whose end is before its start spans midnight (22:00–06:00).
import { toZonedTime } from 'date-fns-tz';

export interface MaintenanceWindow {
  timezone: string;
  start: string;
  end: string;
  days?: string[];
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** True when the instant `at` falls inside the window, in the window's own time zone. */
export function isWithinWindow(at: Date, window: MaintenanceWindow): boolean {
  const local = toZonedTime(at, window.timezone);
  const t = local.getHours() * 60 + local.getMinutes();
  const start = minutes(window.start);
  const end = minutes(window.end);
  const spansMidnight = end <= start;
  const inTime = spansMidnight ? t >= start || t < end : t >= start && t < end;
  if (!inTime) return false;
  if (!window.days || window.days.length === 0) return true;
  // For a window spanning midnight, the early-morning part belongs to the previous day's window.
  const dayIndex = spansMidnight && t < end ? (local.getDay() + 6) % 7 : local.getDay();
  return window.days.includes(DAYS[dayIndex]!);
}

/** True when `tz` is an IANA time zone this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
