import type { Command } from 'commander';

export function registerDump(program: Command): void {
  program.command('dump').description('(being built)').action(() => {
    console.error('dbchange dump is not available yet');
    process.exit(2);
  });
}
