// Squawk's rules about dropping, renaming and naming objects (PostgreSQL), with MySQL equivalents.
import type {
  AlterEnumStmt,
  CreateStmt,
  DropStmt,
  RangeVar,
  RenameStmt,
  ResTarget,
  TruncateStmt,
  UpdateStmt,
} from 'libpg-query';
import { BOTH } from '../engines.js';
import { alterCommands, as, addedColumn, wordAt, writtenName } from './ast.js';
import { squawkRule } from './define.js';

export const banDropTable = squawkRule({
  name: 'ban-drop-table',
  nodes: ['DropStmt'],
  engines: BOTH,
  verbs: ['DROP'],
  summary: 'DROP TABLE may break clients still using it',
  message: 'Dropping a table may break existing clients.',
  check(s, ctx, report) {
    if (
      ctx.engine === 'mysql'
        ? s.kind.label === 'DROP TABLE'
        : as<DropStmt>(s.ast, 'DropStmt')?.removeType === 'OBJECT_TABLE'
    )
      report(0);
  },
});

export const banDropDatabase = squawkRule({
  name: 'ban-drop-database',
  nodes: ['DropdbStmt'],
  engines: BOTH,
  verbs: ['DROP'],
  summary: 'No DROP DATABASE',
  message: 'Dropping a database may break existing clients.',
  check(s, ctx, report) {
    if (
      ctx.engine === 'mysql'
        ? s.kind.label === 'DROP DATABASE' || s.kind.label === 'DROP SCHEMA'
        : as(s.ast, 'DropdbStmt')
    )
      report(0);
  },
});

export const banTruncateCascade = squawkRule({
  name: 'ban-truncate-cascade',
  nodes: ['TruncateStmt'],
  verbs: ['TRUNCATE'],
  summary: 'No TRUNCATE … CASCADE',
  message:
    'Using `CASCADE` will recursively truncate any tables that foreign key to the referenced tables! So if you had foreign keys setup as `a <- b <- c` and truncated `a`, then `b` & `c` would also be truncated!',
  help: 'Remove the `CASCADE` and specify exactly which tables you want to truncate.',
  check(s, _ctx, report) {
    if (as<TruncateStmt>(s.ast, 'TruncateStmt')?.behavior === 'DROP_CASCADE') report(wordAt(s, 'CASCADE', 1));
  },
});

export const renamingColumn = squawkRule({
  name: 'renaming-column',
  nodes: ['RenameStmt'],
  engines: BOTH,
  verbs: ['ALTER'],
  summary: 'RENAME COLUMN may break clients using the old name',
  message: 'Renaming a column may break existing clients.',
  check(s, ctx, report) {
    if (ctx.engine === 'mysql') {
      for (const a of s.alterTable?.actions ?? []) if (a.kind === 'rename-column') report(a.pos);
      return;
    }
    const r = as<RenameStmt>(s.ast, 'RenameStmt');
    // A table's column: Squawk 2.66 passes by columns of views and foreign tables.
    if (r?.renameType === 'OBJECT_COLUMN' && r.relationType === 'OBJECT_TABLE') report(wordAt(s, 'RENAME', 1));
  },
});

export const renamingTable = squawkRule({
  name: 'renaming-table',
  nodes: ['RenameStmt'],
  engines: BOTH,
  verbs: ['ALTER', 'RENAME'],
  summary: 'RENAME TABLE may break clients using the old name',
  message: 'Renaming a table may break existing clients.',
  check(s, ctx, report) {
    if (ctx.engine === 'mysql') {
      if (s.kind.verb === 'RENAME') report(0);
      for (const a of s.alterTable?.actions ?? []) if (a.kind === 'rename-table') report(a.pos);
      return;
    }
    const r = as<RenameStmt>(s.ast, 'RenameStmt');
    if (r?.renameType === 'OBJECT_TABLE') report(wordAt(s, 'RENAME', 1));
  },
});

export const requireEnumValueOrdering = squawkRule({
  name: 'require-enum-value-ordering',
  nodes: ['AlterEnumStmt'],
  verbs: ['ALTER'],
  summary: 'ALTER TYPE … ADD VALUE must say BEFORE or AFTER',
  message:
    'ADD VALUE without BEFORE or AFTER appends the value to the end of the enum, which may result in unexpected ordering.',
  help: 'Add `BEFORE` or `AFTER` to specify the position of the new enum value.',
  check(s, _ctx, report) {
    const e = as<AlterEnumStmt>(s.ast, 'AlterEnumStmt');
    if (e?.newVal !== undefined && !e.oldVal && !e.newValNeighbor) report(wordAt(s, 'ADD', 1));
  },
});

const MAX_IDENTIFIER = 63;

export const identifierTooLong = squawkRule({
  name: 'identifier-too-long',
  nodes: ['CreateStmt', 'AlterTableStmt'],
  verbs: ['CREATE', 'ALTER'],
  summary: 'Identifiers longer than 63 bytes are silently truncated',
  message: 'Identifier is longer than 63 bytes; PostgreSQL silently truncates it.',
  help: 'Use a shorter name.',
  check(s, _ctx, report) {
    // The AST holds names cut to 63 bytes: only a name of that length can have been longer as written.
    const check = (location: number | undefined, parsed: string | undefined): void => {
      if (location === undefined || (parsed !== undefined && Buffer.byteLength(parsed) < MAX_IDENTIFIER)) return;
      const pos = s.at(location);
      const name = writtenName(s, pos);
      if (name && Buffer.byteLength(name) > MAX_IDENTIFIER)
        report(
          pos,
          `\`${name}\` is longer than ${MAX_IDENTIFIER} bytes; PostgreSQL silently truncates it. Use a shorter name.`,
        );
    };
    const ct = as<CreateStmt>(s.ast, 'CreateStmt');
    if (ct) {
      check(ct.relation?.location, ct.relation?.relname);
      for (const e of ct.tableElts ?? []) {
        const c = as<{ location?: number; colname?: string }>(e, 'ColumnDef');
        check(c?.location, c?.colname);
      }
    }
    for (const { cmd } of alterCommands(s)) {
      const c = addedColumn(cmd);
      check(c?.location, c?.colname);
    }
  },
});

export const banDuplicateColumnAssignments = squawkRule({
  name: 'ban-duplicate-column-assignments',
  nodes: ['UpdateStmt'],
  verbs: ['UPDATE'],
  summary: 'No column assigned twice in one UPDATE',
  message: 'Multiple assignments to the same column.',
  check(s, _ctx, report) {
    const u = as<UpdateStmt>(s.ast, 'UpdateStmt');
    if (!u) return;
    const targets = (u.targetList ?? []).map((t) => as<ResTarget>(t, 'ResTarget')).filter((t) => !!t);
    const count = new Map<string, number>();
    for (const t of targets) count.set(t.name ?? '', (count.get(t.name ?? '') ?? 0) + 1);
    for (const t of targets)
      if ((count.get(t.name ?? '') ?? 0) > 1)
        report(s.at(t.location), `Multiple assignments to the same column \`${t.name}\`.`);
  },
});

export const requireTableSchema = squawkRule({
  name: 'require-table-schema',
  optIn: true,
  verbs: ['CREATE', 'ALTER', 'DROP'],
  summary: 'Table names must be schema-qualified (opt-in in Squawk)',
  message:
    'Table name is not schema-qualified. Use schema.table (e.g., public.t) so the migration does not depend on search_path.',
  check(s, _ctx, report) {
    const rel =
      as<CreateStmt>(s.ast, 'CreateStmt')?.relation ?? as<{ relation?: RangeVar }>(s.ast, 'AlterTableStmt')?.relation;
    if (rel && !rel.schemaname && rel.relpersistence !== 't') report(s.at(rel.location));
  },
});
