/**
 * The use cases that open a change: submit SQL or a desired schema, generate a rollback, and
 * prepare a follow-up change. Every door (the Slack modal, the git poller) submits through here.
 */
import type { DatabaseConfig } from '../config/model.js';
import type { Issue, IssueSource } from '../domain/issue.js';
import { measureBlastRadius } from './blast-radius.js';
import type { AppContext } from './context.js';
import { type Actor, done, notFound, type Result, refused } from './results.js';
import { planRollback } from './rollback.js';
import { mayRollback } from '../domain/permissions.js';
import { type Submission, type SubmissionField, validateSubmission } from './submission.js';

export interface SubmitInput {
  actor: Actor;
  submission: Submission;
  source?: IssueSource;
  /** A key that makes a re-delivered submission (Slack retries, a re-polled commit) a no-op. */
  once?: string;
  /** The issue this change follows up (see `followUp`); the two are linked both ways. */
  followUpOf?: string;
}

export type Submitted = { issue: Issue } | { unchanged: DatabaseConfig };

/** Field → message for every problem in a submission; empty when it is acceptable. */
export function validate(app: AppContext, submission: Submission): Partial<Record<SubmissionField, string>> {
  return validateSubmission(app.config, submission);
}

/**
 * Open a change issue: SQL (DDL/DML) is reviewed and posted; a desired schema (SDL) opens an
 * issue carrying only its difference from the live schema, or none when there is none.
 */
export async function submit(app: AppContext, input: SubmitInput): Promise<Result<Submitted>> {
  const { actor, submission: s, source = { kind: 'slack' } } = input;
  const errors = validate(app, s);
  const first = Object.values(errors)[0];
  if (first) return refused('invalid', first);
  if (input.once && !(await app.store.claimOnce(input.once, app.now())))
    return refused('duplicate', 'this submission was already received');
  const original = input.followUpOf ? await app.store.getIssue(input.followUpOf) : null;
  const link = original ? { followUpOf: original.id } : {};
  let issue: Issue;
  if (s.changeType !== 'sdl')
    issue = await app.service.create(s, actor.user, source, {
      ...link,
      blastRadius: await measureBlastRadius(app, s.target, s.sql),
    });
  else {
    if (!app.planner) return refused('unavailable', 'state-based changes are not available in this bot');
    const plan = await app.planner.plan(s.target, s.sql);
    if (plan.kind === 'unchanged') return done({ unchanged: plan.database });
    issue = await app.service.create({ ...s, sql: plan.ddl }, actor.user, source, {
      desiredSdl: s.sql,
      schemaChange: plan.schemaChange,
      blastRadius: await measureBlastRadius(app, s.target, plan.ddl),
      ...link,
    });
  }
  if (original) {
    // The original links to its follow-up too, in its message and its thread.
    const linked = await app.service.save(original, (i) => ({
      ...i,
      followUps: [...new Set([...(i.followUps ?? []), issue.id])],
    }));
    await app.service.threadSafe(linked, { kind: 'follow-up-opened', by: actor.user, issueId: issue.id });
  }
  return done({ issue });
}

/**
 * "Generate rollback": the DDL back to the schema before an applied change, opened as a new
 * change (review and approval as usual); the original issue's thread links to it.
 */
export async function rollback(
  app: AppContext,
  input: { actor: Actor; issueId: string },
): Promise<Result<{ issue: Issue }>> {
  const from = await app.store.getIssue(input.issueId);
  if (!from) return notFound('issue', input.issueId);
  if (!mayRollback(input.actor.user, from, app.config, app.directory))
    return refused(
      'not-allowed',
      `only the creator of #${from.id}, an approver or releaser of its environments, or an admin can generate its rollback`,
    );
  const plan = await planRollback(app.store, from);
  if (!plan.ok) return refused('nothing-to-do', plan.reason);
  const issue = await app.service.create(
    {
      title: `Rollback of #${from.id}: ${from.title}`.slice(0, 150),
      target: from.target,
      changeType: 'ddl',
      sql: plan.ddl,
      description: `Generated from the schema before #${from.id} (as recorded in ${plan.environment}).`,
      labels: ['rollback'],
    },
    input.actor.user,
    { kind: 'slack' },
    { blastRadius: await measureBlastRadius(app, from.target, plan.ddl) },
  );
  await app.service.threadSafe(from, { kind: 'rollback-generated', by: input.actor.user, issueId: issue.id });
  return done({ issue });
}

/**
 * A follow-up change amends one whose SQL is frozen (a stage ran): the submission form, filled
 * in from the original, for the actor to change and submit.
 */
export async function followUp(
  app: AppContext,
  input: { actor: Actor; issueId: string },
): Promise<Result<{ from: Issue; prefill: Submission }>> {
  const from = await app.store.getIssue(input.issueId);
  if (!from) return notFound('issue', input.issueId);
  return done({
    from,
    prefill: {
      title: `Follow-up to #${from.id}: ${from.title}`.slice(0, 150),
      target: from.target,
      changeType: from.changeType,
      sql: from.changeType === 'sdl' ? (from.desiredSdl ?? from.sql) : from.sql,
      description: `Follows up #${from.id}.`,
      labels: from.labels,
      timing: from.timing,
    },
  });
}
