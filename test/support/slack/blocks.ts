// Layout blocks, checked as Slack's chat.* and views.* endpoints check them. A message may not
// hold input blocks (only modals may); block_id and action_id are unique per message or view.
import { checkElement, type Walk } from './elements.js';
import { LIMITS } from './limits.js';
import { isObject, Problems, type Json, type Problem } from './problems.js';
import { checkOptionalText, checkText } from './text-objects.js';

export const SURFACES = ['message', 'modal'] as const;
export type Surface = (typeof SURFACES)[number];

type BlockCheck = (w: Walk, b: Json, at: string) => void;

const BLOCKS: Record<string, BlockCheck> = {
  section(w, b, at) {
    if (b.text === undefined && b.fields === undefined) w.p.add(at, 'must provide either text or fields');
    checkOptionalText(w.p, b.text, `${at}/text`, { max: LIMITS.sectionText });
    if (b.fields !== undefined) {
      w.p
        .array(b.fields, `${at}/fields`, 1, LIMITS.sectionFields)
        .forEach((f, i) => checkText(w.p, f, `${at}/fields/${i}`, { max: LIMITS.sectionField }));
    }
    if (b.accessory !== undefined) checkElement(w, b.accessory, `${at}/accessory`, 'section');
    w.p.optionalBoolean(b.expand, `${at}/expand`);
  },
  header(w, b, at) {
    checkText(w.p, b.text, `${at}/text`, { max: LIMITS.headerText, plainOnly: true });
  },
  divider() {},
  context(w, b, at) {
    w.p.array(b.elements, `${at}/elements`, 1, LIMITS.contextElements).forEach((el, i) => {
      const elAt = `${at}/elements/${i}`;
      if (isObject(el) && el.type === 'image') checkElement(w, el, elAt, 'context');
      else checkText(w.p, el, elAt, { max: LIMITS.sectionText });
    });
  },
  actions(w, b, at) {
    w.p
      .array(b.elements, `${at}/elements`, 1, LIMITS.actionsElements)
      .forEach((el, i) => checkElement(w, el, `${at}/elements/${i}`, 'actions'));
  },
  input(w, b, at) {
    checkText(w.p, b.label, `${at}/label`, { max: LIMITS.inputLabel, plainOnly: true });
    if (b.element === undefined) w.p.add(`${at}/element`, 'must provide an element');
    else checkElement(w, b.element, `${at}/element`, 'input');
    checkOptionalText(w.p, b.hint, `${at}/hint`, { max: LIMITS.inputHint, plainOnly: true });
    w.p.optionalBoolean(b.optional, `${at}/optional`);
    w.p.optionalBoolean(b.dispatch_action, `${at}/dispatch_action`);
  },
  rich_text(w, b, at) {
    w.p.array(b.elements, `${at}/elements`, 1, Number.MAX_SAFE_INTEGER);
  },
  image(w, b, at) {
    if (b.image_url === undefined && b.slack_file === undefined) w.p.add(at, 'must provide image_url or slack_file');
    w.p.optionalString(b.image_url, `${at}/image_url`, LIMITS.url);
    w.p.maxString(b.alt_text, `${at}/alt_text`, LIMITS.imageAltText, 1);
    checkOptionalText(w.p, b.title, `${at}/title`, { max: LIMITS.imageTitle, plainOnly: true });
  },
  markdown(w, b, at) {
    w.p.maxString(b.text, `${at}/text`, LIMITS.markdownText, 1);
  },
};

/** Checks one block; `surface` decides whether input blocks are allowed. */
export function checkBlock(w: Walk, b: unknown, at: string, surface: Surface): void {
  if (!isObject(b)) return w.p.add(at, 'must provide an object');
  const check = typeof b.type === 'string' ? BLOCKS[b.type] : undefined;
  if (!check) return w.p.add(`${at}/type`, `unsupported block type "${String(b.type)}"`);
  if (b.type === 'input' && surface !== 'modal')
    return w.p.add(`${at}/type`, 'input blocks are only allowed in modals');
  if (b.block_id !== undefined) {
    w.p.maxString(b.block_id, `${at}/block_id`, LIMITS.id, 1);
    if (typeof b.block_id === 'string') {
      if (w.blockIds.has(b.block_id)) w.p.add(`${at}/block_id`, `duplicate block_id "${b.block_id}"`);
      w.blockIds.add(b.block_id);
    }
  }
  check(w, b, at);
}

/** Checks a blocks array for a message (at most 50) or a modal (at most 100). */
export function checkBlocks(blocks: unknown, pointer: string, surface: Surface): Problem[] {
  const w: Walk = { p: new Problems(), actionIds: new Set(), blockIds: new Set() };
  const max = surface === 'modal' ? LIMITS.viewBlocks : LIMITS.messageBlocks;
  w.p.array(blocks, pointer, 0, max).forEach((b, i) => checkBlock(w, b, `${pointer}/${i}`, surface));
  return w.p.list;
}
