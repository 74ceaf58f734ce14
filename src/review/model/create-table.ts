// CREATE TABLE read from tokens: columns, indexes/constraints and table options.
import type { Token } from '../tokens.js';
import { closeParen, readName, splitTopLevel } from '../tokens.js';
import { readColumnDef, type ColumnDef } from './column.js';
import { readIndexDef, startsIndexDef, type IndexDef } from './table-parts.js';

export interface TableOptions {
  engine: string | null;
  charset: string | null;
  collation: string | null;
  comment: string | null;
  autoIncrement: number | null;
  partitioned: boolean;
}

export interface CreateTable {
  table: string[];
  pos: number;
  columns: ColumnDef[];
  indexes: IndexDef[];
  options: TableOptions;
  /** CREATE TABLE … AS SELECT / LIKE / PARTITION OF: no column list of its own. */
  derived: boolean;
}

/** Read table options (MySQL style `ENGINE=…` and PostgreSQL PARTITION BY) from tokens[from, to). */
export function readTableOptions(tokens: readonly Token[], from: number, to: number, into: TableOptions): void {
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.type !== 'word' || t.depth !== tokens[from]!.depth) continue;
    let j = k + 1;
    if (tokens[j]?.v === '=') j++;
    const value = tokens[j];
    switch (t.v) {
      case 'ENGINE':
        if (value) into.engine = value.v.toUpperCase();
        k = j;
        break;
      case 'CHARSET':
        if (value) into.charset = value.v.toLowerCase();
        k = j;
        break;
      case 'CHARACTER':
        if (tokens[k + 1]?.v === 'SET') {
          j = k + 2;
          if (tokens[j]?.v === '=') j++;
          if (tokens[j]) into.charset = tokens[j]!.v.toLowerCase();
          k = j;
        }
        break;
      case 'COLLATE':
        if (value) into.collation = value.v.toLowerCase();
        k = j;
        break;
      case 'COMMENT':
        if (value?.type === 'string') into.comment = value.v;
        k = j;
        break;
      case 'AUTO_INCREMENT':
        if (value?.type === 'number') into.autoIncrement = Number(value.v);
        k = j;
        break;
      case 'PARTITION':
        if (tokens[k + 1]?.v === 'BY' || tokens[k + 1]?.v === 'OF') into.partitioned = true;
        break;
      default:
    }
  }
}

/** Table options with nothing set. */
export function emptyOptions(): TableOptions {
  return { engine: null, charset: null, collation: null, comment: null, autoIncrement: null, partitioned: false };
}

/** Read a CREATE TABLE statement; `at` is the index of the TABLE keyword. */
export function readCreateTable(tokens: readonly Token[], at: number): CreateTable | null {
  let k = at + 1;
  if (tokens[k]?.v === 'IF') k += 3;
  const name = readName(tokens, k);
  if (!name) return null;
  const result: CreateTable = {
    table: name.parts,
    pos: tokens[k]!.pos,
    columns: [],
    indexes: [],
    options: emptyOptions(),
    derived: false,
  };
  k = name.next;
  if (tokens[k]?.v === 'PARTITION' && tokens[k + 1]?.v === 'OF') {
    result.derived = true;
    result.options.partitioned = true;
    return result;
  }
  if (tokens[k]?.v !== '(') {
    result.derived = true;
    readTableOptions(tokens, k, tokens.length, result.options);
    return result;
  }
  const end = closeParen(tokens, k);
  const first = tokens[k + 1];
  if (first?.v === 'SELECT' || first?.v === 'LIKE') result.derived = true;
  for (const [s, e] of splitTopLevel(tokens, k + 1, end, tokens[k]!.depth + 1)) {
    if (tokens[s]?.v === 'LIKE') {
      result.derived = true;
      continue;
    }
    if (startsIndexDef(tokens, s)) {
      const idx = readIndexDef(tokens, s, e);
      if (idx) result.indexes.push(idx);
      continue;
    }
    const col = readColumnDef(tokens, s, e);
    if (col) result.columns.push(col);
  }
  if (end + 1 < tokens.length) {
    if (tokens.slice(end + 1).some((t) => t.v === 'SELECT' && t.type === 'word')) result.derived = true;
    readTableOptions(tokens, end + 1, tokens.length, result.options);
  }
  return result;
}
