/**
 * The tasks this bot process is running, so a person can stop one (its statement is cancelled,
 * no other starts) or answer its lock-wait notice. A task running in another bot process is
 * stopped through its database instead (Target.cancelTask: the session holding the task's lock).
 */

export interface TaskControl {
  readonly signal: AbortSignal;
  /** Who stopped the task, once someone did. */
  stoppedBy(): string | undefined;
  /** The task has ended: forget it. */
  release(): void;
}

interface Entry {
  controller: AbortController;
  stoppedBy?: string;
  /** Answers "Keep waiting" while the task has a lock-wait notice open; false when it has none. */
  keepWaiting: (by: string) => boolean;
}

export class RunningTasks {
  private readonly tasks = new Map<string, Entry>();

  /** Register a task that is starting; `keepWaiting` answers its lock-wait notice. */
  register(taskId: string, keepWaiting: (by: string) => boolean): TaskControl {
    const entry: Entry = { controller: new AbortController(), keepWaiting };
    this.tasks.set(taskId, entry);
    return {
      signal: entry.controller.signal,
      stoppedBy: () => entry.stoppedBy,
      release: () => {
        if (this.tasks.get(taskId) === entry) this.tasks.delete(taskId);
      },
    };
  }

  /** Stop a task running here; false when it does not run in this process. */
  stop(taskId: string, by: string): boolean {
    const entry = this.tasks.get(taskId);
    if (!entry) return false;
    entry.stoppedBy ??= by;
    entry.controller.abort();
    return true;
  }

  /** "Keep waiting" for a task running here: 'not-here' when it runs elsewhere, 'not-waiting' when it waits for no lock. */
  keepWaiting(taskId: string, by: string): 'done' | 'not-here' | 'not-waiting' {
    const entry = this.tasks.get(taskId);
    if (!entry) return 'not-here';
    return entry.keepWaiting(by) ? 'done' : 'not-waiting';
  }
}
