// Action and callback ids: the wire names of every button and modal, in one place.
export const ACTION = {
  approve: 'issue_approve',
  reject: 'issue_reject',
  rollout: 'issue_rollout',
  schedule: 'issue_schedule',
  reschedule: 'issue_reschedule',
  preflightConfirm: 'preflight_confirm',
  preflightPostpone: 'preflight_postpone',
  preflightCancel: 'preflight_cancel',
  cancel: 'issue_cancel',
  edit: 'issue_edit',
  retry: 'issue_retry',
  continueWaves: 'issue_continue_waves',
  haltWaves: 'issue_halt_waves',
  rolloutAnyway: 'issue_rollout_anyway',
  showSql: 'issue_show_sql',
  showFindings: 'issue_show_findings',
  viewSchemaChange: 'issue_view_schema_change',
  viewGeneratedDdl: 'issue_view_generated_ddl',
  viewFullSchema: 'issue_view_full_schema',
  rollback: 'issue_rollback',
  followUp: 'issue_follow_up',
  driftBaseline: 'drift_baseline',
  gitHeldApply: 'gitops_held_apply',
  gitHeldSkip: 'gitops_held_skip',
  driftRevert: 'drift_revert',
  resolveApplied: 'task_resolve_applied',
  resolveNotApplied: 'task_resolve_not_applied',
  stopRun: 'issue_stop_run',
  cancelStatement: 'task_cancel_statement',
  keepWaiting: 'task_keep_waiting',
} as const;

/**
 * The action id of the n-th (from 0) of a message's buttons of one kind, where a message repeats
 * a button per database, task or file: Slack wants every action id of a message to be its own.
 * The first keeps the plain id (as on messages already posted), the others are `id:n`; the
 * button's value says what it is for. Register its handler with `numberedAction`.
 */
export function nthAction(actionId: string, n: number): string {
  return n === 0 ? actionId : `${actionId}:${n}`;
}

/** What bolt.action matches for a button that `nthAction` numbers: the plain id and every `id:n`. */
export function numberedAction(actionId: string): RegExp {
  const plain = actionId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${plain}(?::\\d+)?$`);
}

export const CALLBACK = {
  submit: 'dbchange_submit',
  edit: 'dbchange_edit',
  schedule: 'dbchange_schedule',
  info: 'dbchange_info',
} as const;

/** Block ids of the modals' inputs; each input's action id is the same as its block id. */
export const FIELD = {
  title: 'title',
  target: 'target',
  changeType: 'changeType',
  sql: 'sql',
  sqlFile: 'sqlFile',
  description: 'description',
  labels: 'labels',
  timing: 'timing',
  at: 'at',
} as const;
