// Block elements (buttons, menus, pickers, inputs, images) and where each may appear. The
// `where` sets follow Slack's "works with block types" lists; an element outside them, such as
// a datetimepicker in a section accessory, is invalid_blocks.
import { LIMITS } from './limits.js';
import { checkInitialOptions, checkOptions, checkSelectOptions } from './options.js';
import { isObject, type Json, type Problems } from './problems.js';
import { checkConfirm, checkOptionalText, checkText } from './text-objects.js';

export const CONTAINERS = ['actions', 'section', 'input', 'context'] as const;
export type Container = (typeof CONTAINERS)[number];

/** Identifiers that must be unique across one message or view. */
export interface Walk {
  p: Problems;
  actionIds: Set<string>;
  blockIds: Set<string>;
}

type ElementCheck = (w: Walk, el: Json, at: string) => void;

const SELECTS = ['users', 'conversations', 'channels', 'external'] as const;
const TEXT_INPUTS = ['plain_text_input', 'number_input', 'email_text_input', 'url_text_input', 'rich_text_input'];

const placeholder: ElementCheck = (w, el, at) =>
  checkOptionalText(w.p, el.placeholder, `${at}/placeholder`, { max: LIMITS.placeholder, plainOnly: true });

const button: ElementCheck = (w, el, at) => {
  checkText(w.p, el.text, `${at}/text`, { max: LIMITS.buttonText, plainOnly: true });
  w.p.optionalString(el.value, `${at}/value`, LIMITS.buttonValue);
  w.p.optionalString(el.url, `${at}/url`, LIMITS.url);
  w.p.optionalString(el.accessibility_label, `${at}/accessibility_label`, LIMITS.buttonText);
  w.p.optionalEnum(el.style, `${at}/style`, ['primary', 'danger']);
};

const staticSelect: ElementCheck = (w, el, at) => {
  placeholder(w, el, at);
  const offered = checkSelectOptions(w.p, el, at);
  checkInitialOptions(w.p, el.initial_option, offered, `${at}/initial_option`);
  checkInitialOptions(w.p, el.initial_options, offered, `${at}/initial_options`);
};

const choices: ElementCheck = (w, el, at) => {
  const offered = checkOptions(w.p, el.options, `${at}/options`, LIMITS.choiceOptions, false);
  checkInitialOptions(w.p, el.initial_option, offered, `${at}/initial_option`);
  checkInitialOptions(w.p, el.initial_options, offered, `${at}/initial_options`);
};

const textInput: ElementCheck = (w, el, at) => {
  placeholder(w, el, at);
  for (const key of ['max_length', 'min_length'] as const) {
    const n = el[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > LIMITS.textInputLength) {
      w.p.add(`${at}/${key}`, `must be an integer between 0 and ${LIMITS.textInputLength}`);
    }
  }
  if (typeof el.max_length === 'number' && typeof el.min_length === 'number' && el.min_length > el.max_length) {
    w.p.add(`${at}/min_length`, 'must not be greater than max_length');
  }
  if (el.initial_value !== undefined) {
    const max = typeof el.max_length === 'number' ? el.max_length : LIMITS.textInputLength;
    w.p.maxString(el.initial_value, `${at}/initial_value`, max);
  }
  w.p.optionalBoolean(el.multiline, `${at}/multiline`);
};

const image: ElementCheck = (w, el, at) => {
  if (el.image_url === undefined && el.slack_file === undefined) w.p.add(at, 'must provide image_url or slack_file');
  w.p.optionalString(el.image_url, `${at}/image_url`, LIMITS.url);
  w.p.maxString(el.alt_text, `${at}/alt_text`, LIMITS.imageAltText, 1);
};

const fileInput: ElementCheck = (w, el, at) => {
  if (el.filetypes !== undefined) {
    if (!Array.isArray(el.filetypes) || el.filetypes.some((t) => typeof t !== 'string' || t.length === 0))
      w.p.add(`${at}/filetypes`, 'must be an array of file type strings, like ["sql", "txt"]');
  }
  const n = el.max_files;
  if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10))
    w.p.add(`${at}/max_files`, 'must be an integer between 1 and 10');
};

const ELEMENTS: Record<string, { where: readonly Container[]; check: ElementCheck }> = {
  file_input: { where: ['input'], check: fileInput },
  button: { where: ['actions', 'section'], check: button },
  static_select: { where: ['actions', 'section', 'input'], check: staticSelect },
  multi_static_select: { where: ['actions', 'section', 'input'], check: staticSelect },
  overflow: {
    where: ['actions', 'section'],
    check: (w, el, at) => void checkOptions(w.p, el.options, `${at}/options`, LIMITS.overflowOptions, true),
  },
  datepicker: {
    where: ['actions', 'section', 'input'],
    check: (w, el, at) => {
      placeholder(w, el, at);
      if (el.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(el.initial_date))) {
        w.p.add(`${at}/initial_date`, 'must be a date in YYYY-MM-DD format');
      }
    },
  },
  timepicker: {
    where: ['actions', 'section', 'input'],
    check: (w, el, at) => {
      placeholder(w, el, at);
      if (el.initial_time !== undefined && !/^\d{2}:\d{2}$/.test(String(el.initial_time))) {
        w.p.add(`${at}/initial_time`, 'must be a time in HH:mm format');
      }
    },
  },
  datetimepicker: {
    where: ['actions', 'input'],
    check: (w, el, at) => {
      const t = el.initial_date_time;
      if (t !== undefined && (typeof t !== 'number' || !Number.isInteger(t) || t < 0)) {
        w.p.add(`${at}/initial_date_time`, 'must be a UNIX timestamp in seconds');
      }
    },
  },
  checkboxes: { where: ['actions', 'section', 'input'], check: choices },
  radio_buttons: { where: ['actions', 'section', 'input'], check: choices },
  image: { where: ['section', 'context'], check: image },
  ...Object.fromEntries(TEXT_INPUTS.map((t) => [t, { where: ['input'] as const, check: textInput }])),
  ...Object.fromEntries(
    SELECTS.flatMap((s) => [`${s}_select`, `multi_${s}_select`]).map((t) => [
      t,
      { where: ['actions', 'section', 'input'] as const, check: placeholder },
    ]),
  ),
};

/** Checks one element found in a block of kind `container`. */
export function checkElement(w: Walk, el: unknown, at: string, container: Container): void {
  if (!isObject(el)) return w.p.add(at, 'must provide an object');
  const spec = typeof el.type === 'string' ? ELEMENTS[el.type] : undefined;
  if (!spec) return w.p.add(`${at}/type`, `unsupported element type "${String(el.type)}"`);
  if (!spec.where.includes(container)) {
    return w.p.add(`${at}/type`, `element type "${el.type}" is not allowed in a ${container} block`);
  }
  if (el.type !== 'image') {
    if (el.action_id !== undefined) {
      w.p.maxString(el.action_id, `${at}/action_id`, LIMITS.id, 1);
      if (typeof el.action_id === 'string') {
        if (w.actionIds.has(el.action_id)) w.p.add(`${at}/action_id`, `duplicate action_id "${el.action_id}"`);
        w.actionIds.add(el.action_id);
      }
    }
    checkConfirm(w.p, el.confirm, `${at}/confirm`);
  }
  spec.check(w, el, at);
}
