/**
 * Whether changing a column's type can lose data. Only changes known to be widening are safe;
 * everything else counts as narrowing, so an unknown change is marked destructive.
 */
import type { Engine } from '../domain/engine.js';

interface ParsedType {
  base: string;
  args: string[];
  unsigned: boolean;
}

function parse(type: string): ParsedType {
  const t = type.trim().toLowerCase();
  const m = /^([a-z][a-z ]*?)\s*(?:\((.*)\))?\s*(unsigned)?\s*(zerofill)?$/.exec(t);
  if (!m) return { base: t, args: [], unsigned: false };
  const args = m[2] === undefined ? [] : m[2].split(',').map((a) => a.trim());
  return { base: m[1]!.trim(), args, unsigned: m[3] !== undefined };
}

const PG_INT_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
const MY_INT_RANK: Record<string, number> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, bigint: 5 };
const MY_TEXT_CAP: Record<string, number> = { tinytext: 255, text: 65535, mediumtext: 16777215, longtext: 4294967295 };
const MY_BLOB_CAP: Record<string, number> = { tinyblob: 255, blob: 65535, mediumblob: 16777215, longblob: 4294967295 };

function num(s: string | undefined, fallback: number): number {
  const n = s === undefined ? NaN : Number(s);
  return Number.isFinite(n) ? n : fallback;
}

/** numeric(p,s) → numeric(p2,s2) keeps every value when neither integer digits nor scale shrink. */
function decimalWidens(f: ParsedType, t: ParsedType, unbounded: boolean): boolean {
  if (t.args.length === 0) return unbounded;
  if (f.args.length === 0) return false;
  const [p1, s1] = [num(f.args[0], 10), num(f.args[1], 0)];
  const [p2, s2] = [num(t.args[0], 10), num(t.args[1], 0)];
  return s2 >= s1 && p2 - s2 >= p1 - s1;
}

function postgresWidens(f: ParsedType, t: ParsedType): boolean {
  const varchar = 'character varying';
  if (t.base === 'text') return true;
  if (PG_INT_RANK[f.base] && PG_INT_RANK[t.base]) return PG_INT_RANK[t.base]! >= PG_INT_RANK[f.base]!;
  if (PG_INT_RANK[f.base] && t.base === 'numeric')
    return decimalWidens({ base: 'numeric', args: [String(PG_INT_RANK[f.base]! * 6), '0'], unsigned: false }, t, true);
  if (f.base === 'real' && t.base === 'double precision') return true;
  if (f.base === 'numeric' && t.base === 'numeric') return decimalWidens(f, t, true);
  if ((f.base === varchar || f.base === 'character') && t.base === varchar) {
    return t.args.length === 0 || (f.args.length > 0 && num(t.args[0], 0) >= num(f.args[0], Infinity));
  }
  if (f.base === 'text' && t.base === varchar) return t.args.length === 0;
  if (f.base === 'character' && t.base === 'character') return num(t.args[0], 1) >= num(f.args[0], 1);
  return false;
}

function enumValues(args: string[]): string[] {
  return args.map((a) => a.replace(/^'|'$/g, ''));
}

function mysqlWidens(f: ParsedType, t: ParsedType): boolean {
  const fi = MY_INT_RANK[f.base];
  const ti = MY_INT_RANK[t.base];
  if (fi && ti) {
    if (f.unsigned === t.unsigned) return ti >= fi;
    return f.unsigned && !t.unsigned && ti > fi;
  }
  if (
    (fi && (t.base === 'decimal' || t.base === 'numeric')) ||
    ((f.base === 'decimal' || f.base === 'numeric') && (t.base === 'decimal' || t.base === 'numeric'))
  ) {
    const from = fi ? { base: 'decimal', args: [String(fi * 5), '0'], unsigned: false } : f;
    return decimalWidens(from, t, false);
  }
  if (f.base === 'float' && t.base === 'double') return true;
  const fChars = f.base === 'varchar' || f.base === 'char' ? num(f.args[0], Infinity) : MY_TEXT_CAP[f.base];
  if (fChars !== undefined) {
    if (t.base === 'varchar') return num(t.args[0], 0) >= fChars;
    if (t.base === 'char') return f.base === 'char' && num(t.args[0], 1) >= fChars;
    const cap = MY_TEXT_CAP[t.base];
    if (cap !== undefined) return cap >= (MY_TEXT_CAP[f.base] ?? fChars * 4);
  }
  if (MY_BLOB_CAP[f.base] && MY_BLOB_CAP[t.base]) return MY_BLOB_CAP[t.base]! >= MY_BLOB_CAP[f.base]!;
  if ((f.base === 'varbinary' || f.base === 'binary') && t.base === 'varbinary')
    return num(t.args[0], 0) >= num(f.args[0], Infinity);
  if ((f.base === 'enum' && t.base === 'enum') || (f.base === 'set' && t.base === 'set')) {
    const to = new Set(enumValues(t.args));
    return enumValues(f.args).every((v) => to.has(v));
  }
  return false;
}

/** True when every value of type `from` survives a change to type `to`. */
export function isWideningTypeChange(engine: Engine, from: string, to: string): boolean {
  if (from === to) return true;
  const f = parse(from);
  const t = parse(to);
  return engine === 'postgres' ? postgresWidens(f, t) : mysqlWidens(f, t);
}
