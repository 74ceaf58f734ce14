// Files, as a file_input element hands them to an app: a view_submission carries only the file's
// metadata; the app asks files.info and downloads url_private_download with its bot token.
// Without the token Slack answers a download with a redirect to its sign-in page (HTML), so an
// app that forgets the header gets a web page instead of the file.
import { failure, missing, type ApiResult } from './results.js';
import type { FakeFile, Workspace } from './workspace.js';

type Args = Record<string, unknown>;

/** The public part of a file: what files.info and a file_input's state show. */
export function fileView(f: FakeFile): Record<string, unknown> {
  const { content: _content, ...shown } = f;
  return shown;
}

export const fileMethods: Record<string, (ws: Workspace, args: Args) => ApiResult> = {
  'files.info'(ws, args) {
    if (typeof args.file !== 'string') return failure(missing('file'));
    const f = ws.files.get(args.file);
    return f
      ? { ok: true, file: fileView(f), comments: [], response_metadata: { next_cursor: '' } }
      : failure({ error: 'file_not_found' });
  },
};

/** Path prefix under which the fake serves file downloads (url_private and url_private_download). */
export const FILES_PREFIX = '/files-pri/';
/** Where an unauthenticated download is redirected. */
export const SIGN_IN_PATH = '/signin';
