// Channel arguments Slack can resolve: a conversation ID (C…, G…, D…), a user ID for the app's
// DM (U…, W…), or a #name. Anything else (undefined, '', an issue id) is channel_not_found.
// Test fixtures use readable ids such as C_CHANGES and U_DBA, so underscores are allowed.
const ID = /^[CGDUW][A-Z0-9_]{2,}$/;
const NAME = /^#[a-z0-9][a-z0-9._-]{0,79}$/;

/** Whether Slack could resolve this value as a channel. */
export function isChannelRef(v: unknown): v is string {
  return typeof v === 'string' && (ID.test(v) || NAME.test(v));
}

/** The conversation a message to `ref` lands in: a user ID becomes that user's DM with the app. */
export function conversationOf(ref: string): string {
  return /^[UW]/.test(ref) ? `D${ref.slice(1)}` : ref;
}
