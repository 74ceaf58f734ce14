import type { Command } from 'commander';

export function registerCheckFiles(program: Command): void {
  program.command('check-files').description('(being built)').action(() => {
    console.error('dbchange check-files is not available yet');
    process.exit(2);
  });
}
