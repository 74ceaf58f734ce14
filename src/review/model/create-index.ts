// CREATE INDEX read from tokens.
import type { Token } from '../tokens.js';
import { readName } from '../tokens.js';
import { readColumnList } from './table-parts.js';

export interface CreateIndex {
  name: string | null;
  unique: boolean;
  /** FULLTEXT / SPATIAL (MySQL) or null. */
  special: string | null;
  concurrently: boolean;
  table: string[];
  columns: string[];
  using: string | null;
  pos: number;
}

/** Read CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX; `at` is the index of the INDEX keyword. */
export function readCreateIndex(tokens: readonly Token[], at: number): CreateIndex | null {
  const before = tokens[at - 1]?.v;
  const result: CreateIndex = {
    name: null,
    unique: before === 'UNIQUE',
    special: before === 'FULLTEXT' || before === 'SPATIAL' ? before : null,
    concurrently: false,
    table: [],
    columns: [],
    using: null,
    pos: tokens[at]!.pos,
  };
  let k = at + 1;
  if (tokens[k]?.v === 'CONCURRENTLY') {
    result.concurrently = true;
    k++;
  }
  if (tokens[k]?.v === 'IF') k += 3;
  if (tokens[k]?.v !== 'ON') {
    result.name = tokens[k]?.name ?? null;
    k++;
  }
  while (k < tokens.length && tokens[k]!.v !== 'ON') {
    if (tokens[k]!.v === 'USING') result.using = tokens[k + 1]?.v ?? null;
    k++;
  }
  k++;
  if (tokens[k]?.v === 'ONLY') k++;
  const table = readName(tokens, k);
  if (!table) return null;
  result.table = table.parts;
  k = table.next;
  for (; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.v === 'USING' && t.type === 'word') result.using = tokens[k + 1]?.v ?? result.using;
    if (t.v === '(' && result.columns.length === 0) {
      const r = readColumnList(tokens, k);
      result.columns = r.columns;
      k = r.next - 1;
    }
  }
  return result;
}
