// A Squawk rule: named as Squawk names it, reporting Squawk's message and advice.
import type { Engine } from '../../../domain/engine.js';
import type { Rule, RuleContext, TableEffect } from '../../types.js';
import type { Statement } from '../../statement.js';
import { POSTGRES } from '../engines.js';

export interface SquawkRuleDef {
  /** Squawk's rule name, e.g. adding-required-field: the rule's dbchange id too. */
  name: string;
  summary: string;
  /** Squawk's message and help, joined into the finding's message. */
  message: string;
  help?: string;
  engines?: readonly Engine[];
  /** More names a policy may use (Bytebase ids, Squawk's older names). */
  aliases?: readonly string[];
  verbs?: readonly string[];
  /** PostgreSQL: the only statement node kinds `check` can flag (see Rule.nodes). */
  nodes?: readonly string[];
  /** Off unless a policy names it (Squawk's opt-in rules). */
  optIn?: boolean;
  /** What a flagged statement does to its table while it runs (for the blast radius): rewrites it, or locks it. */
  effect?: TableEffect;
  check?(s: Statement, ctx: RuleContext, report: (pos?: number, message?: string) => void): void;
  checkScript?(ctx: RuleContext, report: (s: Statement, pos?: number, message?: string) => void): void;
}

export interface SquawkRule extends Rule {
  squawk: string;
  optIn: boolean;
}

/** Build a rule from its Squawk definition. */
export function squawkRule(def: SquawkRuleDef): SquawkRule {
  const text = def.help ? `${def.message} ${def.help}` : def.message;
  const rule: SquawkRule = {
    id: def.name,
    type: `SQUAWK_${def.name.toUpperCase().replace(/-/g, '_')}`,
    aliases: def.aliases ?? [],
    engines: def.engines ?? POSTGRES,
    summary: def.summary,
    squawk: def.name,
    optIn: def.optIn ?? false,
  };
  if (def.verbs) rule.verbs = def.verbs;
  if (def.nodes) rule.nodes = def.nodes;
  if (def.effect) rule.effect = def.effect;
  const { check, checkScript } = def;
  if (check) {
    // One report function for the rule, not one per statement: rules run on every statement.
    // It reports on the statement being checked, in the run under way (and lets go of both after).
    const current: { s: Statement | null; ctx: RuleContext | null } = { s: null, ctx: null };
    const report = (pos?: number, message?: string): void => current.ctx!.report(current.s!, message ?? text, pos);
    rule.check = (s, ctx) => {
      current.s = s;
      current.ctx = ctx;
      try {
        check(s, ctx, report);
      } finally {
        current.s = null;
        current.ctx = null;
      }
    };
  }
  if (checkScript)
    rule.checkScript = (ctx) => checkScript(ctx, (s, pos, message) => ctx.report(s, message ?? text, pos));
  return rule;
}
