/** `work`'s result, or 'late' once `ms` have passed first (the timer is cleared either way; `work` goes on). */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
