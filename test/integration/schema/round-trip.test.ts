// The round-trip property over the corpus, on both engines: a database holding `from`, after
// diff(from, to) is applied, introspects equal to `to`, and diffing again gives nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../../src/domain/engine.js';
import type { SchemaConnection } from '../../../src/schema/connection.js';
import { diffSchemas, dumpSdl, introspect, loadSdlIntoShadow, renderDdl, schemaEquals } from '../../../src/schema/index.js';
import { runSdl } from '../../../src/schema/shadow.js';
import { freshDatabase, type FreshDatabase } from '../../support/db.js';
import { mysqlPairs } from './corpus/mysql.js';
import { postgresPairs } from './corpus/postgres.js';
import type { SchemaPair } from './corpus/types.js';
import { apply, connect, DEV_URL, emptyDatabase } from './support.js';

const CORPUS: Record<Engine, SchemaPair[]> = { postgres: postgresPairs, mysql: mysqlPairs };

it('the corpus holds at least 80 pairs with unique names', () => {
  const all = [...postgresPairs, ...mysqlPairs];
  assert.ok(all.length >= 80, `only ${all.length} pairs`);
  for (const pairs of Object.values(CORPUS)) assert.equal(new Set(pairs.map((p) => p.name)).size, pairs.length);
});

for (const engine of ['postgres', 'mysql'] as const) {
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

    for (const pair of CORPUS[engine]) {
      it(`${pair.name}: the diff turns from into to and a second diff is empty`, async () => {
        await emptyDatabase(engine, conn, db.name);
        await runSdl(engine, conn, pair.from);
        const from = await introspect(engine, conn.query);
        const to = await loadSdlIntoShadow(engine, pair.to, DEV_URL[engine]);
        const changes = diffSchemas(from, to);
        assert.ok(changes.length > 0, 'from and to must differ');
        await apply(conn, changes);
        const result = await introspect(engine, conn.query);
        const again = renderDdl(diffSchemas(result, to));
        assert.equal(again, '', `diff after applying:\n${renderDdl(changes)}\nstill needs:\n${again}`);
        assert.ok(schemaEquals(result, to), 'the models are equal');
        // The dump of the result is canonical: it reloads to a database that dumps the same.
        const dump = dumpSdl(result);
        await emptyDatabase(engine, reloadConn, reload.name);
        await runSdl(engine, reloadConn, dump);
        assert.equal(dumpSdl(await introspect(engine, reloadConn.query)), dump);
      });
    }
  });
}
