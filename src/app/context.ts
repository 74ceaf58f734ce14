// What the use cases share: the config, the store, the issue writer, the targets, the people
// directory and the clock, all passed in by the composition root (src/main.ts) or a test.
import type { Logger } from 'pino';
import type { Config, DatabaseConfig } from '../config/model.js';
import type { Directory } from '../domain/permissions.js';
import type { Ctx } from '../domain/transitions.js';
import type { Store } from '../store/types.js';
import type { Target } from '../targets/types.js';
import type { GitopsPort, LiveReviewer, TableMeasurer } from './ports.js';
import type { ChangeService } from './service.js';
import type { StatePlanner } from './state-change.js';
import type { RunningTasks } from './running-tasks.js';
import type { TaskWatchSettings } from './task-watch.js';

export interface AppContext {
  config: Config;
  store: Store;
  service: ChangeService;
  targetFor: (db: DatabaseConfig) => Target;
  /** User groups expanded into members (Slack's user groups, or plain ids). */
  directory: Directory;
  planner?: StatePlanner;
  liveReviewer?: LiveReviewer;
  /** The watched repositories, when the config has `gitops`. */
  gitops?: GitopsPort;
  /** Sizes tables for the blast radius; without it the card shows only the number of databases. */
  measureTables?: TableMeasurer;
  now: () => Date;
  logger: Logger;
  /** The tasks this process runs, so a person can stop one. */
  running: RunningTasks;
  /** Progress message and lock watch settings (defaults: DEFAULT_TASK_WATCH). */
  taskWatch?: TaskWatchSettings;
}

/** What the state machine needs to decide, at this moment. */
export function decisionCtx(app: AppContext): Ctx {
  return { config: app.config, now: app.now(), directory: app.directory };
}
