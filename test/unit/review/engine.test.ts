// reviewScript as a whole: built-in findings, positions, ordering, and robustness against any input.
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { reviewScript, DEFAULT_POLICY, DEFAULT_PRODUCTION_POLICY, allRulesPolicy } from '../../../src/review/index.js';
import type { Engine } from '../../../src/domain/engine.js';
import type { Finding } from '../../../src/review/types.js';
import { readStatements, sortFindings } from '../../../src/review/engine.js';
import { TokenStream, tokenize } from '../../../src/review/tokens.js';

const none = { rules: [] };

describe('reviewScript built-in findings', () => {
  const syntaxErrors: Array<[Engine, string]> = [
    ['postgres', 'SELEC 1'],
    ['mysql', 'SELEC * FROM t'],
    ['postgres', 'CREATE TABEL t (a int)'],
    ['mysql', 'UPDATE t SET a = 1 WHER id = 2'],
    ['postgres', 'INSERT INTO t (a VALUES (1)'],
    ['mysql', "SELECT 'abc"],
    ['postgres', 'SELECT a, FROM t'],
    ['mysql', 'UPDATE t SET a = 1 WHERE'],
    ['mysql', 'DELETE t WHERE id = 1'],
    ['postgres', 'SELECT a FROM t WHERE a = = 1'],
    ['mysql', 'hello world'],
  ];
  for (const [engine, sql] of syntaxErrors) {
    it(`reports "${sql}" on ${engine} as a syntax-error ERROR at the statement's line`, () => {
      const r = reviewScript({ engine, sql: `SELECT 1;\n\n${sql};`, policy: none });
      assert.equal(r.findings.length, 1);
      assert.deepEqual(
        { rule: r.findings[0]!.rule, level: r.findings[0]!.level, line: r.findings[0]!.line },
        { rule: 'syntax-error', level: 'ERROR', line: 3 },
      );
    });
  }

  const unsupported: Array<[Engine, string, string]> = [
    ['mysql', 'ALTER EVENT e DISABLE', 'ALTER EVENT'],
    ['mysql', "ALTER TABLE t ENGINE=InnoDB COMMENT 'x'", 'ALTER TABLE'],
    ['mysql', 'OPTIMIZE TABLE t', 'OPTIMIZE'],
    ['mysql', 'CREATE TABLE t (id int, g POINT NOT NULL SRID 4326)', 'CREATE TABLE'],
  ];
  for (const [engine, sql, kind] of unsupported) {
    it(`reports valid but unparsable "${sql}" on ${engine} as not reviewed, naming ${kind}`, () => {
      const r = reviewScript({ engine, sql, policy: none });
      assert.equal(r.findings.length, 1);
      const f = r.findings[0]!;
      assert.equal(f.rule, 'statement.not-reviewed');
      assert.equal(f.level, 'WARNING');
      assert.match(f.message, new RegExp(`This ${kind} statement`));
    });
  }

  const pgAccepted = [
    'VACUUM t',
    'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID',
    'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID',
    'ALTER TABLE t VALIDATE CONSTRAINT fk',
    'CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)',
    "CREATE TABLE t (id int PRIMARY KEY, c char(2) DEFAULT 'x'::bpchar)",
    "ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok'",
    'ALTER TABLE t RENAME COLUMN a TO b',
    'REINDEX INDEX CONCURRENTLY t_a_idx',
    'DO $$ BEGIN PERFORM 1; END $$',
    'REFRESH MATERIALIZED VIEW CONCURRENTLY mv',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
    'MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a = u.a',
  ];
  for (const sql of pgAccepted) {
    it(`reviews "${sql}" on postgres with PostgreSQL's own parser (never "not reviewed")`, () => {
      assert.deepEqual(reviewScript({ engine: 'postgres', sql, policy: none }).findings, []);
    });
  }

  it('reports a PostgreSQL syntax error at its line and still reviews the statements around it', () => {
    const r = reviewScript({
      engine: 'postgres',
      sql: 'UPDATE t SET a = 1;\nSELECT 1 FROM;\n\\connect other\nDELETE FROM t;',
      policy: { rules: [{ rule: 'statement.where.require.update-delete', level: 'ERROR', payload: {} }] },
    });
    assert.deepEqual(
      r.findings.map((f) => [f.rule, f.line]),
      [
        ['statement.where.require.update-delete', 1],
        ['syntax-error', 2],
        ['statement.where.require.update-delete', 4],
      ],
    );
  });

  it('still applies token-based rules to statements the parser cannot read', () => {
    const r = reviewScript({
      engine: 'mysql',
      sql: 'CREATE TABLE t (id int PRIMARY KEY) STATS_PERSISTENT = 1 PARTITION BY HASH (id)',
      policy: { rules: [{ rule: 'table.disallow-partition', level: 'ERROR', payload: {} }] },
    });
    assert.deepEqual(r.findings.map((f) => f.rule).sort(), ['statement.not-reviewed', 'table.disallow-partition']);
  });

  it('does not warn about session statements the parser does not know', () => {
    assert.deepEqual(
      reviewScript({ engine: 'postgres', sql: 'SET ROLE admin; SHOW search_path', policy: none }).findings,
      [],
    );
  });

  it('reports a script over the size limit with one ERROR and no statement review', () => {
    const sql = 'SELECT a FROM t WHERE id = 1;\n'.repeat(40_000); // about 1.2 MB
    const policy = {
      rules: [{ rule: 'builtin.statement.maximum-sql-size', level: 'ERROR' as const, payload: { number: 1 } }],
    };
    const t0 = performance.now();
    const r = reviewScript({ engine: 'mysql', sql, policy });
    assert.ok(performance.now() - t0 < 1000);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.rule, 'builtin.statement.maximum-sql-size');
    assert.equal(r.findings[0]!.level, 'ERROR');
    assert.match(r.findings[0]!.message, /more than the 1 MB limit/);
  });

  it('does not hand a statement above 512 KB to the parser, and says so', () => {
    const sql = `INSERT INTO t (a, b) VALUES ${Array.from({ length: 40_000 }, (_, i) => `(${i}, 'v${i}')`).join(', ')}`;
    const t0 = performance.now();
    const r = reviewScript({
      engine: 'mysql',
      sql,
      policy: { rules: [{ rule: 'statement.insert.row-limit', level: 'WARNING', payload: { number: 1000 } }] },
    });
    assert.ok(performance.now() - t0 < 5000);
    assert.deepEqual(
      r.findings.map((f) => f.rule),
      ['statement.not-reviewed', 'statement.insert.row-limit'],
    );
    assert.match(r.findings[0]!.message, /above the parser's 512 KB limit/);
  });

  it('applies a 10 MB size limit when the policy does not set one', () => {
    const sql = `SELECT '${'x'.repeat(11 * 1024 * 1024)}'`;
    const r = reviewScript({ engine: 'postgres', sql, policy: none });
    assert.deepEqual(
      r.findings.map((f) => f.rule),
      ['builtin.statement.maximum-sql-size'],
    );
  });

  for (const [label, garbage] of [
    ['NUL bytes', 'SELECT 1;\nSEL\u0000\u0001\u0002'],
    ['invalid UTF-8', Buffer.from([0x53, 0x0a, 0xff, 0xfe, 0x00, 0x9c]).toString('utf8')],
  ] as const) {
    it(`reports binary garbage (${label}) with one clear ERROR`, () => {
      const r = reviewScript({ engine: 'mysql', sql: garbage });
      assert.equal(r.findings.length, 1);
      assert.equal(r.findings[0]!.level, 'ERROR');
      assert.equal(r.findings[0]!.line, 2);
      assert.match(r.findings[0]!.message, /binary data/);
    });
  }
});

describe('reviewScript positions and order', () => {
  it('maps findings to 1-based line and column across a multi-statement script', () => {
    const sql =
      "-- change 42\nSELECT id FROM t WHERE id = 1;\n\n  UPDATE t\n     SET a = 1;\nSELECT id FROM t WHERE name LIKE '%x';";
    const policy = {
      rules: [
        { rule: 'statement.where.require.update-delete', level: 'ERROR' as const, payload: {} },
        { rule: 'statement.where.no-leading-wildcard-like', level: 'WARNING' as const, payload: {} },
      ],
    };
    const r = reviewScript({ engine: 'postgres', sql, policy });
    assert.equal(r.statements, 3);
    assert.deepEqual(
      r.findings.map((f) => [f.rule, f.line, f.column]),
      [
        // Statement-level advice at the line where the statement ends (column 1), as Bytebase reports it.
        ['statement.where.require.update-delete', 5, 1],
        ['statement.where.no-leading-wildcard-like', 6, 29],
      ],
    );
    assert.equal(r.findings[0]!.statement, 'UPDATE t\n     SET a = 1');
  });

  it('points a token-level finding at its line inside a multi-line statement', () => {
    const sql = "SELECT id\nFROM t\nWHERE a = 1\n  AND name LIKE '%x'";
    const r = reviewScript({
      engine: 'mysql',
      sql,
      policy: { rules: [{ rule: 'statement.where.no-leading-wildcard-like', level: 'ERROR', payload: {} }] },
    });
    assert.deepEqual(
      r.findings.map((f) => [f.line, f.column]),
      [[4, 12]],
    );
  });

  it('sorts findings by line, then column, whatever rule produced them', () => {
    const sql = 'UPDATE t SET a = 1;\nSELECT * FROM t;\nDELETE FROM t;\nSELEC 1;';
    const r = reviewScript({ engine: 'mysql', sql, policy: allRulesPolicy() });
    const keys = r.findings.map((f) => f.line * 100_000 + f.column);
    assert.deepEqual(
      keys,
      [...keys].sort((a, b) => a - b),
    );
    assert.ok(r.findings.some((f) => f.line === 4 && f.rule === 'syntax-error'));
  });

  it('uses the production default policy when none is given, with UPDATE without WHERE as an ERROR', () => {
    assert.ok(DEFAULT_PRODUCTION_POLICY.rules.length > 10);
    const r = reviewScript({ engine: 'postgres', sql: 'UPDATE t SET a = 1' });
    assert.deepEqual(
      r.findings.map((f) => [f.rule, f.level]),
      [['statement.where.require.update-delete', 'ERROR']],
    );
  });

  const destructive: Array<[Engine, string, string]> = [
    ['postgres', 'DROP TABLE t', 'ban-drop-table'],
    ['mysql', 'DROP TABLE t', 'ban-drop-table'],
    ['postgres', 'ALTER TABLE t DROP COLUMN a', 'ban-drop-column'],
    ['mysql', 'ALTER TABLE t DROP COLUMN a', 'ban-drop-column'],
    ['postgres', 'TRUNCATE t', 'statement.disallow-truncate'],
    ['mysql', 'DELETE FROM t', 'statement.where.require.update-delete'],
  ];
  for (const [engine, sql, rule] of destructive) {
    it(`rates "${sql}" on ${engine} an ERROR by default in production and a WARNING before it`, () => {
      const level = (policy: typeof DEFAULT_POLICY) =>
        reviewScript({ engine, sql, policy }).findings.find((f) => f.rule === rule)?.level;
      assert.equal(level(DEFAULT_PRODUCTION_POLICY), 'ERROR');
      assert.equal(level(DEFAULT_POLICY), 'WARNING');
    });
  }

  const locking: Array<[Engine, string, string]> = [
    ['postgres', 'ALTER TABLE customers ADD COLUMN region text NOT NULL', 'adding-required-field'],
    ['mysql', 'ALTER TABLE customers ADD COLUMN region text NOT NULL', 'adding-required-field'],
    ['postgres', 'CREATE INDEX i ON t (a)', 'require-concurrent-index-creation'],
    ['postgres', 'ALTER TABLE t ALTER COLUMN a TYPE bigint', 'changing-column-type'],
  ];
  for (const [engine, sql, rule] of locking) {
    it(`rates "${sql}" on ${engine} a WARNING by default in every environment`, () => {
      for (const policy of [DEFAULT_POLICY, DEFAULT_PRODUCTION_POLICY])
        assert.equal(reviewScript({ engine, sql, policy }).findings.find((f) => f.rule === rule)?.level, 'WARNING');
    });
  }
});

describe('reviewScript names', () => {
  it('names a table PostgreSQL cuts to 63 bytes as it is written', () => {
    // 62 ASCII bytes and a 2-byte character: PostgreSQL's tree keeps 62 bytes, one short of 63.
    for (const name of [`${'a'.repeat(62)}ää`, `${'b'.repeat(70)}`]) {
      const { findings } = reviewScript({
        engine: 'postgres',
        sql: `CREATE TABLE ${name} (id int)`,
        policy: {
          rules: ['naming.fully-qualified', 'table.require-pk'].map((rule) => ({
            rule,
            level: 'WARNING' as const,
            payload: {},
          })),
        },
      });
      assert.equal(findings.length, 2);
      for (const f of findings) assert.ok(f.message.includes(name), f.message);
    }
  });
});

describe('reviewScript messages', () => {
  it('says which name a key naming template asks for, also for a key made from an existing index', () => {
    const message = (sql: string) =>
      reviewScript({
        engine: 'postgres',
        sql,
        policy: { rules: [{ rule: 'naming.index.pk', level: 'WARNING', payload: {} }] },
      }).findings.map((f) => f.message);
    assert.deepEqual(message('CREATE TABLE t (id int, CONSTRAINT t_primary PRIMARY KEY (id))'), [
      'Primary key "t_primary" does not match ^pk_{{table}}_{{column_list}}$ (expected like pk_t_id); rename it.',
    ]);
    assert.deepEqual(message('ALTER TABLE t ADD CONSTRAINT pk_t PRIMARY KEY USING INDEX i'), [
      'Primary key "pk_t" does not match ^pk_{{table}}_{{column_list}}$ (expected like pk_t_…); rename it.',
    ]);
  });
});

describe('reviewScript messages: where a calculation is', () => {
  it('names the WHERE or the join condition it is in', () => {
    const { findings } = reviewScript({
      engine: 'postgres',
      sql: 'SELECT c.id FROM c JOIN o ON o.cid + 0 = c.id WHERE lower(c.name) = $$x$$',
      policy: {
        rules: [{ rule: 'statement.where.disallow-functions-and-calculations', level: 'WARNING', payload: {} }],
      },
    });
    assert.deepEqual(
      findings.map((f) => [f.column, / on a column (in WHERE|in a join or MERGE condition) /.exec(f.message)?.[1]]),
      [
        [36, 'in a join or MERGE condition'],
        [53, 'in WHERE'],
      ],
    );
  });
});

describe('reviewScript robustness', () => {
  // A deterministic pseudo-random generator, so a failure can be replayed.
  function rng(seed: number): () => number {
    let x = seed;
    return () => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      return x / 0x7fffffff;
    };
  }
  const pieces = [
    'SELECT',
    'FROM',
    'WHERE',
    '(',
    ')',
    "'",
    '"',
    '`',
    '$$',
    '$a$',
    '--',
    '/*',
    '*/',
    ';',
    'DELIMITER //',
    '//',
    'BEGIN',
    'END',
    'CREATE',
    'TABLE',
    'ALTER',
    'ADD',
    'COLUMN',
    'INDEX',
    'ON',
    'x',
    '1',
    ',',
    '.',
    '=',
    '*',
    '\n',
    ' ',
    '#',
    "E'",
    '\\',
    'PRIMARY KEY',
    'CASE',
    'DROP',
    'CASCADE',
  ];

  for (const engine of ['postgres', 'mysql'] as const) {
    it(`never throws and always returns sorted findings for random token soup on ${engine}`, () => {
      const next = rng(engine === 'postgres' ? 7 : 11);
      for (let round = 0; round < 150; round++) {
        const n = Math.floor(next() * 40);
        let sql = '';
        for (let k = 0; k < n; k++) sql += `${pieces[Math.floor(next() * pieces.length)]} `;
        const r = reviewScript({ engine, sql, policy: allRulesPolicy() });
        for (const f of r.findings) {
          assert.ok(f.line >= 1 && f.column >= 1, `bad position for ${JSON.stringify(sql)}`);
        }
      }
    });
  }
});

describe('reviewScript internals that only make it faster', () => {
  it('sorts many findings by line, then column, keeping their order where both are equal', () => {
    let x = 3;
    const next = (): number => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      return x / 0x7fffffff;
    };
    for (const lines of [1, 2, 40, 400]) {
      const findings: Finding[] = Array.from({ length: 2000 }, (_, i) => ({
        rule: String(i),
        level: 'WARNING',
        line: 1 + Math.floor(next() * lines),
        column: 1 + Math.floor(next() * 30),
        statement: '',
        message: '',
      }));
      const want = [...findings].sort((a, b) => a.line - b.line || a.column - b.column).map((f) => f.rule);
      assert.deepEqual(
        sortFindings(findings).map((f) => f.rule),
        want,
      );
    }
  });

  it("reads a statement's tokens on from its head as one pass would", () => {
    const sqls = [
      'WITH x AS (SELECT 1 AS a, \'b\' AS c, "d" AS e FROM t WHERE f = 2 AND g = 3) SELECT * FROM x /*+ h */ ORDER BY a',
      'CREATE TABLE public.t (id bigint PRIMARY KEY, name text NOT NULL DEFAULT $$x$$, c int CHECK (c > (1)))',
    ];
    for (const sql of sqls)
      for (const limit of [1, 5, 18, 19]) {
        const stream = new TokenStream(sql, 'postgres').read(limit);
        assert.equal(stream.tokens.length, limit);
        assert.deepEqual(stream.read().result(), tokenize(sql, 'postgres'));
      }
  });

  it('finds a keyword only outside strings, quoted names and comments, with or without tokens read first', () => {
    for (const first of [false, true]) {
      const [t] = readStatements('UPDATE t SET "select" = \'where\' -- order\nWHERE id = 1', 'postgres');
      if (first) void t!.tokens;
      assert.deepEqual(
        ['UPDATE', 'WHERE', 'SELECT', 'ORDER', 'ID', 'NONE'].map((w) => t!.has(w)),
        [true, true, false, false, true, false],
      );
    }
    const [u] = readStatements("UPDATE t SET a = 'ü' WHERE b = 1", 'postgres');
    assert.deepEqual([u!.has('WHERE'), u!.has('ORDER')], [true, false]);
  });
});
