// A column definition read from tokens (CREATE TABLE element, ADD/MODIFY/CHANGE COLUMN).
import type { Token } from '../tokens.js';
import { closeParen } from '../tokens.js';

export interface ColumnDef {
  name: string;
  /** Offset of the column name in the statement. */
  pos: number;
  /** Upper-cased base type, e.g. VARCHAR, INT, DOUBLE PRECISION, CHARACTER VARYING. */
  type: string;
  /** Numeric arguments of the type, e.g. [10] for VARCHAR(10). */
  typeArgs: number[];
  unsigned: boolean;
  notNull: boolean;
  explicitNull: boolean;
  /** Tokens of the DEFAULT expression, empty when none. */
  defaultTokens: Token[];
  hasDefault: boolean;
  autoIncrement: boolean;
  primaryKey: boolean;
  unique: boolean;
  comment: string | null;
  charset: string | null;
  collation: string | null;
  onUpdate: Token[];
  generated: boolean;
  references: { table: string[]; columns: string[]; onDeleteCascade: boolean } | null;
  /** FIRST / AFTER position clause (MySQL). */
  position: 'FIRST' | 'AFTER' | null;
  /** Names given to inline keys with CONSTRAINT name (PostgreSQL), by key kind. */
  keyNames: { primary?: string; unique?: string; foreign?: string };
}

const STOP = new Set([
  'NOT',
  'NULL',
  'DEFAULT',
  'AUTO_INCREMENT',
  'PRIMARY',
  'UNIQUE',
  'COMMENT',
  'CHARSET',
  'COLLATE',
  'REFERENCES',
  'ON',
  'GENERATED',
  'AS',
  'CHECK',
  'CONSTRAINT',
  'KEY',
  'VISIBLE',
  'INVISIBLE',
  'STORED',
  'VIRTUAL',
  'COLUMN_FORMAT',
  'STORAGE',
  'SRID',
  'FIRST',
  'AFTER',
  'IDENTITY',
  'SERIAL',
]);

function isStop(tokens: readonly Token[], k: number): boolean {
  const t = tokens[k]!;
  if (t.type !== 'word') return false;
  if (t.v === 'CHARACTER') return tokens[k + 1]?.v === 'SET';
  if (t.v === 'SERIAL') return tokens[k + 1]?.v === 'DEFAULT';
  return STOP.has(t.v);
}

/** Read a column definition from tokens[from, to) starting at its name. */
export function readColumnDef(tokens: readonly Token[], from: number, to: number): ColumnDef | null {
  const nameTok = tokens[from];
  if (!nameTok || (nameTok.type !== 'word' && nameTok.type !== 'ident')) return null;
  const col: ColumnDef = {
    name: nameTok.name,
    pos: nameTok.pos,
    type: '',
    typeArgs: [],
    unsigned: false,
    notNull: false,
    explicitNull: false,
    defaultTokens: [],
    hasDefault: false,
    autoIncrement: false,
    primaryKey: false,
    unique: false,
    comment: null,
    charset: null,
    collation: null,
    onUpdate: [],
    generated: false,
    references: null,
    position: null,
    keyNames: {},
  };
  let constraintName: string | null = null;
  let k = from + 1;
  const typeWords: string[] = [];
  const d = nameTok.depth;
  while (k < to && !isStop(tokens, k)) {
    const t = tokens[k]!;
    if (t.type === 'punct' && t.v === '(' && t.depth === d) {
      const e = closeParen(tokens, k);
      for (let j = k + 1; j < e; j++) if (tokens[j]!.type === 'number') col.typeArgs.push(Number(tokens[j]!.v));
      k = e + 1;
      continue;
    }
    if (t.type === 'word') {
      // MySQL makes a ZEROFILL column UNSIGNED.
      if (t.v === 'UNSIGNED' || t.v === 'ZEROFILL') col.unsigned = true;
      else if (t.v !== 'ZEROFILL' && t.v !== 'SIGNED' && t.depth === d) typeWords.push(t.v);
    } else if (t.type === 'ident' && typeWords.length === 0) typeWords.push(t.v.toUpperCase());
    k++;
  }
  col.type = typeWords.join(' ');
  while (k < to) {
    const t = tokens[k]!;
    if (t.type !== 'word' || t.depth !== d) {
      k++;
      continue;
    }
    const next = tokens[k + 1];
    switch (t.v) {
      case 'NOT':
        constraintName = null;
        if (next?.v === 'NULL') {
          col.notNull = true;
          k += 2;
        } else k++;
        break;
      case 'NULL':
        col.explicitNull = true;
        k++;
        break;
      case 'DEFAULT': {
        col.hasDefault = true;
        let j = k + 1;
        const start = j;
        while (
          j < to &&
          (j === start || tokens[j]!.depth !== d || !isStop(tokens, j) || (tokens[j]!.v === 'NULL' && j === start))
        )
          j++;
        col.defaultTokens = tokens.slice(start, j);
        k = j;
        break;
      }
      case 'AUTO_INCREMENT':
        col.autoIncrement = true;
        k++;
        break;
      case 'SERIAL':
        col.autoIncrement = true;
        k++;
        break;
      case 'IDENTITY':
        col.autoIncrement = true;
        k++;
        break;
      case 'CONSTRAINT':
        constraintName = next && next.type !== 'punct' ? next.name : null;
        k += 2;
        break;
      case 'PRIMARY':
        col.primaryKey = true;
        col.notNull = true;
        if (constraintName) col.keyNames.primary = constraintName;
        constraintName = null;
        k += 2;
        break;
      case 'UNIQUE':
        col.unique = true;
        if (constraintName) col.keyNames.unique = constraintName;
        constraintName = null;
        k++;
        break;
      case 'COMMENT':
        if (next?.type === 'string') col.comment = next.v;
        k += 2;
        break;
      case 'CHARSET':
      case 'CHARACTER': {
        const j = t.v === 'CHARSET' ? k + 1 : k + 2;
        col.charset = tokens[j]?.v.toLowerCase() ?? null;
        k = j + 1;
        break;
      }
      case 'COLLATE':
        col.collation = tokens[k + 1]?.name.toLowerCase() ?? null;
        k += 2;
        break;
      case 'ON':
        if (next?.v === 'UPDATE') {
          let j = k + 2;
          const start = j;
          while (j < to && (j === start || tokens[j]!.depth !== d || !isStop(tokens, j))) j++;
          col.onUpdate = tokens.slice(start, j);
          k = j;
        } else if (next?.v === 'DELETE' && col.references) {
          if (tokens[k + 2]?.v === 'CASCADE') col.references.onDeleteCascade = true;
          k += 3;
        } else k++;
        break;
      case 'GENERATED':
        if (tokens.slice(k, Math.min(to, k + 6)).some((x) => x.v === 'IDENTITY')) col.autoIncrement = true;
        else col.generated = true;
        k++;
        break;
      case 'AS':
        col.generated = true;
        k++;
        break;
      case 'REFERENCES': {
        const tableTok = tokens[k + 1];
        const parts: string[] = [];
        let j = k + 1;
        while (j < to && (tokens[j]!.type === 'word' || tokens[j]!.type === 'ident' || tokens[j]!.v === '.')) {
          if (tokens[j]!.v !== '.') parts.push(tokens[j]!.name);
          j++;
        }
        const cols: string[] = [];
        if (tokens[j]?.v === '(') {
          const e = closeParen(tokens, j);
          for (let x = j + 1; x < e; x++) if (tokens[x]!.type !== 'punct') cols.push(tokens[x]!.name);
          j = e + 1;
        }
        col.references = { table: tableTok ? parts : [], columns: cols, onDeleteCascade: false };
        if (constraintName) col.keyNames.foreign = constraintName;
        constraintName = null;
        k = j;
        break;
      }
      case 'FIRST':
        col.position = 'FIRST';
        k++;
        break;
      case 'AFTER':
        col.position = 'AFTER';
        k += 2;
        break;
      default:
        k++;
    }
  }
  return col;
}

const TEXT_TYPES = new Set([
  'CHAR',
  'VARCHAR',
  'CHARACTER',
  'CHARACTER VARYING',
  'TEXT',
  'TINYTEXT',
  'MEDIUMTEXT',
  'LONGTEXT',
  'ENUM',
  'SET',
  'NCHAR',
  'NVARCHAR',
]);
/** True for character types (the ones a charset or collation applies to). */
export function isTextType(type: string): boolean {
  return TEXT_TYPES.has(type) || type.startsWith('NATIONAL');
}
const BLOB_TYPES = new Set([
  'BLOB',
  'TINYBLOB',
  'MEDIUMBLOB',
  'LONGBLOB',
  'TEXT',
  'TINYTEXT',
  'MEDIUMTEXT',
  'LONGTEXT',
  'JSON',
  'GEOMETRY',
]);
/** True for MySQL types that cannot carry a plain index (BLOB, TEXT, JSON, GEOMETRY). */
export function isBlobType(type: string): boolean {
  return BLOB_TYPES.has(type);
}
const NO_DEFAULT_TYPES = new Set([
  ...BLOB_TYPES,
  'POINT',
  'LINESTRING',
  'POLYGON',
  'MULTIPOINT',
  'MULTILINESTRING',
  'MULTIPOLYGON',
  'GEOMETRYCOLLECTION',
  'LONG',
  'LONG VARCHAR',
  'LONG VARBINARY',
]);
/** True for MySQL types that cannot carry a literal DEFAULT: BLOB, TEXT, JSON, the spatial types and LONG synonyms. */
export function takesNoDefault(type: string): boolean {
  return NO_DEFAULT_TYPES.has(type);
}
const INTEGER_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'MEDIUMINT',
  'INT',
  'INTEGER',
  'BIGINT',
  'INT2',
  'INT4',
  'INT8',
  'SERIAL',
  'BIGSERIAL',
  'SMALLSERIAL',
]);
/** True for integer types. */
export function isIntegerType(type: string): boolean {
  return INTEGER_TYPES.has(type);
}
