// The config file's shape (DESIGN §4), validated with zod so every error can name its key.
import { z } from 'zod';
import { ENGINES } from '../domain/engine.js';

const userId = z.string().regex(/^[UWS][A-Z0-9_]+$/, 'a Slack user id (U…/W…) or user group id (S…)');

const maintenanceWindow = z.strictObject({
  timezone: z.string().min(1),
  /** "HH:mm" local to `timezone`. */
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 22:00'),
  end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 06:00'),
  days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).optional(),
});

/** An interval such as "10 seconds" or "30 minutes" (checked in model.ts). */
const interval = z.string({ error: 'an interval like "10 seconds" or "30 minutes"' }).min(1);

const environment = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
  approvers: z.array(userId).default([]),
  requiredApprovals: z.number().int().min(1).optional(),
  releasers: z.array(userId).default([]),
  rollout: z.enum(['automatic', 'manual', 'scheduled']),
  maintenanceWindow: maintenanceWindow.optional(),
  /** Roll a stage out in waves: counts, percentages of the stage's databases (rounded up) and `rest` (last). */
  waves: z
    .array(
      z.union([
        z.number().int().min(1),
        z.string().regex(/^(?:(?:100|[1-9]\d?)%|rest)$/, 'a count like 1, a percentage like 10% (1–100%), or rest'),
      ]),
    )
    .min(1)
    .optional(),
  /** With waves: the next wave starts by itself this long after a wave without failure, e.g. 10 minutes. */
  waveDelay: z.string().min(1).optional(),
  /** Unresolved schema drift on a target database holds the stage; default true for the last environment only. */
  holdOnDrift: z.boolean().optional(),
  /** Lock and statement timeouts every task of this environment runs with (intervals like "10 seconds"). */
  timeouts: z.strictObject({ lock: interval.optional(), statement: interval.optional() }).optional(),
  /** After how long a statement waiting for a lock is reported in the thread; `off` never. */
  lockWatch: interval.optional(),
  /** An approval counts this long after it was given (e.g. 7 days); then it must be renewed before release. */
  approvalExpires: interval.optional(),
  /** A check in the thread this long before a scheduled stage starts; `require`: unconfirmed, it is held. */
  preflight: z.strictObject({ before: interval, require: z.boolean().default(false) }).optional(),
  /** Periods in which nothing rolls out: ISO date-times with an offset, or local ones with `timezone`. */
  freeze: z
    .array(
      z.strictObject({
        from: z.string().min(1),
        to: z.string().min(1),
        reason: z.string().min(1),
        timezone: z.string().min(1).optional(),
      }),
    )
    .optional(),
});

const database = z.strictObject({
  name: z
    .string()
    .min(1)
    .regex(/^[^\s/?%*:|"<>\\]+$/, 'no spaces or any of / ? % * : | " < > \\'),
  environment: z.string().min(1),
  engine: z.enum(ENGINES),
  url: z.string().min(1),
  group: z.string().min(1).optional(),
});

const review = z.strictObject({
  policy: z.string().min(1).optional(),
  environments: z.record(z.string(), z.string().min(1)).optional(),
});

const gitops = z.strictObject({
  repo: z.string().min(1),
  branch: z.string().min(1).default('main'),
  baseDirectory: z.string().default(''),
  filePathTemplate: z.string().default('{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql'),
  schemaPathTemplate: z.string().default('{{ENV_ID}}/.{{DB_NAME}}##LATEST.sql'),
  changeType: z.enum(['migration', 'state']).default('migration'),
  pollInterval: z.string().default('1 minute'),
  /** Who the bot's write-back commits are by: "Name <email>". */
  author: z
    .string()
    .regex(/^[^<>]+ <[^<>\s]+@[^<>\s]+>$/, 'a git author like "dbchange <dbchange@example.com>"')
    .default('dbchange <dbchange@localhost>'),
});

const schemaEngine = z.strictObject({
  /** Dev instances where shadow databases for SDL are created and dropped, per engine. */
  devUrl: z.strictObject({ postgres: z.string().optional(), mysql: z.string().optional() }).optional(),
  driftInterval: z.string().default('1 hour'),
});

export const configSchema = z.strictObject({
  channel: z.string().regex(/^[CGD][A-Z0-9_]+$/, 'a Slack channel id like C0123ABCD'),
  environments: z.array(environment).min(1),
  /** DBAs (users or user groups) with rights in every environment; see domain/permissions.ts. */
  admins: z.array(userId).default([]),
  databases: z.array(database).min(1),
  review: review.optional(),
  gitops: z.union([gitops, z.array(gitops).min(1)]).optional(),
  schema: schemaEngine.optional(),
  rollout: z.strictObject({ concurrency: z.number().int().min(1).max(64).default(4) }).optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
