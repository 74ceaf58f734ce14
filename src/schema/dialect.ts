/**
 * What the differ needs from an engine: one SQL generator per object kind and verb. The differ
 * (diff.ts) decides what changes and in which order; a dialect only spells single statements.
 */
import type { Engine } from '../domain/engine.js';
import type {
  Column,
  CompositeType,
  Constraint,
  Domain,
  EnumType,
  Extension,
  Index,
  MaterializedView,
  Policy,
  Routine,
  Sequence,
  Table,
  Trigger,
  View,
} from './model.js';

/** One DDL statement the differ produced. */
export interface DdlChange {
  /** The statement, without a trailing semicolon. */
  sql: string;
  /** Drops objects or data, or narrows a type: a person should look twice. */
  destructive: boolean;
  /** What the statement does, e.g. `drop-table`, `add-column`. */
  kind: string;
  /**
   * Must run in one ALTER TABLE with the change before it on the same table (MySQL: a key a
   * foreign key stands on is dropped in the statement that adds the key replacing it).
   */
  withPrevious?: boolean;
}

export type TableRef = Pick<Table, 'schema' | 'name'>;

/** What a COMMENT ON statement names (tables and columns have their own generators). */
export type CommentTarget =
  | {
      kind: 'view' | 'materialized-view' | 'sequence' | 'index' | 'type' | 'domain';
      schema: string;
      name: string;
    }
  | { kind: 'function' | 'procedure'; schema: string; name: string; signature: string }
  | { kind: 'constraint'; schema: string; table: string; name: string };

export interface Dialect {
  readonly engine: Engine;
  /** The table's name as it appears in DDL and in the engine's own printed definitions. */
  tableName(t: TableRef): string;
  createSchema(name: string): string;
  dropSchema(name: string): string;
  createExtension(e: Extension): string;
  alterExtensionSchema(e: Extension): string;
  dropExtension(e: Extension): string;
  /** The enum's name as format_type() prints it (how columns refer to it). */
  enumName(e: Pick<EnumType, 'schema' | 'name'>): string;
  createEnum(e: EnumType): string;
  addEnumValue(e: EnumType, value: string, position: { before: string } | { after: string }): string;
  renameEnum(e: EnumType, newName: string): string;
  renameEnumValue(e: EnumType, from: string, to: string): string;
  dropEnum(e: Pick<EnumType, 'schema' | 'name'>): string;
  /** The domain's name as format_type() prints it (how columns refer to it). */
  domainName(dm: Pick<Domain, 'schema' | 'name'>): string;
  /** CREATE DOMAIN, then its NOT VALID constraints (which cannot be inline). */
  createDomain(dm: Domain): DdlChange[];
  /** ALTER DOMAIN for everything but the base type and the comment. */
  alterDomain(from: Domain, to: Domain): DdlChange[];
  dropDomain(dm: Pick<Domain, 'schema' | 'name'>): string;
  createSequence(s: Sequence): string;
  alterSequence(from: Sequence, to: Sequence): string | null;
  sequenceOwnedBy(s: Sequence): string;
  dropSequence(s: Sequence): string;
  /** CREATE TABLE with columns and non-foreign-key constraints inline (and, on MySQL, indexes). */
  createTable(t: Table): DdlChange[];
  /** Whether createTable already creates the table's indexes. */
  readonly indexesInline: boolean;
  dropTable(t: Table): string;
  tableOptions(from: Table, to: Table): DdlChange[];
  /** Columns the table-level change forces to be restated although their model is equal. */
  columnsRestatedByTableChange(from: Table, to: Table): string[];
  /** `after`: the previous column's name, null for first, undefined to append. */
  addColumn(t: TableRef, c: Column, after?: string | null): DdlChange[];
  dropColumn(t: TableRef, c: Column): string;
  /**
   * `after` as for addColumn (MySQL): restates the column's place, which a column added earlier in
   * the same ALTER TABLE loses when it is modified again there.
   */
  alterColumn(t: TableRef, from: Column, to: Column, after?: string | null): DdlChange[];
  /** Change a column's type to `type` by way of text (enum recreation). */
  recastColumn(t: TableRef, c: Column, type: string): string;
  /** `notValid`: add it without checking existing rows (PostgreSQL), to validate separately. */
  addConstraint(t: TableRef, c: Constraint, notValid?: boolean): string;
  validateConstraint(t: TableRef, c: Constraint): string;
  /** `t`: the table as it is (MySQL restates a column to drop a check written on it). */
  dropConstraint(t: Table, c: Constraint): string;
  /** `online`: the table exists and has rows; build without blocking writes (PostgreSQL CONCURRENTLY). */
  createIndex(t: TableRef, i: Index, online?: boolean): string;
  dropIndex(t: TableRef, i: Index, online?: boolean): string;
  renameTable(t: TableRef, newName: string): string;
  renameColumn(t: TableRef, from: string, to: string): string;
  /** Rename a constraint (PostgreSQL) or the key behind it; null when the engine cannot. */
  renameConstraint(t: TableRef, c: Constraint, newName: string): string | null;
  renameIndex(t: TableRef, i: Index, newName: string): string;
  /** Table-level settings besides columns and keys: partition bounds, parents, row security, storage. */
  attachPartition(child: Table): string;
  detachPartition(child: Table): string;
  inherit(child: TableRef, parent: TableRef): string;
  noInherit(child: TableRef, parent: TableRef): string;
  createPolicy(t: TableRef, p: Policy): string;
  dropPolicy(t: TableRef, p: Policy): string;
  createComposite(c: CompositeType): string;
  /** ALTER TYPE for attribute changes; null when the types are equal but for the comment. */
  alterComposite(from: CompositeType, to: CompositeType): string | null;
  dropComposite(c: CompositeType): string;
  /** ALTER TABLE … ENABLE/DISABLE TRIGGER: for a trigger whose state is not the default, or always (`restate`). */
  triggerState(t: Trigger, restate?: boolean): string | null;
  createView(v: View): string;
  dropView(v: View): string;
  createMatview(m: MaterializedView): string;
  dropMatview(m: MaterializedView): string;
  /** COMMENT ON …; a null text removes the comment. */
  comment(target: CommentTarget, text: string | null): string;
  /** Whether a changed routine can be replaced in place (CREATE OR REPLACE) keeping dependents. */
  canReplaceRoutine(from: Routine, to: Routine): boolean;
  createRoutine(r: Routine): string;
  dropRoutine(r: Routine): string;
  createTrigger(t: Trigger): string;
  dropTrigger(t: Trigger): string;
  /** Whether a printed definition refers to the named object (table, view or routine). */
  mentions(definition: string, schema: string, name: string): boolean;
}
