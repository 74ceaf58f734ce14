// ALTER TABLE read from tokens: one entry per comma-separated action.
import type { Token } from '../tokens.js';
import { closeParen, readName, splitTopLevel } from '../tokens.js';
import { readColumnDef, type ColumnDef } from './column.js';
import { readIndexDef, startsIndexDef, type IndexDef } from './table-parts.js';
import { emptyOptions, readTableOptions, type TableOptions } from './create-table.js';

export type AlterAction =
  | { kind: 'add-column'; column: ColumnDef; pos: number }
  | { kind: 'add-index'; index: IndexDef; pos: number }
  | { kind: 'drop-column'; column: string; pos: number }
  | { kind: 'drop-primary-key'; pos: number }
  | { kind: 'drop-index'; name: string; pos: number }
  | { kind: 'drop-constraint'; name: string; pos: number }
  | { kind: 'modify-column'; column: ColumnDef; pos: number }
  | { kind: 'change-column'; from: string; column: ColumnDef; pos: number }
  | { kind: 'alter-column-type'; column: string; type: string; typeArgs: number[]; pos: number }
  | { kind: 'set-not-null'; column: string; pos: number }
  | { kind: 'drop-not-null'; column: string; pos: number }
  | { kind: 'set-default'; column: string; pos: number }
  | { kind: 'rename-column'; from: string; to: string; pos: number }
  | { kind: 'rename-table'; to: string[]; pos: number }
  | { kind: 'options'; options: TableOptions; algorithm: string | null; lock: string | null; pos: number }
  | { kind: 'partition'; pos: number }
  | { kind: 'other'; word: string; pos: number };

export interface AlterTable {
  table: string[];
  pos: number;
  actions: AlterAction[];
}

function ident(t: Token | undefined): string {
  return t ? t.name : '';
}

function readAction(tokens: readonly Token[], s: number, e: number): AlterAction {
  const t = tokens[s]!;
  const pos = t.pos;
  const w = t.v;
  let k = s + 1;
  if (w === 'ADD') {
    if (tokens[k]?.v === 'COLUMN') k++;
    if (tokens[k]?.v === 'IF') k += 3;
    if (tokens[k]?.v === '(') k++;
    if (startsIndexDef(tokens, k)) {
      const index = readIndexDef(tokens, k, e);
      if (index) return { kind: 'add-index', index, pos };
    }
    if (tokens[k]?.v === 'PARTITION') return { kind: 'partition', pos };
    const column = readColumnDef(tokens, k, e);
    if (column) return { kind: 'add-column', column, pos };
    return { kind: 'other', word: w, pos };
  }
  if (w === 'DROP') {
    const n = tokens[k]?.v;
    if (n === 'PRIMARY') return { kind: 'drop-primary-key', pos };
    if (n === 'INDEX' || n === 'KEY') return { kind: 'drop-index', name: ident(tokens[k + 1]), pos };
    if (n === 'CONSTRAINT' || n === 'FOREIGN' || n === 'CHECK') {
      k += n === 'FOREIGN' ? 2 : 1;
      if (tokens[k]?.v === 'IF') k += 2;
      return { kind: 'drop-constraint', name: ident(tokens[k]), pos };
    }
    if (n === 'PARTITION' || n === 'DEFAULT') return { kind: 'other', word: `DROP ${n}`, pos };
    if (n === 'COLUMN') k++;
    if (tokens[k]?.v === 'IF') k += 2;
    return { kind: 'drop-column', column: ident(tokens[k]), pos };
  }
  if (w === 'MODIFY') {
    if (tokens[k]?.v === 'COLUMN') k++;
    const column = readColumnDef(tokens, k, e);
    return column ? { kind: 'modify-column', column, pos } : { kind: 'other', word: w, pos };
  }
  if (w === 'CHANGE') {
    if (tokens[k]?.v === 'COLUMN') k++;
    const column = readColumnDef(tokens, k + 1, e);
    return column ? { kind: 'change-column', from: ident(tokens[k]), column, pos } : { kind: 'other', word: w, pos };
  }
  if (w === 'ALTER') {
    if (tokens[k]?.v === 'COLUMN') k++;
    const column = ident(tokens[k]);
    const a = tokens[k + 1]?.v;
    const b = tokens[k + 2]?.v;
    if (a === 'TYPE' || (a === 'SET' && b === 'DATA')) {
      const typeAt = a === 'TYPE' ? k + 2 : k + 4;
      const typeArgs: number[] = [];
      if (tokens[typeAt + 1]?.v === '(')
        for (let j = typeAt + 2; j < e && tokens[j]!.v !== ')'; j++)
          if (tokens[j]!.type === 'number') typeArgs.push(Number(tokens[j]!.v));
      return { kind: 'alter-column-type', column, type: tokens[typeAt]?.v ?? '', typeArgs, pos };
    }
    if (a === 'SET' && b === 'NOT') return { kind: 'set-not-null', column, pos };
    if (a === 'DROP' && b === 'NOT') return { kind: 'drop-not-null', column, pos };
    if (a === 'SET' && b === 'DEFAULT') return { kind: 'set-default', column, pos };
    return { kind: 'other', word: w, pos };
  }
  if (w === 'RENAME') {
    const n = tokens[k]?.v;
    if (n === 'TO' || n === 'AS') {
      const name = readName(tokens, k + 1);
      return { kind: 'rename-table', to: name?.parts ?? [], pos };
    }
    if (n === 'INDEX' || n === 'KEY' || n === 'CONSTRAINT') return { kind: 'other', word: `RENAME ${n}`, pos };
    if (n === 'COLUMN') k++;
    return { kind: 'rename-column', from: ident(tokens[k]), to: ident(tokens[k + 2]), pos };
  }
  if (w === 'PARTITION' || (w === 'ATTACH' && tokens[k]?.v === 'PARTITION')) return { kind: 'partition', pos };
  const options = emptyOptions();
  let algorithm: string | null = null;
  let lock: string | null = null;
  const known = new Set([
    'ENGINE',
    'CHARSET',
    'CHARACTER',
    'COLLATE',
    'COMMENT',
    'AUTO_INCREMENT',
    'DEFAULT',
    'ALGORITHM',
    'LOCK',
    'CONVERT',
  ]);
  if (!known.has(w)) return { kind: 'other', word: w, pos };
  for (let j = s; j < e; j++) {
    const x = tokens[j]!;
    const v = tokens[j + 1]?.v === '=' ? tokens[j + 2] : tokens[j + 1];
    if (x.v === 'ALGORITHM') algorithm = v?.v ?? null;
    if (x.v === 'LOCK') lock = v?.v ?? null;
  }
  readTableOptions(tokens, s, e, options);
  if (w === 'CONVERT') {
    const cs = tokens.findIndex((x, j) => j >= s && j < e && x.v === 'SET');
    if (cs >= 0) options.charset = tokens[cs + 1]?.v.toLowerCase() ?? null;
  }
  return { kind: 'options', options, algorithm, lock, pos };
}

/** MySQL `ADD [COLUMN] (a INT, b INT)`: one add-column action per column in the list; null for any other action. */
function readAddColumns(tokens: readonly Token[], s: number, e: number): AlterAction[] | null {
  if (tokens[s]?.v !== 'ADD') return null;
  let k = s + 1;
  if (tokens[k]?.v === 'COLUMN') k++;
  if (tokens[k]?.v !== '(' || startsIndexDef(tokens, k + 1)) return null;
  const close = Math.min(closeParen(tokens, k), e);
  const out: AlterAction[] = [];
  for (const [a, b] of splitTopLevel(tokens, k + 1, close, tokens[k]!.depth + 1)) {
    const column = a < b ? readColumnDef(tokens, a, b) : null;
    if (column) out.push({ kind: 'add-column', column, pos: out.length === 0 ? tokens[s]!.pos : column.pos });
  }
  return out.length > 1 ? out : null;
}

/** Read an ALTER TABLE statement; `at` is the index of the TABLE keyword. */
export function readAlterTable(tokens: readonly Token[], at: number): AlterTable | null {
  let k = at + 1;
  if (tokens[k]?.v === 'IF') k += 2;
  if (tokens[k]?.v === 'ONLY') k++;
  const name = readName(tokens, k);
  if (!name) return null;
  const result: AlterTable = { table: name.parts, pos: tokens[k]!.pos, actions: [] };
  const d = tokens[k]!.depth;
  for (const [s, e] of splitTopLevel(tokens, name.next, tokens.length, d)) {
    if (s >= e) continue;
    const columns = readAddColumns(tokens, s, e);
    if (columns) result.actions.push(...columns);
    else result.actions.push(readAction(tokens, s, e));
  }
  return result;
}
