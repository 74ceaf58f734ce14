// Option objects and the option lists of select menus, overflow menus, checkboxes and radios.
import { LIMITS } from './limits.js';
import { isObject, type Problems } from './problems.js';
import { checkOptionalText, checkText } from './text-objects.js';

/** Checks one option; select and overflow options must be plain_text, checkboxes/radios may be mrkdwn. */
export function checkOption(p: Problems, v: unknown, pointer: string, plainOnly: boolean): string | undefined {
  if (!isObject(v)) {
    p.add(pointer, 'must provide an object');
    return undefined;
  }
  checkText(p, v.text, `${pointer}/text`, { max: LIMITS.optionText, plainOnly });
  p.maxString(v.value, `${pointer}/value`, LIMITS.optionValue, 1);
  checkOptionalText(p, v.description, `${pointer}/description`, { max: LIMITS.optionDescription, plainOnly });
  p.optionalString(v.url, `${pointer}/url`, LIMITS.url);
  return typeof v.value === 'string' ? v.value : undefined;
}

/** Checks a list of options and returns the values it offers. */
export function checkOptions(p: Problems, v: unknown, pointer: string, max: number, plainOnly: boolean): string[] {
  const values: string[] = [];
  p.array(v, pointer, 1, max).forEach((o, i) => {
    const value = checkOption(p, o, `${pointer}/${i}`, plainOnly);
    if (value !== undefined) values.push(value);
  });
  return values;
}

/** A static select's options or option_groups (exactly one of them), returning all offered values. */
export function checkSelectOptions(p: Problems, el: Record<string, unknown>, pointer: string): string[] {
  if ((el.options === undefined) === (el.option_groups === undefined)) {
    p.add(pointer, 'must provide exactly one of options or option_groups');
    return [];
  }
  if (el.options !== undefined) return checkOptions(p, el.options, `${pointer}/options`, LIMITS.selectOptions, true);
  return p.array(el.option_groups, `${pointer}/option_groups`, 1, LIMITS.optionGroups).flatMap((g, i) => {
    const at = `${pointer}/option_groups/${i}`;
    if (!isObject(g)) {
      p.add(at, 'must provide an object');
      return [];
    }
    checkText(p, g.label, `${at}/label`, { max: LIMITS.optionGroupLabel, plainOnly: true });
    return checkOptions(p, g.options, `${at}/options`, LIMITS.selectOptions, true);
  });
}

/** An initial option must be one of the offered options, or Slack refuses the payload. */
export function checkInitialOptions(p: Problems, initial: unknown, offered: string[], pointer: string): void {
  if (initial === undefined) return;
  const list = Array.isArray(initial) ? initial : [initial];
  list.forEach((o, i) => {
    const at = Array.isArray(initial) ? `${pointer}/${i}` : pointer;
    if (!isObject(o) || typeof o.value !== 'string' || !offered.includes(o.value)) {
      p.add(at, 'must match one of the provided options');
    }
  });
}
