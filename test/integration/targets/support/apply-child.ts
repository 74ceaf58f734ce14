// A separate bot process for crash tests: applies one task and prints each log event as a JSON
// line, so the parent can SIGKILL it at a chosen statement.
// argv: <engine> <url> <task JSON: ApplyTaskInput without onLog>
import { isEngine } from '../../../../src/domain/engine.js';
import { openTarget } from '../../../../src/targets/index.js';
import type { ApplyTaskInput } from '../../../../src/targets/types.js';

const [engine, url, taskJson] = process.argv.slice(2);
if (!isEngine(engine) || !url || !taskJson) {
  console.error('usage: apply-child.ts <engine> <url> <task JSON>');
  process.exit(2);
}
const task = JSON.parse(taskJson) as Omit<ApplyTaskInput, 'onLog'>;
const target = openTarget(engine, url);
const outcome = await target.apply({
  ...task,
  onLog: (event) => void process.stdout.write(`${JSON.stringify(event)}\n`),
});
process.stdout.write(`${JSON.stringify({ kind: 'outcome', outcome })}\n`);
await target.close();
