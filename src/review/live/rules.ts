// The rules that need the live database. None of them writes: the dry run is EXPLAIN.
import type { LiveRule } from '../types.js';
import type { Statement } from '../statement.js';
import { messageOf } from '../../errors.js';
import { BOTH, MYSQL, POSTGRES } from '../rules/engines.js';
import { droppedTables } from '../rules/table.js';
import { createdEarlier, dmlTargets, num } from '../rules/util.js';
import { estimateRows, tableRows } from './explain.js';
import { walkThroughCheck } from './walk-through.js';

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE']);

/** DML whose tables exist before the script runs (a table created by the script cannot be explained yet). */
function liveDml(statements: readonly Statement[], verbs: ReadonlySet<string>): Statement[] {
  return statements.filter(
    (s) => verbs.has(s.verb) && !dmlTargets(s).some((t) => createdEarlier(statements, s.index, t)),
  );
}

export const affectedRowLimit: LiveRule = {
  id: 'statement.affected-row-limit',
  type: 'STATEMENT_AFFECTED_ROW_LIMIT',
  engines: BOTH,
  summary: 'Max estimated UPDATE/DELETE rows',
  async run(ctx) {
    const max = num(ctx.payload, 'number', 1000);
    for (const s of liveDml(ctx.statements, new Set(['UPDATE', 'DELETE']))) {
      let rows: number;
      try {
        rows = await estimateRows(ctx.engine, ctx.query, s.sql);
      } catch {
        continue; // A statement that cannot be explained is the dry run's and the walk-through's to report.
      }
      if (max > 0 && rows > max)
        ctx.report(
          s,
          `${s.verb} is estimated to touch ${rows} rows, more than ${max}; narrow the WHERE clause or run it in batches.`,
        );
    }
  },
};

export const dmlDryRun: LiveRule = {
  id: 'statement.dml-dry-run',
  type: 'STATEMENT_DML_DRY_RUN',
  engines: BOTH,
  summary: 'Dry-run DML to prove executability',
  // Like Bytebase, the dry run is EXPLAIN: the database parses, resolves and plans each statement,
  // which proves tables, columns, types and functions, without running it. Executing even in a
  // rolled-back transaction would take row locks and write WAL on production, and a long UPDATE
  // would fail the review by timing out.
  async run(ctx) {
    const dml = liveDml(ctx.statements, WRITES);
    if (dml.length === 0) return;
    const pg = ctx.engine === 'postgres';
    await ctx.query(pg ? 'BEGIN' : 'START TRANSACTION');
    try {
      if (pg) await ctx.query("SET LOCAL statement_timeout = '60s'");
      for (const s of dml) {
        await ctx.query('SAVEPOINT dbchange_dry_run');
        try {
          await ctx.query(`EXPLAIN ${s.sql}`);
        } catch (e) {
          ctx.report(
            s,
            `The statement fails on the database (dry run with EXPLAIN): ${messageOf(e)}. Fix it before rollout.`,
          );
        }
        await ctx.query('ROLLBACK TO SAVEPOINT dbchange_dry_run');
      }
    } finally {
      await ctx.query('ROLLBACK');
    }
  },
};

/** Tables a DDL statement changes. */
export function ddlTables(s: Statement): string[][] {
  if (s.alterTable) return [s.alterTable.table];
  if (s.createIndex) return [s.createIndex.table];
  if (s.verb === 'TRUNCATE') {
    const t = s.tokens;
    const k = t[1]?.v === 'TABLE' ? 2 : 1;
    return t[k] ? [[t[k]!.name]] : [];
  }
  return droppedTables(s).map((d) => d.parts);
}

export const tableLimitSize: LiveRule = {
  id: 'table.limit-size',
  type: 'TABLE_LIMIT_SIZE',
  engines: BOTH,
  summary: 'No DDL on tables above N rows',
  async run(ctx) {
    const max = num(ctx.payload, 'number', 10_000_000);
    for (const s of ctx.statements) {
      for (const t of ddlTables(s)) {
        if (createdEarlier(ctx.statements, s.index, t)) continue;
        const rows = await tableRows(ctx.engine, ctx.query, t);
        if (rows !== null && max > 0 && rows > max)
          ctx.report(
            s,
            `Table ${t.join('.')} has about ${rows} rows, more than ${max}; DDL on it needs an online migration tool or a maintenance window.`,
          );
      }
    }
  },
};

export const onlineMigration: LiveRule = {
  id: 'advice.online-migration',
  type: 'ADVICE_ONLINE_MIGRATION',
  engines: MYSQL,
  summary: 'Suggest gh-ost above row threshold',
  async run(ctx) {
    const max = num(ctx.payload, 'number', 100_000_000);
    for (const s of ctx.statements) {
      if (!s.alterTable || createdEarlier(ctx.statements, s.index, s.alterTable.table)) continue;
      const rows = await tableRows(ctx.engine, ctx.query, s.alterTable.table);
      if (rows !== null && rows > max)
        ctx.report(
          s,
          `Table ${s.alterTable.table.join('.')} has about ${rows} rows; run this ALTER with an online migration tool (gh-ost) to avoid long locks.`,
        );
    }
  },
};

export const dropEmptyDatabase: LiveRule = {
  id: 'database.drop-empty-database',
  type: 'DATABASE_DROP_EMPTY_DATABASE',
  engines: MYSQL,
  summary: 'Only drop empty databases',
  async run(ctx) {
    for (const s of ctx.statements) {
      if (s.kind.label !== 'DROP DATABASE' && s.kind.label !== 'DROP SCHEMA') continue;
      let k = s.kind.at + 1;
      if (s.tokens[k]?.v === 'IF') k += 2;
      const name = s.tokens[k]?.name;
      if (!name) continue;
      const rows = await ctx.query<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ?',
        [name],
      );
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0)
        ctx.report(
          s,
          `Database ${name} still has ${n} table(s); drop or move them first, then drop the empty database.`,
        );
    }
  },
};

export const objectOwnerCheck: LiveRule = {
  id: 'statement.object-owner-check',
  type: 'STATEMENT_OBJECT_OWNER_CHECK',
  engines: POSTGRES,
  summary: 'DDL object owner must equal current user',
  async run(ctx) {
    for (const s of ctx.statements) {
      for (const t of ddlTables(s)) {
        const name = t.map((p) => `"${p.replace(/"/g, '""')}"`).join('.');
        const rows = await ctx.query<{ owner: string; me: string }>(
          'SELECT pg_get_userbyid(c.relowner) AS owner, current_user AS me FROM pg_class c WHERE c.oid = to_regclass($1)',
          [name],
        );
        const r = rows[0];
        if (r && r.owner !== r.me)
          ctx.report(
            s,
            `Table ${t.join('.')} is owned by ${r.owner}, not by ${r.me} who runs the change; SET ROLE ${r.owner} first or change the owner.`,
          );
      }
    }
  },
};

export const LIVE_RULES: readonly LiveRule[] = [
  affectedRowLimit,
  dmlDryRun,
  tableLimitSize,
  onlineMigration,
  dropEmptyDatabase,
  objectOwnerCheck,
  walkThroughCheck,
];
