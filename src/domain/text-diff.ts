// A line diff of two texts (canonical SDL dumps), as unified-diff lines: how a person reads a drift.

/** Lines of `b` against `a`, prefixed "- ", "+ " or "  "; only changed hunks with `context` lines around. */
export function lineDiff(a: string, b: string, context = 2): string[] {
  const x = a.split('\n');
  const y = b.split('\n');
  // Trim the common head and tail first: dumps usually differ in a few places.
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  // LCS table on the middle part only.
  const n = xs.length;
  const m = ys.length;
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i]![j] = xs[i] === ys[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const ops: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && xs[i] === ys[j]) {
      ops.push(`  ${xs[i++]}`);
      j++;
    } else if (j < m && (i >= n || dp[i]![j + 1]! >= dp[i + 1]![j]!)) ops.push(`+ ${ys[j++]}`);
    else ops.push(`- ${xs[i++]}`);
  }
  const before = x.slice(Math.max(0, head - context), head).map((l) => `  ${l}`);
  const after = x.slice(x.length - tail, x.length - tail + context).map((l) => `  ${l}`);
  return ops.length === 0 ? [] : [...before, ...ops, ...after];
}
