// Argument checks for chat.postMessage, chat.update, chat.postEphemeral and response_url posts,
// in the order Slack applies them: channel, then JSON shape, then content, then blocks.
import { checkBlocks } from './blocks.js';
import { isChannelRef } from './channel-ids.js';
import { LIMITS } from './limits.js';
import { formatProblems, isObject } from './problems.js';
import type { Rejection } from './rejection.js';

export interface MessageCheckOptions {
  /** response_url posts carry no channel. */
  needsChannel: boolean;
}

function hasContent(args: Record<string, unknown>): boolean {
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (typeof args.text === 'string' && args.text.length > 0) || nonEmpty(args.blocks) || nonEmpty(args.attachments);
}

/** The rejection Slack would give these message arguments, or undefined when it would accept them. */
export function checkMessageArgs(args: Record<string, unknown>, opts: MessageCheckOptions): Rejection | undefined {
  if (opts.needsChannel && !isChannelRef(args.channel)) return { error: 'channel_not_found' };
  if (args.blocks !== undefined && !Array.isArray(args.blocks)) return { error: 'invalid_blocks_format' };
  if (args.attachments !== undefined && !Array.isArray(args.attachments)) return { error: 'invalid_attachments' };
  if (!hasContent(args)) return { error: 'no_text' };
  if (args.text !== undefined && typeof args.text !== 'string') return { error: 'invalid_arguments' };
  if (typeof args.text === 'string' && [...args.text].length > LIMITS.messageText) return { error: 'msg_too_long' };
  if (args.metadata !== undefined && !isObject(args.metadata)) return { error: 'invalid_metadata_format' };
  if (Array.isArray(args.blocks)) {
    const problems = checkBlocks(args.blocks, '/blocks', 'message');
    if (problems.length > 0) return { error: 'invalid_blocks', messages: formatProblems(problems) };
  }
  return undefined;
}
