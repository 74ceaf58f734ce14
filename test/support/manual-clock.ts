/**
 * A clock for unit tests whose timers fire and sleeps end only when the test moves time: `after`
 * (the edit throttle's timers) and `sleep` (Slack's paces) on one list of due times.
 */
export function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  const after = (ms: number, fn: () => void): (() => void) => {
    const t = { at: now + ms, fn };
    timers.push(t);
    return () => void (timers = timers.filter((x) => x !== t));
  };
  /** Let the promise chains started so far run on. */
  const settle = async () => {
    for (let i = 0; i < 50; i++) await Promise.resolve();
  };
  return {
    clock: {
      now: () => now,
      after,
      sleep: (ms: number) => new Promise<void>((wake) => after(ms, wake)),
    },
    settle,
    /** Move time forward, firing due timers in order (and letting what they start settle). */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        await settle();
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
      await settle();
    },
  };
}
