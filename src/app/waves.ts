// Rolling a stage out in waves: Continue and Halt by a person, the waveDelay by the queue. The
// state machine decides (src/domain/wave-transitions.ts); runStage ends each wave.
import * as waves from '../domain/wave-transitions.js';
import { type AppContext, decisionCtx } from './context.js';
import type { IssueInput } from './decisions.js';
import type { Issue } from '../domain/issue.js';
import type { Result } from './results.js';

type IssueResult = Promise<Result<{ issue: Issue }>>;

/** Start the next wave (whoever may release the stage), also after a Halt. */
export function continueWaves(app: AppContext, input: IssueInput): IssueResult {
  return app.service.mutate(
    input.issueId,
    (i) => waves.continueWaves(i, input.actor.user, decisionCtx(app)),
    input.revision,
  );
}

/** Stop the rollout after the running wave: the rest stay pending until Continue or Cancel. */
export function haltWaves(app: AppContext, input: IssueInput): IssueResult {
  return app.service.mutate(
    input.issueId,
    (i) => waves.haltWaves(i, input.actor.user, decisionCtx(app)),
    input.revision,
  );
}

/** The waveDelay passed (the queue calls this): start wave `wave` unless it was halted or continued meanwhile. */
export function waveDelayDue(app: AppContext, issueId: string, stageIndex: number, wave: number): IssueResult {
  return app.service.mutate(issueId, (i) => waves.waveDelayDue(i, stageIndex, wave));
}
