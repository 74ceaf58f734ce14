// Runs apply-child.ts in its own Node process and kills it with SIGKILL once it starts a given
// statement: a bot dying mid-task, with no chance to clean up.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../../../src/domain/engine.js';
import type { ApplyTaskInput } from '../../../../src/targets/types.js';

const CHILD = fileURLToPath(new URL('./apply-child.ts', import.meta.url));

/** Start applying `task` in a child process; resolves once it was killed at statement `killAtIndex`. */
export function applyAndKillAt(
  engine: Engine,
  url: string,
  task: Omit<ApplyTaskInput, 'onLog'>,
  killAtIndex: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, engine, url, JSON.stringify(task)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child never started statement ${killAtIndex}; stdout: ${out} stderr: ${err}`));
    }, 20_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      for (const line of out.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { kind: string; index?: number };
        if (!killed && event.kind === 'statement-start' && event.index === killAtIndex) {
          killed = true;
          // Give the statement a moment to reach the server before the process dies.
          setTimeout(() => child.kill('SIGKILL'), 300);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (killed && signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited (${code ?? signal}) before being killed; stdout: ${out} stderr: ${err}`));
    });
  });
}
