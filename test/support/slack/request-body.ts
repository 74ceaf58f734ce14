// Web API arguments arrive form-encoded (the SDK JSON-stringifies objects such as blocks and
// view) or as a JSON body. Both decode to one args object, as Slack's own parser does.

/** Fields that Slack decodes from a JSON string when they arrive in a form. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'] as const;

/** Decodes a Web API request body; a JSON field that does not parse stays a string (and fails validation). */
export function parseApiBody(contentType: string | undefined, raw: string): Record<string, unknown> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    const parsed: unknown = raw.length > 0 ? JSON.parse(raw) : {};
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : {};
  }
  const args: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  for (const field of JSON_FIELDS) {
    const v = args[field];
    if (typeof v !== 'string') continue;
    try {
      args[field] = JSON.parse(v);
    } catch {
      // left as the raw string: the method then reports invalid_blocks_format / invalid_arguments
    }
  }
  return args;
}
