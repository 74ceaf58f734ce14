import type { Command } from 'commander';
import pino from 'pino';
import { isDbchangeError } from '../errors.js';
import { readSettings, startBot } from '../main.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the Slack bot (HTTP on PORT at /slack/events, or Socket Mode when SLACK_APP_TOKEN is set)')
    .action(async () => {
      const logger = pino({ name: 'dbchange' });
      try {
        const bot = await startBot(readSettings(process.env), logger);
        const stop = async (signal: string) => {
          logger.info({ signal }, 'stopping');
          await bot.stop();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop('SIGINT'));
        process.once('SIGTERM', () => void stop('SIGTERM'));
      } catch (e) {
        // A start-up problem is the operator's to fix: print the message alone, no stack.
        console.error(isDbchangeError(e) ? e.message : `dbchange could not start: ${(e as Error).message}`);
        process.exit(1);
      }
    });
}
