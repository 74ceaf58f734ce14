// What a statement is, from its leading keywords: 'CREATE TABLE', 'UPDATE', 'COMMIT' …
import type { Token } from '../tokens.js';

export interface StatementKind {
  /** The first keyword, e.g. CREATE, or the main verb after WITH … (SELECT, UPDATE …). */
  verb: string;
  /** The object of CREATE/ALTER/DROP (TABLE, INDEX …), '' otherwise or when unknown. */
  object: string;
  /** Index of the object keyword (or of the verb when there is none). */
  at: number;
  /** Human label, e.g. "CREATE INDEX". */
  label: string;
}

export const OBJECT_KINDS = new Set([
  'TABLE',
  'INDEX',
  'VIEW',
  'SEQUENCE',
  'FUNCTION',
  'PROCEDURE',
  'TRIGGER',
  'EVENT',
  'DATABASE',
  'SCHEMA',
  'TYPE',
  'EXTENSION',
  'ROLE',
  'USER',
  'DOMAIN',
  'POLICY',
  'RULE',
  'SERVER',
  'TABLESPACE',
  'PUBLICATION',
  'SUBSCRIPTION',
  'COLLATION',
  'AGGREGATE',
  'OPERATOR',
  'CAST',
  'CONVERSION',
  'LANGUAGE',
  'STATISTICS',
  'TEXT',
  'FOREIGN',
  'GROUP',
  'LOGFILE',
  'RESOURCE',
  'ACCESS',
  'TRANSFORM',
  'DEFAULT',
  'SYSTEM',
  'LARGE',
  'ROUTINE',
  'INSTANCE',
  'SPATIAL',
  'OWNED',
  'PROFILE',
]);

/** Modifiers that may sit between CREATE/ALTER/DROP and the object kind. */
const MODIFIERS = new Set([
  'OR',
  'REPLACE',
  'TEMPORARY',
  'TEMP',
  'UNLOGGED',
  'GLOBAL',
  'LOCAL',
  'UNIQUE',
  'FULLTEXT',
  'MATERIALIZED',
  'RECURSIVE',
  'TRUSTED',
  'PROCEDURAL',
  'CONSTRAINT',
  'ONLINE',
  'OFFLINE',
  'ALGORITHM',
  'DEFINER',
  'SQL',
  'SECURITY',
  'INVOKER',
  'MERGE',
  'UNDEFINED',
  'TEMPTABLE',
  'CURRENT_USER',
  'IF',
  'NOT',
  'EXISTS',
  'EVENT',
]);

const DML = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'MERGE', 'VALUES', 'TABLE']);

/** Classify a tokenized statement. */
export function kindOf(tokens: readonly Token[]): StatementKind {
  const first = tokens[0];
  if (!first) return { verb: '', object: '', at: 0, label: '' };
  const verb = first.type === 'word' ? first.v : '';
  if (verb === 'CREATE' || verb === 'ALTER' || verb === 'DROP') {
    for (let k = 1; k < Math.min(tokens.length, 16); k++) {
      const t = tokens[k]!;
      if (t.type !== 'word') continue;
      // EVENT TRIGGER (PostgreSQL) is a kind of its own; plain EVENT is MySQL's.
      if (t.v === 'EVENT' && tokens[k + 1]?.v !== 'TRIGGER')
        return { verb, object: 'EVENT', at: k, label: `${verb} EVENT` };
      // CREATE SPATIAL INDEX: SPATIAL is a modifier there (SPATIAL REFERENCE SYSTEM is the object).
      if (t.v === 'SPATIAL' && (tokens[k + 1]?.v === 'INDEX' || tokens[k + 1]?.v === 'KEY')) continue;
      if (OBJECT_KINDS.has(t.v) && !(t.v === 'DEFAULT' && verb !== 'ALTER')) {
        const label =
          t.v === 'VIEW' && tokens[k - 1]?.v === 'MATERIALIZED' ? `${verb} MATERIALIZED VIEW` : `${verb} ${t.v}`;
        return { verb, object: t.v, at: k, label };
      }
      if (!MODIFIERS.has(t.v)) break;
    }
    return { verb, object: '', at: 0, label: verb };
  }
  if (verb === 'WITH') {
    for (let k = 1; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.depth === 0 && t.type === 'word' && DML.has(t.v) && tokens[k - 1]?.v !== 'AS') {
        return { verb: t.v, object: '', at: k, label: t.v };
      }
    }
    return { verb: 'SELECT', object: '', at: 0, label: 'SELECT' };
  }
  if (first.type === 'punct' && first.v === '(') {
    const sel = tokens.find((t) => t.type === 'word');
    return { verb: sel?.v === 'SELECT' ? 'SELECT' : '', object: '', at: 0, label: 'SELECT' };
  }
  return { verb, object: '', at: 0, label: verb };
}

/** First keywords that start a statement in MySQL or PostgreSQL. */
export const STATEMENT_VERBS = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'REPLACE',
  'MERGE',
  'WITH',
  'VALUES',
  'TABLE',
  'CREATE',
  'ALTER',
  'DROP',
  'TRUNCATE',
  'RENAME',
  'COMMENT',
  'GRANT',
  'REVOKE',
  'SET',
  'RESET',
  'SHOW',
  'USE',
  'BEGIN',
  'START',
  'COMMIT',
  'END',
  'ROLLBACK',
  'ABORT',
  'SAVEPOINT',
  'RELEASE',
  'PREPARE',
  'EXECUTE',
  'DEALLOCATE',
  'DO',
  'CALL',
  'EXPLAIN',
  'DESCRIBE',
  'DESC',
  'ANALYZE',
  'ANALYSE',
  'VACUUM',
  'REINDEX',
  'CLUSTER',
  'LOCK',
  'UNLOCK',
  'COPY',
  'REFRESH',
  'LOAD',
  'OPTIMIZE',
  'REPAIR',
  'CHECK',
  'CHECKSUM',
  'FLUSH',
  'KILL',
  'HANDLER',
  'LISTEN',
  'NOTIFY',
  'UNLISTEN',
  'DISCARD',
  'CHECKPOINT',
  'SECURITY',
  'IMPORT',
  'DECLARE',
  'FETCH',
  'MOVE',
  'CLOSE',
  'XA',
  'INSTALL',
  'UNINSTALL',
  'PURGE',
  'CHANGE',
  'RESTART',
  'SHUTDOWN',
  'HELP',
  'BINLOG',
  'CACHE',
  'REASSIGN',
  'IMPORT',
]);
