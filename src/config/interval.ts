// Intervals in the config ("10 seconds", "30 minutes"), read the way human-interval reads them,
// except milliseconds, which it misreads ("500 milliseconds" is 500, not 500,000).
import humanInterval from 'human-interval';

const MILLISECONDS = /^\s*(\d+(?:\.\d+)?)\s*(?:ms|milliseconds?)\s*$/i;

/** The interval in milliseconds, or undefined when `text` is not one (or not positive). */
export function parseInterval(text: string): number | undefined {
  const ms = MILLISECONDS.exec(text) ? Number(MILLISECONDS.exec(text)?.[1]) : humanInterval(text);
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
