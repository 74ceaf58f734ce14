// `/dbchange [subcommand]`: parse the text, call the application, answer the person who asked (ephemeral).
import type { App as BoltApp } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Application } from '../app/index.js';
import { targetNames } from '../app/index.js';
import { afterAck } from './after-ack.js';
import { refusalText } from './views/events.js';
import { submitModal } from './views/modals.js';
import {
  baselineReply,
  driftText,
  helpText,
  historyText,
  listText,
  sessionsText,
  statusText,
} from './views/replies.js';
import { escapeText } from './views/text.js';

/** Subcommands answered in the ack itself; every other one is acked with nothing and answered after. */
const ANSWERED_IN_ACK = new Set(['help']);

function subcommandOf(text: string): { sub: string; args: string[] } {
  const [sub = '', ...args] = text.trim().split(/\s+/).filter(Boolean);
  return { sub: sub.toLowerCase(), args };
}

/** Whether `/dbchange <text>` is acked with nothing, so the receiver may ack it as it arrives. */
export function commandAcksEmpty(text: string): boolean {
  return !ANSWERED_IN_ACK.has(subcommandOf(text).sub);
}

export function registerCommand(bolt: BoltApp, app: Application, logger: Logger): void {
  bolt.command('/dbchange', async ({ ack, command, client, respond, context }) => {
    const { sub, args } = subcommandOf(command.text);
    const reply = (text: string) => respond({ response_type: 'ephemeral', text });

    switch (sub) {
      case '':
      case 'new':
        await ack();
        await afterAck(context);
        await client.views.open({
          trigger_id: command.trigger_id,
          view: submitModal(targetNames(app.config), command.channel_id),
        });
        return;
      case 'help':
        await ack({ response_type: 'ephemeral', text: helpText() });
        return;
      default:
        break;
    }
    await ack();
    await afterAck(context);
    try {
      await reply(await answer(app, sub, args, command.user_id));
    } catch (err) {
      logger.error({ err, sub }, 'command failed');
      await reply(`:x: \`/dbchange ${escapeText(sub)}\` failed: ${escapeText((err as Error).message)}`);
    }
  });
}

const NEEDS_DATABASE = 'name a database, e.g. `/dbchange history app` (or `app@prod` for one environment)';

async function answer(app: Application, sub: string, args: string[], user: string): Promise<string> {
  const actor = { user };
  const database = args[0];
  switch (sub) {
    case 'status': {
      const issueId = (args[0] ?? '').replace(/^#/, '');
      if (!issueId) return 'which issue? e.g. `/dbchange status 12`';
      const r = await app.status({ actor, issueId });
      return r.kind === 'done' ? statusText(r.issue, r.logs) : refusalText(r);
    }
    case 'list': {
      const r = await app.list({ actor });
      return r.kind === 'done' ? listText(r.issues) : refusalText(r);
    }
    case 'history': {
      if (!database) return NEEDS_DATABASE;
      const r = await app.history({ actor, database });
      return r.kind === 'done' ? historyText(database, r.records, r.git) : refusalText(r);
    }
    case 'sessions': {
      if (!database) return NEEDS_DATABASE;
      const r = await app.sessions({ actor, database });
      if (r.kind !== 'done') return refusalText(r);
      return r.databases
        .map((d) => sessionsText(d.database.name, d.database.environment, d.sessions, d.queriesHidden))
        .join('\n');
    }
    case 'drift': {
      if (!database) return NEEDS_DATABASE;
      const r = await app.drift({ actor, database });
      if (r.kind !== 'done') return refusalText(r);
      return r.reports.map((d) => driftText(d.database, d.result)).join('\n\n');
    }
    case 'baseline': {
      if (!database) return NEEDS_DATABASE;
      const r = await app.baseline({ actor, database });
      return r.kind === 'done' ? baselineReply(r).join('\n\n') : refusalText(r);
    }
    default:
      return `unknown subcommand \`${escapeText(sub)}\`.\n${helpText()}`;
  }
}
