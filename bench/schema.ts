/**
 * Schema engine benchmark: a 1,000-table PostgreSQL schema and a 500-table MySQL one (with
 * indexes and foreign keys, and every other object kind the engine models: see postgresSchema;
 * MySQL tables carry default expressions and generated columns). Times introspection, dump and diff against a changed copy, each as a
 * ratio to the engine's own dump tool (pg_dump --schema-only / mysqldump --no-data) run on the
 * same database in the same run. Expected: introspection no slower than the dump tool.
 *
 * Run alone with `node --import tsx bench/schema.ts`, or through bench/run.ts (runSchemaBench).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Engine } from '../src/domain/engine.js';
import type { SchemaModel } from '../src/schema/index.js';
import { diffSchemas, dumpSdl, introspectUrl, renderDdl } from '../src/schema/index.js';
import { engineIo } from '../src/schema/engines.js';
import { runSdl } from '../src/schema/shadow.js';

const ADMIN: Record<Engine, string> = {
  postgres: process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mysql: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/',
};
const SIZE: Record<Engine, number> = { postgres: 1000, mysql: 500 };
const RUNS = 3;

/** How many of the PostgreSQL schema's extra object kinds the benchmark adds (each a few tables). */
const EXTRA = 20;

/**
 * `n` plain tables, plus the other object kinds the engine models: row security and policies,
 * storage parameters and identity options on some of them, composite types, triggers, EXTRA
 * partitioned tables with three partitions each and EXTRA inheriting tables.
 */
function postgresSchema(n: number): string {
  const out: string[] = [`CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;`];
  for (let i = 0; i < n; i++) {
    const parent = i > 0 ? `, parent_id bigint REFERENCES t_${i - 1}(id) ON DELETE CASCADE` : '';
    const id = i % 5 === 0 ? 'id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 CACHE 10)' : 'id bigserial';
    const storage = i % 7 === 0 ? ' WITH (fillfactor = 90)' : '';
    out.push(
      `CREATE TABLE t_${i} (${id} PRIMARY KEY${parent}, name varchar(100) NOT NULL, status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'done')), amount numeric(12,2), created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (name))${storage};`,
      `CREATE INDEX t_${i}_created ON t_${i} (created_at DESC) WHERE status = 'new';`,
    );
    if (i % 10 === 0)
      out.push(
        `ALTER TABLE t_${i} ENABLE ROW LEVEL SECURITY;`,
        `CREATE POLICY t_${i}_read ON t_${i} FOR SELECT USING (status = 'done');`,
      );
    if (i % 25 === 0)
      out.push(`CREATE TRIGGER t_${i}_touch BEFORE UPDATE ON t_${i} FOR EACH ROW EXECUTE FUNCTION touch();`);
  }
  for (let i = 0; i < EXTRA; i++) {
    out.push(
      `CREATE TYPE money_${i} AS (amount numeric(12,2), currency char(3));`,
      `CREATE TABLE ev_${i} (id bigint NOT NULL, at date NOT NULL, price money_${i}, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);`,
      `CREATE INDEX ev_${i}_price ON ev_${i} (id) INCLUDE (price);`,
      ...[2024, 2025].map(
        (y) => `CREATE TABLE ev_${i}_${y} PARTITION OF ev_${i} FOR VALUES FROM ('${y}-01-01') TO ('${y + 1}-01-01');`,
      ),
      `CREATE TABLE ev_${i}_rest PARTITION OF ev_${i} DEFAULT;`,
      `CREATE TABLE t_${i}_archive (archived_at timestamptz) INHERITS (t_${i});`,
    );
  }
  return out.join('\n');
}

/** Tables the schema of `engine` holds: the plain ones and, on PostgreSQL, partitions and children. */
const tableCount = (engine: Engine): number => SIZE[engine] + (engine === 'postgres' ? EXTRA * 5 : 0);

function mysqlSchema(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const parent =
      i > 0
        ? `, parent_id bigint, CONSTRAINT t_${i}_parent FOREIGN KEY (parent_id) REFERENCES t_${i - 1} (id) ON DELETE CASCADE`
        : '';
    out.push(
      `CREATE TABLE t_${i} (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(100) NOT NULL, status enum('new','done') NOT NULL DEFAULT 'new', amount decimal(12,2), created_at datetime NOT NULL DEFAULT current_timestamp(), token varchar(36) DEFAULT (uuid()), total decimal(14,2) AS (amount * 1.2) VIRTUAL, UNIQUE KEY t_${i}_name (name), KEY t_${i}_created (created_at)${parent}) ENGINE=InnoDB;`,
    );
  }
  return out.join('\n');
}

/** The model with every 20th table changed: a column added, one retyped, an index dropped. */
function changedCopy(model: SchemaModel): SchemaModel {
  const copy = JSON.parse(JSON.stringify(model)) as SchemaModel;
  copy.tables.forEach((t, i) => {
    const amount = t.columns.find((c) => c.name === 'amount');
    if (i % 20 !== 0 || !amount) return;
    const name = t.columns.find((c) => c.name === 'name');
    if (name) name.type = model.engine === 'postgres' ? 'character varying(200)' : 'varchar(200)';
    t.columns.push({ ...amount, name: 'note_count' });
    t.indexes = t.indexes.filter((x) => !/created/.test(x.name));
  });
  return copy;
}

function dumpTool(engine: Engine, database: string): () => void {
  const admin = new URL(ADMIN[engine]);
  const [cmd, args] =
    engine === 'postgres'
      ? [
          'pg_dump',
          [
            '--schema-only',
            '-h',
            admin.hostname,
            '-p',
            admin.port || '5432',
            '-U',
            decodeURIComponent(admin.username || 'postgres'),
            '-d',
            database,
          ],
        ]
      : [
          'mysqldump',
          [
            '--no-data',
            '-h',
            admin.hostname,
            '-P',
            admin.port || '3306',
            '-u',
            decodeURIComponent(admin.username || 'root'),
            database,
          ],
        ];
  return () => {
    const env = {
      ...process.env,
      ...(admin.password
        ? { PGPASSWORD: decodeURIComponent(admin.password), MYSQL_PWD: decodeURIComponent(admin.password) }
        : {}),
    };
    const r = spawnSync(cmd, args as string[], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.error?.message}`);
  };
}

async function median(fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

export interface SchemaBenchRow {
  engine: Engine;
  tables: number;
  step: string;
  ms: number;
  ratio: number;
}

async function benchEngine(engine: Engine): Promise<SchemaBenchRow[]> {
  const io = engineIo(engine);
  const name = `dbchange_bench_${randomBytes(4).toString('hex')}`;
  const url = await io.createDatabase(ADMIN[engine], name);
  try {
    const conn = await io.connect(url);
    try {
      await runSdl(engine, conn, engine === 'postgres' ? postgresSchema(SIZE[engine]) : mysqlSchema(SIZE[engine]));
    } finally {
      await conn.close();
    }
    const tool = await median(dumpTool(engine, name));
    let model: SchemaModel | undefined;
    const introspectMs = await median(async () => {
      model = await introspectUrl(url);
    });
    if (!model || model.tables.length !== tableCount(engine))
      throw new Error(`introspection found ${model?.tables.length} tables, expected ${tableCount(engine)}`);
    const m = model;
    const dumpMs = await median(() => dumpSdl(m));
    const changed = changedCopy(m);
    let ddl = '';
    const diffMs = await median(() => {
      ddl = renderDdl(diffSchemas(m, changed));
    });
    if (ddl === '') throw new Error('the changed copy produced no DDL');
    const row = (step: string, ms: number): SchemaBenchRow => ({
      engine,
      tables: SIZE[engine],
      step,
      ms,
      ratio: ms / tool,
    });
    return [
      row(engine === 'postgres' ? 'pg_dump --schema-only' : 'mysqldump --no-data', tool),
      row('introspect', introspectMs),
      row('dump (model → SDL)', dumpMs),
      row('diff vs changed copy', diffMs),
    ];
  } finally {
    await io.dropDatabase(ADMIN[engine], name);
  }
}

/** Run the schema benchmark on both engines and print a table of times and ratios. */
export async function runSchemaBench(): Promise<SchemaBenchRow[]> {
  const rows: SchemaBenchRow[] = [];
  for (const engine of ['postgres', 'mysql'] as const) rows.push(...(await benchEngine(engine)));
  console.log(`schema engine (median of ${RUNS} runs; ratio = time / the dump tool's time on the same database)`);
  for (const r of rows) {
    console.log(
      `  ${r.engine.padEnd(8)} ${String(r.tables).padStart(5)} tables  ${r.step.padEnd(24)} ${r.ms.toFixed(1).padStart(9)} ms  ${r.ratio.toFixed(2).padStart(6)}x`,
    );
  }
  const slow = rows.filter((r) => r.step === 'introspect' && r.ratio > 1);
  console.log(
    slow.length === 0
      ? '  introspection is no slower than the dump tool on either engine'
      : `  SLOWER than the dump tool: ${slow.map((r) => r.engine).join(', ')}`,
  );
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runSchemaBench();
}
