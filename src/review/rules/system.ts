// Charset/collation allowlists and backward-compatibility.
import type { Rule } from '../types.js';
import type { Statement } from '../statement.js';
import { BOTH } from './engines.js';
import { definedColumns } from './defs.js';
import { createdEarlier, listSet } from './util.js';

/**
 * Charsets (or collations) a statement sets, with where: the table's own first, then its columns.
 * As Bytebase reports them, a column of CREATE TABLE is element-level advice (its line), the rest
 * statement-level (pos absent).
 */
function named(s: Statement, which: 'charset' | 'collation'): Array<{ name: string; pos?: number }> {
  const out: Array<{ name: string; pos?: number }> = [];
  const ct = s.createTable;
  if (ct?.options[which]) out.push({ name: ct.options[which]! });
  for (const a of s.alterTable?.actions ?? [])
    if (a.kind === 'options' && a.options[which]) out.push({ name: a.options[which]! });
  for (const d of definedColumns(s))
    if (d.col[which]) out.push(d.how === 'create' ? { name: d.col[which]!, pos: d.col.pos } : { name: d.col[which]! });
  // PostgreSQL's ALTER COLUMN … TYPE text COLLATE "x".
  if (which === 'collation' && s.alterTable?.actions.some((a) => a.kind === 'alter-column-type')) {
    const t = s.tokens;
    for (let k = 0; k < t.length - 1; k++)
      if (t[k]!.type === 'word' && t[k]!.v === 'COLLATE') out.push({ name: t[k + 1]!.name.toLowerCase() });
  }
  if (s.kind.object === 'DATABASE' || s.kind.object === 'SCHEMA') {
    const t = s.tokens;
    const keys = which === 'charset' ? ['CHARSET', 'CHARACTER', 'ENCODING'] : ['COLLATE', 'LC_COLLATE'];
    for (let k = 0; k < t.length; k++) {
      if (!keys.includes(t[k]!.v) || t[k]!.type !== 'word') continue;
      let j = k + 1;
      if (t[k]!.v === 'CHARACTER') j++;
      if (t[j]?.v === '=') j++;
      if (t[j]) out.push({ name: t[j]!.v.toLowerCase() });
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
      const allowed = listSet(ctx, 'lower');
      if (allowed.size === 0) return;
      // One finding per statement: its first disallowed charset (collation).
      const bad = named(s, which).find((c) => !allowed.has(c.name.toLowerCase()));
      if (bad)
        ctx.report(
          s,
          `${which === 'charset' ? 'Charset' : 'Collation'} ${bad.name} is not allowed; use one of ${[...allowed].join(', ')}.`,
          bad.pos,
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
    // One statement-level finding per statement (where it ends), as Bytebase reports it.
    const say = (what: string): void =>
      ctx.report(
        s,
        `${what} breaks code that still uses the old schema; deploy the application change first, or add the new form alongside the old one.`,
      );
    const v = s.verb;
    if (v === 'DROP' && ['DATABASE', 'SCHEMA', 'TABLE', 'VIEW'].includes(s.kind.object)) return say(s.kind.label);
    if (v === 'RENAME') return say('RENAME TABLE');
    // A table created earlier in the same script has no readers yet.
    const table = s.alterTable?.table ?? s.createIndex?.table;
    if (table && createdEarlier(ctx.statements, s.index, table)) return;
    if (s.createIndex?.unique) return say('Adding a unique index');
    for (const a of s.alterTable?.actions ?? []) {
      switch (a.kind) {
        case 'drop-column':
          say(`Dropping column ${a.column}`);
          return;
        case 'rename-column':
          say(`Renaming column ${a.from}`);
          return;
        case 'rename-table':
          say('Renaming the table');
          return;
        case 'alter-column-type':
          say(`Changing the type of ${a.column}`);
          return;
        case 'modify-column':
        case 'change-column':
          say(`Redefining column ${a.column.name}`);
          return;
        case 'set-not-null':
          say(`Making ${a.column} NOT NULL`);
          return;
        case 'add-index':
          if (
            a.index.kind === 'primary' ||
            a.index.kind === 'unique' ||
            a.index.kind === 'foreign' ||
            // A MySQL CHECK … NOT ENFORCED is not checked against rows, so old data and code keep working.
            (a.index.kind === 'check' && !a.index.notValid && !(s.has('ENFORCED') && /\bNOT\s+ENFORCED\b/i.test(s.sql)))
          ) {
            say(
              `Adding a ${a.index.kind === 'check' ? 'check' : a.index.kind === 'foreign' ? 'foreign key' : a.index.kind === 'primary' ? 'primary key' : 'unique'} constraint`,
            );
            return;
          }
          break;
        default:
      }
    }
  },
};
