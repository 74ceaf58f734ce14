/**
 * The bot's logger: pretty, one line per event, when a person watches a terminal; JSON lines
 * otherwise (a log collector reads them). `LOG_FORMAT=json|pretty` and `LOG_LEVEL` override.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogSettings {
  format: LogFormat;
  level: LogLevel;
}

/** Read LOG_FORMAT and LOG_LEVEL; a bad value is a start-up problem, and the default is used meanwhile. */
export function readLogSettings(
  env: NodeJS.ProcessEnv,
  isTerminal: boolean,
): { settings: LogSettings; problems: string[] } {
  const problems: string[] = [];
  const format = (env.LOG_FORMAT || (isTerminal ? 'pretty' : 'json')).toLowerCase();
  const level = (env.LOG_LEVEL || 'info').toLowerCase();
  const knownFormat = (LOG_FORMATS as readonly string[]).includes(format);
  const knownLevel = (LOG_LEVELS as readonly string[]).includes(level);
  if (!knownFormat) problems.push(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, not "${env.LOG_FORMAT}".`);
  if (!knownLevel) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${env.LOG_LEVEL}".`);
  return {
    settings: {
      format: knownFormat ? (format as LogFormat) : isTerminal ? 'pretty' : 'json',
      level: knownLevel ? (level as LogLevel) : 'info',
    },
    problems,
  };
}

/** A logger writing to stdout (or `destination`) in the chosen format. */
export function createLogger(
  settings: LogSettings,
  opts: { colorize?: boolean; destination?: NodeJS.WritableStream } = {},
): Logger {
  const base = { name: 'dbchange', level: settings.level };
  if (settings.format === 'json') return opts.destination ? pino(base, opts.destination) : pino(base);
  // A stream in this thread, not a transport worker: lines appear in order with the JSON ones
  // and nothing is lost when the process exits right after a start-up error.
  const stream = pretty({
    colorize: opts.colorize ?? false,
    singleLine: true,
    // `err` (how the code logs errors) is one more field on the line, not a multi-line block:
    // pino-pretty prints only the logger's errorKey that way, and that key is set to another name.
    errorLikeObjectKeys: [],
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname',
    sync: true,
    ...(opts.destination ? { destination: opts.destination } : {}),
  });
  const withStack = settings.level === 'debug' || settings.level === 'trace';
  return pino({ ...base, errorKey: 'error', serializers: { err: (e: Error) => errorFields(e, withStack) } }, stream);
}

/** An error for a pretty line: its type and message (and code), the stack only when debugging. */
function errorFields(e: Error, withStack: boolean): Record<string, unknown> {
  const { stack, ...fields } = pino.stdSerializers.err(e);
  return withStack ? { ...fields, stack } : fields;
}

/** A filter that lets each key through once per `windowMs`, so a failure repeated many times is logged once. */
export function onceEvery(windowMs: number, now: () => number = Date.now): (key: string) => boolean {
  const seen = new Map<string, number>();
  return (key) => {
    const at = now();
    const last = seen.get(key);
    if (last !== undefined && at - last < windowMs) return false;
    if (seen.size > 1000) seen.clear();
    seen.set(key, at);
    return true;
  };
}
