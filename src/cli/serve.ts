import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program.command('serve').description('(being built)').action(() => {
    console.error('dbchange serve is not available yet');
    process.exit(2);
  });
}
