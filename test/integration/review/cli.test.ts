// `dbchange review` as a pull-request check: outputs, exit codes, policies, stdin and --url (in-process).
import { after, before, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres, type FreshDatabase } from '../../support/db.js';
import { listRules } from '../../../src/review/index.js';
import { type CliResult, runCli } from '../../support/cli.js';

function run(args: string[], cwd: string, stdin?: string): Promise<CliResult> {
  return runCli(['review', ...args], { cwd, stdin });
}

describe('dbchange review', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dbchange-review-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'migrations', 'bad.sql'), 'SELECT id FROM t WHERE id = 1;\nUPDATE t SET a = 1;\n');
    writeFileSync(join(dir, 'migrations', 'warn.sql'), 'SELECT * FROM t WHERE id = 1;\n');
    writeFileSync(join(dir, 'migrations', 'clean.sql'), 'SELECT id FROM t WHERE id = 1;\n');
    writeFileSync(join(dir, 'policy.yaml'), 'ruleList:\n  - type: STATEMENT_SELECT_NO_SELECT_ALL\n    level: ERROR\n');
    writeFileSync(join(dir, 'broken-policy.yaml'), 'ruleList:\n  - type: NOT_A_RULE\n    level: ERROR\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 and prints file:line:column for an ERROR finding in text format', async () => {
    const r = await run(['--engine', 'postgres', 'migrations/bad.sql', 'migrations/clean.sql'], dir);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^migrations\/bad\.sql:2:1: ERROR \[statement\.where\.require\.update-delete\] UPDATE without WHERE/m,
    );
    assert.match(r.stdout, /2 file\(s\) reviewed: 1 error\(s\), 0 warning\(s\)/);
  });

  it('exits 0 when there are only warnings', async () => {
    const r = await run(['--engine', 'mysql', 'migrations/warn.sql'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /WARNING \[statement\.select\.no-select-all\]/);
  });

  it('prints JSON findings naming every file as given', async () => {
    const r = await run(
      ['--engine', 'mysql', '--format', 'json', 'migrations/bad.sql', './migrations/warn.sql', 'migrations/clean.sql'],
      dir,
    );
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { findings: Array<Record<string, unknown>> };
    assert.deepEqual(
      out.findings.map((f) => [f.file, f.rule, f.level, f.line, f.column]),
      [
        ['migrations/bad.sql', 'statement.where.require.update-delete', 'ERROR', 2, 1],
        ['./migrations/warn.sql', 'statement.select.no-select-all', 'WARNING', 1, 8],
      ],
    );
    assert.deepEqual(Object.keys(out.findings[0]!).sort(), ['column', 'file', 'level', 'line', 'message', 'rule']);
  });

  it('prints GitHub Actions workflow commands in github format', async () => {
    const r = await run(['--engine', 'mysql', '--format', 'github', 'migrations/bad.sql', 'migrations/warn.sql'], dir);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines[0]!,
      /^::error file=migrations\/bad\.sql,line=2,col=1,title=statement\.where\.require\.update-delete::UPDATE without WHERE/,
    );
    assert.match(
      lines[1]!,
      /^::warning file=migrations\/warn\.sql,line=1,col=8,title=statement\.select\.no-select-all::/,
    );
  });

  it('reads standard input for -', async () => {
    const r = await run(['--engine', 'postgres', '--format', 'json', '-'], dir, 'DELETE FROM t;');
    assert.equal(r.code, 1);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file),
      ['-'],
    );
  });

  it('applies a Bytebase policy file given with --policy', async () => {
    const r = await run(
      ['--engine', 'mysql', '--policy', 'policy.yaml', 'migrations/warn.sql', 'migrations/bad.sql'],
      dir,
    );
    assert.equal(r.code, 1);
    assert.match(r.stdout, /warn\.sql:1:8: ERROR \[statement\.select\.no-select-all\]/);
    assert.doesNotMatch(r.stdout, /update-delete/);
  });

  it('lists the supported rule ids one per line, per engine', async () => {
    const r = await run(['--list-rules', '--engine', 'postgres'], dir);
    assert.equal(r.code, 0);
    assert.deepEqual(r.stdout.trim().split('\n'), listRules('postgres'));
    assert.deepEqual((await run(['--list-rules'], dir)).stdout.trim().split('\n'), listRules());
  });

  it('lists every rule as JSON with its aliases, engines and a one-line description', async () => {
    const r = await run(['--list-rules', '--format', 'json'], dir);
    assert.equal(r.code, 0);
    const rules = (JSON.parse(r.stdout) as { rules: Array<Record<string, unknown>> }).rules;
    assert.deepEqual(
      rules.map((x) => x.id),
      listRules(),
    );
    assert.deepEqual(
      rules.find((x) => x.id === 'prefer-timestamp-tz'),
      {
        id: 'prefer-timestamp-tz',
        aliases: ['SQUAWK_PREFER_TIMESTAMP_TZ', 'prefer-timestamptz'],
        engines: ['postgres'],
        live: false,
        description: 'Prefer timestamptz over timestamp',
      },
    );
    const where = rules.find((x) => x.id === 'statement.where.require.update-delete')!;
    assert.deepEqual(
      [where.aliases, where.engines],
      [['STATEMENT_WHERE_REQUIRE_UPDATE_DELETE'], ['mysql', 'postgres']],
    );
    for (const x of rules) assert.ok(typeof x.description === 'string' && x.description.length > 0, String(x.id));
  });

  it('applies --pg-version to the version-aware rules', async () => {
    writeFileSync(join(dir, 'default.sql'), 'ALTER TABLE t ADD COLUMN a bigint DEFAULT 0;\n');
    writeFileSync(join(dir, 'squawk.yaml'), 'ruleList:\n  - {type: adding-field-with-default, level: ERROR}\n');
    const args = ['--engine', 'postgres', '--policy', 'squawk.yaml', '--format', 'json', 'default.sql'];
    assert.equal((await run(args, dir)).code, 0);
    const old = await run(['--pg-version', '10', ...args], dir);
    assert.equal(old.code, 1);
    assert.deepEqual(
      (JSON.parse(old.stdout) as { findings: Array<Record<string, unknown>> }).findings.map((f) => [
        f.rule,
        f.line,
        f.column,
      ]),
      [['adding-field-with-default', 1, 43]],
    );
  });

  it('reviews each file as if wrapped in one transaction with --assume-in-transaction', async () => {
    writeFileSync(
      join(dir, 'new-table.sql'),
      'CREATE TABLE orders (id bigint PRIMARY KEY, total int NOT NULL DEFAULT 0);\nCREATE INDEX orders_total ON orders (total);\nCOMMIT;\n',
    );
    writeFileSync(
      join(dir, 'tx.yaml'),
      'ruleList:\n  - {type: require-concurrent-index-creation, level: ERROR}\n  - {type: transaction-nesting, level: WARNING}\n',
    );
    const args = ['--engine', 'postgres', '--policy', 'tx.yaml', '--format', 'json', 'new-table.sql'];
    const rules = (r: CliResult) =>
      (JSON.parse(r.stdout) as { findings: Array<Record<string, unknown>> }).findings.map((f) => [f.rule, f.line]);
    const plain = await run(args, dir);
    assert.equal(plain.code, 1);
    assert.deepEqual(rules(plain), [
      ['require-concurrent-index-creation', 2],
      ['transaction-nesting', 3],
    ]);
    const assumed = await run(['--assume-in-transaction', ...args], dir);
    assert.equal(assumed.code, 0);
    assert.deepEqual(rules(assumed), [['transaction-nesting', 3]]);
    assert.match(assumed.stdout, /Attempting to end the transaction that is managed by your migration tool/);
    assert.match((await runCli(['review', '--help'], { cwd: dir })).stdout, /--assume-in-transaction/);
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['no engine', ['migrations/bad.sql'], /--engine postgres\|mysql/],
    [
      'an unknown format',
      ['--engine', 'mysql', '--format', 'xml', 'migrations/bad.sql'],
      /Allowed choices are text, json, github/,
    ],
    ['an unknown engine', ['--engine', 'oracle', 'migrations/bad.sql'], /Allowed choices are postgres, mysql/],
    ['a missing file', ['--engine', 'mysql', 'migrations/nope.sql'], /cannot read migrations\/nope\.sql/],
    ['no files', ['--engine', 'mysql'], /give the SQL files to review/],
    [
      'an invalid policy',
      ['--engine', 'mysql', '--policy', 'broken-policy.yaml', 'migrations/clean.sql'],
      /broken-policy\.yaml: ruleList\[0\] \(type NOT_A_RULE\): unknown rule type/,
    ],
  ];
  for (const [what, args, message] of usage) {
    it(`exits 2 on a usage error: ${what}`, async () => {
      const r = await run(args, dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    });
  }

  describe('with --url', () => {
    let db: FreshDatabase;
    before(async () => {
      db = await freshPostgres('review_cli');
    });
    after(async () => {
      await db?.drop();
    });

    it('also runs the live rules and fails on a table that does not exist', async () => {
      writeFileSync(join(dir, 'live.sql'), 'ALTER TABLE nowhere ADD COLUMN a int;\n');
      const r = await run(['--url', db.url, '--format', 'json', 'live.sql'], dir);
      assert.equal(r.code, 1, r.stderr);
      const rules = (JSON.parse(r.stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule);
      assert.ok(rules.includes('builtin.walk-through-check'));
    });

    it('exits 2 when the database cannot be reached', async () => {
      const r = await run(['--url', 'postgres://postgres@127.0.0.1:1/none', 'migrations/clean.sql'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/none: .*Check the URL/);
    });
  });
});
