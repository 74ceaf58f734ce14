/**
 * The change service: the one place where a decision of the pure state machine is saved and
 * carried out. Every change to an issue goes through `mutate`: load, decide, compare-and-set
 * save (retrying when another click or task won the race), then carry out the effects (queue
 * jobs) and tell Slack. Slack handlers and rollout jobs call this; neither holds business rules.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config, DatabaseConfig } from '../config/model.js';
import { databasesOf } from '../config/model.js';
import type { Issue, IssueSource, ReviewFinding } from '../domain/issue.js';
import { planStages } from '../domain/plan.js';
import { startAutomatic, type Decision, type Effect } from '../domain/transitions.js';
import { StoreConflictError, type Store } from '../store/types.js';
import type { IssueNotifier, LiveReviewer, Reviewer, RolloutQueue } from './ports.js';
import type { StatePlanner } from './state-change.js';
import { asChangeType, type Submission } from './submission.js';

export interface ServiceDeps {
  config: Config;
  store: Store;
  queue: RolloutQueue;
  notifier: IssueNotifier;
  reviewer: Reviewer;
  liveReviewer?: LiveReviewer;
  planner?: StatePlanner;
  now: () => Date;
  logger: Logger;
}

export type ActResult = { ok: true; issue: Issue; note: string } | { ok: false; reason: string };

const MAX_ATTEMPTS = 8;

export class ChangeService {
  private readonly waitingUpdate = new Map<string, Promise<void>>();
  private readonly runningUpdate = new Map<string, Promise<void>>();

  constructor(readonly deps: ServiceDeps) {}

  get config(): Config {
    return this.deps.config;
  }

  /** Review SQL for every engine and environment the target covers; findings de-duplicated. */
  review(target: string, sql: string): ReviewFinding[] {
    const seen = new Set<string>();
    const out: ReviewFinding[] = [];
    // Review once per engine and policy: environments without a policy of their own share one.
    const reviewed = new Set<string>();
    for (const db of databasesOf(this.config, target)) {
      const policyKey = `${db.engine}|${this.config.review.environments[db.environment] ?? ''}`;
      if (reviewed.has(policyKey)) continue;
      reviewed.add(policyKey);
      for (const f of this.deps.reviewer({ engine: db.engine, sql, environment: db.environment })) {
        const key = `${f.rule}|${f.level}|${f.line}|${f.column}|${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(f);
      }
    }
    return out.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  }

  /** Create an issue from a validated submission, post it, and start what may start at once. */
  async submit(
    s: Submission,
    creator: string,
    source: IssueSource = { kind: 'slack' },
    state?: Pick<Issue, 'desiredSdl' | 'schemaChange'>,
  ): Promise<Issue> {
    const now = this.deps.now();
    const findings = this.review(s.target, s.sql);
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
        stages: planStages(this.config, s.target, () => randomUUID()),
        ...state,
      },
      now,
    );
    const posted = await this.notify(created);
    this.deps.logger.info({ issue: created.id, target: s.target, creator, findings: findings.length }, 'issue created');
    // A dev stage that is automatic and needs no approval starts right away.
    const started = await this.mutate(posted.id, (issue) => {
      const { issue: next, effects } = startAutomatic(issue, this.config);
      return effects.length === 0
        ? { ok: false, reason: 'nothing starts automatically' }
        : {
            ok: true,
            issue: next,
            effects,
            note: `rollout to ${next.stages.find((s) => s.status === 'running')?.environment} started automatically`,
          };
    });
    return started.ok ? started.issue : posted;
  }

  /**
   * A desired schema (SDL): open an issue carrying only the difference from the live schema,
   * or none when there is no difference.
   */
  async submitDesired(
    s: Submission,
    creator: string,
    source: IssueSource = { kind: 'slack' },
  ): Promise<{ issue: Issue } | { unchanged: DatabaseConfig }> {
    if (!this.deps.planner) throw new Error('state-based changes are not available in this bot');
    const plan = await this.deps.planner.plan(s.target, s.sql);
    if (plan.kind === 'unchanged') return { unchanged: plan.database };
    const issue = await this.submit({ ...s, sql: plan.ddl }, creator, source, {
      desiredSdl: s.sql,
      schemaChange: plan.schemaChange,
    });
    return { issue };
  }

  /**
   * Load the issue, let `decide` compute the next state, save it with compare-and-set, then
   * carry out the effects and update Slack. A refusal changes nothing.
   */
  async mutate(issueId: string, decide: (issue: Issue) => Decision): Promise<ActResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.deps.store.getIssue(issueId);
      if (!current)
        return { ok: false, reason: `there is no issue #${issueId}; \`/dbchange list\` shows the open ones` };
      const decision = decide(current);
      if (!decision.ok) return decision;
      let saved: Issue;
      try {
        saved = await this.deps.store.saveIssue(decision.issue, this.deps.now());
      } catch (e) {
        if (e instanceof StoreConflictError) continue;
        throw e;
      }
      await this.carryOut(saved, decision.effects);
      const shown = await this.notify(saved);
      if (decision.note) await this.threadSafe(shown, decision.note);
      return { ok: true, issue: shown, note: decision.note };
    }
    return { ok: false, reason: `issue #${issueId} is changing very fast right now; try again in a moment` };
  }

  /** Save a change that is not a decision of the state machine (task progress); retried on conflict. */
  async save(issue: Issue, change: (i: Issue) => Issue): Promise<Issue> {
    let current: Issue | null = issue;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!current) throw new Error(`issue ${issue.id} disappeared`);
      try {
        const saved = await this.deps.store.saveIssue(change(current), this.deps.now());
        return await this.notify(saved);
      } catch (e) {
        if (!(e instanceof StoreConflictError)) throw e;
        current = await this.deps.store.getIssue(issue.id);
      }
    }
    throw new StoreConflictError(issue.id);
  }

  private async carryOut(issue: Issue, effects: Effect[]): Promise<void> {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'run-stage':
          await this.deps.queue.runStage(issue.id, effect.stageIndex);
          break;
        case 'schedule-stage':
          await this.deps.queue.scheduleStage(issue.id, effect.stageIndex, effect.at);
          break;
        case 'cancel-schedule':
          await this.deps.queue.cancelSchedule(issue.id);
          break;
        default: {
          const never: never = effect;
          throw new Error(`unknown effect ${JSON.stringify(never)}`);
        }
      }
    }
  }

  /** Update the issue message; a Slack failure is logged, never allowed to undo a saved decision. */
  private async notify(issue: Issue): Promise<Issue> {
    if (issue.slack) {
      await this.refreshMessage(issue.id);
      return issue;
    }
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

  async threadSafe(issue: Issue, text: string): Promise<void> {
    try {
      await this.deps.notifier.thread(issue, text);
    } catch (e) {
      this.deps.logger.error({ issue: issue.id, err: e }, 'could not post to the issue thread');
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
