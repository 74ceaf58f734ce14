// statement.* rules about DML shape, decided from tokens.
import type { Rule } from '../types.js';
import type { Statement } from '../statement.js';
import { closeParen, findWord, readName, type Token } from '../tokens.js';
import { BOTH, MYSQL } from './engines.js';
import { isIdentPart, isSpace } from '../../sql/lexer.js';
import { queryBlocks } from '../postgres/query-shape.js';
import { as, contains } from '../postgres/nodes.js';
import { hasTopWhere, num, whereRanges } from './util.js';

const topDepth = (s: Statement): number => s.tokens[s.kind.at]?.depth ?? 0;

export const selectNoSelectAll: Rule = {
  id: 'statement.select.no-select-all',
  type: 'STATEMENT_SELECT_NO_SELECT_ALL',
  engines: BOTH,
  verbs: ['SELECT', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'CREATE'],
  summary: 'Disallow SELECT *',
  check(s, ctx) {
    if (!mayListAll(s.sql) || !s.has('SELECT')) return;
    const t = s.tokens;
    for (let k = 1; k < t.length; k++) {
      const x = t[k]!;
      if (x.type !== 'op' || x.v !== '*') continue;
      const prev = t[k - 1]!;
      const inList =
        prev.type === 'word' ? ['SELECT', 'DISTINCT', 'ALL'].includes(prev.v) : prev.v === ',' || prev.v === '.';
      if (inList) {
        ctx.report(
          s,
          'SELECT * reads every column, so the query breaks or slows down when columns are added; list the columns you need.',
          x.pos,
        );
      }
    }
  },
};

/**
 * False when no `*` in the text can be a select-list star: each one follows `(` (`count(*)`) or
 * nothing at all. Read from the characters, so a statement without one is not tokenized.
 */
function mayListAll(sql: string): boolean {
  for (let k = sql.indexOf('*'); k >= 0; k = sql.indexOf('*', k + 1)) {
    let p = k - 1;
    while (p >= 0 && sql.charCodeAt(p) <= 32) p--;
    if (p >= 0 && sql.charCodeAt(p) !== 40) return true;
  }
  return false;
}

type PgSelect = { fromClause?: unknown; whereClause?: unknown };

/** A query block that reads FROM something without a WHERE of its own. */
const withoutWhere = (q: PgSelect): boolean => !!q.fromClause && !q.whereClause;

/**
 * PostgreSQL: whether some query block reads FROM a table without its own WHERE, from the tree
 * (the tokens then say where). A FROM that is not a FROM list (`a IS DISTINCT FROM b`) is not one.
 */
function readsWithoutWhere(s: Statement): boolean {
  if (s.node !== 'SelectStmt') return true;
  if (queryBlocks(s.sql) > 1) return contains(s.ast, QUERY_BLOCKS, withoutWhere);
  return withoutWhere(as<PgSelect>(s.ast, 'SelectStmt')!);
}
/** Where query blocks sit in the tree: SelectStmt nodes, and the branches of a set operation. */
const QUERY_BLOCKS = ['SelectStmt', 'larg', 'rarg'];

/**
 * Every query block of a SELECT that reads FROM a table needs its own WHERE, as Bytebase checks
 * each one: a subquery, derived table or UNION branch without WHERE is flagged at its SELECT.
 */
export const whereRequireSelect: Rule = {
  id: 'statement.where.require.select',
  type: 'STATEMENT_WHERE_REQUIRE_SELECT',
  engines: BOTH,
  verbs: ['SELECT'],
  summary: 'SELECT must have WHERE',
  check(s, ctx) {
    if (s.ast && !readsWithoutWhere(s)) return;
    if (s.verb !== 'SELECT' || !s.has('FROM')) return;
    const t = s.tokens;
    for (let i = 0; i < t.length; i++) {
      const sel = t[i]!;
      if (sel.type !== 'word' || sel.v !== 'SELECT') continue;
      const d = sel.depth;
      let from = false;
      let where = false;
      for (let k = i + 1; k < t.length; k++) {
        const x = t[k]!;
        if (x.depth < d) break;
        if (x.depth > d || x.type !== 'word') {
          if (x.depth === d && x.v === ';') break;
          continue;
        }
        if (x.v === 'UNION' || x.v === 'EXCEPT' || x.v === 'INTERSECT') break;
        if (x.v === 'FROM') from = true;
        else if (x.v === 'WHERE') where = true;
      }
      if (from && !where)
        ctx.report(
          s,
          i === s.kind.at
            ? 'SELECT without WHERE scans the whole table; add a WHERE clause that limits the rows.'
            : 'This subquery reads without WHERE and scans the whole table; add a WHERE clause that limits the rows.',
          i === s.kind.at ? undefined : sel.pos,
        );
    }
  },
};

export const whereRequireUpdateDelete: Rule = {
  id: 'statement.where.require.update-delete',
  type: 'STATEMENT_WHERE_REQUIRE_UPDATE_DELETE',
  engines: BOTH,
  verbs: ['UPDATE', 'DELETE'],
  summary: 'UPDATE/DELETE must have WHERE',
  check(s, ctx) {
    // PostgreSQL's tree says it without tokens: the statement's own node and its WHERE.
    const verb = s.ast ? (s.node === 'UpdateStmt' ? 'UPDATE' : s.node === 'DeleteStmt' ? 'DELETE' : '') : s.verb;
    if (verb !== 'UPDATE' && verb !== 'DELETE') return;
    const where = s.ast ? !!as<PgSelect>(s.ast, s.node)?.whereClause : hasTopWhere(s);
    if (!where)
      ctx.report(
        s,
        `${verb} without WHERE changes every row of the table; add a WHERE clause (use WHERE true if you really mean all rows).`,
      );
  },
};

/**
 * False when no string in the text can start with `%`: no quote is followed by one (with a
 * backslash escape in the text, a string may spell it otherwise, so the tokens decide).
 */
function mayStartWithWildcard(sql: string): boolean {
  return sql.includes('\\') || /['"$]%/.test(sql);
}

export const noLeadingWildcardLike: Rule = {
  id: 'statement.where.no-leading-wildcard-like',
  type: 'STATEMENT_WHERE_NO_LEADING_WILDCARD_LIKE',
  engines: BOTH,
  verbs: ['SELECT', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE'],
  summary: "No LIKE '%x'",
  check(s, ctx) {
    if (!mayStartWithWildcard(s.sql) || (!s.has('LIKE') && !s.has('ILIKE'))) return;
    const t = s.tokens;
    for (let k = 0; k < t.length - 1; k++) {
      const x = t[k]!;
      if (
        x.type === 'word' &&
        (x.v === 'LIKE' || x.v === 'ILIKE') &&
        t[k + 1]!.type === 'string' &&
        t[k + 1]!.v.startsWith('%')
      ) {
        ctx.report(
          s,
          `LIKE '${t[k + 1]!.v}' starts with a wildcard, so no index can be used; anchor the pattern at the start or use full-text search.`,
          x.pos,
        );
        // Bytebase reports each such LIKE on MySQL, and the statement once on PostgreSQL.
        if (s.engine === 'postgres') return;
      }
    }
  },
};

export const disallowCommit: Rule = {
  id: 'statement.disallow-commit',
  type: 'STATEMENT_DISALLOW_COMMIT',
  engines: BOTH,
  verbs: ['COMMIT', 'END'],
  summary: 'No explicit COMMIT',
  check(s, ctx) {
    if (s.verb === 'COMMIT' || (s.engine === 'postgres' && s.verb === 'END' && s.tokens.length <= 2)) {
      ctx.report(
        s,
        'An explicit COMMIT breaks the transaction dbchange runs the change in; remove it and let the rollout commit.',
      );
    }
  },
};

function dmlClause(s: Statement, word: string): number {
  if (!['UPDATE', 'DELETE', 'INSERT', 'REPLACE'].includes(s.verb)) return -1;
  return findWord(s.tokens, word, topDepth(s), s.kind.at);
}

export const disallowLimit: Rule = {
  id: 'statement.disallow-limit',
  type: 'STATEMENT_DISALLOW_LIMIT',
  engines: MYSQL,
  verbs: ['UPDATE', 'DELETE', 'INSERT', 'REPLACE'],
  summary: 'No LIMIT in DML',
  check(s, ctx) {
    const k = dmlClause(s, 'LIMIT');
    if (k >= 0)
      ctx.report(
        s,
        `LIMIT in ${s.verb} makes the affected rows depend on physical order (and is unsafe for replication); select rows with a WHERE clause instead.`,
        s.tokens[k]!.pos,
      );
  },
};

export const disallowOrderBy: Rule = {
  id: 'statement.disallow-order-by',
  type: 'STATEMENT_DISALLOW_ORDER_BY',
  engines: MYSQL,
  verbs: ['UPDATE', 'DELETE'],
  summary: 'No ORDER BY in UPDATE/DELETE',
  check(s, ctx) {
    if (s.verb !== 'UPDATE' && s.verb !== 'DELETE') return;
    const k = dmlClause(s, 'ORDER');
    if (k >= 0)
      ctx.report(s, `ORDER BY in ${s.verb} sorts rows for nothing but extra cost; remove it.`, s.tokens[k]!.pos);
  },
};

/** True when `ch` occurs more than `n` times in `text`. */
function moreThan(text: string, ch: string, n: number): boolean {
  let seen = 0;
  for (let k = text.indexOf(ch); k >= 0; k = text.indexOf(ch, k + 1)) if (++seen > n) return true;
  return false;
}

/** Number of row tuples after VALUES at the statement's top level. */
function valuesRows(s: Statement): number {
  const t = s.tokens;
  const d = topDepth(s);
  const v = findWord(t, 'VALUES', d, s.kind.at);
  if (v < 0) {
    const value = findWord(t, 'VALUE', d, s.kind.at);
    if (value < 0) return 0;
    return valuesFrom(s, value);
  }
  return valuesFrom(s, v);
}
function valuesFrom(s: Statement, v: number): number {
  const t = s.tokens;
  let rows = 0;
  let k = v + 1;
  while (t[k]?.v === '(' || (t[k]?.v === 'ROW' && t[k + 1]?.v === '(')) {
    if (t[k]!.v === 'ROW') k++;
    rows++;
    k = closeParen(t, k) + 1;
    if (t[k]?.v !== ',') break;
    k++;
  }
  return rows;
}

export const insertRowLimit: Rule = {
  id: 'statement.insert.row-limit',
  type: 'STATEMENT_INSERT_ROW_LIMIT',
  engines: BOTH,
  verbs: ['INSERT', 'REPLACE'],
  summary: 'Max rows inserted (number payload)',
  check(s, ctx) {
    if (s.verb !== 'INSERT' && s.verb !== 'REPLACE') return;
    const max = num(ctx.payload, 'number', 1000);
    // Each row is written in parentheses: a text with no more of them than the limit is within it.
    if (max > 0 && !moreThan(s.sql, '(', max)) return;
    const rows = valuesRows(s);
    if (max > 0 && rows > max)
      ctx.report(
        s,
        `INSERT writes ${rows} rows, more than the limit of ${max}; split it into batches of at most ${max} rows.`,
      );
  },
};

const INSERT_MODIFIERS = new Set(['LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE', 'INTO']);
const INSERT_BODY = new Set(['VALUES', 'VALUE', 'SELECT', 'SET', 'DEFAULT', 'TABLE', 'WITH']);

export const insertMustSpecifyColumn: Rule = {
  id: 'statement.insert.must-specify-column',
  type: 'STATEMENT_INSERT_MUST_SPECIFY_COLUMN',
  engines: BOTH,
  verbs: ['INSERT', 'REPLACE'],
  summary: 'INSERT must list columns',
  check(s, ctx) {
    if (s.ast) {
      // PostgreSQL's tree holds the column list (empty for VALUES, SELECT, DEFAULT VALUES without one).
      const insert = as<{ cols?: unknown[] }>(s.ast, 'InsertStmt');
      if (insert && !insert.cols?.length) ctx.report(s, MUST_SPECIFY_COLUMN);
      return;
    }
    if (s.verb !== 'INSERT' && s.verb !== 'REPLACE') return;
    const t = s.tokens;
    let k = s.kind.at + 1;
    while (t[k]?.type === 'word' && INSERT_MODIFIERS.has(t[k]!.v)) k++;
    while (t[k] && (t[k]!.type === 'word' || t[k]!.type === 'ident' || t[k]!.v === '.')) {
      if (t[k]!.type === 'word' && INSERT_BODY.has(t[k]!.v)) break;
      k++;
    }
    if (t[k]?.v === 'SET') return;
    if (t[k]?.v === '(' && t[k + 1]?.v !== 'SELECT' && t[k + 1]?.v !== 'WITH') return;
    ctx.report(s, MUST_SPECIFY_COLUMN);
  },
};

const MUST_SPECIFY_COLUMN =
  "INSERT without a column list depends on the table's column order and breaks when columns change; list the target columns: INSERT INTO t (a, b) VALUES …";

export const insertDisallowOrderByRand: Rule = {
  id: 'statement.insert.disallow-order-by-rand',
  type: 'STATEMENT_INSERT_DISALLOW_ORDER_BY_RAND',
  engines: BOTH,
  verbs: ['INSERT', 'REPLACE'],
  summary: 'No ORDER BY RAND() in INSERT…SELECT',
  check(s, ctx) {
    if ((s.verb !== 'INSERT' && s.verb !== 'REPLACE') || !s.has('ORDER')) return;
    const t = s.tokens;
    for (let k = 0; k < t.length - 3; k++) {
      if (
        t[k]!.v === 'ORDER' &&
        t[k + 1]!.v === 'BY' &&
        (t[k + 2]!.v === 'RAND' || t[k + 2]!.v === 'RANDOM') &&
        t[k + 3]!.v === '('
      ) {
        ctx.report(
          s,
          'ORDER BY RAND() in INSERT … SELECT sorts the whole source and inserts a different set each run; pick rows deterministically.',
          t[k]!.pos,
        );
        return;
      }
    }
  },
};

export const whereNoEqualNull: Rule = {
  id: 'statement.where.no-equal-null',
  type: 'STATEMENT_WHERE_NO_EQUAL_NULL',
  engines: MYSQL,
  verbs: ['SELECT', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE'],
  summary: 'No "= NULL" comparisons',
  check(s, ctx) {
    if (!s.has('NULL')) return;
    const t = s.tokens;
    for (const [a, b] of whereRanges(s)) {
      for (let k = a; k < b - 1; k++) {
        const x = t[k]!;
        if (x.type === 'op' && ['=', '!=', '<>'].includes(x.v) && t[k + 1]!.v === 'NULL' && t[k + 1]!.type === 'word') {
          ctx.report(s, `"${x.v} NULL" is never true; use IS ${x.v === '=' ? '' : 'NOT '}NULL.`, x.pos);
          return;
        }
      }
    }
  },
};

const NOT_FUNCTIONS = new Set([
  'IN',
  'EXISTS',
  'ANY',
  'ALL',
  'SOME',
  'NOT',
  'AND',
  'OR',
  'SELECT',
  'VALUES',
  'ROW',
  'ARRAY',
  'BETWEEN',
  'LIKE',
  'IS',
  'WHERE',
  'ON',
  'USING',
  'AS',
  'THEN',
  'ELSE',
  'WHEN',
]);
const ARITH = new Set(['+', '-', '*', '/', '%', '^', '||']);

// Words that are not column references inside a WHERE expression.
const NOT_COLUMNS = new Set([
  ...NOT_FUNCTIONS,
  'NULL',
  'TRUE',
  'FALSE',
  'IS',
  'LIKE',
  'BETWEEN',
  'INTERVAL',
  'MICROSECOND',
  'SECOND',
  'MINUTE',
  'HOUR',
  'DAY',
  'WEEK',
  'MONTH',
  'QUARTER',
  'YEAR',
  'CURRENT_DATE',
  'CURRENT_TIME',
  'CURRENT_TIMESTAMP',
  'LOCALTIME',
  'LOCALTIMESTAMP',
  'DATE',
  'TIME',
  'TIMESTAMP',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'AS',
  'DIV',
  'MOD',
  'COLLATE',
  'BINARY',
  'ESCAPE',
  'REGEXP',
  'RLIKE',
]);

/** True when a token stands for a column reference (a name that is not called, not a keyword). */
function isColumnRef(t: readonly Token[], k: number): boolean {
  const x = t[k];
  if (!x) return false;
  if (x.type === 'ident') return t[k + 1]?.v !== '(' || t[k + 1]?.type !== 'punct';
  if (x.type !== 'word' || NOT_COLUMNS.has(x.v)) return false;
  return !(t[k + 1]?.v === '(' && t[k + 1]?.type === 'punct');
}

/** True when tokens [from, to) reference a column. */
function refsColumn(t: readonly Token[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (isColumnRef(t, k)) return true;
  return false;
}

/** The token range of the operand ending just before `k` (a name, a literal, or a parenthesised group). */
function operandBefore(t: readonly Token[], k: number): [number, number] {
  const p = t[k - 1];
  if (p?.type === 'punct' && p.v === ')') {
    let j = k - 2;
    while (j >= 0 && !(t[j]!.type === 'punct' && t[j]!.v === '(' && t[j]!.depth === p.depth)) j--;
    if (j > 0 && t[j - 1]!.type === 'word') j--; // a function call's name
    return [Math.max(j, 0), k];
  }
  let j = k - 1;
  while (j > 1 && t[j - 1]?.v === '.' && t[j - 1]?.type === 'punct') j -= 2;
  return [Math.max(j, 0), k];
}

/** The token range of the operand starting at `k`. */
function operandAfter(t: readonly Token[], k: number, end: number): [number, number] {
  const x = t[k];
  if (!x) return [k, k];
  if (x.type === 'punct' && x.v === '(') return [k, Math.min(closeParen(t, k) + 1, end)];
  if (x.type === 'word' && t[k + 1]?.v === '(' && t[k + 1]?.type === 'punct')
    return [k, Math.min(closeParen(t, k + 1) + 1, end)];
  let j = k + 1;
  while (t[j]?.v === '.' && t[j]?.type === 'punct' && j + 1 < end) j += 2;
  return [k, j];
}

/**
 * False when the text from its first WHERE (with `conditions`: WHERE, ON or WHEN) on holds,
 * outside quotes, neither an arithmetic operator nor a word other than NOT_FUNCTIONS followed by
 * `(`: the rule below finds nothing there, and the statement need not be tokenized. A comment,
 * backslash, `$` or `#` leaves it to the tokens.
 */
function mayCompute(sql: string, conditions: boolean): boolean {
  const from = sql.search(conditions ? /where|on|when/i : /where/i);
  if (from < 0) return false;
  for (let i = from; i < sql.length; i++) {
    const c = sql.charCodeAt(i);
    if (c === 39 || c === 34 || c === 96) {
      // '…', "…" and `…`: a doubled quote ends one and starts the next.
      const end = sql.indexOf(sql[i]!, i + 1);
      if (end < 0) return true;
      i = end;
    } else if (COMPUTES.includes(c)) return true;
    else if (c === 40) {
      let end = i;
      while (end > 0 && isSpace(sql.charCodeAt(end - 1))) end--;
      let start = end;
      while (start > 0 && isIdentPart(sql.charCodeAt(start - 1))) start--;
      if (start < end && !NOT_FUNCTIONS.has(sql.slice(start, end).toUpperCase())) return true;
    }
  }
  return false;
}
/** `\`, `$`, `#` and the characters of ARITH (and so of comments). */
const COMPUTES = [92, 36, 35, 43, 45, 42, 47, 37, 94, 124];

/** Words that end a join condition at its depth. */
const CONDITION_END = new Set([
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'CROSS',
  'NATURAL',
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'WINDOW',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'RETURNING',
  'ON',
  'WHEN',
  'FOR',
]);

/** The end of a condition starting at `from` at `depth`: a word of `ends`, `,` or `;` at that depth, or a `)` closing it. */
function conditionEnd(t: readonly Token[], from: number, depth: number, ends: ReadonlySet<string>): number {
  let e = from;
  for (; e < t.length; e++) {
    const x = t[e]!;
    if (x.depth < depth) break;
    if (
      x.depth === depth &&
      ((x.type === 'word' && ends.has(x.v)) || (x.type === 'punct' && (x.v === ',' || x.v === ';')))
    )
      break;
  }
  return e;
}
const THEN = new Set(['THEN']);
/** What follows an ON that is no join's, also after a CROSS or NATURAL JOIN (which have none). */
const NOT_JOIN_ON = new Set(['CONFLICT', 'COMMIT']);

/**
 * The token ranges of join conditions (`JOIN … ON cond`, MERGE's `USING … ON cond`) and of
 * MERGE's `WHEN [NOT] MATCHED … AND cond THEN`. An ON is a join's when a JOIN (or MERGE's USING)
 * came before it at its depth with no ON between: not ON CONFLICT, ON COMMIT, DISTINCT ON.
 */
function conditionRanges(t: readonly Token[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  /** Depths at which a JOIN or USING waits for its ON. */
  const joining = new Set<number>();
  for (let k = 0; k < t.length; k++) {
    const x = t[k]!;
    if (x.type !== 'word') continue;
    if (x.v === 'JOIN' || x.v === 'USING') joining.add(x.depth);
    else if (x.v === 'ON' && joining.delete(x.depth) && !NOT_JOIN_ON.has(t[k + 1]?.v ?? ''))
      out.push([k + 1, conditionEnd(t, k + 1, x.depth, CONDITION_END)]);
    else if (x.v === 'WHEN') {
      let j = k + 1;
      while (
        t[j]?.type === 'word' &&
        (t[j]!.v === 'NOT' || t[j]!.v === 'MATCHED' || t[j]!.v === 'BY' || t[j]!.v === 'SOURCE' || t[j]!.v === 'TARGET')
      )
        j++;
      if (j > k + 1 && t[j]?.v === 'AND') out.push([j + 1, conditionEnd(t, j + 1, x.depth, THEN)]);
    }
  }
  return out;
}

/**
 * Bytebase's semantics: a function call or an arithmetic operation in WHERE is flagged when it is
 * applied to a column (the column can no longer use its index); computing a constant on the value
 * side (`created_at > NOW() - INTERVAL 1 DAY`, `id = 1 + 2`) is fine. Each offending call or
 * operation is one finding.
 */
export const whereDisallowFunctionsAndCalculations: Rule = {
  id: 'statement.where.disallow-functions-and-calculations',
  type: 'STATEMENT_WHERE_DISALLOW_FUNCTIONS_AND_CALCULATIONS',
  engines: BOTH,
  verbs: ['SELECT', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'MERGE', 'CREATE'],
  summary: 'No functions/arithmetic on WHERE columns',
  check(s, ctx) {
    // PostgreSQL, as Bytebase checks it there: also the queries of CREATE VIEW / TABLE AS and
    // MERGE, and join and MERGE conditions, which filter rows as a WHERE does.
    const pg = s.engine === 'postgres';
    if (s.verb === 'CREATE' && !(pg && (s.node === 'ViewStmt' || s.node === 'CreateTableAsStmt'))) return;
    if (s.verb === 'MERGE' && !pg) return;
    if (!mayCompute(s.sql, pg)) return;
    const t = s.tokens;
    const ranges: Array<[number, number, string]> = whereRanges(s).map(([a, b]) => [a, b, 'in WHERE']);
    if (pg) for (const [a, b] of conditionRanges(t)) ranges.push([a, b, 'in a join or MERGE condition']);
    for (const [a, b, where] of ranges) {
      for (let k = a; k < b; k++) {
        const x = t[k]!;
        // A subquery's WHERE is a range of its own; its select list and FROM are not this WHERE's.
        if (x.type === 'punct' && x.v === '(' && (t[k + 1]?.v === 'SELECT' || t[k + 1]?.v === 'WITH')) {
          k = closeParen(t, k);
          continue;
        }
        if (x.type === 'word' && t[k + 1]?.v === '(' && t[k + 1]!.type === 'punct' && !NOT_FUNCTIONS.has(x.v)) {
          const close = Math.min(closeParen(t, k + 1), b);
          if (refsColumn(t, k + 2, close))
            ctx.report(
              s,
              `Calling function ${x.v.toLowerCase()}() on a column ${where} stops the optimizer from using an index on it; compare the bare column with a precomputed value.`,
              x.pos,
            );
          // One finding for the outermost call: what it wraps is part of it.
          k = close;
          continue;
        }
        const prev = t[k - 1];
        // Unary minus on a column (`-id > -5`) is a calculation too.
        const operandStart =
          k === a ||
          !prev ||
          prev.type === 'op' ||
          (prev.type === 'punct' && prev.v !== ')') ||
          (prev.type === 'word' && NOT_FUNCTIONS.has(prev.v));
        if (x.type === 'op' && x.v === '-' && operandStart && isColumnRef(t, k + 1)) {
          ctx.report(
            s,
            `Calculating with "-" on a column ${where} stops the optimizer from using an index on it; move the calculation to the value side of the comparison or into the application.`,
            x.pos,
          );
          continue;
        }
        if (x.type === 'op' && ARITH.has(x.v) && !operandStart) {
          const [l0, l1] = operandBefore(t, k);
          const [r0, r1] = operandAfter(t, k + 1, b);
          if (refsColumn(t, Math.max(l0, a), l1) || refsColumn(t, r0, r1))
            ctx.report(
              s,
              `Calculating with "${x.v}" on a column ${where} stops the optimizer from using an index on it; move the calculation to the value side of the comparison or into the application.`,
              x.pos,
            );
        }
      }
    }
  },
};

export const whereMaximumLogicalOperatorCount: Rule = {
  id: 'statement.where.maximum-logical-operator-count',
  type: 'STATEMENT_WHERE_MAXIMUM_LOGICAL_OPERATOR_COUNT',
  engines: MYSQL,
  verbs: ['SELECT', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE'],
  summary: 'Cap IN/OR list size',
  check(s, ctx) {
    const max = num(ctx.payload, 'number', 1000);
    const t = s.tokens;
    for (const [a, b] of whereRanges(s)) {
      let ors = 0;
      for (let k = a; k < b; k++) {
        const x = t[k]!;
        if (x.type === 'word' && x.v === 'OR') ors++;
        if (x.type === 'word' && x.v === 'IN' && t[k + 1]?.v === '(' && t[k + 2]?.v !== 'SELECT') {
          const e = closeParen(t, k + 1);
          let items = 1;
          for (let j = k + 2; j < e; j++) if (t[j]!.v === ',' && t[j]!.depth === t[k + 1]!.depth + 1) items++;
          if (items > max) {
            ctx.report(
              s,
              `IN list has ${items} values, more than the limit of ${max}; use a temporary table and a join, or batch the statement.`,
              x.pos,
            );
            return;
          }
        }
      }
      if (ors > max) {
        ctx.report(
          s,
          `WHERE has ${ors} OR operators, more than the limit of ${max}; use IN or a join with a temporary table.`,
        );
        return;
      }
    }
  },
};

export const disallowTruncate: Rule = {
  id: 'statement.disallow-truncate',
  type: 'STATEMENT_DISALLOW_TRUNCATE',
  engines: BOTH,
  verbs: ['TRUNCATE', 'ALTER'],
  summary: 'No TRUNCATE (also ALTER TABLE … TRUNCATE PARTITION)',
  check(s, ctx) {
    if (s.verb === 'TRUNCATE') {
      // One finding per table truncated, as Bytebase reports them; PostgreSQL's TRUNCATE a, b at each table.
      for (const { table, pos } of truncatedTables(s))
        ctx.report(
          s,
          `TRUNCATE${table ? ` ${table}` : ''} removes every row at once and cannot be undone from a backup of the change; use DELETE … WHERE, or drop the rule for this change deliberately.`,
          s.engine === 'postgres' && pos > 0 ? pos : undefined,
        );
    } else if (s.has('PARTITION') && s.has('TRUNCATE') && s.kind.label === 'ALTER TABLE')
      for (const p of truncatedPartitions(s))
        ctx.report(
          s,
          `ALTER TABLE … TRUNCATE PARTITION ${p} removes every row of the partition at once and cannot be undone from a backup of the change; use DELETE … WHERE, or drop the rule for this change deliberately.`,
        );
  },
};

/** The tables a TRUNCATE statement names (at least one entry, so a statement read badly is still flagged once). */
function truncatedTables(s: Statement): Array<{ table: string; pos: number }> {
  const t = s.tokens;
  let k = s.kind.at + 1;
  if (t[k]?.v === 'TABLE') k++;
  if (t[k]?.v === 'ONLY') k++;
  const out: Array<{ table: string; pos: number }> = [];
  for (;;) {
    const n = readName(t, k);
    if (!n) break;
    out.push({ table: n.parts.join('.'), pos: t[k]!.pos });
    k = n.next;
    if (t[k]?.v === '*') k++;
    if (t[k]?.v !== ',') break;
    k++;
    if (t[k]?.v === 'ONLY') k++;
  }
  return out.length > 0 ? out : [{ table: '', pos: 0 }];
}

/** The partitions of ALTER TABLE … TRUNCATE PARTITION p1, p2 (ALL counts as one). */
function truncatedPartitions(s: Statement): string[] {
  const t = s.tokens;
  const out: string[] = [];
  for (let k = s.kind.at + 1; k < t.length; k++) {
    if (t[k]!.v !== 'TRUNCATE' || t[k + 1]?.v !== 'PARTITION' || t[k]!.depth !== t[s.kind.at]!.depth) continue;
    for (let j = k + 2; j < t.length; j += 2) {
      const name = t[j]!;
      if (name.type !== 'word' && name.type !== 'ident') break;
      out.push(name.v === 'ALL' && name.type === 'word' ? 'ALL' : name.name);
      if (t[j + 1]?.v !== ',') break;
    }
  }
  return out;
}
