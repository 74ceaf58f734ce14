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
import { runSdl } from '../../../src/schema/shadow.js';
import { freshDatabase, type FreshDatabase } from '../../support/db.js';
import type { SchemaPair } from './corpus/types.js';
import { apply, connect, DEV_URL, emptyDatabase } from './support.js';

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
        const changes = diffSchemas(from, to);
        assert.ok(changes.length > 0, 'from and to must differ');
        await apply(conn, changes);
        const result = await introspect(engine, conn.query);
        const again = renderDdl(diffSchemas(result, to));
        assert.equal(again, '', `diff after applying:\n${renderDdl(changes)}\nstill needs:\n${again}`);
        assert.ok(schemaEquals(result, to), 'the models are equal');
        const dump = dumpSdl(result);
        await emptyDatabase(engine, reloadConn, reload.name);
        await runSdl(engine, reloadConn, dump);
        assert.equal(dumpSdl(await introspect(engine, reloadConn.query)), dump);
      });
    }
  });
}
