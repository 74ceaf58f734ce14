// Task progress of many tasks of one issue saved at once (a stage over many databases at
// rollout.concurrency): every change is kept, each applied to the issue as stored, the writes
// are far fewer than the changes, and a change that throws fails alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { parseConfig } from '../../../src/config/load.js';
import type { Issue } from '../../../src/domain/issue.js';
import { ChangeService } from '../../../src/app/service.js';
import type { IssueNotifier, RolloutQueue } from '../../../src/app/ports.js';
import { openStore, type OpenedStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/types.js';
import { freshPostgres, type FreshDatabase } from '../../support/db.js';
import { issueFixture } from '../../support/issue-fixture.js';

const DATABASES = 30;

let storeDb: FreshDatabase;
let opened: OpenedStore;

before(async () => {
  storeDb = await freshPostgres('save_batch_store');
  opened = await openStore(storeDb.url);
});

after(async () => {
  await opened.close();
  await storeDb.drop();
});

test('many tasks saving one issue at once keep every change in fewer writes', async () => {
  const config = parseConfig(
    `channel: C_X
environments:
  - id: dev
    rollout: automatic
databases:
${Array.from({ length: DATABASES }, (_, i) => `  - { name: d${i}, environment: dev, engine: postgres, url: "postgres://x/d${i}", group: all }`).join('\n')}
`,
    'test.yaml',
    {},
  );
  const { id: _id, version: _version, ...fresh } = issueFixture(config, 'all', new Date());
  const created = await opened.store.createIssue(fresh, new Date());
  let writes = 0;
  const store: Store = new Proxy(opened.store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'saveIssue' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        writes++;
        return value.apply(target, args);
      };
    },
  });
  const notifier: IssueNotifier = { issueChanged: async (i) => i, thread: async () => {} };
  const queue = {} as RolloutQueue;
  const service = new ChangeService({
    config,
    store,
    queue,
    notifier,
    reviewer: () => [],
    now: () => new Date(),
    logger: pino({ level: 'silent' }),
  });
  const tasks = created.stages[0]!.tasks;
  assert.equal(tasks.length, DATABASES);
  const finish = (taskId: string) => (i: Issue) => ({
    ...i,
    stages: i.stages.map((s) => ({
      ...s,
      tasks: s.tasks.map((t) => (t.id === taskId ? { ...t, status: 'done' as const, attempt: t.attempt + 1 } : t)),
    })),
  });
  const broken = assert.rejects(
    service.save(created, () => {
      throw new Error('no such task');
    }),
    /no such task/,
  );
  const saved = await Promise.all(tasks.map((t) => service.save(created, finish(t.id))));
  await broken;

  for (const s of saved) assert.ok(s.stages[0]!.tasks.some((t) => t.status === 'done'));
  const stored = (await opened.store.getIssue(created.id))!;
  assert.deepEqual(
    stored.stages[0]!.tasks.map((t) => [t.status, t.attempt]),
    tasks.map(() => ['done', 1]),
  );
  assert.ok(writes < DATABASES, `${writes} writes for ${DATABASES} changes`);
});
