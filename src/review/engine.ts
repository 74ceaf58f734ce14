/**
 * reviewScript: size and binary guard → split → per statement: tokenize, parse (one statement at
 * a time; node-sql-parser is super-linear in input size) → built-in findings for what does not
 * parse → the policy's static rules → findings sorted by line and column. Pure; never throws
 * for any input.
 */
import type { Engine } from '../domain/engine.js';
import { splitStatements } from '../sql/split.js';
import { messageOf } from '../errors.js';
import type { Finding, PolicyRule, ReviewLevel, ReviewPolicy, ReviewResult, Rule, RuleContext } from './types.js';
import { Statement } from './statement.js';
import { parseStatement, syntaxProblem, type ParseOutcome } from './parse.js';
import { parsePostgres } from './postgres/parse.js';
import { MAX_SQL_SIZE, NOT_REVIEWED, STATIC_RULES, SYNTAX_ERROR } from './catalog.js';
import { DEFAULT_PRODUCTION_POLICY } from './default-policy.js';
import { applySquawkIgnores, disablesAssumedTransaction, unusedIgnore } from './rules/squawk/ignore.js';

const DEFAULT_MAX_MB = 10;
const MAX_STATEMENT_TEXT = 500;

/** The policy's rules that apply to an engine. */
export function activeRules(policy: ReviewPolicy, engine: Engine): PolicyRule[] {
  return policy.rules.filter((r) => r.engine === undefined || r.engine === engine);
}

function clip(sql: string): string {
  return sql.length > MAX_STATEMENT_TEXT ? `${sql.slice(0, MAX_STATEMENT_TEXT)}…` : sql;
}

/** A finding about statement `s`, at `pos` within it (default: its start). */
export function finding(s: Statement, rule: string, level: ReviewLevel, message: string, pos?: number): Finding {
  const at = s.locate(pos);
  return { rule, level, line: at.line, column: at.column, statement: clip(s.sql), message };
}

/** Sort findings by line, then column (stable, in place). */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Guard against input no review can make sense of; returns the one finding to report, if any. */
function guard(sql: string, maxMb: number): Finding | null {
  const bytes = Buffer.byteLength(sql, 'utf8');
  if (bytes > maxMb * 1024 * 1024) {
    return {
      rule: MAX_SQL_SIZE,
      level: 'ERROR',
      line: 1,
      column: 1,
      statement: '',
      message: `The script is ${(bytes / 1024 / 1024).toFixed(1)} MB, more than the ${maxMb} MB limit; split it into smaller changes (or raise ${MAX_SQL_SIZE} in the policy).`,
    };
  }
  const bad = sql.search(/[\u0000\uFFFD]/);
  if (bad >= 0) {
    const before = sql.slice(0, bad);
    const line = before.split('\n').length;
    const column = bad - before.lastIndexOf('\n');
    return {
      rule: SYNTAX_ERROR,
      level: 'ERROR',
      line,
      column,
      statement: '',
      message: `The script contains binary data (${sql.charCodeAt(bad) === 0 ? 'a NUL byte' : 'bytes that are not valid UTF-8'}) at line ${line}; submit the SQL as UTF-8 text.`,
    };
  }
  return null;
}

const pgErrors = new WeakMap<Statement, { message: string; offset: number }>();

/** The script's statements: PostgreSQL's own parser splits and parses PostgreSQL; MySQL is split by dbchange. */
export function readStatements(sql: string, engine: Engine): Statement[] {
  if (engine === 'mysql') return splitStatements(sql, engine).map((sp, i) => new Statement(i, sp, engine));
  return parsePostgres(sql).map((p, i) => {
    const s = new Statement(i, p.split, engine, p);
    if (p.error) pgErrors.set(s, p.error);
    return s;
  });
}

/** PostgreSQL's parser is the authority: what it accepts is reviewed, what it rejects is a syntax error. */
function pgOutcome(s: Statement): ParseOutcome {
  const error = pgErrors.get(s);
  if (!error) return { ok: true };
  const hint = syntaxProblem(s, error.offset);
  return {
    ok: false,
    syntax: true,
    message: hint && hint.message !== error.message ? `${error.message} (${hint.message})` : error.message,
    offset: error.offset,
  };
}

const rulesById = new Map<string, Rule>(STATIC_RULES.map((r) => [r.id, r]));

/** Squawk's rule names (and the names it expands, require-timeout-settings) → the rule ids they stand for. */
const squawkNames = new Map<string, string[]>();
for (const r of STATIC_RULES) {
  if (!('squawk' in r)) continue;
  for (const name of [r.id, ...(r.aliases ?? [])]) squawkNames.set(name, [...(squawkNames.get(name) ?? []), r.id]);
}
const NO_IDS: readonly string[] = [];

/** Review a script with the policy's static rules. Pure; never throws. */
export function reviewScript(input: {
  engine: Engine;
  sql: string;
  policy?: ReviewPolicy;
  /** PostgreSQL major version the script is for (Squawk's version-aware rules); absent: a current one. */
  pgVersion?: number;
  /** The script is DDL dbchange generated for a desired-schema change (rules the generator settles are skipped). */
  generated?: boolean;
  /**
   * The script runs wrapped in one transaction (Squawk's --assume-in-transaction): tables it
   * creates are new to everyone until it commits, and a BEGIN or COMMIT in it is nesting.
   */
  assumeInTransaction?: boolean;
}): ReviewResult {
  const { engine, sql } = input;
  const policy = activeRules(input.policy ?? DEFAULT_PRODUCTION_POLICY, engine);
  const sizeRule = policy.find((r) => r.rule === MAX_SQL_SIZE);
  const maxMb =
    typeof sizeRule?.payload.number === 'number' && sizeRule.payload.number > 0
      ? sizeRule.payload.number
      : DEFAULT_MAX_MB;
  const guarded = guard(sql, maxMb);
  if (guarded) return { findings: [guarded], statements: 0 };

  const findings: Finding[] = [];
  const statements = readStatements(sql, engine);
  const reviewable: Statement[] = [];
  for (const s of statements) {
    const outcome = engine === 'postgres' ? pgOutcome(s) : parseStatement(s);
    if (outcome.ok) {
      reviewable.push(s);
    } else if (outcome.syntax) {
      const at = s.locate(outcome.offset);
      findings.push(
        finding(
          s,
          SYNTAX_ERROR,
          'ERROR',
          `Syntax error near line ${at.line}, column ${at.column}: ${outcome.message}. Fix the statement.`,
        ),
      );
    } else {
      s.parsed = false;
      reviewable.push(s);
      findings.push(
        finding(
          s,
          NOT_REVIEWED,
          'WARNING',
          `This ${s.kind.label || 'statement'} statement is not supported by the SQL parser, so dbchange could not confirm it is valid SQL; the rules still checked it, but review it by hand.${outcome.message ? ` (parser: ${outcome.message})` : ''}`,
        ),
      );
    }
  }

  // A Squawk comment in the script may turn assume-in-transaction off for it.
  const assumeInTransaction =
    !!input.assumeInTransaction && !(engine === 'postgres' && disablesAssumedTransaction(sql));
  // The statements by verb and (PostgreSQL) node kind, each group in script order: a rule runs on
  // the groups it can flag, so no statement is tested against each rule's verbs and node kinds.
  const groups = new Map<string, Map<string, Statement[]>>();
  for (const s of reviewable) {
    const node = engine === 'postgres' ? s.node : '';
    let byNode = groups.get(s.verb);
    if (!byNode) groups.set(s.verb, (byNode = new Map()));
    const list = byNode.get(node);
    if (list) list.push(s);
    else byNode.set(node, [s]);
  }
  for (const pr of policy) {
    const rule = rulesById.get(pr.rule);
    if (!rule?.engines.includes(engine)) continue;
    if (input.generated && rule.generatorDecides) continue;
    const ctx: RuleContext = {
      engine,
      payload: pr.payload,
      ...(input.pgVersion !== undefined ? { pgVersion: input.pgVersion } : {}),
      ...(assumeInTransaction ? { assumeInTransaction: true } : {}),
      statements,
      // Statement-level advice is reported where the statement ends (or starts, for the rules that say so),
      // as Bytebase does; element-level at the element.
      report: (s, message, pos) => {
        const f = finding(s, rule.id, pr.level, message, pos ?? (rule.reportAtStart?.includes(engine) ? 0 : s.endPos));
        if (pos === undefined) f.column = 1;
        findings.push(f);
      },
    };
    try {
      if (rule.check) {
        // The check is looked up once, not on each of its many calls (checks do not use `this`).
        const check = rule.check;
        const { verbs } = rule;
        const nodes = engine === 'postgres' ? rule.nodes : undefined;
        for (const [verb, byNode] of groups) {
          if (verbs && !verbs.includes(verb)) continue;
          for (const [node, list] of byNode) {
            if (nodes && !nodes.includes(node)) continue;
            for (let i = 0; i < list.length; i++) check(list[i]!, ctx);
          }
        }
      }
      if (rule.checkScript) rule.checkScript({ ...ctx, statements: reviewable });
    } catch (e) {
      // A rule bug must not hide the other findings, nor pass silently.
      const s = reviewable[0] ?? statements[0];
      if (s)
        findings.push(
          finding(
            s,
            rule.id,
            'WARNING',
            `Rule ${rule.id} could not check this script (${messageOf(e)}); review by hand and report the problem.`,
          ),
        );
    }
  }
  const unused = policy.find((r) => r.rule === unusedIgnore.id);
  const kept =
    engine === 'postgres'
      ? applySquawkIgnores(
          sql,
          findings,
          (name) => squawkNames.get(name) ?? NO_IDS,
          (rule) => squawkNames.has(rule),
          unused ? unused.level : null,
        )
      : findings;
  return { findings: sortFindings(kept), statements: statements.length };
}
