// The shapes shared by the review engine, its rules and its callers.
import type { Engine } from '../domain/engine.js';
import type { QueryFn } from '../targets/types.js';
import type { Statement } from './statement.js';

export type ReviewLevel = 'ERROR' | 'WARNING';

export interface Finding {
  /** Dotted rule id, e.g. 'statement.where.require.update-delete'; 'syntax-error' / 'statement.not-reviewed' for built-ins. */
  rule: string;
  level: ReviewLevel;
  /** 1-based line and column in the submitted script. */
  line: number;
  column: number;
  /** The statement the finding is about. */
  statement: string;
  /** What is wrong and how to fix it. */
  message: string;
}

export interface ReviewResult {
  findings: Finding[];
  statements: number;
}

export type Payload = Record<string, unknown>;

/** One active rule of a policy. `engine` absent means both engines. */
export interface PolicyRule {
  rule: string;
  level: ReviewLevel;
  engine?: Engine;
  payload: Payload;
}

export interface ReviewPolicy {
  rules: PolicyRule[];
}

/** What a rule sees besides the statement: its payload, the whole script, and a way to report. */
export interface RuleContext {
  engine: Engine;
  payload: Payload;
  /** PostgreSQL major version the script is for (--pg-version, or the target's); absent: a current one. */
  pgVersion?: number;
  statements: readonly Statement[];
  /** The script runs wrapped in one transaction (Squawk's assume-in-transaction): from its first statement to a COMMIT. */
  assumeInTransaction?: boolean;
  report(s: Statement, message: string, pos?: number): void;
}

export type { TableEffect } from '../domain/blast-radius.js';
import type { TableEffect } from '../domain/blast-radius.js';

/** A static rule: decided from the SQL text alone. */
export interface Rule {
  id: string;
  /** Bytebase's enum name. */
  type: string;
  /** Other names a policy may use for the rule (Squawk's rule name, a Bytebase id). */
  aliases?: readonly string[];
  engines: readonly Engine[];
  /** One line, for --list-rules and docs. */
  summary: string;
  /** The statement verbs `check` can flag (kind.verb); absent: every statement. Lets the engine skip the rest. */
  verbs?: readonly string[];
  /**
   * PostgreSQL: the statement node kinds (`CreateStmt`, `AlterTableStmt` …) `check` can flag;
   * absent: every node kind. The engine skips a PostgreSQL statement of any other kind without calling the rule.
   */
  nodes?: readonly string[];
  /**
   * The concern is one dbchange's desired-schema generator settles by design (how actions are
   * laid out into statements, CONCURRENTLY on existing tables run outside a transaction by the
   * runner): not checked on generated plans, where the finding could only be acknowledged.
   */
  generatorDecides?: boolean;
  /**
   * The engines on which statement-level advice (reported without a position) goes where the
   * statement starts, not where it ends: Bytebase reports these rules at the statement's first line.
   */
  reportAtStart?: readonly Engine[];
  /** A rule whose findings mean the statement rewrites or locks its table (Squawk's lock rules); feeds the blast radius. */
  effect?: TableEffect;
  /** Called for each statement. */
  check?(s: Statement, ctx: RuleContext): void;
  /** Called once per script, for rules about the script as a whole. */
  checkScript?(ctx: RuleContext): void;
}

export interface LiveContext {
  engine: Engine;
  payload: Payload;
  statements: readonly Statement[];
  query: QueryFn;
  /** Report about statement `s`, at offset `pos` within it (default: its start). */
  report(s: Statement, message: string, pos?: number): void;
}

/** A rule that needs the live database. */
export interface LiveRule {
  id: string;
  type: string;
  aliases?: readonly string[];
  engines: readonly Engine[];
  summary: string;
  run(ctx: LiveContext): Promise<void>;
}
