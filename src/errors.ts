/**
 * Errors that reach a person (Slack, CLI, start-up) carry a stable `code`, a message that says
 * what is wrong, where, and what to do next, and the underlying `cause` when there is one.
 */
export const ErrorCode = {
  ConfigInvalid: 'dbchange_config_invalid',
  ConfigMissing: 'dbchange_config_missing',
  EnvMissing: 'dbchange_env_missing',
  StoreUnavailable: 'dbchange_store_unavailable',
  InvalidTransition: 'dbchange_invalid_transition',
  NotFound: 'dbchange_not_found',
  InvalidInput: 'dbchange_invalid_input',
  TargetFailed: 'dbchange_target_failed',
  SchemaError: 'dbchange_schema_error',
  GitError: 'dbchange_git_error',
  SlackFailed: 'dbchange_slack_failed',
  Internal: 'dbchange_internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error with a code a caller can switch on and a message written for the person who sees it. */
export class DbchangeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DbchangeError';
    this.code = code;
  }
}

export function isDbchangeError(e: unknown, code?: ErrorCode): e is DbchangeError {
  return e instanceof DbchangeError && (code === undefined || e.code === code);
}

/** The message of anything thrown, for logs and Slack; never includes a stack. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** For the default branch of an exhaustive switch: reaching it is a bug in dbchange itself. */
export function unreachable(value: never, what: string): never {
  throw new DbchangeError(
    ErrorCode.Internal,
    `unknown ${what} ${JSON.stringify(value)}; this is a bug in dbchange, please report it`,
  );
}
