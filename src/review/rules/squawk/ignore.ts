/**
 * Squawk's ignore comments, as squawk-cli 2.66 reads them: `-- squawk-ignore rule-a, rule-b` (or
 * the same in a block comment) silences those Squawk rules on the comment's own line and the line
 * after it; `-- squawk-ignore-file rule-a` silences them in the whole script, and with no names
 * every Squawk rule. A name Squawk does not know is itself a finding of `unused-ignore`
 * ("unknown name …", at the name). Names are case-sensitive; text after a further `--` is a remark.
 * Comments inside strings and dollar-quoted bodies are not comments. A comment reading
 * `squawk-disable-assume-in-transaction` turns the assume-in-transaction setting off for its script.
 */
import type { Finding } from '../../types.js';
import { squawkRule } from './define.js';

export const unusedIgnore = squawkRule({
  name: 'unused-ignore',
  summary: 'A squawk-ignore comment names a rule Squawk does not know',
  message: 'unknown name',
});

interface Comment {
  body: string;
  /** Offset of the body's first character in the script. */
  at: number;
}

/** The comments of a script, skipping quoted text. */
function comments(sql: string): Comment[] {
  const out: Comment[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      const end = e < 0 ? n : e;
      out.push({ body: sql.slice(i + 2, end), at: i + 2 });
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      const end = e < 0 ? n : e;
      out.push({ body: sql.slice(i + 2, end), at: i + 2 });
      i = end + 2;
    } else if (c === "'" || c === '"') {
      const escapes = c === "'" && /[eE]/.test(sql[i - 1] ?? '');
      i++;
      while (i < n) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === c) {
          if (sql[i + 1] === c) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === '$') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
        const e = sql.indexOf(tag[0], i + tag[0].length);
        i = e < 0 ? n : e + tag[0].length;
      } else i++;
    } else i++;
  }
  return out;
}

interface Ignore {
  line: number;
  file: boolean;
  rules: Set<string>;
}

/** 1-based line and column of an offset. */
function lineCol(sql: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = sql.indexOf('\n'); k >= 0 && k < offset; k = sql.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * Drop the findings of Squawk rules that squawk-ignore comments silence, and report unknown names
 * when `unusedLevel` is set. `expand` maps a Squawk name to the rule ids it stands for (empty:
 * not a Squawk name); `isSquawk` tells which findings Squawk's comments can silence.
 */
export function applySquawkIgnores(
  sql: string,
  findings: Finding[],
  expand: (name: string) => readonly string[],
  isSquawk: (rule: string) => boolean,
  unusedLevel: Finding['level'] | null,
): Finding[] {
  if (!sql.includes('squawk-ignore')) return findings;
  const ignores: Ignore[] = [];
  const unknown: Finding[] = [];
  for (const c of comments(sql)) {
    const lead = c.body.length - c.body.trimStart().length;
    const text = c.body.slice(lead);
    const cut = text.indexOf('--');
    const body = (cut < 0 ? text : text.slice(0, cut)).trimEnd();
    const file = body.startsWith('squawk-ignore-file');
    if (!file && !body.startsWith('squawk-ignore')) continue;
    const prefix = file ? 'squawk-ignore-file' : 'squawk-ignore';
    const names = body.slice(prefix.length);
    const rules = new Set<string>();
    let offset = c.at + lead + prefix.length;
    for (const part of names.split(',')) {
      // Only an empty part is skipped: a blank one is an unknown (empty) name, as in Squawk.
      if (part) {
        const name = part.trim();
        const ids = name ? expand(name) : [];
        if (ids.length > 0) for (const id of ids) rules.add(id);
        else if (unusedLevel) {
          const at = lineCol(sql, offset + (part.length - part.trimStart().length));
          unknown.push({
            rule: unusedIgnore.id,
            level: unusedLevel,
            ...at,
            statement: '',
            message: `unknown name ${name}`,
          });
        }
      }
      offset += part.length + 1;
    }
    // A file-wide ignore without names silences every Squawk rule (one with only unknown names
    // silences none); a line ignore needs names.
    if (rules.size > 0 || (file && names.trim() === '')) ignores.push({ line: lineCol(sql, c.at).line, file, rules });
  }
  const silenced = (f: Finding): boolean =>
    isSquawk(f.rule) &&
    ignores.some(
      (i) => (i.file || f.line === i.line || f.line === i.line + 1) && (i.rules.size === 0 || i.rules.has(f.rule)),
    );
  const kept = findings.filter((f) => !silenced(f));
  return unknown.length > 0 ? [...kept, ...unknown] : kept;
}

const DISABLE_ASSUMED = 'squawk-disable-assume-in-transaction';

/**
 * True when a comment of the script reads `squawk-disable-assume-in-transaction`: the script runs
 * outside the transaction assume-in-transaction supposes. (Squawk 2.66 reads no enabling comment.)
 */
export function disablesAssumedTransaction(sql: string): boolean {
  if (!sql.includes(DISABLE_ASSUMED)) return false;
  for (const c of comments(sql)) {
    const text = c.body.trim();
    const cut = text.indexOf('--');
    if ((cut < 0 ? text : text.slice(0, cut).trimEnd()) === DISABLE_ASSUMED) return true;
  }
  return false;
}
