// Squawk's constraint rules (PostgreSQL): constraints that scan or lock a table already in use.
import type { AlterDomainStmt, AlterTableStmt, Constraint, CreateDomainStmt } from 'libpg-query';
import type { Statement } from '../../statement.js';
import type { RuleContext } from '../../types.js';
import { BOTH } from '../engines.js';
import { createdEarlier } from '../util.js';
import { addedColumn, alterCommands, as, constraintsOf, relKey, wordAt } from './ast.js';
import { squawkRule } from './define.js';
import { commits, createdInTransaction, opens, transactionKind } from './state.js';

function table(s: Statement): string {
  return relKey(as<AlterTableStmt>(s.ast, 'AlterTableStmt')?.relation);
}

type Added = Array<{ c: Constraint; pos: number; inline: boolean }>;
const NONE_ADDED: Added = [];

/** Constraints ALTER TABLE adds, table-level (ADD CONSTRAINT) and inline on ADD COLUMN (read once per statement). */
function added(s: Statement): Added {
  if (alterCommands(s).length === 0) return NONE_ADDED;
  return s.cached('pg.addedConstraints', readAdded);
}

function readAdded(s: Statement): Added {
  const out: Array<{ c: Constraint; pos: number; inline: boolean }> = [];
  for (const { cmd, pos } of alterCommands(s)) {
    if (cmd.subtype === 'AT_AddConstraint') {
      const c = as<Constraint>(cmd.def, 'Constraint');
      if (c) out.push({ c, pos, inline: false });
    }
    const col = addedColumn(cmd);
    if (col) for (const c of constraintsOf(col)) out.push({ c, pos, inline: true });
  }
  return out;
}

function newTable(s: Statement, ctx: RuleContext): boolean {
  return createdInTransaction(ctx, s, table(s));
}

export const constraintMissingNotValid = squawkRule({
  name: 'constraint-missing-not-valid',
  nodes: ['AlterTableStmt'],
  effect: 'locks',
  verbs: ['ALTER'],
  summary: 'ADD CONSTRAINT without NOT VALID scans the table while blocking writes',
  message: 'By default new constraints require a table scan and block writes to the table while that scan occurs.',
  help: 'Use `NOT VALID` with a later `VALIDATE CONSTRAINT` call.',
  check(s, ctx, report) {
    if (newTable(s, ctx)) return;
    for (const { c, pos, inline } of added(s)) {
      if (inline || c.skip_validation || c.indexname) continue;
      report(pos);
    }
  },
  checkScript(ctx, report) {
    // As Squawk: a VALIDATE CONSTRAINT in a transaction (explicit or assumed) of a constraint added
    // NOT VALID earlier in the script, unless a BEGIN outside any transaction came in between
    // (only a COMMIT ends a transaction here, as in the other rules).
    let inside = ctx.assumeInTransaction === true;
    const notValid = new Set<string>();
    for (const s of ctx.statements) {
      const kind = transactionKind(s.ast);
      if (opens(kind)) {
        if (!inside) notValid.clear();
        inside = true;
      } else if (commits(kind)) inside = false;
      for (const { cmd, pos } of alterCommands(s)) {
        if (cmd.subtype === 'AT_ValidateConstraint' && inside && cmd.name && notValid.has(cmd.name))
          report(s, pos, VALIDATE_IN_TRANSACTION);
        const c = cmd.subtype === 'AT_AddConstraint' ? as<Constraint>(cmd.def, 'Constraint') : null;
        if (c?.skip_validation && c.conname) notValid.add(c.conname);
      }
    }
  },
});

const VALIDATE_IN_TRANSACTION =
  'Using `NOT VALID` and `VALIDATE CONSTRAINT` in the same transaction will block all reads while the constraint is validated. Add constraint as `NOT VALID` in one transaction and `VALIDATE CONSTRAINT` in a separate transaction.';

export const addingForeignKeyConstraint = squawkRule({
  name: 'adding-foreign-key-constraint',
  nodes: ['AlterTableStmt'],
  effect: 'locks',
  verbs: ['ALTER'],
  summary: 'ADD FOREIGN KEY without NOT VALID locks both tables while it scans',
  message:
    'Adding a foreign key constraint requires a table scan and a `SHARE ROW EXCLUSIVE` lock on both tables, which blocks writes to each table.',
  help: 'Add `NOT VALID` to the constraint in one transaction and then VALIDATE the constraint in a separate transaction.',
  check(s, ctx, report) {
    // Squawk spares ADD CONSTRAINT on a table this transaction created, not a column's inline REFERENCES.
    const fresh = newTable(s, ctx);
    for (const { c, inline } of added(s))
      if (c.contype === 'CONSTR_FOREIGN' && !c.skip_validation && (inline || !fresh)) report(s.at(c.location));
  },
});

export const disallowedUniqueConstraint = squawkRule({
  name: 'disallowed-unique-constraint',
  nodes: ['AlterTableStmt'],
  effect: 'locks',
  engines: BOTH,
  verbs: ['ALTER'],
  summary: 'ADD UNIQUE builds its index under an exclusive lock',
  message:
    'Adding a `UNIQUE` constraint requires an `ACCESS EXCLUSIVE` lock which blocks reads and writes to the table while the index is built.',
  help: 'Create an index `CONCURRENTLY` and create the constraint using the index.',
  check(s, ctx, report) {
    if (ctx.engine === 'mysql') {
      const at = s.alterTable;
      if (!at || createdEarlier(ctx.statements, s.index, at.table)) return;
      for (const a of at.actions) {
        const unique =
          (a.kind === 'add-index' && a.index.kind === 'unique') || (a.kind === 'add-column' && a.column.unique);
        if (unique)
          report(
            a.pos,
            'Adding a UNIQUE key builds an index over every row (and fails if any values repeat); check the data for duplicates first and build it with ALGORITHM=INPLACE, LOCK=NONE (or an online schema change tool) so writes are not blocked.',
          );
      }
      return;
    }
    const fresh = newTable(s, ctx);
    for (const { c, inline } of added(s))
      if (c.contype === 'CONSTR_UNIQUE' && !c.indexname && (inline || !fresh)) report(s.at(c.location));
  },
});

export const addingSerialPrimaryKeyField = squawkRule({
  name: 'adding-serial-primary-key-field',
  nodes: ['AlterTableStmt'],
  effect: 'locks',
  verbs: ['ALTER'],
  summary: 'ADD PRIMARY KEY builds its index under an exclusive lock',
  message:
    'Adding a primary key constraint requires an `ACCESS EXCLUSIVE` lock that will block all reads and writes to the table while the primary key index is built.',
  help: 'Add the `PRIMARY KEY` constraint `USING` an index.',
  check(s, _ctx, report) {
    // Squawk flags it on a table the transaction created too.
    for (const { c } of added(s)) if (c.contype === 'CONSTR_PRIMARY' && !c.indexname) report(s.at(c.location));
  },
});

const DOMAIN_MESSAGE =
  'Domains with constraints have poor support for online migrations. Use table and column constraints instead.';

export const banCreateDomainWithConstraint = squawkRule({
  name: 'ban-create-domain-with-constraint',
  nodes: ['CreateDomainStmt'],
  verbs: ['CREATE'],
  summary: 'No CREATE DOMAIN with constraints',
  message: DOMAIN_MESSAGE,
  check(s, _ctx, report) {
    // One finding for all of them, at the first (Squawk reports their span); NULL and DEFAULT count too.
    const d = as<CreateDomainStmt>(s.ast, 'CreateDomainStmt');
    let first: number | undefined;
    for (const n of d?.constraints ?? []) {
      const at = as<Constraint>(n, 'Constraint')?.location;
      if (at !== undefined && at >= 0 && (first === undefined || at < first)) first = at;
    }
    if (first !== undefined) report(s.at(first));
  },
});

export const banAlterDomainWithAddConstraint = squawkRule({
  name: 'ban-alter-domain-with-add-constraint',
  nodes: ['AlterDomainStmt'],
  verbs: ['ALTER'],
  summary: 'No ALTER DOMAIN … ADD CONSTRAINT',
  message: DOMAIN_MESSAGE,
  check(s, _ctx, report) {
    const d = as<AlterDomainStmt>(s.ast, 'AlterDomainStmt');
    if (d?.subtype === 'C') report(wordAt(s, 'ADD', 1));
  },
});
