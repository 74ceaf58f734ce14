// Charset/collation allowlists and backward-compatibility.
import type { Rule } from '../types.js';
import type { Statement } from '../statement.js';
import { BOTH } from './engines.js';
import { definedColumns } from './defs.js';
import { createdEarlier, list } from './util.js';

/** Charsets (or collations) a statement sets, with where. */
function named(s: Statement, which: 'charset' | 'collation'): string[] {
  const out: string[] = [];
  const ct = s.createTable;
  if (ct?.options[which]) out.push(ct.options[which]!);
  for (const a of s.alterTable?.actions ?? [])
    if (a.kind === 'options' && a.options[which]) out.push(a.options[which]!);
  for (const d of definedColumns(s)) if (d.col[which]) out.push(d.col[which]!);
  if (s.kind.object === 'DATABASE' || s.kind.object === 'SCHEMA') {
    const t = s.tokens;
    const keys = which === 'charset' ? ['CHARSET', 'CHARACTER', 'ENCODING'] : ['COLLATE', 'LC_COLLATE'];
    for (let k = 0; k < t.length; k++) {
      if (!keys.includes(t[k]!.v) || t[k]!.type !== 'word') continue;
      let j = k + 1;
      if (t[k]!.v === 'CHARACTER') j++;
      if (t[j]?.v === '=') j++;
      if (t[j]) out.push(t[j]!.v.toLowerCase());
    }
  }
  return out;
}

function allowlist(id: string, type: string, which: 'charset' | 'collation'): Rule {
  return {
    id,
    type,
    engines: BOTH,
    verbs: ['CREATE', 'ALTER'],
    summary: `Allowlist ${which === 'charset' ? 'charsets' : 'collations'}`,
    check(s, ctx) {
      const allowed = new Set(list(ctx.payload).map((x) => x.toLowerCase()));
      if (allowed.size === 0) return;
      const bad = named(s, which).find((c) => !allowed.has(c.toLowerCase()));
      if (bad)
        ctx.report(
          s,
          `${which === 'charset' ? 'Charset' : 'Collation'} ${bad} is not allowed; use one of ${[...allowed].join(', ')}.`,
        );
    },
  };
}
export const charsetAllowlist = allowlist('system.charset.allowlist', 'SYSTEM_CHARSET_ALLOWLIST', 'charset');
export const collationAllowlist = allowlist('system.collation.allowlist', 'SYSTEM_COLLATION_ALLOWLIST', 'collation');

export const backwardCompatibility: Rule = {
  id: 'schema.backward-compatibility',
  type: 'SCHEMA_BACKWARD_COMPATIBILITY',
  engines: BOTH,
  verbs: ['DROP', 'RENAME', 'CREATE', 'ALTER'],
  summary: 'Flag breaking changes (drop/rename/…)',
  check(s, ctx) {
    const say = (what: string, pos?: number): void =>
      ctx.report(
        s,
        `${what} breaks code that still uses the old schema; deploy the application change first, or add the new form alongside the old one.`,
        pos,
      );
    const v = s.kind.verb;
    if (v === 'DROP' && ['DATABASE', 'SCHEMA', 'TABLE', 'VIEW'].includes(s.kind.object)) return say(s.kind.label);
    if (v === 'RENAME') return say('RENAME TABLE');
    // A table created earlier in the same script has no readers yet.
    const table = s.alterTable?.table ?? s.createIndex?.table;
    if (table && createdEarlier(ctx.statements, s.index, table)) return;
    if (s.createIndex?.unique) return say('Adding a unique index');
    for (const a of s.alterTable?.actions ?? []) {
      switch (a.kind) {
        case 'drop-column':
          say(`Dropping column ${a.column}`, a.pos);
          return;
        case 'rename-column':
          say(`Renaming column ${a.from}`, a.pos);
          return;
        case 'rename-table':
          say('Renaming the table', a.pos);
          return;
        case 'alter-column-type':
          say(`Changing the type of ${a.column}`, a.pos);
          return;
        case 'modify-column':
        case 'change-column':
          say(`Redefining column ${a.column.name}`, a.pos);
          return;
        case 'set-not-null':
          say(`Making ${a.column} NOT NULL`, a.pos);
          return;
        case 'add-index':
          if (
            a.index.kind === 'primary' ||
            a.index.kind === 'unique' ||
            a.index.kind === 'foreign' ||
            (a.index.kind === 'check' && !a.index.notValid)
          ) {
            say(
              `Adding a ${a.index.kind === 'check' ? 'check' : a.index.kind === 'foreign' ? 'foreign key' : a.index.kind === 'primary' ? 'primary key' : 'unique'} constraint`,
              a.pos,
            );
            return;
          }
          break;
        default:
      }
    }
  },
};
