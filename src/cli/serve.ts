// `dbchange serve`: the bot. It runs until SIGINT or SIGTERM, which stop it and end the process.
import type { Command } from 'commander';
import { isDbchangeError, messageOf } from '../errors.js';
import type { CliRun } from './io.js';

export function registerServe(program: Command, cli: CliRun): void {
  program
    .command('serve')
    .description('run the Slack bot (HTTP on PORT at /slack/events, or Socket Mode when SLACK_APP_TOKEN is set)')
    .action(async () => {
      // The bot's modules load only for this command, so the other commands start fast.
      const { createLogger, readLogSettings } = await import('../log.js');
      const { startBot } = await import('../main.js');
      const { prepareStart } = await import('../startup.js');
      const env = { ...cli.io.env };
      // The logger writes to the process's stdout: pretty on a terminal, JSON otherwise.
      const isTerminal = Boolean(process.stdout.isTTY);
      // A bad LOG_* value is reported with the other start-up problems; meanwhile the default is used.
      const logger = createLogger(readLogSettings(env, isTerminal).settings, { colorize: isTerminal });
      await guardProcess(logger);
      try {
        const bot = await startBot(await prepareStart(env, { isTerminal, logger }), logger);
        // The Slack requests already acknowledged finish first (see RunningBot.stop); a second signal
        // of the same kind ends the process at once.
        let stopping = false;
        const stop = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          logger.info({ signal }, 'stopping');
          await bot.stop();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop('SIGINT'));
        process.once('SIGTERM', () => void stop('SIGTERM'));
      } catch (e) {
        // A start-up problem is the operator's to fix: print the message alone, no stack.
        cli.io.stderr.write(`${isDbchangeError(e) ? e.message : `dbchange could not start: ${messageOf(e)}`}\n`);
        cli.exitCode = 1;
      }
    });
}

/**
 * A rejected promise nobody awaited, or a driver's connection error nobody listened to, is logged
 * (the same one once a minute) and the bot keeps running: a store or database outage must never
 * end it. Any other uncaught exception is a bug that leaves the process in an unknown state: it is
 * logged and the process exits, for its supervisor to restart it.
 */
async function guardProcess(logger: import('pino').Logger): Promise<void> {
  const { onceEvery } = await import('../log.js');
  const { isConnectionLoss } = await import('../store/outage.js');
  const firstTime = onceEvery(60_000);
  process.on('unhandledRejection', (reason) => {
    if (firstTime(messageOf(reason)))
      logger.error(
        { err: messageOf(reason) },
        'a background task failed and nobody waited for it; the bot keeps running',
      );
  });
  process.on('uncaughtException', (err) => {
    if (isConnectionLoss(err)) {
      if (firstTime(messageOf(err)))
        logger.warn({ err: messageOf(err) }, 'a connection was lost; the bot keeps running and reconnects');
      return;
    }
    logger.fatal({ err }, 'unexpected error; stopping');
    process.exit(1);
  });
}
