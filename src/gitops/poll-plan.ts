/**
 * What one poll of a repository means, decided without I/O: the files the new commits touched,
 * the config's databases and the versions already taken for each database go in; out come
 * - migrations to open as change issues, in VERSION order, each with the databases it targets
 *   (a file with ENV_ID targets that environment's database only; without ENV_ID, every
 *   environment where DB_NAME exists);
 * - stray files (under the base directory, not matching the template), with the reason;
 * - checksum mismatches (a version already taken, with other content or another path);
 * - versions lower than one already taken (held for an admin);
 * - changed LATEST files (the schema path template), for state-based mode.
 * A version already taken with the same content is skipped silently: re-delivery is harmless.
 */
import {
  compileTemplate,
  matchMigrationPath,
  relativeToBase,
  type CompiledTemplate,
  type MigrationFile,
} from './path-template.js';
import { compareVersions, versionOrderOf, versionProblem, type VersionOrder } from './versions.js';

export interface CommitInfo {
  sha: string;
  author: string;
  email: string;
  /** First line of the message. */
  subject: string;
}

export interface ChangedFile {
  path: string;
  change: 'added' | 'modified' | 'deleted';
  /** Git blob id of the new content: the checksum of the file. */
  blob: string;
  commit: CommitInfo;
}

export interface DatabaseRef {
  name: string;
  environment: string;
}

/** A version taken on one database (an issue was opened for it, or it is held). */
export interface TakenVersion {
  database: string;
  environment: string;
  version: string;
  path: string;
  blob: string;
}

export interface GitopsLayout {
  baseDirectory: string;
  filePathTemplate: string;
  schemaPathTemplate: string;
}

export interface PlannedMigration {
  file: MigrationFile;
  blob: string;
  commit: CommitInfo;
  targets: DatabaseRef[];
}

export interface PollPlan {
  migrations: PlannedMigration[];
  stray: { path: string; reason: string; commit: CommitInfo; blob: string }[];
  mismatches: {
    path: string;
    version: string;
    target: DatabaseRef;
    takenBy: string;
    commit: CommitInfo;
    blob: string;
  }[];
  outOfOrder: { file: MigrationFile; blob: string; commit: CommitInfo; target: DatabaseRef; highest: string }[];
  latest: { path: string; dbName: string; envId?: string; blob: string; commit: CommitInfo }[];
}

export interface CompiledLayout {
  layout: GitopsLayout;
  files: CompiledTemplate;
  schema?: CompiledTemplate;
  order: VersionOrder;
}

/** Compile the templates once per repository; throws when a template is unusable. */
export function compileLayout(layout: GitopsLayout): CompiledLayout {
  return {
    layout,
    files: compileTemplate(layout.filePathTemplate),
    schema: layout.schemaPathTemplate ? compileTemplate(layout.schemaPathTemplate, ['DB_NAME']) : undefined,
    order: versionOrderOf(layout.filePathTemplate),
  };
}

/** The LATEST file a path is, when it matches the schema path template. */
export function matchSchemaPath(c: CompiledLayout, path: string): { dbName: string; envId?: string } | undefined {
  if (!c.schema) return undefined;
  const rel = relativeToBase(path, c.layout.baseDirectory);
  if (rel === undefined) return undefined;
  const m = c.schema.regex.exec(rel);
  if (!m?.groups?.DB_NAME) return undefined;
  return { dbName: m.groups.DB_NAME, ...(m.groups.ENV_ID ? { envId: m.groups.ENV_ID.toLowerCase() } : {}) };
}

/** Several changes of one path in one poll count as one: its last content, "added" if it was new. */
function lastStateOfEachPath(files: ChangedFile[]): ChangedFile[] {
  const byPath = new Map<string, ChangedFile>();
  for (const f of files) {
    const earlier = byPath.get(f.path);
    byPath.delete(f.path); // re-insert so the map keeps the order of the last change
    byPath.set(f.path, earlier?.change === 'added' && f.change !== 'deleted' ? { ...f, change: 'added' } : f);
  }
  return [...byPath.values()];
}

/** Decide what a poll's changed files mean (see the module comment). */
export function planPoll(input: {
  compiled: CompiledLayout;
  databases: DatabaseRef[];
  files: ChangedFile[];
  taken: TakenVersion[];
}): PollPlan {
  const { compiled, databases } = input;
  const plan: PollPlan = { migrations: [], stray: [], mismatches: [], outOfOrder: [], latest: [] };
  const key = (db: DatabaseRef, version: string) => `${db.name}@${db.environment}#${version}`;
  const takenAt = new Map<string, TakenVersion>();
  const highest = new Map<string, string>();
  const remember = (t: TakenVersion) => {
    const db = { name: t.database, environment: t.environment };
    takenAt.set(key(db, t.version), t);
    const h = highest.get(`${t.database}@${t.environment}`);
    if (h === undefined || compareVersions(t.version, h, compiled.order) > 0)
      highest.set(`${t.database}@${t.environment}`, t.version);
  };
  for (const t of input.taken) remember(t);

  const candidates: { file: MigrationFile; changed: ChangedFile }[] = [];
  for (const changed of lastStateOfEachPath(input.files)) {
    if (changed.change === 'deleted') continue;
    const rel = relativeToBase(changed.path, compiled.layout.baseDirectory);
    if (rel === undefined) continue;
    const schema = matchSchemaPath(compiled, changed.path);
    if (schema) {
      plan.latest.push({ path: changed.path, ...schema, blob: changed.blob, commit: changed.commit });
      continue;
    }
    const m = matchMigrationPath(compiled.files, rel);
    const stray = (reason: string) =>
      plan.stray.push({ path: changed.path, reason, commit: changed.commit, blob: changed.blob });
    if (!m.ok) {
      stray(m.reason);
      continue;
    }
    const bad = versionProblem(m.file.version, compiled.order);
    if (bad) {
      stray(bad);
      continue;
    }
    candidates.push({ file: { ...m.file, path: changed.path }, changed });
  }
  candidates.sort((a, b) => compareVersions(a.file.version, b.file.version, compiled.order));

  for (const { file, changed } of candidates) {
    const named = databases.filter((d) => d.name === file.dbName);
    const targets = file.envId ? named.filter((d) => d.environment === file.envId) : named;
    if (targets.length === 0) {
      const reason =
        named.length === 0
          ? `DB_NAME "${file.dbName}" is not a configured database (names are case-sensitive)`
          : `database ${file.dbName} has no environment "${file.envId}"; it is in ${named.map((d) => d.environment).join(', ')}`;
      plan.stray.push({ path: changed.path, reason, commit: changed.commit, blob: changed.blob });
      continue;
    }
    const ok: DatabaseRef[] = [];
    for (const target of targets) {
      const taken = takenAt.get(key(target, file.version));
      if (taken) {
        if (taken.blob !== changed.blob || taken.path !== changed.path)
          plan.mismatches.push({
            path: changed.path,
            version: file.version,
            target,
            takenBy: taken.path,
            commit: changed.commit,
            blob: changed.blob,
          });
        continue;
      }
      const h = highest.get(`${target.name}@${target.environment}`);
      if (h !== undefined && compareVersions(file.version, h, compiled.order) < 0) {
        plan.outOfOrder.push({ file, blob: changed.blob, commit: changed.commit, target, highest: h });
        continue;
      }
      ok.push(target);
    }
    for (const t of ok)
      remember({
        database: t.name,
        environment: t.environment,
        version: file.version,
        path: file.path,
        blob: changed.blob,
      });
    if (ok.length) plan.migrations.push({ file, blob: changed.blob, commit: changed.commit, targets: ok });
  }
  return plan;
}
