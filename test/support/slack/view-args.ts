// The view object of views.open / views.push / views.update. Slack answers a bad view with
// invalid_arguments and the reasons in response_metadata.messages.
import { checkBlocks } from './blocks.js';
import { LIMITS } from './limits.js';
import { formatProblems, isObject, Problems } from './problems.js';
import type { Rejection } from './rejection.js';
import { checkOptionalText, checkText } from './text-objects.js';

/** The rejection Slack would give this view, or undefined when it would accept it. */
export function checkView(view: unknown): Rejection | undefined {
  if (!isObject(view)) {
    return {
      error: 'invalid_arguments',
      messages: formatProblems([{ pointer: '/view', message: 'must provide an object' }]),
    };
  }
  const p = new Problems();
  if (view.type !== 'modal') p.add('/view/type', 'must be "modal"');
  const title = { max: LIMITS.viewTitle, plainOnly: true };
  checkText(p, view.title, '/view/title', title);
  checkOptionalText(p, view.submit, '/view/submit', title);
  checkOptionalText(p, view.close, '/view/close', title);
  p.optionalString(view.private_metadata, '/view/private_metadata', LIMITS.privateMetadata);
  p.optionalString(view.callback_id, '/view/callback_id', LIMITS.id);
  p.optionalString(view.external_id, '/view/external_id', LIMITS.id);
  p.optionalBoolean(view.clear_on_close, '/view/clear_on_close');
  p.optionalBoolean(view.notify_on_close, '/view/notify_on_close');
  p.list.push(...checkBlocks(view.blocks, '/view/blocks', 'modal'));
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
  if (hasInput && view.submit === undefined)
    p.add('/view/submit', 'must provide submit when the view has input blocks');
  if (Buffer.byteLength(JSON.stringify(view)) > LIMITS.viewBytes) p.add('/view', 'must be no larger than 250 KB');
  return p.list.length > 0 ? { error: 'invalid_arguments', messages: formatProblems(p.list) } : undefined;
}
