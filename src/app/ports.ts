// What the change service needs from the outside world, as small interfaces the composition
// root fills in (Agenda, Slack, the review engine), so the service itself is testable and thin.
import type { DatabaseConfig } from '../config/model.js';
import type { TableEffect } from '../domain/blast-radius.js';
import type { Engine } from '../domain/engine.js';
import type { IssueEvent } from '../domain/events.js';
import type { Issue, ReviewFinding } from '../domain/issue.js';
import type { QueryFn } from '../targets/types.js';

export interface RolloutQueue {
  /**
   * Run a stage as soon as possible; idempotent per (issue, stage, run). `run` names the release
   * (the issue version that released it), so a Retry right after a run ends is not folded into
   * that finished run's job; without it (after a restart) the request folds into other such requests.
   */
  runStage(issueId: string, stageIndex: number, run?: string): Promise<void>;
  /**
   * Run a stage at `at`, and post its pre-flight check at `preflightAt` (when given); replaces an
   * earlier schedule (and pre-flight check) of the same issue.
   */
  scheduleStage(issueId: string, stageIndex: number, at: Date, preflightAt?: Date): Promise<void>;
  cancelSchedule(issueId: string): Promise<void>;
  /** At `at`, tell the app that `user`'s approval of a stage expired (approvalExpires). */
  approvalExpiresAt(issueId: string, stageIndex: number, user: string, at: Date): Promise<void>;
  /** waveDelay: ask the app at `at` to start wave `wave` (0-based) of a stage; replaces an earlier one. */
  continueWavesAt(issueId: string, stageIndex: number, wave: number, at: Date): Promise<void>;
}

/** Where people see an issue: its message (kept current) and its thread. */
export interface IssueNotifier {
  /**
   * Resolves when the issue's message may be updated again (Slack limits how often); updates
   * asked for meanwhile are folded into one.
   */
  readyToUpdate?(issueId: string): Promise<void>;
  /** Post or update the issue's message; returns the issue with its message reference set. */
  issueChanged(issue: Issue): Promise<Issue>;
  /** Tell the issue's thread what happened. */
  thread(issue: Issue, event: IssueEvent): Promise<void>;
  /** Post a thread reply that is edited later (a task's progress, a lock-wait notice); returns its reference. */
  post?(issue: Issue, event: IssueEvent): Promise<string | undefined>;
  /** Replace a reply `post` made with what `event` says now. */
  edit?(issue: Issue, ref: string, event: IssueEvent): Promise<void>;
  /** Resolves once what was told to the issue's thread so far has been posted (a notifier that queues). */
  sent?(issue: Issue): Promise<void>;
}

/**
 * Static review of a script; `generated`: DDL dbchange generated for a desired-schema change;
 * `assumeInTransaction`: the script will run in one transaction (Squawk's assume-in-transaction).
 */
export type Reviewer = (input: {
  engine: Engine;
  sql: string;
  environment: string;
  generated?: boolean;
  assumeInTransaction?: boolean;
}) => ReviewFinding[];

/** Review rules that need the target database itself (dry runs, row estimates, walk-through). */
export type LiveReviewer = (input: {
  engine: Engine;
  sql: string;
  environment: string;
  query: QueryFn;
}) => Promise<ReviewFinding[]>;

/** One LATEST file written to one watched repository. */
export type LatestWritten = {
  /** The repository's key in the store. */
  repo: string;
  /** Its URL, with any password hidden, to show. */
  url: string;
  path: string;
} & ({ kind: 'pushed'; commit: string } | { kind: 'unchanged' } | { kind: 'failed'; reason: string });

/** The git side the use cases need (src/gitops, bound in src/main.ts). */
export interface GitopsPort {
  /** Poll a watched repository as soon as possible (its queue job, in whichever process holds it). */
  pollNow(repoKey: string): Promise<void>;
  /**
   * Write a database's schema to its LATEST file in every watched repository that has a schema
   * path template, commit it as the bot and push; one result per repository.
   */
  writeLatest(db: DatabaseConfig, sdl: string, message: string): Promise<LatestWritten[]>;
}

/** When the store was lost and when it answered again. */
export interface Outage {
  lostAt: Date;
  resumedAt: Date;
}

/** The store's availability, for work that waits an outage out instead of failing (a running stage). */
export interface StoreOutages {
  /** Resolves when the store answers again, with the outage (the last one when it already answers). */
  untilAvailable(): Promise<Outage | undefined>;
  /** The last outage that ended in this process's life, if any. */
  readonly last: Outage | undefined;
}

/** The tables a script touches on one database, with their live size and whether a statement rewrites or locks them. */
export type TableMeasurer = (input: {
  engine: Engine;
  sql: string;
  query: QueryFn;
}) => Promise<{ table: string; rows: number; bytes: number; effects: TableEffect[]; rules: string[] }[]>;
