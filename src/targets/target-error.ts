/** Errors a target raises about itself: they name the database by its redacted URL and say what to do. */
import { DbchangeError, ErrorCode, isDbchangeError, messageOf } from '../errors.js';
import { redactUrl, safeCause, scrubSecrets } from '../redact.js';

/** The database could not be reached or refused the connection: the one wording of every connect path. */
export function connectError(url: string, err: unknown): DbchangeError {
  if (isDbchangeError(err)) return err;
  return new DbchangeError(
    ErrorCode.TargetFailed,
    `Cannot connect to ${redactUrl(url)}: ${scrubSecrets(messageOf(err), url)}. ` +
      'Check the URL (host, port, user, password, database name: databases[].url in the config, or the URL given ' +
      'on the command line) and that the server is reachable.',
    { cause: safeCause(err, url) },
  );
}

/** Something other than a statement error stopped work on `url` (`doing` says what). */
export function targetError(url: string, doing: string, err: unknown, next: string): DbchangeError {
  if (isDbchangeError(err)) return err;
  return new DbchangeError(
    ErrorCode.TargetFailed,
    `${doing} on ${redactUrl(url)} failed: ${scrubSecrets(messageOf(err), url)}. ${next}`,
    { cause: safeCause(err, url) },
  );
}

/** The default `applied_by` of ledger rows: which bot process did it. */
export function defaultAppliedBy(hostname: string, pid: number): string {
  return `dbchange@${hostname}:${pid}`;
}

/** A task's apply failed for a reason other than its SQL (connection lost, lock, ledger). */
export function applyError(url: string, taskId: string, err: unknown): DbchangeError {
  return targetError(
    url,
    `Applying task ${taskId}`,
    err,
    'The ledger in the target database keeps what was applied; check the database and retry the task.',
  );
}
