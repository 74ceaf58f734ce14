/**
 * SQL sent as a file (a `file_input` in the change form or the edit dialog). The submission only
 * names the file; the bot asks files.info for it and downloads url_private_download with its
 * bot token (scope files:read). Without the token Slack answers with a redirect to its sign-in
 * page, so a redirect or an HTML answer means the app lacks the scope.
 *
 * Slack closes a view_submission after 3 seconds, and field errors can only be returned in that
 * answer. So the work is split: `describeSqlFile` (one files.info call, bounded in time) runs
 * before the ack and turns what it can know — a missing scope, a file over the limit, an empty
 * file — into field errors; the download and decoding (`downloadSqlFile`, bounded too) run after
 * the ack, and a problem there is told to the person in an ephemeral message, changing nothing.
 */
import { within } from '../within.js';
import type { WebClient } from '@slack/web-api';
import { MAX_SQL_BYTES } from '../app/index.js';
import { messageOf } from '../app/index.js';

/** The largest file taken, the same limit as SQL typed in (the app's). */
export const SQL_FILE_LIMIT_BYTES = MAX_SQL_BYTES;
export const SQL_FILE_LIMIT_TEXT = `${SQL_FILE_LIMIT_BYTES / 1_000_000} MB`;

/** files.info must answer well inside Slack's 3 s for the field errors to reach the modal. */
const DESCRIBE_TIMEOUT_MS = 1500;
/** After the ack nobody waits on an HTTP answer, but a stuck download must still end. */
const DOWNLOAD_TIMEOUT_MS = 30_000;

/** What files.info says about a picked file: enough to download it. */
export interface SqlFileRef {
  name: string;
  url: string;
}

export type Described = { ok: true; file: SqlFileRef } | { ok: false; error: string };
export type Downloaded = { ok: true; sql: string } | { ok: false; error: string };

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const tooLarge = (name: string, bytes: number) => ({
  ok: false as const,
  error: `${name} is ${megabytes(bytes)}; the limit is ${SQL_FILE_LIMIT_TEXT}. Split the script into several changes.`,
});

/** Ask files.info about a picked file (before the ack): where to download it, or why it cannot be used. */
export async function describeSqlFile(
  client: WebClient,
  fileId: string,
  timeoutMs = DESCRIBE_TIMEOUT_MS,
): Promise<Described> {
  type Info = { name?: string; size?: number; url_private_download?: string; url_private?: string };
  let file: Info | undefined;
  try {
    const answer = await within(client.files.info({ file: fileId }), timeoutMs);
    if (answer === 'late') return { ok: false, error: 'Slack took too long to describe the file; press Submit again.' };
    file = answer.file;
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    return {
      ok: false,
      error:
        code === 'missing_scope'
          ? 'The bot may not read files: add the files:read scope to the Slack app (manifest.json has it) and reinstall it.'
          : `Slack could not give the bot this file (${code ?? messageOf(err)}); attach it again.`,
    };
  }
  const name = file?.name ?? 'The file';
  const url = file?.url_private_download ?? file?.url_private;
  if (!url) return { ok: false, error: `Slack did not say where to download ${name}; attach it again.` };
  if ((file?.size ?? 0) > SQL_FILE_LIMIT_BYTES) return tooLarge(name, file!.size!);
  if (file?.size === 0) return { ok: false, error: `${name} is empty.` };
  return { ok: true, file: { name, url } };
}

/** Download a described file as UTF-8 text (after the ack), reading at most the limit. */
export async function downloadSqlFile(
  client: WebClient,
  file: SqlFileRef,
  timeoutMs = DOWNLOAD_TIMEOUT_MS,
): Promise<Downloaded> {
  const { name, url } = file;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${client.token}` },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { ok: false, error: `Downloading ${name} from Slack failed (${messageOf(err)}); try again.` };
  }
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== 200 || type.startsWith('text/html')) {
    await res.body?.cancel();
    return {
      ok: false,
      error: `Slack did not let the bot download ${name} (HTTP ${res.status}); check that the app has the files:read scope and reinstall it.`,
    };
  }
  // Read no more than the limit, whatever size files.info claimed.
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body ?? []) {
      size += chunk.length;
      // Leaving the loop cancels the rest of the download.
      if (size > SQL_FILE_LIMIT_BYTES)
        return {
          ok: false,
          error: `${name} is larger than ${SQL_FILE_LIMIT_TEXT}, the limit. Split the script into several changes.`,
        };
      chunks.push(chunk);
    }
  } catch (err) {
    return { ok: false, error: `Downloading ${name} from Slack failed (${messageOf(err)}); try again.` };
  }
  let sql: string;
  try {
    sql = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    return { ok: false, error: `${name} is not UTF-8 text; save it as UTF-8 and attach it again.` };
  }
  if (!sql.trim()) return { ok: false, error: `${name} is empty.` };
  return { ok: true, sql };
}

/** The id of the file picked in a file_input of a submitted view, if any. */
export function pickedFileId(values: unknown, blockId: string): string | undefined {
  const block = (values as Record<string, Record<string, { files?: { id?: string }[] }>>)[blockId];
  const state = block ? Object.values(block)[0] : undefined;
  return state?.files?.[0]?.id;
}
