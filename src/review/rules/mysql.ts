// MySQL-only rules about storage engines, online ALTER options and stored objects.
import type { Rule } from '../types.js';
import { MYSQL } from './engines.js';
import { listSet } from './util.js';

export const useInnodb: Rule = {
  id: 'engine.mysql.use-innodb',
  type: 'ENGINE_MYSQL_USE_INNODB',
  engines: MYSQL,
  verbs: ['CREATE', 'ALTER', 'SET'],
  summary: 'Require InnoDB storage engine',
  check(s, ctx) {
    const engines = [
      s.createTable?.options.engine,
      ...(s.alterTable?.actions ?? []).map((a) => (a.kind === 'options' ? a.options.engine : null)),
    ];
    const bad = engines.find((e) => e && e !== 'INNODB');
    if (bad) ctx.report(s, `Storage engine ${bad} is not transactional or crash-safe; use ENGINE=InnoDB.`);
    if (
      s.verb === 'SET' &&
      s.tokens.some((t) => t.v === 'DEFAULT_STORAGE_ENGINE') &&
      !s.tokens.some((t) => t.v === 'INNODB')
    ) {
      ctx.report(s, 'default_storage_engine is set to something other than InnoDB; remove the SET or use InnoDB.');
    }
  },
};

export const requireAlgorithmOption: Rule = {
  id: 'statement.require-algorithm-option',
  type: 'STATEMENT_REQUIRE_ALGORITHM_OPTION',
  engines: MYSQL,
  verbs: ['ALTER'],
  summary: 'ALTER TABLE must set ALGORITHM=',
  check(s, ctx) {
    if (s.alterTable && !s.alterTable.actions.some((a) => a.kind === 'options' && a.algorithm)) {
      ctx.report(
        s,
        'ALTER TABLE does not say ALGORITHM=; add ALGORITHM=INSTANT or INPLACE so the server fails instead of silently copying the table.',
      );
    }
  },
};

export const requireLockOption: Rule = {
  id: 'statement.require-lock-option',
  type: 'STATEMENT_REQUIRE_LOCK_OPTION',
  engines: MYSQL,
  verbs: ['ALTER'],
  summary: 'ALTER TABLE must set LOCK=',
  check(s, ctx) {
    if (s.alterTable && !s.alterTable.actions.some((a) => a.kind === 'options' && a.lock)) {
      ctx.report(s, 'ALTER TABLE does not say LOCK=; add LOCK=NONE so the server fails instead of blocking writes.');
    }
  },
};

function disallowCreate(id: string, type: string, object: string, why: string): Rule {
  return {
    id,
    type,
    engines: MYSQL,
    verbs: ['CREATE'],
    summary: `No CREATE ${object}`,
    reportAtStart: MYSQL,
    check(s, ctx) {
      if (s.verb === 'CREATE' && s.kind.object === object) ctx.report(s, `CREATE ${object} is not allowed: ${why}`);
    },
  };
}
export const procedureDisallowCreate = disallowCreate(
  'system.procedure.disallow-create',
  'SYSTEM_PROCEDURE_DISALLOW_CREATE',
  'PROCEDURE',
  'stored procedures hide logic from the application; implement it there.',
);
export const eventDisallowCreate = disallowCreate(
  'system.event.disallow-create',
  'SYSTEM_EVENT_DISALLOW_CREATE',
  'EVENT',
  "scheduled events run unseen; use the application's scheduler.",
);
export const viewDisallowCreate = disallowCreate(
  'system.view.disallow-create',
  'SYSTEM_VIEW_DISALLOW_CREATE',
  'VIEW',
  'views hide query cost; query the tables directly.',
);
export const functionDisallowCreate = disallowCreate(
  'system.function.disallow-create',
  'SYSTEM_FUNCTION_DISALLOW_CREATE',
  'FUNCTION',
  'stored functions hide logic from the application; implement it there.',
);

export const functionDisallowedList: Rule = {
  id: 'system.function.disallowed-list',
  type: 'SYSTEM_FUNCTION_DISALLOWED_LIST',
  engines: MYSQL,
  summary: 'Blocklist function calls',
  check(s, ctx) {
    const banned = listSet(ctx, 'upper');
    if (banned.size === 0 || ![...banned].some((b) => s.has(b))) return;
    const t = s.tokens;
    for (let k = 0; k < t.length - 1; k++) {
      if (t[k]!.type === 'word' && banned.has(t[k]!.v) && t[k + 1]!.v === '(') {
        // One finding per call, as Bytebase reports them.
        ctx.report(s, `Function ${t[k]!.v}() is disallowed by policy; remove the call.`, t[k]!.pos);
      }
    }
  },
};
