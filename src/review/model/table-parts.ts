// Index and constraint definitions shared by CREATE TABLE, ALTER TABLE … ADD and CREATE INDEX.
import type { Token } from '../tokens.js';
import { closeParen } from '../tokens.js';

export type IndexKind = 'primary' | 'unique' | 'index' | 'fulltext' | 'spatial' | 'foreign' | 'check' | 'exclude';

export interface IndexDef {
  kind: IndexKind;
  name: string | null;
  pos: number;
  columns: string[];
  /** USING method (BTREE, HASH, GIN …), upper-cased. */
  using: string | null;
  references: { table: string[]; columns: string[]; onDeleteCascade: boolean } | null;
  notValid: boolean;
}

/** Names inside the '(' at `open`: the first name of each element. */
export function readColumnList(tokens: readonly Token[], open: number): { columns: string[]; next: number } {
  const end = closeParen(tokens, open);
  const columns: string[] = [];
  let expectName = true;
  const d = tokens[open]!.depth + 1;
  for (let k = open + 1; k < end; k++) {
    const t = tokens[k]!;
    if (t.depth !== d) continue;
    if (t.type === 'punct' && t.v === ',') {
      expectName = true;
      continue;
    }
    if (expectName) {
      columns.push(t.type === 'word' || t.type === 'ident' ? t.name : '(expression)');
      expectName = false;
    }
  }
  return { columns, next: end + 1 };
}

const INDEX_START = new Set([
  'PRIMARY',
  'UNIQUE',
  'KEY',
  'INDEX',
  'FULLTEXT',
  'SPATIAL',
  'FOREIGN',
  'CHECK',
  'CONSTRAINT',
  'EXCLUDE',
]);
/** True when tokens[from] starts an index/constraint element rather than a column. */
export function startsIndexDef(tokens: readonly Token[], from: number): boolean {
  const t = tokens[from];
  return !!t && t.type === 'word' && INDEX_START.has(t.v);
}

/** Read an index/constraint element from tokens[from, to). */
export function readIndexDef(tokens: readonly Token[], from: number, to: number): IndexDef | null {
  let k = from;
  let name: string | null = null;
  const pos = tokens[from]!.pos;
  if (tokens[k]?.v === 'CONSTRAINT') {
    const n = tokens[k + 1];
    if (n && (n.type === 'ident' || (n.type === 'word' && !INDEX_START.has(n.v)))) {
      name = n.name;
      k += 2;
    } else k++;
  }
  const head = tokens[k]?.v;
  let kind: IndexKind;
  switch (head) {
    case 'PRIMARY':
      kind = 'primary';
      k += 2;
      break;
    case 'UNIQUE':
      kind = 'unique';
      k++;
      break;
    case 'FOREIGN':
      kind = 'foreign';
      k += 2;
      break;
    case 'CHECK':
      kind = 'check';
      k++;
      break;
    case 'EXCLUDE':
      kind = 'exclude';
      k++;
      break;
    case 'FULLTEXT':
      kind = 'fulltext';
      k++;
      break;
    case 'SPATIAL':
      kind = 'spatial';
      k++;
      break;
    case 'KEY':
    case 'INDEX':
      kind = 'index';
      k++;
      break;
    default:
      return null;
  }
  if (tokens[k]?.v === 'KEY' || tokens[k]?.v === 'INDEX') k++;
  let using: string | null = null;
  // Optional index name (MySQL) before the column list.
  while (k < to && tokens[k]!.v !== '(') {
    const t = tokens[k]!;
    if (t.v === 'USING') {
      using = tokens[k + 1]?.v.toUpperCase() ?? null;
      k += 2;
      continue;
    }
    if ((t.type === 'word' || t.type === 'ident') && name === null && kind !== 'check') name = t.name;
    k++;
  }
  let columns: string[] = [];
  if (k < to && tokens[k]!.v === '(' && kind !== 'check') {
    const r = readColumnList(tokens, k);
    columns = r.columns;
    k = r.next;
  } else if (k < to) k = closeParen(tokens, k) + 1;
  let references: IndexDef['references'] = null;
  let notValid = false;
  for (; k < to; k++) {
    const t = tokens[k]!;
    if (t.v === 'USING' && t.type === 'word') using = tokens[k + 1]?.v.toUpperCase() ?? using;
    if (t.v === 'REFERENCES' && t.type === 'word') {
      const parts: string[] = [];
      let j = k + 1;
      while (j < to && (tokens[j]!.type === 'word' || tokens[j]!.type === 'ident' || tokens[j]!.v === '.')) {
        if (tokens[j]!.v !== '.') parts.push(tokens[j]!.name);
        j++;
      }
      let cols: string[] = [];
      if (tokens[j]?.v === '(') {
        const r = readColumnList(tokens, j);
        cols = r.columns;
        j = r.next - 1;
      }
      references = { table: parts, columns: cols, onDeleteCascade: false };
      k = j;
      continue;
    }
    if (t.v === 'DELETE' && tokens[k - 1]?.v === 'ON' && tokens[k + 1]?.v === 'CASCADE' && references)
      references.onDeleteCascade = true;
    if (t.v === 'NOT' && tokens[k + 1]?.v === 'VALID') notValid = true;
  }
  return { kind, name, pos, columns, using, references, notValid };
}
