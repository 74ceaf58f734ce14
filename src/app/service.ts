/**
 * The change service: the one place where a decision of the pure state machine is saved and
 * carried out. Every change to an issue goes through `mutate`: load, check the revision the
 * person saw, decide, compare-and-set save (retrying when another click or task won the race),
 * then carry out the effects (queue jobs) and tell Slack. Internal to `app/`: the doors call the
 * use cases (./index.ts), which call this.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/model.js';
import { databasesOf } from '../config/model.js';
import type { IssueEvent } from '../domain/events.js';
import { findingPlace, type Issue, type IssueSource, type ReviewFinding } from '../domain/issue.js';
import { planStages } from '../domain/plan.js';
import { type Decision, type Effect, startAutomatic } from '../domain/transitions.js';
import { DbchangeError, ErrorCode, unreachable } from '../errors.js';
import { splitStatements } from '../sql/split.js';
import { type Store, StoreConflictError } from '../store/types.js';
import { ANY_SERVER, runsInOneTransaction } from '../targets/postgres/non-transactional.js';
import type { IssueNotifier, Reviewer, RolloutQueue } from './ports.js';
import { done, fromRefusal, notFound, type Result, refused } from './results.js';
import { asChangeType, type Submission } from './submission.js';

export interface ServiceDeps {
  config: Config;
  store: Store;
  queue: RolloutQueue;
  notifier: IssueNotifier;
  reviewer: Reviewer;
  now: () => Date;
  logger: Logger;
}

interface QueuedSave {
  change: (i: Issue) => Issue;
  resolve: (saved: Issue) => void;
  reject: (err: unknown) => void;
}

const MAX_ATTEMPTS = 8;
const SAVE_ATTEMPTS = 50;

export class ChangeService {
  private readonly waitingUpdate = new Map<string, Promise<void>>();
  private readonly runningUpdate = new Map<string, Promise<void>>();
  /** Per issue: task-progress changes waiting for the save under way (see save). */
  private readonly queuedSaves = new Map<string, QueuedSave[]>();
  /** Issues whose first message is being posted: the issue with its message's place, once saved. */
  private readonly posting = new Map<string, Promise<Issue>>();

  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Review SQL for every engine and environment the target covers; findings de-duplicated.
   * `generated`: the DDL of a desired-schema change, as dbchange generated it. A PostgreSQL
   * script the executor will run in one transaction is reviewed as one (Squawk's
   * assume-in-transaction): a table it creates is nobody else's until it commits.
   */
  review(target: string, sql: string, generated = false): ReviewFinding[] {
    const { config } = this.deps;
    // A finding the environments' policies rate differently is listed once, at its most severe.
    const found = new Map<string, ReviewFinding>();
    let inOneTransaction: boolean | undefined;
    const assumeInTransaction = () =>
      (inOneTransaction ??= runsInOneTransaction(splitStatements(sql, 'postgres'), ANY_SERVER));
    // Each environment with its own policy (the reviewer reviews once for environments that share one).
    const reviewed = new Set<string>();
    for (const db of databasesOf(config, target)) {
      const key = `${db.engine}|${db.environment}`;
      if (reviewed.has(key)) continue;
      reviewed.add(key);
      const input = { engine: db.engine, sql, environment: db.environment, generated };
      const assumed = db.engine === 'postgres' && assumeInTransaction();
      for (const f of this.deps.reviewer(assumed ? { ...input, assumeInTransaction: true } : input)) {
        const place = findingPlace(f);
        if (found.get(place)?.level !== 'ERROR') found.set(place, f);
      }
    }
    return [...found.values()].sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  }

  /** Create an issue from a validated submission, post it, and start what may start at once. */
  async create(
    s: Submission,
    creator: string,
    source: IssueSource = { kind: 'slack' },
    state?: Partial<
      Pick<Issue, 'desiredSdl' | 'schemaChange' | 'stages' | 'findings' | 'followUpOf' | 'driftRevert' | 'blastRadius'>
    >,
  ): Promise<Issue> {
    const now = this.deps.now();
    const findings = this.review(s.target, s.sql, s.changeType === 'sdl');
    const created = await this.deps.store.createIssue(
      {
        title: s.title.trim(),
        description: s.description?.trim() ?? '',
        labels: s.labels ?? [],
        timing: s.timing?.trim() ?? '',
        creator,
        target: s.target,
        changeType: asChangeType(s.changeType),
        sql: s.sql,
        revision: 1,
        status: 'open',
        source,
        findings,
        stages: planStages(this.deps.config, s.target, () => randomUUID()),
        ...state,
      },
      now,
    );
    this.deps.logger.info({ issue: created.id, target: s.target, creator, findings: findings.length }, 'issue created');
    return this.announce(created);
  }

  /**
   * Post a new issue and start what may start at once. Idempotent: an issue already posted is not
   * posted again and a stage already started is not started again, so an opening that a crash
   * interrupted is finished by calling this again.
   */
  async announce(created: Issue): Promise<Issue> {
    const posted = await this.notify(created);
    // A dev stage that is automatic and needs no approval starts right away.
    const started = await this.mutate(posted.id, (issue) => {
      const { issue: next, effects, held } = startAutomatic(issue, this.deps.config, this.deps.now());
      // Frozen: the stage is held until the window ends, and the thread says so.
      if (held) return { ok: true, issue: next, effects, event: held };
      const running = next.stages.find((st) => st.status === 'running');
      return effects.length === 0 || !running
        ? { ok: false, code: 'nothing-to-do', message: 'nothing starts automatically' }
        : {
            ok: true,
            issue: next,
            effects,
            event: { kind: 'started-automatically', environment: running.environment },
          };
    });
    return started.kind === 'done' ? started.issue : posted;
  }

  /**
   * Load the issue, let `decide` compute the next state, save it with compare-and-set, then
   * carry out the effects and update Slack. A refusal changes nothing.
   */
  async mutate(
    issueId: string,
    decide: (issue: Issue) => Decision,
    seenRevision?: number,
  ): Promise<Result<{ issue: Issue }>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.deps.store.getIssue(issueId);
      if (!current) return notFound('issue', issueId);
      if (seenRevision !== undefined && seenRevision !== current.revision)
        return refused(
          'stale',
          `the SQL of #${current.id} changed since this button was shown; look at the updated message`,
        );
      const decision = decide(current);
      if (!decision.ok) return fromRefusal(decision);
      let saved: Issue;
      try {
        saved = await this.deps.store.saveIssue(decision.issue, this.deps.now());
      } catch (e) {
        if (e instanceof StoreConflictError) continue;
        throw e;
      }
      await this.carryOut(saved, decision.effects);
      // The thread hears of the decision before the message update, which Slack's rate may hold
      // a moment: a rollout it started would otherwise post its task logs first.
      const events = [...(decision.event ? [decision.event] : []), ...(decision.more ?? [])];
      if (saved.slack) for (const event of events) await this.threadSafe(saved, event);
      const shown = await this.notify(saved);
      if (!saved.slack) for (const event of events) await this.threadSafe(shown, event);
      return done({ issue: shown });
    }
    return refused('busy', `issue #${issueId} is changing very fast right now; try again in a moment`);
  }

  /**
   * Save a change that is not a decision of the state machine (task progress); retried on conflict.
   * Up to `rollout.concurrency` tasks of one stage save the same issue at once: changes asked for
   * while a save of that issue is under way wait for it and then go out together in one write,
   * each applied to the issue as stored, instead of racing each other for the same revision.
   */
  save(issue: Issue, change: (i: Issue) => Issue): Promise<Issue> {
    return new Promise((resolve, reject) => {
      const queued = this.queuedSaves.get(issue.id);
      if (queued) return void queued.push({ change, resolve, reject });
      this.queuedSaves.set(issue.id, [{ change, resolve, reject }]);
      void this.saveQueued(issue);
    });
  }

  /** Write the changes queued for `issue`, a batch at a time, until none is left. */
  private async saveQueued(issue: Issue): Promise<void> {
    let known: Issue | null = issue;
    for (;;) {
      const batch = this.queuedSaves.get(issue.id) ?? [];
      if (batch.length === 0) {
        this.queuedSaves.delete(issue.id);
        return;
      }
      // Changes asked for from now on wait for this write and go out in the next one.
      this.queuedSaves.set(issue.id, []);
      try {
        const saved = await this.saveBatch(issue.id, known, batch);
        known = saved;
        // Task progress does not wait for the message: Slack's rate may hold the update a moment.
        const shown = await this.notify(saved, { wait: false });
        for (const { resolve } of batch) resolve(shown);
      } catch (e) {
        known = null;
        for (const { reject } of batch) reject(e);
      }
    }
  }

  /** One compare-and-set write of every change in `batch`; a change that throws fails alone. */
  private async saveBatch(id: string, known: Issue | null, batch: QueuedSave[]): Promise<Issue> {
    let current = known ?? (await this.deps.store.getIssue(id));
    // Another save won the race: wait a random moment before trying again, so writers spread out.
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 10 * attempt)));
      if (!current) throw new DbchangeError(ErrorCode.NotFound, `issue #${id} was deleted while it was being saved`);
      let next = current;
      for (const queued of [...batch]) {
        try {
          next = queued.change(next);
        } catch (e) {
          batch.splice(batch.indexOf(queued), 1);
          queued.reject(e);
        }
      }
      try {
        return await this.deps.store.saveIssue(next, this.deps.now());
      } catch (e) {
        if (!(e instanceof StoreConflictError)) throw e;
        current = await this.deps.store.getIssue(id);
      }
    }
    throw new StoreConflictError(id);
  }

  private async carryOut(issue: Issue, effects: Effect[]): Promise<void> {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'run-stage':
          await this.deps.queue.runStage(issue.id, effect.stageIndex, `v${issue.version}`);
          break;
        case 'schedule-stage':
          await this.deps.queue.scheduleStage(issue.id, effect.stageIndex, effect.at, effect.preflightAt);
          break;
        case 'cancel-schedule':
          await this.deps.queue.cancelSchedule(issue.id);
          break;
        case 'approval-expiry':
          await this.deps.queue.approvalExpiresAt(issue.id, effect.stageIndex, effect.user, effect.at);
          break;
        case 'continue-waves-at':
          await this.deps.queue.continueWavesAt(issue.id, effect.stageIndex, effect.wave, effect.at);
          break;
        default:
          unreachable(effect, 'effect');
      }
    }
  }

  /** Update the issue message; a Slack failure is logged, never allowed to undo a saved decision. */
  private async notify(issue: Issue, opts: { wait?: boolean } = {}): Promise<Issue> {
    // A decision made while the issue's first message is being posted (a click as soon as it
    // shows) updates that message once its place is saved, instead of posting a second one.
    const posting = issue.slack ? undefined : this.posting.get(issue.id);
    const posted = posting ? await posting : undefined;
    const withSlack = issue.slack ? issue : posted?.slack ? { ...issue, slack: posted.slack } : undefined;
    if (withSlack) {
      const updated = this.refreshMessage(issue.id);
      if (opts.wait !== false) await updated;
      return withSlack;
    }
    const post = this.postMessage(issue);
    this.posting.set(issue.id, post);
    try {
      return await post;
    } finally {
      if (this.posting.get(issue.id) === post) this.posting.delete(issue.id);
    }
  }

  /** Post the first message of an issue and save where it lives. */
  private async postMessage(issue: Issue): Promise<Issue> {
    try {
      const withRef = await this.deps.notifier.issueChanged(issue);
      if (!withRef.slack) return withRef;
      // Remember where the message lives; a conflicting save simply retries with the reference.
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = await this.deps.store.getIssue(issue.id);
        if (!current) return withRef;
        if (current.slack) return current;
        try {
          const saved = await this.deps.store.saveIssue({ ...current, slack: withRef.slack }, this.deps.now());
          // Anything that changed while the message was being posted shows up now.
          if (saved.version > issue.version + 1) await this.refreshMessage(saved.id);
          return saved;
        } catch (e) {
          if (!(e instanceof StoreConflictError)) throw e;
        }
      }
      return withRef;
    } catch (e) {
      this.deps.logger.error({ issue: issue.id, err: e }, 'could not post the issue message in Slack');
      return issue;
    }
  }

  /**
   * Message updates for one issue run one at a time and always render the issue as stored at
   * that moment, so a slow update can never overwrite a newer one; updates requested while one
   * is waiting to start are folded into it.
   */
  refreshMessage(issueId: string): Promise<void> {
    const waiting = this.waitingUpdate.get(issueId);
    if (waiting) return waiting;
    const previous = this.runningUpdate.get(issueId) ?? Promise.resolve();
    const next = previous.then(async () => {
      // Requests that arrive while this waits for Slack's rate fold into it.
      await this.deps.notifier.readyToUpdate?.(issueId);
      this.waitingUpdate.delete(issueId);
      this.runningUpdate.set(issueId, next);
      try {
        const latest = await this.deps.store.getIssue(issueId);
        if (latest?.slack) await this.deps.notifier.issueChanged(latest);
      } catch (e) {
        this.deps.logger.error({ issue: issueId, err: e }, 'could not update the issue message in Slack');
      } finally {
        if (this.runningUpdate.get(issueId) === next) this.runningUpdate.delete(issueId);
      }
    });
    this.waitingUpdate.set(issueId, next);
    return next;
  }

  /** Wait until what was told to the issue's thread so far is posted (failures are the notifier's to log). */
  async threadSent(issue: Issue): Promise<void> {
    await this.deps.notifier.sent?.(issue).catch(() => undefined);
  }

  /** Tell the thread; a Slack failure is logged, never thrown. */
  async threadSafe(issue: Issue, event: IssueEvent): Promise<void> {
    try {
      await this.deps.notifier.thread(issue, event);
    } catch (e) {
      this.deps.logger.error({ issue: issue.id, err: e }, 'could not post to the issue thread');
    }
  }

  /**
   * Post a thread reply that is edited in place later; undefined when it cannot be edited (no
   * thread, a notifier that only posts, or Slack failed: logged, never thrown).
   */
  async postEditable(issue: Issue, event: IssueEvent): Promise<string | undefined> {
    if (!this.deps.notifier.post) {
      await this.threadSafe(issue, event);
      return undefined;
    }
    try {
      return await this.deps.notifier.post(issue, event);
    } catch (e) {
      this.deps.logger.error({ issue: issue.id, err: e }, 'could not post to the issue thread');
      return undefined;
    }
  }

  /** Edit a reply postEditable made; a Slack failure is logged, never thrown. */
  async editSafe(issue: Issue, ref: string, event: IssueEvent): Promise<void> {
    try {
      await this.deps.notifier.edit?.(issue, ref, event);
    } catch (e) {
      this.deps.logger.error({ issue: issue.id, err: e }, 'could not edit a reply in the issue thread');
    }
  }

  /** After a restart: re-queue stages that were running (jobs are idempotent per issue and stage). */
  async reconcile(): Promise<void> {
    const running = await this.deps.store.listIssues({ statuses: ['running'] });
    for (const issue of running) {
      for (const [i, s] of issue.stages.entries()) {
        if (s.status !== 'running') continue;
        await this.deps.queue
          .runStage(issue.id, i)
          .catch((err: unknown) =>
            this.deps.logger.error({ err, issue: issue.id }, 'could not queue a running stage again'),
          );
      }
    }
  }
}
