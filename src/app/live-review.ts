// The review rules that need the live database (dry runs, row estimates, walk-through), run for
// every target of one stage: just before the stage's first run (run-stage.ts) and at a scheduled
// stage's pre-flight check (preflight.ts).
import type { Logger } from 'pino';
import { type Config, type DatabaseConfig, findDatabase } from '../config/model.js';
import type { Issue, ReviewFinding } from '../domain/issue.js';
import type { Target } from '../targets/types.js';
import type { LiveReviewer } from './ports.js';

export interface LiveReviewDeps {
  config: Config;
  targetFor: (db: DatabaseConfig) => Target;
  liveReviewer?: LiveReviewer;
  logger: Logger;
}

/** The live findings for the stage's targets now, each naming its database; none when there is no live reviewer. */
export async function liveFindings(deps: LiveReviewDeps, issue: Issue, stageIndex: number): Promise<ReviewFinding[]> {
  const live = deps.liveReviewer;
  const stage = issue.stages[stageIndex];
  if (!live || !stage || issue.changeType === 'sdl') return [];
  const findings: ReviewFinding[] = [];
  // Tasks on one database run in order (GitOps: one per migration file), so they are reviewed as
  // one script: a later file may use what an earlier one creates.
  const scripts = new Map<string, string[]>();
  for (const task of stage.tasks)
    scripts.set(task.database, [...(scripts.get(task.database) ?? []), task.sql ?? issue.sql]);
  for (const [database, parts] of scripts) {
    const db = findDatabase(deps.config, database, stage.environment);
    if (!db) continue;
    const sql = parts.length === 1 ? parts[0]! : parts.map((p) => `${p.trim().replace(/;$/, '')};`).join('\n');
    try {
      const found = await deps
        .targetFor(db)
        .withConnection((query) => live({ engine: db.engine, sql, environment: db.environment, query }));
      findings.push(...found.map((f) => ({ ...f, message: `${db.name} (${db.environment}): ${f.message}` })));
    } catch (err) {
      // The database cannot be reached: the task itself will fail with the reason.
      deps.logger.warn({ err, database: db.name }, 'live review could not run');
    }
  }
  return findings;
}
