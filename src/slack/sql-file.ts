/**
 * SQL sent as a file (a `file_input` in the change form or the edit dialog). The submission only
 * names the file; the bot asks files.info for it and downloads url_private_download with its
 * bot token (scope files:read). Without the token Slack answers with a redirect to its sign-in
 * page, so a redirect or an HTML answer means the app lacks the scope.
 */
import type { WebClient } from '@slack/web-api';
import { MAX_SQL_BYTES } from '../app/index.js';
import { messageOf } from '../app/index.js';

/** The largest file taken, the same limit as SQL typed in (the app's). */
export const SQL_FILE_LIMIT_BYTES = MAX_SQL_BYTES;
export const SQL_FILE_LIMIT_TEXT = `${SQL_FILE_LIMIT_BYTES / 1_000_000} MB`;

export type SqlFile = { ok: true; sql: string; name: string } | { ok: false; error: string };

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const tooLarge = (name: string, bytes: number): SqlFile => ({
  ok: false,
  error: `${name} is ${megabytes(bytes)}; the limit is ${SQL_FILE_LIMIT_TEXT}. Split the script into several changes.`,
});

/** Read an uploaded SQL file as UTF-8 text, or say (for the field) why it cannot be used. */
export async function readSqlFile(client: WebClient, fileId: string): Promise<SqlFile> {
  let file: { name?: string; size?: number; url_private_download?: string; url_private?: string } | undefined;
  try {
    file = (await client.files.info({ file: fileId })).file;
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
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${client.token}` }, redirect: 'manual' });
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
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > SQL_FILE_LIMIT_BYTES) return tooLarge(name, bytes.length);
  let sql: string;
  try {
    sql = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: `${name} is not UTF-8 text; save it as UTF-8 and attach it again.` };
  }
  if (!sql.trim()) return { ok: false, error: `${name} is empty.` };
  return { ok: true, sql, name };
}

/** The id of the file picked in a file_input of a submitted view, if any. */
export function pickedFileId(values: unknown, blockId: string): string | undefined {
  const block = (values as Record<string, Record<string, { files?: { id?: string }[] }>>)[blockId];
  const state = block ? Object.values(block)[0] : undefined;
  return state?.files?.[0]?.id;
}
