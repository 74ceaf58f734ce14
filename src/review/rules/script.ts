// Rules about the script as a whole rather than one statement.
import type { Rule } from '../types.js';
import type { Statement } from '../statement.js';
import { BOTH, MYSQL, POSTGRES } from './engines.js';
import { baseName, dmlTargets, isDdl, isDml, num } from './util.js';
import { pgTableChange } from '../postgres/table-changes.js';

export const mergeAlterTable: Rule = {
  id: 'statement.merge-alter-table',
  type: 'STATEMENT_MERGE_ALTER_TABLE',
  engines: BOTH,
  summary: 'Merge multiple ALTERs on same table',
  // The generator merges adjacent ALTERs and keeps apart only what must run in order (an index
  // between, VALIDATE after NOT VALID).
  generatorDecides: true,
  checkScript(ctx) {
    const seen = new Map<string, Statement>();
    const pg = ctx.engine === 'postgres';
    for (const s of ctx.statements) {
      // PostgreSQL's tree, where it says which table the statement creates or alters; otherwise the tokens.
      const change = pg ? pgTableChange(s) : null;
      let key: string;
      let alters: boolean;
      if (change) {
        if (change.kind !== 'create' && change.kind !== 'alter') continue;
        key = change.table;
        alters = change.kind === 'alter';
      } else {
        const table = s.createTable?.table ?? s.alterTable?.table;
        if (!table) continue;
        key = baseName(table);
        alters = !!s.alterTable;
      }
      const first = seen.get(key);
      if (first && alters) {
        ctx.report(
          s,
          `Table ${key} is already changed at line ${first.split.line}; merge the ALTER TABLE statements into one so the table is rebuilt and locked once.`,
        );
      } else if (!first) seen.set(key, s);
    }
  },
};

export const maxExecutionTime: Rule = {
  id: 'statement.max-execution-time',
  type: 'STATEMENT_MAX_EXECUTION_TIME',
  engines: MYSQL,
  summary: 'Require MAX_EXECUTION_TIME / MAX_STATEMENT_TIME',
  checkScript(ctx) {
    const first = ctx.statements[0];
    if (!first) return;
    // The cap must be set before the statements it is to cover, as Bytebase requires: among the SETs the script starts with.
    let sets = false;
    for (const s of ctx.statements) {
      if (s.verb !== 'SET') break;
      if (s.tokens.some((t) => t.v === 'MAX_EXECUTION_TIME' || t.v === 'MAX_STATEMENT_TIME')) sets = true;
    }
    if (!sets)
      ctx.report(
        first,
        'The script does not cap statement run time; start it with SET SESSION max_execution_time = <ms> (MySQL) or SET SESSION max_statement_time = <s> (MariaDB).',
      );
  },
};

export const maximumStatementsInTransaction: Rule = {
  id: 'statement.maximum-statements-in-transaction',
  type: 'STATEMENT_MAXIMUM_STATEMENTS_IN_TRANSACTION',
  engines: MYSQL,
  summary: 'Cap statements per transaction',
  checkScript(ctx) {
    const max = num(ctx.payload, 'number', 10);
    let count = 0;
    let reported = false;
    for (const s of ctx.statements) {
      const v = s.verb;
      if (v === 'BEGIN' || v === 'START' || v === 'COMMIT' || v === 'ROLLBACK') {
        count = 0;
        reported = false;
        continue;
      }
      if (!isDml(s) || v === 'SELECT') continue;
      count++;
      if (max > 0 && count > max && !reported) {
        reported = true;
        ctx.report(
          s,
          `This transaction has more than ${max} statements; split the change into smaller transactions so locks are held for less time.`,
        );
      }
    }
  },
};

/** SET [SESSION | LOCAL] ROLE …, as Bytebase reads it. */
function setsRole(s: Statement): boolean {
  if (s.verb !== 'SET') return false;
  const k = s.tokens[1]?.v === 'SESSION' || s.tokens[1]?.v === 'LOCAL' ? 2 : 1;
  return s.tokens[k]?.v === 'ROLE';
}

export const checkSetRoleVariable: Rule = {
  id: 'statement.check-set-role-variable',
  type: 'STATEMENT_CHECK_SET_ROLE_VARIABLE',
  engines: POSTGRES,
  summary: 'Script must start with SET ROLE',
  checkScript(ctx) {
    for (const s of ctx.statements) {
      if (s.verb === 'SET') {
        // Any other SET may come before it.
        if (setsRole(s)) return;
        continue;
      }
      ctx.report(
        s,
        'The script does not SET ROLE before its first statement, so objects are owned by the connecting user; start the script with SET ROLE <owner role>.',
      );
      return;
    }
  },
};

export const priorBackupCheck: Rule = {
  id: 'builtin.prior-backup-check',
  type: 'BUILTIN_PRIOR_BACKUP_CHECK',
  engines: BOTH,
  summary: 'Built-in: prior-backup feasibility',
  checkScript(ctx) {
    const dml = ctx.statements.filter((s) => s.verb === 'UPDATE' || s.verb === 'DELETE');
    // The backup runs as the connecting user, so a PostgreSQL script that switches role cannot be backed up.
    const role = ctx.engine === 'postgres' && dml.length > 0 ? ctx.statements.find(setsRole) : undefined;
    if (role)
      ctx.report(
        role,
        'Rows cannot be backed up before a change that runs under SET ROLE; drop the SET ROLE from the data change.',
      );
    const ddl = ctx.statements.find((s) => isDdl(s));
    if (dml.length > 0 && ddl) {
      ctx.report(
        ddl,
        'The script mixes DDL with UPDATE/DELETE, so the rows cannot be backed up before the change; put the data change in its own DML issue.',
      );
    }
    // More than 5 (Bytebase's limit; the payload may set another) are backed up only when they are all
    // UPDATEs of one table (Bytebase also needs its key in each WHERE, which only the database knows).
    const max = num(ctx.payload, 'number', 5);
    const oneTableUpdates =
      dml.every((s) => s.verb === 'UPDATE') && new Set(dml.map((s) => dmlTargets(s).join(';'))).size === 1;
    if (max > 0 && dml.length > max && !oneTableUpdates)
      ctx.report(
        dml[max]!,
        `Backing up before more than ${max} UPDATE/DELETE statements on several tables is not supported; split the change.`,
      );
  },
};
