// `/dbchange [subcommand]`: parse the text, answer the person who asked (ephemeral).
import type { App as BoltApp, RespondFn } from '@slack/bolt';
import type { Logger } from 'pino';
import { afterAck } from './after-ack.js';
import type { ChangeService } from '../app/service.js';
import type { DatabaseConfig } from '../config/model.js';
import { targetNames } from '../config/model.js';
import type { Store } from '../store/types.js';
import type { Target } from '../targets/types.js';
import type { Directory } from '../domain/transitions.js';
import { submitModal } from './views/modals.js';
import { helpText, historyText, listText, sessionsText, statusText } from './views/replies.js';

/** Schema operations behind `drift` and `baseline`; each returns the text to show. */
export interface SchemaCommands {
  drift(db: DatabaseConfig, user: string): Promise<string>;
  baseline(db: DatabaseConfig, user: string): Promise<string>;
}

export interface CommandDeps {
  service: ChangeService;
  store: Store;
  logger: Logger;
  targetFor: (db: DatabaseConfig) => Target;
  schema?: SchemaCommands;
  directory: Directory;
}

/** The databases a `<db>` argument names: `app` (every environment) or `app@prod`. */
function resolveDatabases(deps: CommandDeps, arg: string | undefined): DatabaseConfig[] | string {
  if (!arg) return 'name a database, e.g. `/dbchange history app` (or `app@prod` for one environment)';
  const [name, env] = arg.split('@');
  const dbs = deps.service.config.databases.filter((d) => d.name === name && (!env || d.environment === env));
  if (dbs.length === 0)
    return `unknown database \`${arg}\`; known: ${[...new Set(deps.service.config.databases.map((d) => d.name))].join(', ')}`;
  return dbs;
}

export function registerCommand(app: BoltApp, deps: CommandDeps): void {
  app.command('/dbchange', async ({ ack, command, client, respond }) => {
    const [sub = '', ...args] = command.text.trim().split(/\s+/).filter(Boolean);
    const reply = (text: string) => respond({ response_type: 'ephemeral', text });

    switch (sub.toLowerCase()) {
      case '':
      case 'new':
        await ack();
        await afterAck();
        await client.views.open({
          trigger_id: command.trigger_id,
          view: submitModal(targetNames(deps.service.config), command.channel_id),
        });
        return;
      case 'help':
        await ack({ response_type: 'ephemeral', text: helpText() });
        return;
      default:
        break;
    }
    await ack();
    await afterAck();
    try {
      await answer(deps, sub.toLowerCase(), args, command.user_id, reply);
    } catch (err) {
      deps.logger.error({ err, sub }, 'command failed');
      await reply(`:x: \`/dbchange ${sub}\` failed: ${(err as Error).message}`);
    }
  });
}

async function answer(
  deps: CommandDeps,
  sub: string,
  args: string[],
  user: string,
  reply: (text: string) => Promise<unknown>,
): Promise<void> {
  switch (sub) {
    case 'status': {
      const id = (args[0] ?? '').replace(/^#/, '');
      if (!id) return void (await reply('which issue? e.g. `/dbchange status 12`'));
      const issue = await deps.store.getIssue(id);
      if (!issue) return void (await reply(`there is no issue #${id}; \`/dbchange list\` shows the open ones`));
      await reply(statusText(issue, await deps.store.listTaskLogs(issue.id)));
      return;
    }
    case 'list':
      await reply(
        listText(await deps.store.listIssues({ statuses: ['open', 'scheduled', 'running', 'failed'], limit: 30 })),
      );
      return;
    case 'history': {
      const dbs = resolveDatabases(deps, args[0]);
      if (typeof dbs === 'string') return void (await reply(dbs));
      const records = (await deps.store.listMigrations(dbs[0]!.name, 20)).filter((r) =>
        dbs.some((d) => d.environment === r.environment),
      );
      await reply(historyText(args[0]!, records));
      return;
    }
    case 'sessions': {
      const dbs = resolveDatabases(deps, args[0]);
      if (typeof dbs === 'string') return void (await reply(dbs));
      const texts: string[] = [];
      for (const db of dbs) texts.push(sessionsText(db.name, db.environment, await deps.targetFor(db).sessions()));
      await reply(texts.join('\n'));
      return;
    }
    case 'drift':
    case 'baseline': {
      const dbs = resolveDatabases(deps, args[0]);
      if (typeof dbs === 'string') return void (await reply(dbs));
      if (!deps.schema)
        return void (await reply(`\`/dbchange ${sub}\` needs the schema engine, which is not configured in this bot`));
      if (sub === 'baseline') {
        // A baseline makes the live schema the truth: only approvers or releasers of each environment may.
        const refused = dbs.filter((db) => {
          const env = deps.service.config.environments.find((e) => e.id === db.environment);
          return !deps.directory([...(env?.approvers ?? []), ...(env?.releasers ?? [])]).has(user);
        });
        if (refused.length)
          return void (await reply(
            `only approvers or releasers of ${[...new Set(refused.map((d) => d.environment))].join(', ')} can record a baseline there; nothing was recorded`,
          ));
      }
      const texts: string[] = [];
      for (const db of dbs)
        texts.push(sub === 'drift' ? await deps.schema.drift(db, user) : await deps.schema.baseline(db, user));
      await reply(texts.join('\n\n'));
      return;
    }
    default:
      await reply(`unknown subcommand \`${sub}\`.\n${helpText()}`);
  }
}

export type { RespondFn };
