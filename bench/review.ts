/**
 * Review a generated 10,000-statement script (mixed DDL and DML) per engine with every static
 * rule on, and compare with that engine's parser parsing the same script alone in the same run
 * (PostgreSQL: libpg-query on the whole script, as review parses it; MySQL: node-sql-parser one
 * statement at a time). For PostgreSQL it also prints the figures the parser choice rests on:
 * libpg-query one statement at a time, and node-sql-parser's PostgreSQL grammar.
 * Target: review within 1.3× the bare parse; 10,000 statements in under 3 s. PostgreSQL is reviewed
 * with the default policy, with Squawk's rules and with every rule on, and the time V8's garbage
 * collector takes during its bare parse and during its review is printed last.
 */
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import type { Engine } from '../src/domain/engine.js';
import { splitStatements } from '../src/sql/split.js';
import { astify } from '../src/review/parse.js';
import { parsePostgresBare } from '../src/review/postgres/parse.js';
import { parseSync } from 'libpg-query';
import { allRulesPolicy, DEFAULT_PRODUCTION_POLICY, reviewScript, type ReviewPolicy } from '../src/review/index.js';
import { SQUAWK_DEFAULT_RULES } from '../src/review/catalog.js';

const COUNT = 10_000;

/** A script of `count` statements cycling through common DDL and DML shapes. */
export function generateScript(engine: Engine, count = COUNT): string {
  const q = (s: string): string => (engine === 'mysql' ? `\`${s}\`` : `"${s}"`);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = `t_${i % 200}`;
    switch (i % 10) {
      case 0:
        out.push(
          engine === 'mysql'
            ? `CREATE TABLE ${t}_${i} (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, name VARCHAR(64) NOT NULL DEFAULT '' COMMENT 'name', created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id), KEY idx_${t}_name (name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='t'`
            : `CREATE TABLE public.${t}_${i} (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL DEFAULT '', created_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
        );
        break;
      case 1:
        out.push(`ALTER TABLE ${t} ADD COLUMN c_${i} INT NOT NULL DEFAULT 0`);
        break;
      case 2:
        out.push(`CREATE INDEX idx_${t}_${i} ON ${t} (name, created_at)`);
        break;
      case 3:
        out.push(`INSERT INTO ${t} (id, name) VALUES (${i}, 'n${i}'), (${i + 1}, 'm${i}')`);
        break;
      case 4:
        out.push(`UPDATE ${t} SET name = 'x${i}' WHERE id = ${i}`);
        break;
      case 5:
        out.push(`DELETE FROM ${t} WHERE id = ${i} AND name LIKE 'a%'`);
        break;
      case 6:
        out.push(`SELECT id, name FROM ${t} WHERE id IN (1, 2, 3) ORDER BY id LIMIT 10`);
        break;
      case 7:
        out.push(`SELECT ${q('name')}, count(*) FROM ${t} t JOIN ${t}_x x ON t.id = x.id WHERE x.a > 1 GROUP BY 1`);
        break;
      case 8:
        out.push(`UPDATE ${t} SET name = 'y' WHERE created_at < '2024-01-01' AND id > ${i}`);
        break;
      default:
        out.push(`DROP TABLE IF EXISTS ${t}_old_${i}`);
    }
  }
  return `${out.join(';\n')};\n`;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Run the benchmark for both engines and print the results. */
export function run(): void {
  for (const engine of ['postgres', 'mysql'] as const) {
    const sql = generateScript(engine);
    const statements = splitStatements(sql, engine);
    // Warm up both paths so JIT and parser caches do not favour the second one.
    for (const s of statements.slice(0, 300)) astify(s.sql, engine);
    reviewScript({ engine, sql: generateScript(engine, 300), policy: allRulesPolicy() });
    let failures = 0;
    const nodeSqlParser = (): number =>
      time(() => {
        failures = 0;
        for (const s of statements) {
          try {
            astify(s.sql, engine);
          } catch {
            failures++;
          }
        }
      });
    const parseOnce = engine === 'postgres' ? () => time(() => parsePostgresBare(sql)) : nodeSqlParser;
    // PostgreSQL is measured with the policy dbchange ships (which turns on Squawk's lock rules),
    // with Squawk's rules as Squawk runs them, and with every rule on; MySQL with every rule on.
    const policies: Array<[string, ReviewPolicy]> =
      engine === 'postgres'
        ? [
            ['the default policy', DEFAULT_PRODUCTION_POLICY],
            ["Squawk's rules", squawkPolicy()],
            ['every rule', allRulesPolicy()],
          ]
        : [['every rule', allRulesPolicy()]];
    const found = policies.map(() => 0);
    const reviewOnce = (k: number): number =>
      time(() => {
        found[k] = reviewScript({ engine, sql, policy: policies[k]![1] }).findings.length;
      });
    // Alternate rounds (15 of PostgreSQL's short ones, 9 of MySQL's) and keep the best of each, so
    // garbage collection, order and other processes on the machine do not favour either side.
    // The floor: the same review with no rule on (parse, statements, sorting), so the rules' own share shows.
    const noRules = { rules: [] };
    const floorOnce = (): number => time(() => reviewScript({ engine, sql, policy: noRules }));
    let parseMs = Infinity;
    const reviewMs = policies.map(() => Infinity);
    let floorMs = Infinity;
    const rounds = engine === 'postgres' ? 15 : 9;
    for (let round = 0; round < rounds; round++) {
      parseMs = Math.min(parseMs, parseOnce());
      for (let k = 0; k < policies.length; k++) reviewMs[k] = Math.min(reviewMs[k]!, reviewOnce(k));
      floorMs = Math.min(floorMs, floorOnce());
    }
    if (engine === 'postgres') {
      const oneByOne = time(() => {
        for (const s of statements) parseSync(s.sql);
      });
      const nsp = nodeSqlParser();
      console.log(
        `parse postgres: libpg-query whole script ${(parseMs / 1000).toFixed(2)} s, one statement at a time ${(oneByOne / 1000).toFixed(2)} s; ` +
          `node-sql-parser (PostgresQL grammar) ${(nsp / 1000).toFixed(2)} s with ${failures} of ${statements.length} unparsed`,
      );
      failures = 0;
    }
    console.log(
      `parse ${engine} alone: ${(parseMs / 1000).toFixed(3)} s (${failures} unparsed); review with no rule on ${(floorMs / 1000).toFixed(3)} s = ${(floorMs / parseMs).toFixed(2)}x parse`,
    );
    policies.forEach(([name, policy], k) => {
      const ms = reviewMs[k]!;
      const perSec = Math.round((statements.length / ms) * 1000);
      const ratio = ms / parseMs;
      console.log(
        `review ${engine}, ${name} (${policy.rules.length} rules): ${statements.length} statements in ${(ms / 1000).toFixed(3)} s (${perSec}/s, ${found[k]} findings); ` +
          `review/parse = ${ratio.toFixed(2)} (${ratio <= 1.3 ? 'ok' : 'over'} ≤1.3, ${ms < 3000 ? 'ok' : 'over'} <3 s); the rules take ${(((ms - floorMs) / ms) * 100).toFixed(0)}%`,
      );
    });
  }
}

/**
 * PostgreSQL: garbage collection during the bare parse and during review (median of 7 calls each),
 * from V8's own GC events. The bare parse lets its tree go before any collection; review keeps it,
 * and the collections right after the parse copy it.
 */
export async function gcReport(): Promise<void> {
  const sql = generateScript('postgres');
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
  const median = async (fn: () => unknown): Promise<number> => {
    const runs: number[] = [];
    for (let i = 0; i < 7; i++) {
      await settle();
      const before = gcMs;
      fn();
      // V8's GC events arrive after the call returns.
      await settle();
      runs.push(gcMs - before);
    }
    return runs.sort((a, b) => a - b)[3]!;
  };
  const parse = await median(() => parsePostgresBare(sql));
  const none = await median(() => reviewScript({ engine: 'postgres', sql, policy: { rules: [] } }));
  const dflt = await median(() => reviewScript({ engine: 'postgres', sql, policy: DEFAULT_PRODUCTION_POLICY }));
  observer.disconnect();
  console.log(
    `garbage collection, postgres (median of 7): bare parse ${parse.toFixed(0)} ms, review with no rule on ${none.toFixed(0)} ms, ` +
      `with the default policy ${dflt.toFixed(0)} ms (review keeps the parse tree, which the collections after the parse copy)`,
  );
}

/** Squawk's rules as squawk-cli runs them by default (its opt-in rules off). */
function squawkPolicy(): ReviewPolicy {
  return { rules: SQUAWK_DEFAULT_RULES.map((r) => ({ rule: r.id, level: 'WARNING', payload: {} })) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run();
  await gcReport();
}
