import type { Command } from 'commander';
import { isDbchangeError } from '../errors.js';
import { createLogger, readLogSettings } from '../log.js';
import { startBot } from '../main.js';
import { prepareStart } from '../startup.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the Slack bot (HTTP on PORT at /slack/events, or Socket Mode when SLACK_APP_TOKEN is set)')
    .action(async () => {
      const isTerminal = Boolean(process.stdout.isTTY);
      // A bad LOG_* value is reported with the other start-up problems; meanwhile the default is used.
      const logger = createLogger(readLogSettings(process.env, isTerminal).settings, { colorize: isTerminal });
      try {
        const bot = await startBot(await prepareStart(process.env, { isTerminal }), logger);
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
