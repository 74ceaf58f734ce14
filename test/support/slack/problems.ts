// Slack reports payload errors as "[ERROR] <what> [json-pointer:<where>]" strings in
// response_metadata.messages; the validators collect the same shape so a failing test shows
// exactly what Slack would have said.

/** One thing Slack would reject, with the JSON pointer of the offending value. */
export interface Problem {
  pointer: string;
  message: string;
}

/** A JSON object as it arrives in a request (blocks, views, elements). */
export type Json = Record<string, unknown>;

/** Whether a decoded JSON value is a plain object. */
export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Length as Slack counts it: characters, not UTF-16 code units. */
export function charLength(s: string): number {
  return [...s].length;
}

/** Renders problems the way Slack's response_metadata.messages does. */
export function formatProblems(problems: readonly Problem[]): string[] {
  return problems.map((p) => `[ERROR] ${p.message} [json-pointer:${p.pointer}]`);
}

/** Collects problems while walking a payload. */
export class Problems {
  readonly list: Problem[] = [];

  add(pointer: string, message: string): void {
    this.list.push({ pointer, message });
  }

  /** A string no longer than `max` characters (and, with `min`, no shorter). */
  maxString(v: unknown, pointer: string, max: number, min = 0): void {
    if (typeof v !== 'string') return this.add(pointer, 'must be a string');
    const n = charLength(v);
    if (n > max) this.add(pointer, `must be less than ${max + 1} characters`);
    else if (n < min) this.add(pointer, `must be at least ${min} character${min === 1 ? '' : 's'}`);
  }

  /** An optional string field: checked only when present. */
  optionalString(v: unknown, pointer: string, max: number): void {
    if (v !== undefined) this.maxString(v, pointer, max);
  }

  /** An array with between `min` and `max` items; returns it (or [] when it is not an array). */
  array(v: unknown, pointer: string, min: number, max: number): unknown[] {
    if (!Array.isArray(v)) {
      this.add(pointer, 'must be an array');
      return [];
    }
    if (v.length > max) this.add(pointer, `no more than ${max} items allowed`);
    if (v.length < min) this.add(pointer, `must provide at least ${min} item${min === 1 ? '' : 's'}`);
    return v;
  }

  /** A boolean when present. */
  optionalBoolean(v: unknown, pointer: string): void {
    if (v !== undefined && typeof v !== 'boolean') this.add(pointer, 'must be a boolean');
  }

  /** One of the allowed strings when present. */
  optionalEnum(v: unknown, pointer: string, allowed: readonly string[]): void {
    if (v !== undefined && (typeof v !== 'string' || !allowed.includes(v))) {
      this.add(pointer, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
  }
}
