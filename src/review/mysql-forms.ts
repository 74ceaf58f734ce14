/**
 * Valid MySQL that node-sql-parser does not read. A statement it rejects is rewritten, on its
 * tokens, into an equivalent form it reads (CHARSET x → CHARACTER SET x, ADD COLUMN (a …, b …) →
 * ADD a …, ADD b …, PRIMARY KEY name (…) → PRIMARY KEY (…) …) and parsed again, so the parser
 * still checks everything around the construct. The statement kinds it cannot read at all (stored
 * routines, triggers, events, ALTER DATABASE) are checked for the shape MySQL requires of them.
 * Rewrites only ever replace whole tokens, so words inside strings and comments are never touched.
 */
import type { Statement } from './statement.js';
import { MYSQL_RESERVED, RESERVED_EVERYWHERE } from './rules/mysql-reserved.js';
import { closeParen, readName, splitTopLevel, tokenize, type Token } from './tokens.js';

/** A replacement of the text sql[from, to). */
interface Edit {
  from: number;
  to: number;
  text: string;
}

/** One rewrite: the edits turning one MySQL construct of the text into a form node-sql-parser reads. */
type Rewrite = (tokens: readonly Token[], sql: string) => Edit[];

/** True when `t` is the keyword `w` (or one of `ws`), not a quoted name or a string. */
function isWord(t: Token | undefined, ...ws: string[]): t is Token {
  return t?.type === 'word' && ws.includes(t.v);
}

/** True when `t` is the punctuation `v`. */
function isPunct(t: Token | undefined, v: string): t is Token {
  return t?.type === 'punct' && t.v === v;
}

/** True when `t` can be a name: a quoted identifier, or a word MySQL does not reserve. */
function isName(t: Token | undefined): t is Token {
  return t?.type === 'ident' || (t?.type === 'word' && !MYSQL_RESERVED.has(t.v));
}

/** True when `t` can name a character set or collation: a name, a quoted string, or a word such as binary. */
function isCharsetName(t: Token | undefined): t is Token {
  return t?.type === 'ident' || t?.type === 'string' || t?.type === 'word';
}

/** Offset just past a word token (its text as written: MySQL keeps a word's case in `name`). */
function wordEnd(t: Token): number {
  return t.pos + t.name.length;
}

/** Where token k starts, or the end of the text past the last token. */
function startOf(tokens: readonly Token[], k: number, sql: string): number {
  return tokens[k]?.pos ?? sql.length;
}

/** The text with the edits (in order, not overlapping) applied. */
function applyEdits(sql: string, edits: readonly Edit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += sql.slice(at, e.from) + e.text;
    at = e.to;
  }
  return out + sql.slice(at);
}

/** CHARSET x → CHARACTER SET x: on a column the parser knows only the long spelling. */
function charsetSynonym(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    // CHARSET(expr) is a function, and CHARSET = x a table option the parser reads.
    if (isWord(t, 'CHARSET') && !isPunct(tokens[k - 1], '.') && isCharsetName(tokens[k + 1]))
      edits.push({ from: t.pos, to: wordEnd(t), text: 'CHARACTER SET' });
  }
  return edits;
}

/** ALTER TABLE … CONVERT TO CHARACTER SET x [COLLATE y] → CHARACTER SET x[, COLLATE y]: the same options. */
function convertToCharset(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (let k = 0; k < tokens.length; k++) {
    if (!isWord(tokens[k], 'CONVERT') || tokens[k]!.depth !== 0 || !isWord(tokens[k + 1], 'TO')) continue;
    const set = isWord(tokens[k + 2], 'CHARSET') ? k + 2 : isWord(tokens[k + 3], 'SET') ? k + 3 : -1;
    if (set < 0 || (set === k + 3 && !isWord(tokens[k + 2], 'CHARACTER')) || !isCharsetName(tokens[set + 1])) continue;
    edits.push({ from: tokens[k]!.pos, to: tokens[k + 2]!.pos, text: '' });
    // The parser wants a comma between the table options MySQL lets stand side by side.
    const collate = tokens[set + 2];
    if (isWord(collate, 'COLLATE')) edits.push({ from: collate.pos, to: collate.pos, text: ', ' });
  }
  return edits;
}

/** ALTER TABLE … ADD [COLUMN] (a …, b …) → ADD a …, ADD b …: the parser reads one column per ADD. */
function addColumnList(tokens: readonly Token[], sql: string): Edit[] {
  const edits: Edit[] = [];
  for (let k = 0; k < tokens.length; k++) {
    if (!isWord(tokens[k], 'ADD') || tokens[k]!.depth !== 0) continue;
    const open = isWord(tokens[k + 1], 'COLUMN') ? k + 2 : k + 1;
    if (!isPunct(tokens[open], '(')) continue;
    const close = closeParen(tokens, open);
    const parts = splitTopLevel(tokens, open + 1, close, tokens[open]!.depth + 1);
    // An empty list, an empty element or a trailing comma stays for the parser to reject.
    if (close >= tokens.length || parts.length === 0 || parts.some(([a, b]) => a === b) || parts.at(-1)![1] !== close)
      continue;
    const text = parts.map(([a, b]) => `ADD ${sql.slice(tokens[a]!.pos, tokens[b]!.pos)}`).join(', ');
    edits.push({ from: tokens[k]!.pos, to: tokens[close]!.pos + 1, text });
    k = close;
  }
  return edits;
}

/** PRIMARY KEY name (…) → PRIMARY KEY (…): MySQL accepts and ignores the name, the parser rejects it. */
function primaryKeyName(tokens: readonly Token[], sql: string): Edit[] {
  const edits: Edit[] = [];
  for (let k = 0; k + 3 < tokens.length; k++) {
    const name = tokens[k + 2];
    if (!isWord(tokens[k], 'PRIMARY') || !isWord(tokens[k + 1], 'KEY') || !isName(name)) continue;
    if (isPunct(tokens[k + 3], '(') || isWord(tokens[k + 3], 'USING'))
      edits.push({ from: name.pos, to: startOf(tokens, k + 3, sql), text: '' });
  }
  return edits;
}

/** RENAME INDEX|KEY a TO b → RENAME COLUMN a TO b: the same shape, in the one form the parser reads. */
function renameIndex(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (let k = 0; k + 4 < tokens.length; k++) {
    const what = tokens[k + 1];
    if (!isWord(tokens[k], 'RENAME') || tokens[k]!.depth !== 0 || !isWord(what, 'INDEX', 'KEY')) continue;
    if (isName(tokens[k + 2]) && isWord(tokens[k + 3], 'TO') && isName(tokens[k + 4]))
      edits.push({ from: what.pos, to: wordEnd(what), text: 'COLUMN' });
  }
  return edits;
}

/** LOCALTIME, LOCALTIMESTAMP → CURRENT_TIMESTAMP: MySQL's synonyms for NOW(), reserved, so never names. */
function localTime(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (const t of tokens)
    if (isWord(t, 'LOCALTIME', 'LOCALTIMESTAMP'))
      edits.push({ from: t.pos, to: wordEnd(t), text: 'CURRENT_TIMESTAMP' });
  return edits;
}

/** True when tokens[k] stands where a column definition's type does: right after the column's name. */
function atColumnType(tokens: readonly Token[], k: number): boolean {
  if (!isName(tokens[k - 1])) return false;
  const before = tokens[k - 2];
  if (isPunct(before, '(') || isPunct(before, ',') || isWord(before, 'ADD', 'MODIFY')) return true;
  if (isWord(before, 'COLUMN')) return isWord(tokens[k - 3], 'ADD', 'MODIFY');
  // CHANGE [COLUMN] old new type
  return (
    isName(before) &&
    (isWord(tokens[k - 3], 'CHANGE') || (isWord(tokens[k - 3], 'COLUMN') && isWord(tokens[k - 4], 'CHANGE')))
  );
}

/** SERIAL, LONG VARBINARY and LONG [VARCHAR] as a column's type → BIGINT UNSIGNED, MEDIUMBLOB, MEDIUMTEXT. */
function typeSynonyms(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (!isWord(t, 'SERIAL', 'LONG') || !atColumnType(tokens, k)) continue;
    const next = tokens[k + 1];
    if (t.v === 'SERIAL') edits.push({ from: t.pos, to: wordEnd(t), text: 'BIGINT UNSIGNED' });
    else if (isWord(next, 'VARBINARY')) edits.push({ from: t.pos, to: wordEnd(next), text: 'MEDIUMBLOB' });
    else if (isWord(next, 'VARCHAR')) edits.push({ from: t.pos, to: wordEnd(next), text: 'MEDIUMTEXT' });
    else edits.push({ from: t.pos, to: wordEnd(t), text: 'MEDIUMTEXT' });
  }
  return edits;
}

/** Index after `[LINEAR] HASH (…)`, `[LINEAR] KEY [ALGORITHM = n] (…)` or `RANGE|LIST [COLUMNS] (…)` at k, or -1. */
function partitionMethod(tokens: readonly Token[], k: number, methods: readonly string[]): number {
  if (isWord(tokens[k], 'LINEAR') && isWord(tokens[k + 1], 'HASH', 'KEY')) k++;
  const method = tokens[k];
  if (!isWord(method, ...methods)) return -1;
  k++;
  if (method.v === 'KEY' && isWord(tokens[k], 'ALGORITHM')) {
    if (tokens[k + 1]?.v !== '=' || tokens[k + 2]?.type !== 'number') return -1;
    k += 3;
  }
  if ((method.v === 'RANGE' || method.v === 'LIST') && isWord(tokens[k], 'COLUMNS')) k++;
  if (!isPunct(tokens[k], '(')) return -1;
  const close = closeParen(tokens, k);
  // KEY () partitions by the primary key; the other methods need an expression or columns.
  if (close >= tokens.length || (close === k + 1 && method.v !== 'KEY')) return -1;
  return close + 1;
}

/** Index after `PARTITIONS n` (or `SUBPARTITIONS n`) at k, k without one, or -1 when n is missing. */
function partitionCount(tokens: readonly Token[], k: number, word: string): number {
  if (!isWord(tokens[k], word)) return k;
  return tokens[k + 1]?.type === 'number' ? k + 2 : -1;
}

/** True when tokens[k …] are the rest of a PARTITION BY clause in MySQL's shape, up to the statement's end. */
function partitionShape(tokens: readonly Token[], k: number): boolean {
  k = partitionMethod(tokens, k, ['HASH', 'KEY', 'RANGE', 'LIST']);
  if (k >= 0) k = partitionCount(tokens, k, 'PARTITIONS');
  if (k >= 0 && isWord(tokens[k], 'SUBPARTITION') && isWord(tokens[k + 1], 'BY')) {
    k = partitionMethod(tokens, k + 2, ['HASH', 'KEY']);
    if (k >= 0) k = partitionCount(tokens, k, 'SUBPARTITIONS');
  }
  if (k >= 0 && isPunct(tokens[k], '(')) {
    // The partition list: each element is PARTITION name ….
    const close = closeParen(tokens, k);
    const parts = splitTopLevel(tokens, k + 1, close, tokens[k]!.depth + 1);
    const named = parts.every(([a, b]) => b > a + 1 && isWord(tokens[a], 'PARTITION') && isName(tokens[a + 1]));
    k = close < tokens.length && parts.length > 0 && named && parts.at(-1)![1] === close ? close + 1 : -1;
  }
  return k === tokens.length;
}

/**
 * A trailing PARTITION BY clause, once its shape is checked, dropped: the parser reads no
 * partitioning. An ALTER TABLE that does nothing else gets a table option in its place, so that
 * the parser still reads the statement's head.
 */
function partitionClause(tokens: readonly Token[], sql: string): Edit[] {
  for (let k = 0; k + 1 < tokens.length; k++) {
    const t = tokens[k]!;
    if (!isWord(t, 'PARTITION') || t.depth !== 0 || !isWord(tokens[k + 1], 'BY')) continue;
    if (!partitionShape(tokens, k + 2)) return [];
    const alone = isWord(tokens[0], 'ALTER') && isWord(tokens[1], 'TABLE') && readName(tokens, 2)?.next === k;
    return [{ from: t.pos, to: sql.length, text: alone ? 'ENGINE = InnoDB' : '' }];
  }
  return [];
}

/** The rewrites, in the order they run (each on the text the one before left). */
const REWRITES: readonly Rewrite[] = [
  convertToCharset,
  charsetSynonym,
  addColumnList,
  primaryKeyName,
  renameIndex,
  localTime,
  typeSynonyms,
  partitionClause,
];

/** The statement rewritten into forms node-sql-parser reads, or null when no rewrite applies to it. */
export function parserForm(s: Statement): string | null {
  let text = s.sql;
  let tokens: readonly Token[] = s.tokens;
  let changed = false;
  for (const rewrite of REWRITES) {
    const edits = rewrite(tokens, text);
    if (edits.length === 0) continue;
    text = applyEdits(text, edits);
    tokens = tokenize(text, 'mysql').tokens;
    changed = true;
  }
  return changed ? text : null;
}

/** Index after the routine, trigger or event name that follows the object keyword at `at` ([IF NOT EXISTS] name), or -1. */
function objectName(tokens: readonly Token[], at: number): number {
  let k = at + 1;
  if (isWord(tokens[k], 'IF') && isWord(tokens[k + 1], 'NOT') && isWord(tokens[k + 2], 'EXISTS')) k += 3;
  else if (isWord(tokens[k], 'IF') && isWord(tokens[k + 1], 'EXISTS')) k += 2;
  if (!isName(tokens[k])) return -1;
  return readName(tokens, k)?.next ?? -1;
}

/** CREATE EVENT name ON SCHEDULE {AT | EVERY} … DO body. */
function eventShape(tokens: readonly Token[], at: number): boolean {
  const n = objectName(tokens, at);
  if (n < 0 || !isWord(tokens[n], 'ON') || !isWord(tokens[n + 1], 'SCHEDULE') || !isWord(tokens[n + 2], 'AT', 'EVERY'))
    return false;
  const body = tokens.findIndex((t, k) => k > n + 2 && t.depth === 0 && isWord(t, 'DO'));
  return body > 0 && body + 1 < tokens.length;
}

/** CREATE PROCEDURE name (params) [characteristics] body. */
function procedureShape(tokens: readonly Token[], at: number): boolean {
  const n = objectName(tokens, at);
  return n > 0 && isPunct(tokens[n], '(') && closeParen(tokens, n) + 1 < tokens.length;
}

/** CREATE FUNCTION name (params) RETURNS type body, or a loadable function: name RETURNS type SONAME 'lib'. */
function functionShape(tokens: readonly Token[], at: number): boolean {
  const n = objectName(tokens, at);
  if (n < 0) return false;
  const returns = isPunct(tokens[n], '(') ? closeParen(tokens, n) + 1 : n;
  return isWord(tokens[returns], 'RETURNS') && returns + 2 < tokens.length;
}

/** CREATE TRIGGER name {BEFORE | AFTER} {INSERT | UPDATE | DELETE} ON table FOR EACH ROW body. */
function triggerShape(tokens: readonly Token[], at: number): boolean {
  const n = objectName(tokens, at);
  if (n < 0 || !isWord(tokens[n], 'BEFORE', 'AFTER') || !isWord(tokens[n + 1], 'INSERT', 'UPDATE', 'DELETE'))
    return false;
  const table = isWord(tokens[n + 2], 'ON') && isName(tokens[n + 3]) ? readName(tokens, n + 3) : null;
  const m = table?.next ?? -1;
  return (
    m > 0 &&
    isWord(tokens[m], 'FOR') &&
    isWord(tokens[m + 1], 'EACH') &&
    isWord(tokens[m + 2], 'ROW') &&
    m + 3 < tokens.length
  );
}

/** DROP {PROCEDURE | FUNCTION | EVENT} [IF EXISTS] name, and nothing after it. */
function dropShape(tokens: readonly Token[], at: number): boolean {
  return objectName(tokens, at) === tokens.length;
}

const DATABASE_OPTIONS = new Set(['DEFAULT', 'CHARACTER', 'CHARSET', 'COLLATE', 'ENCRYPTION', 'READ']);

/** Index after one ALTER DATABASE option at k ([DEFAULT] CHARACTER SET [=] x, COLLATE, ENCRYPTION, READ ONLY), or -1. */
function databaseOption(tokens: readonly Token[], k: number): number {
  const dflt = isWord(tokens[k], 'DEFAULT');
  if (dflt) k++;
  let value: (t: Token | undefined) => boolean = isCharsetName;
  if (isWord(tokens[k], 'CHARACTER') && isWord(tokens[k + 1], 'SET')) k += 2;
  else if (isWord(tokens[k], 'CHARSET', 'COLLATE')) k++;
  else if (isWord(tokens[k], 'ENCRYPTION')) {
    k++;
    value = (t) => t?.type === 'string';
  } else if (!dflt && isWord(tokens[k], 'READ') && isWord(tokens[k + 1], 'ONLY')) {
    k += 2;
    value = (t) => (t?.type === 'number' && (t.v === '0' || t.v === '1')) || isWord(t, 'DEFAULT');
  } else return -1;
  if (tokens[k]?.type === 'op' && tokens[k]!.v === '=') k++;
  return value(tokens[k]) ? k + 1 : -1;
}

/** ALTER {DATABASE | SCHEMA} [name] option …: MySQL's whole grammar for it, on the tokens. */
function alterDatabaseShape(tokens: readonly Token[], at: number): boolean {
  let k = at + 1;
  const name = tokens[k];
  if (name && (name.type === 'ident' || (isName(name) && !DATABASE_OPTIONS.has(name.v)))) k++;
  let options = 0;
  for (; k > 0 && k < tokens.length; options++) k = databaseOption(tokens, k);
  return k === tokens.length && options > 0;
}

/** Statement kinds node-sql-parser does not read, each with the shape MySQL requires of it. */
const KIND_SHAPES: Record<string, (tokens: readonly Token[], at: number) => boolean> = {
  'CREATE EVENT': eventShape,
  'CREATE PROCEDURE': procedureShape,
  'CREATE FUNCTION': functionShape,
  'CREATE TRIGGER': triggerShape,
  'DROP EVENT': dropShape,
  'DROP PROCEDURE': dropShape,
  'DROP FUNCTION': dropShape,
  'ALTER DATABASE': alterDatabaseShape,
  'ALTER SCHEMA': alterDatabaseShape,
};

/**
 * True when the statement is of a kind node-sql-parser cannot read and has the shape MySQL
 * requires of that kind (a routine's or event's body itself is not checked).
 */
export function hasMysqlShape(s: Statement): boolean {
  const shape = KIND_SHAPES[s.kind.label];
  return shape?.(s.tokens, s.kind.at) ?? false;
}

/** Words that start a table element other than a column (a key, index or constraint). */
const ELEMENT_STARTS = new Set([
  'PRIMARY',
  'KEY',
  'INDEX',
  'UNIQUE',
  'FOREIGN',
  'CONSTRAINT',
  'CHECK',
  'FULLTEXT',
  'SPATIAL',
]);

/** True when tokens[k] stands where a name must: the statement's object, or a column being defined. */
function atName(s: Statement, k: number): boolean {
  const tokens = s.tokens;
  const t = tokens[k]!;
  if (t.v === 'IF' && isWord(tokens[k + 1], 'NOT', 'EXISTS')) return false;
  if (s.kind.object && k === s.kind.at + 1) return true;
  if (s.kind.object && isWord(tokens[k - 1], 'EXISTS') && isWord(tokens[s.kind.at + 1], 'IF')) return true;
  if (ELEMENT_STARTS.has(t.v) || tokens[k + 1]?.type !== 'word') return false;
  const prev = tokens[k - 1];
  if (isWord(prev, 'COLUMN')) return true;
  if (s.kind.label === 'CREATE TABLE') return t.depth === 1 && (isPunct(prev, '(') || isPunct(prev, ','));
  return s.kind.label === 'ALTER TABLE' && t.depth === 0 && isWord(prev, 'ADD', 'MODIFY', 'CHANGE');
}

/** An unquoted reserved word right where the parser stopped, standing as a name: MySQL rejects it too. */
export function reservedName(s: Statement, errorOffset: number): Token | null {
  const tokens = s.tokens;
  let at = tokens.findIndex((t) => t.pos >= errorOffset);
  if (at < 0) at = tokens.length;
  for (const k of [at - 1, at]) {
    const t = tokens[k];
    if (t?.type === 'word' && RESERVED_EVERYWHERE.has(t.v) && atName(s, k)) return t;
  }
  return null;
}
