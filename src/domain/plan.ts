// Builds an issue's plan: one stage per configured environment (in config order) that has a
// database the target covers, one task per database in that environment.
import type { Config } from '../config/model.js';
import { databasesOf } from '../config/model.js';
import type { Stage } from './issue.js';

/** The stages for a change to `target` (a database or group name); empty when nothing matches. */
export function planStages(config: Config, target: string, newId: () => string): Stage[] {
  const dbs = databasesOf(config, target);
  const stages: Stage[] = [];
  for (const env of config.environments) {
    const inEnv = dbs.filter((d) => d.environment === env.id);
    if (inEnv.length === 0) continue;
    stages.push({
      environment: env.id,
      status: 'waiting',
      approvals: [],
      tasks: inEnv.map((d) => ({ id: newId(), database: d.name, engine: d.engine, status: 'pending', attempt: 0 })),
    });
  }
  return stages;
}
