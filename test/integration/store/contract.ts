// The behaviour every Store implementation must have; each implementation's test file calls
// runStoreContract with a factory that hands out a fresh, migrated, empty store.
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { Issue } from '../../../src/domain/issue.js';
import { StoreConflictError, type Store } from '../../../src/store/types.js';
import { at, busyIssue, migration, newIssue } from './fixtures.js';

export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
}

function isConflict(issueId: string) {
  return (e: unknown) => e instanceof StoreConflictError && e.issueId === issueId;
}

/** Registers the contract's tests under `name`, each on a store from `makeStore`. */
export function runStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  function withStore(fn: (store: Store) => Promise<void>) {
    return async () => {
      const { store, cleanup } = await makeStore();
      try {
        await fn(store);
      } finally {
        await cleanup();
      }
    };
  }

  describe(`${name} store contract`, () => {
    test(
      'migrating an already migrated store is harmless and keeps the data',
      withStore(async (store) => {
        const created = await store.createIssue(newIssue(), at(0));
        await store.migrate();
        await store.migrate();
        assert.deepEqual(await store.getIssue(created.id), created);
      }),
    );

    test(
      'a 900 KB script is saved, read back and saved again unchanged',
      withStore(async (store) => {
        const line = "INSERT INTO audit (id, note) VALUES (1, 'a note about a row, long enough to fill a line');\n";
        const sql = line.repeat(Math.ceil(900_000 / line.length));
        assert.ok(sql.length >= 900_000);
        const created = await store.createIssue(newIssue({ sql }), at(0));
        assert.equal((await store.getIssue(created.id))?.sql, sql);
        const saved = await store.saveIssue({ ...created, sql: `${sql}-- edited\n` }, at(1));
        assert.equal((await store.getIssue(created.id))?.sql, `${sql}-- edited\n`);
        assert.equal(saved.version, 2);
      }),
    );

    test(
      'new issues get the ids "1", "2", "3" in order, version 1 and both timestamps set to now',
      withStore(async (store) => {
        const a = await store.createIssue(newIssue({ title: 'a' }), at(0));
        const b = await store.createIssue(newIssue({ title: 'b' }), at(1));
        const c = await store.createIssue(newIssue({ title: 'c' }), at(2));
        assert.deepEqual([a.id, b.id, c.id], ['1', '2', '3']);
        assert.deepEqual([a.version, b.version, c.version], [1, 1, 1]);
        assert.deepEqual(b.createdAt, at(1));
        assert.deepEqual(b.updatedAt, at(1));
        assert.equal(b.title, 'b');
      }),
    );

    test(
      'issues created at the same moment all get different ids',
      withStore(async (store) => {
        const created = await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.createIssue(newIssue({ title: `n${i}` }), at(0))),
        );
        const ids = created.map((i) => Number(i.id)).sort((x, y) => x - y);
        assert.deepEqual(ids, [1, 2, 3, 4, 5, 6, 7, 8]);
      }),
    );

    test(
      'a stored issue reads back equal to what createIssue returned, with every date revived as a Date',
      withStore(async (store) => {
        const created = await store.createIssue(busyIssue(), at(0));
        const read = await store.getIssue(created.id);
        assert.ok(read);
        assert.deepEqual(read, created);
        assert.ok(read.createdAt instanceof Date && read.updatedAt instanceof Date);
        assert.deepEqual(read.rolloutAnyway?.at, at(5));
        assert.deepEqual(read.schedule?.at, at(120));
        assert.deepEqual(
          read.stages[1]!.approvals.map((a) => a.at),
          [at(10), at(11)],
        );
        assert.deepEqual(read.stages[0]!.tasks[1]!.startedAt, at(2));
        assert.deepEqual(read.stages[0]!.tasks[1]!.finishedAt, at(4));
        assert.ok(read.stages[1]!.tasks[0]!.startedAt instanceof Date);
        assert.equal(read.stages[1]!.tasks[0]!.finishedAt, undefined);
        assert.deepEqual(read.source, {
          kind: 'git',
          commit: 'abc123',
          path: 'dev/orders##0001##ddl##idx.sql',
          version: '0001',
        });
      }),
    );

    test(
      'getIssue returns null for an id that was never created',
      withStore(async (store) => {
        assert.equal(await store.getIssue('404'), null);
      }),
    );

    test(
      'saving with the current version stores the change, bumps the version and sets updatedAt',
      withStore(async (store) => {
        const created = await store.createIssue(newIssue(), at(0));
        const saved = await store.saveIssue({ ...created, status: 'canceled', title: 'renamed' }, at(30));
        assert.equal(saved.version, 2);
        assert.deepEqual(saved.updatedAt, at(30));
        assert.deepEqual(saved.createdAt, at(0));
        const read = await store.getIssue(created.id);
        assert.deepEqual(read, saved);
        assert.equal(read?.title, 'renamed');
        assert.equal(read?.status, 'canceled');
      }),
    );

    test(
      'saving with a stale version throws StoreConflictError and changes nothing',
      withStore(async (store) => {
        const created = await store.createIssue(newIssue(), at(0));
        const saved = await store.saveIssue({ ...created, title: 'first' }, at(1));
        await assert.rejects(store.saveIssue({ ...created, title: 'second' }, at(2)), isConflict(created.id));
        assert.deepEqual(await store.getIssue(created.id), saved);
      }),
    );

    test(
      'saving an issue that does not exist throws StoreConflictError',
      withStore(async (store) => {
        const created = await store.createIssue(newIssue(), at(0));
        await assert.rejects(store.saveIssue({ ...created, id: '999' }, at(1)), isConflict('999'));
      }),
    );

    test(
      'of two saves racing from the same version exactly one wins',
      withStore(async (store) => {
        const created = await store.createIssue(newIssue(), at(0));
        const results = await Promise.allSettled([
          store.saveIssue({ ...created, title: 'left' }, at(1)),
          store.saveIssue({ ...created, title: 'right' }, at(1)),
        ]);
        const won = results.filter((r): r is PromiseFulfilledResult<Issue> => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.equal(lost.length, 1);
        assert.ok(lost[0]!.reason instanceof StoreConflictError);
        const read = await store.getIssue(created.id);
        assert.equal(read?.version, 2);
        assert.equal(read?.title, won[0]!.value.title);
      }),
    );

    test(
      'fields the saved issue no longer has are gone when it is read back',
      withStore(async (store) => {
        const created = await store.createIssue(busyIssue(), at(0));
        const { schedule: _s, rolloutAnyway: _r, ...withoutSchedule } = created;
        await store.saveIssue({ ...withoutSchedule, status: 'open' }, at(1));
        const read = await store.getIssue(created.id);
        assert.equal(read?.schedule, undefined);
        assert.equal(read?.rolloutAnyway, undefined);
        assert.ok(read && !('schedule' in read) && !('rolloutAnyway' in read));
      }),
    );

    test(
      'listIssues returns the newest first, filtered by status and cut at the limit',
      withStore(async (store) => {
        for (const status of ['open', 'done', 'open', 'failed'] as const)
          await store.createIssue(newIssue({ status }), at(0));
        const ids = (issues: Issue[]) => issues.map((i) => i.id);
        assert.deepEqual(ids(await store.listIssues()), ['4', '3', '2', '1']);
        assert.deepEqual(ids(await store.listIssues({ statuses: ['open'] })), ['3', '1']);
        assert.deepEqual(ids(await store.listIssues({ statuses: ['open', 'failed'] })), ['4', '3', '1']);
        assert.deepEqual(ids(await store.listIssues({ limit: 2 })), ['4', '3']);
        assert.deepEqual(ids(await store.listIssues({ statuses: ['open'], limit: 1 })), ['3']);
        assert.deepEqual(await store.listIssues({ statuses: ['rejected'] }), []);
      }),
    );

    test(
      'listIssues filters on the status as last saved and returns revived issues',
      withStore(async (store) => {
        const first = await store.createIssue(busyIssue(), at(0));
        await store.createIssue(newIssue(), at(1));
        await store.saveIssue({ ...first, status: 'done' }, at(2));
        const done = await store.listIssues({ statuses: ['done'] });
        assert.deepEqual(
          done.map((i) => i.id),
          ['1'],
        );
        assert.ok(done[0]!.schedule?.at instanceof Date);
        assert.deepEqual(done[0], await store.getIssue('1'));
      }),
    );

    test(
      'task logs come back oldest first, in write order within the same millisecond, per task when asked',
      withStore(async (store) => {
        const same = at(3);
        await store.appendTaskLogs([{ issueId: '1', taskId: 't1', at: same, level: 'info', text: 'statement 1/2' }]);
        await store.appendTaskLogs([
          { issueId: '1', taskId: 't2', at: same, level: 'info', text: 'other task' },
          { issueId: '1', taskId: 't1', at: same, level: 'error', text: 'statement 2/2 failed' },
          { issueId: '2', taskId: 't1', at: same, level: 'info', text: 'other issue' },
        ]);
        await store.appendTaskLogs([]);
        const all = await store.listTaskLogs('1');
        assert.deepEqual(
          all.map((e) => e.text),
          ['statement 1/2', 'other task', 'statement 2/2 failed'],
        );
        const seqs = all.map((e) => e.seq!);
        assert.ok(
          seqs.every((s, i) => typeof s === 'number' && (i === 0 || s > seqs[i - 1]!)),
          `seqs increase: ${seqs}`,
        );
        const t1 = await store.listTaskLogs('1', 't1');
        assert.deepEqual(
          t1.map((e) => [e.taskId, e.level, e.text]),
          [
            ['t1', 'info', 'statement 1/2'],
            ['t1', 'error', 'statement 2/2 failed'],
          ],
        );
        assert.deepEqual(t1[0]!.at, same);
        assert.ok(t1[0]!.at instanceof Date);
        assert.deepEqual(await store.listTaskLogs('3'), []);
      }),
    );

    test(
      'migrations of a database come back newest first, equal to what was recorded, cut at the limit',
      withStore(async (store) => {
        await store.recordMigration(migration('m1', 'orders', 1));
        await store.recordMigration(migration('m3', 'orders', 30));
        await store.recordMigration(migration('m2', 'orders', 20));
        await store.recordMigration(migration('x1', 'billing', 40));
        const listed = await store.listMigrations('orders');
        assert.deepEqual(
          listed.map((m) => m.id),
          ['m3', 'm2', 'm1'],
        );
        assert.deepEqual(listed[0], migration('m3', 'orders', 30));
        assert.ok(listed[0]!.startedAt instanceof Date && listed[0]!.finishedAt instanceof Date);
        assert.deepEqual(
          (await store.listMigrations('orders', 2)).map((m) => m.id),
          ['m3', 'm2'],
        );
        assert.deepEqual(await store.listMigrations('nowhere'), []);
      }),
    );

    test(
      'recording a migration id again replaces the earlier record',
      withStore(async (store) => {
        await store.recordMigration({
          ...migration('m1', 'orders', 1),
          status: 'needs-attention',
          error: 'interrupted',
        });
        const finished = migration('m1', 'orders', 1);
        await store.recordMigration(finished);
        assert.deepEqual(await store.listMigrations('orders'), [finished]);
      }),
    );

    test(
      'the latest snapshot of a database is the one taken last, whatever order they were saved in',
      withStore(async (store) => {
        await store.saveSnapshot({ database: 'orders', takenAt: at(10), sdl: 'CREATE TABLE b ();', source: 'm2' });
        await store.saveSnapshot({ database: 'orders', takenAt: at(1), sdl: 'CREATE TABLE a ();', source: 'm1' });
        await store.saveSnapshot({
          database: 'billing',
          takenAt: at(20),
          sdl: 'CREATE TABLE z ();',
          source: 'baseline',
        });
        assert.deepEqual(await store.latestSnapshot('orders'), {
          database: 'orders',
          takenAt: at(10),
          sdl: 'CREATE TABLE b ();',
          source: 'm2',
        });
        await store.saveSnapshot({
          database: 'orders',
          takenAt: at(10),
          sdl: 'CREATE TABLE c ();',
          source: 'drift-check',
        });
        assert.equal((await store.latestSnapshot('orders'))?.source, 'drift-check');
        assert.equal(await store.latestSnapshot('nowhere'), null);
      }),
    );

    test(
      'claimOnce is true the first time a key is claimed and false ever after',
      withStore(async (store) => {
        assert.equal(await store.claimOnce('slack:retry:1', at(0)), true);
        assert.equal(await store.claimOnce('slack:retry:1', at(1)), false);
        assert.equal(await store.claimOnce('slack:retry:1', at(2)), false);
        assert.equal(await store.claimOnce('slack:retry:2', at(2)), true);
      }),
    );

    test(
      'of many claims of one key made at once exactly one is true',
      withStore(async (store) => {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.claimOnce('drift:orders:abc', at(i))),
        );
        assert.equal(results.filter(Boolean).length, 1);
      }),
    );

    test(
      'a cursor reads null until set and then the last value set, independently per key',
      withStore(async (store) => {
        assert.equal(await store.getCursor('git:main'), null);
        await store.setCursor('git:main', 'abc');
        await store.setCursor('git:other', 'zzz');
        assert.equal(await store.getCursor('git:main'), 'abc');
        await store.setCursor('git:main', 'def');
        assert.equal(await store.getCursor('git:main'), 'def');
        assert.equal(await store.getCursor('git:other'), 'zzz');
      }),
    );

    test(
      'a git version is taken once per repository, database and environment, and keeps its first record',
      withStore(async (store) => {
        const v = {
          repo: 'git:/srv/app.git#main',
          database: 'app',
          environment: 'dev',
          version: '0001',
          path: 'dev/app##0001##ddl##a.sql',
          blob: 'b1',
          commit: 'c1',
          status: 'pending' as const,
          writtenBack: false,
          createdAt: at(0),
        };
        assert.equal(await store.takeGitVersion(v), true);
        assert.equal(await store.takeGitVersion({ ...v, blob: 'b2', createdAt: at(1) }), false);
        assert.equal(await store.takeGitVersion({ ...v, environment: 'prod' }), true);
        const results = await Promise.all(
          Array.from({ length: 6 }, () => store.takeGitVersion({ ...v, version: '0002' })),
        );
        assert.equal(results.filter(Boolean).length, 1);
        assert.deepEqual(await store.listGitVersions({ repo: v.repo, database: 'app', environment: 'dev' }), [
          v,
          { ...v, version: '0002' },
        ]);
        assert.equal(await store.updateGitVersion(v, { status: 'issued', issueId: '7' }), true);
        assert.equal(await store.updateGitVersion({ ...v, environment: 'prod' }, { writtenBack: true }), true);
        // Compare-and-set: a change that expects another status changes nothing.
        assert.equal(await store.updateGitVersion(v, { status: 'skipped' }, 'held'), false);
        assert.equal(await store.updateGitVersion({ ...v, version: '9999' }, { status: 'issued' }), false);
        const dev = await store.listGitVersions({ environment: 'dev', pendingWriteBack: true });
        assert.deepEqual(dev[0], { ...v, status: 'issued', issueId: '7' });
        assert.deepEqual(
          (await store.listGitVersions({ repo: v.repo, pendingWriteBack: true })).map((r) => [
            r.environment,
            r.version,
          ]),
          [
            ['dev', '0001'],
            ['dev', '0002'],
          ],
        );
        assert.deepEqual(await store.listGitVersions({ repo: 'other' }), []);
      }),
    );
  });
}
