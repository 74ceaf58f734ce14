// The round-trip property, as a suite any test file can run over a slice of the corpus: a database
// holding `from`, after diff(from, to) is applied, introspects equal to `to` (loaded through a
// shadow database), diffing again gives nothing, and the result's dump reloads to the same dump.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../../src/domain/engine.js';
import type { SchemaConnection } from '../../../src/schema/connection.js';
import {
  diffSchemas,
  dumpSdl,
  introspect,
  loadSdlIntoShadow,
  renderDdl,
  schemaEquals,
} from '../../../src/schema/index.js';
import { renameHints } from '../../../src/schema/renames.js';
import { splitStatements } from '../../../src/sql/split.js';
import { runSdl } from '../../../src/schema/shadow.js';
import { DEFAULT_POLICY, reviewScript } from '../../../src/review/index.js';
import { freshDatabase, type FreshDatabase } from '../../support/db.js';
import type { SchemaPair } from './corpus/types.js';
import { apply, connect, DEV_URL, emptyDatabase } from './support.js';

/**
 * Review findings a generated plan can always avoid (locking it need not take). Findings the
 * desired schema itself asks for (a dropped column, a type change) are the reviewer's to show.
 */
const AVOIDABLE = new Set([
  'index.create-concurrently',
  'statement.add-check-not-valid',
  'statement.add-foreign-key-not-valid',
  'statement.disallow-rm-tbl-cascade',
]);

/** Register the round-trip suite for `pairs` on `engine`. */
export function roundTripSuite(engine: Engine, pairs: SchemaPair[]): void {
  describe(`round trip on ${engine}`, () => {
    let db: FreshDatabase;
    let conn: SchemaConnection;
    // A second reusable database for reloading dumps (cheaper than a shadow database per case).
    let reload: FreshDatabase;
    let reloadConn: SchemaConnection;
    before(async () => {
      db = await freshDatabase(engine, 'roundtrip');
      conn = await connect(engine, db.url);
      reload = await freshDatabase(engine, 'roundtrip_reload');
      reloadConn = await connect(engine, reload.url);
    });
    after(async () => {
      await conn.close();
      await reloadConn.close();
      await db.drop();
      await reload.drop();
    });

    for (const pair of pairs) {
      it(`${pair.name}: the diff turns from into to and a second diff is empty`, async () => {
        await emptyDatabase(engine, conn, db.name);
        await runSdl(engine, conn, pair.from);
        const from = await introspect(engine, conn.query);
        const to = await loadSdlIntoShadow(engine, pair.to, DEV_URL[engine]);
        const changes = diffSchemas(from, to, { renames: renameHints(pair.to, engine) });
        assert.ok(changes.length > 0, 'from and to must differ');
        // Not avoidable: PostgreSQL cannot build an index on a partitioned table CONCURRENTLY nor add
        // a foreign key to one NOT VALID, and an index on a materialized view the plan just created
        // has nothing to block (the rule only knows tables created earlier in the script).
        const partitioned = to.tables.filter((t) => t.partitionBy).map((t) => `public.${t.name}`);
        const exempt = [
          ...partitioned.map((t) => ` ON ${t} `),
          ...partitioned.map((t) => `ALTER TABLE ${t} ADD CONSTRAINT`),
          ...changes.filter((c) => c.kind === 'create-materialized-view').map((c) => ` ON ${c.sql.split(/\s+/)[3]} `),
        ];
        const findings = reviewScript({ engine, sql: renderDdl(changes), policy: DEFAULT_POLICY }).findings.filter(
          (f) => AVOIDABLE.has(f.rule) && !exempt.some((p) => f.statement.includes(p)),
        );
        assert.deepEqual(
          findings.map((f) => `${f.rule}: ${f.statement}`),
          [],
          `the plan's own review found what the plan could avoid:\n${renderDdl(changes)}`,
        );
        // What runs is the rendered script (adjacent ALTER TABLEs merged), statement by statement.
        const script = renderDdl(changes);
        await apply(
          conn,
          splitStatements(script, engine).map((st) => ({ sql: st.sql, destructive: false, kind: 'statement' })),
        );
        const result = await introspect(engine, conn.query);
        const again = renderDdl(diffSchemas(result, to));
        assert.equal(again, '', `diff after applying:\n${renderDdl(changes)}\nstill needs:\n${again}`);
        assert.ok(schemaEquals(result, to), 'the models are equal');
        const dump = dumpSdl(result);
        // MySQL puts a new column where the desired schema has it, so the columns' order matches too.
        if (engine === 'mysql') assert.equal(dump, dumpSdl(to), `the columns' order differs after:\n${script}`);
        await emptyDatabase(engine, reloadConn, reload.name);
        await runSdl(engine, reloadConn, dump);
        assert.equal(dumpSdl(await introspect(engine, reloadConn.query)), dump);
      });
    }
  });
}
