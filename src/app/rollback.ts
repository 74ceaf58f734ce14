// "Generate rollback": the DDL from an applied task's after-snapshot back to its before-snapshot,
// opened as a new change that goes through review and approval like any other.
import type { Issue } from '../domain/issue.js';
import { diffSchemas, renderDdl, type SchemaModel } from '../schema/index.js';
import type { Store } from '../store/types.js';

export type RollbackPlan =
  | { ok: true; ddl: string; fromTask: string; environment: string }
  | { ok: false; reason: string };

/** Plan the rollback of an issue from the history of its first applied task. */
export async function planRollback(store: Store, issue: Issue): Promise<RollbackPlan> {
  if (issue.changeType === 'dml')
    return {
      ok: false,
      reason: 'a data change (DML) cannot be rolled back from schema snapshots; write the reverse DML as a new change',
    };
  for (const stage of issue.stages) {
    for (const task of stage.tasks.filter((t) => t.status === 'done')) {
      const records = await store.listMigrations(task.database, 200);
      const record = records.find((r) => r.taskId === task.id && r.status === 'done' && r.modelBefore && r.modelAfter);
      if (!record) continue;
      const ddl = renderDdl(diffSchemas(record.modelAfter as SchemaModel, record.modelBefore as SchemaModel));
      if (!ddl)
        return {
          ok: false,
          reason: `#${issue.id} did not change the schema of ${task.database}; there is nothing to roll back`,
        };
      return { ok: true, ddl, fromTask: task.id, environment: stage.environment };
    }
  }
  return { ok: false, reason: `#${issue.id} has no applied task with schema snapshots to roll back from` };
}
