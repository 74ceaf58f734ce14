// Squawk's rules about index builds, reindexing and partitions (PostgreSQL): use the concurrent forms.
import type { DropStmt, IndexStmt, PartitionCmd, ReindexStmt, VacuumStmt } from 'libpg-query';
import { alterCommands, as, optionOn, relKey, wordAt } from './ast.js';
import { squawkRule } from './define.js';
import { createdInTransaction, inTransaction } from './state.js';

export const requireConcurrentIndexCreation = squawkRule({
  name: 'require-concurrent-index-creation',
  nodes: ['IndexStmt'],
  effect: 'locks',
  verbs: ['CREATE'],
  summary: 'CREATE INDEX must be CONCURRENTLY (unless the table is new in this transaction)',
  message: 'During normal index creation, table updates are blocked, but reads are still allowed.',
  help: 'Use `concurrently` to avoid blocking writes.',
  check(s, ctx, report) {
    const ix = as<IndexStmt>(s.ast, 'IndexStmt');
    if (ix && !ix.concurrent && !createdInTransaction(ctx, s, relKey(ix.relation))) report(0);
  },
});

export const requireConcurrentIndexDeletion = squawkRule({
  name: 'require-concurrent-index-deletion',
  nodes: ['DropStmt'],
  effect: 'locks',
  verbs: ['DROP'],
  summary: 'DROP INDEX must be CONCURRENTLY',
  message:
    'A normal `DROP INDEX` acquires an `ACCESS EXCLUSIVE` lock on the table, blocking other accesses until the index drop can complete.',
  help: 'Drop the index `CONCURRENTLY`.',
  check(s, _ctx, report) {
    const d = as<DropStmt>(s.ast, 'DropStmt');
    if (d?.removeType === 'OBJECT_INDEX' && !d.concurrent) report(0);
  },
});

export const banConcurrentIndexCreationInTransaction = squawkRule({
  name: 'ban-concurrent-index-creation-in-transaction',
  nodes: ['IndexStmt'],
  verbs: ['CREATE'],
  summary: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction',
  message:
    'While regular index creation can happen inside a transaction, this is not allowed when the `CONCURRENTLY` option is used.',
  help: 'Build the index outside any transactions.',
  check(s, ctx, report) {
    const ix = as<IndexStmt>(s.ast, 'IndexStmt');
    // As Squawk: a file of this one statement is fine even when assumed in a transaction (a runner runs it alone).
    if (ix?.concurrent && ctx.statements.length > 1 && inTransaction(ctx, s)) report(wordAt(s, 'CONCURRENTLY', 0));
  },
});

export const requireConcurrentReindex = squawkRule({
  name: 'require-concurrent-reindex',
  effect: 'locks',
  verbs: ['REINDEX'],
  summary: 'REINDEX must be CONCURRENTLY',
  message: 'Reindexing a table or index without `concurrently` blocks reads and writes.',
  help: 'Use `concurrently` to avoid blocking reads and writes.',
  check(s, _ctx, report) {
    const r = as<ReindexStmt>(s.ast, 'ReindexStmt');
    if (!r || r.kind === 'REINDEX_OBJECT_SYSTEM') return;
    const concurrently = (r.params ?? []).some(
      (p) => as<{ defname?: string }>(p, 'DefElem')?.defname?.toLowerCase() === 'concurrently',
    );
    if (!concurrently) report(0);
  },
});

export const requireConcurrentPartitionDetach = squawkRule({
  name: 'require-concurrent-partition-detach',
  nodes: ['AlterTableStmt'],
  effect: 'locks',
  verbs: ['ALTER'],
  summary: 'DETACH PARTITION must be CONCURRENTLY',
  message: 'Detaching a partition requires an `ACCESS EXCLUSIVE` lock, which prevents reads and writes to the table.',
  help: 'Detach the partition `CONCURRENTLY`.',
  check(s, _ctx, report) {
    for (const { cmd, pos } of alterCommands(s)) {
      if (cmd.subtype !== 'AT_DetachPartition') continue;
      const p = as<PartitionCmd>(cmd.def, 'PartitionCmd');
      if (!p?.concurrent) report(pos);
    }
  },
});

export const preferRepack = squawkRule({
  name: 'prefer-repack',
  verbs: ['VACUUM', 'CLUSTER'],
  summary: 'VACUUM FULL and CLUSTER block reads and writes: use REPACK (CONCURRENTLY) from PostgreSQL 19',
  message: '`vacuum full` requires an `ACCESS EXCLUSIVE` lock which blocks reads and writes to the table.',
  help: 'Use `repack` to rewrite the table without blocking reads and writes.',
  check(s, ctx, report) {
    // REPACK exists from PostgreSQL 19 on: before it (or with no version given) there is nothing better to advise, as in Squawk.
    if (ctx.pgVersion === undefined || ctx.pgVersion < 19) return;
    const help = 'Use `repack` to rewrite the table without blocking reads and writes.';
    if (as(s.ast, 'ClusterStmt'))
      report(
        0,
        `\`cluster\` requires an \`ACCESS EXCLUSIVE\` lock which blocks reads and writes to the table. ${help}`,
      );
    else if (optionOn(as<VacuumStmt>(s.ast, 'VacuumStmt')?.options, 'full')) report(0);
  },
});
