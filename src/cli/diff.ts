import type { Command } from 'commander';

export function registerDiff(program: Command): void {
  program.command('diff').description('(being built)').action(() => {
    console.error('dbchange diff is not available yet');
    process.exit(2);
  });
}
