// A test reporter for scripts/test.js: writes the run's pass and fail counts (Node's own summary
// diagnostics) as JSON, so several runs can end with one closing line.
export default async function* countReporter(source) {
  const counts = { pass: 0, fail: 0 };
  for await (const event of source) {
    if (event.type !== 'test:diagnostic' || event.data.nesting !== 0) continue;
    const m = /^(pass|fail) (\d+)$/.exec(event.data.message);
    if (m) counts[m[1]] = Number(m[2]);
  }
  yield JSON.stringify(counts);
}
