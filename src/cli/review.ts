import type { Command } from 'commander';

export function registerReview(program: Command): void {
  program.command('review').description('(being built)').action(() => {
    console.error('dbchange review is not available yet');
    process.exit(2);
  });
}
