/**
 * Every statement the SQL store runs, named and parameterised ($1, $2, …); values from
 * callers are only ever bound, never spliced into the text. Tables carry the `dbchange_`
 * prefix so the store can share a database with Agenda's `agenda_jobs` and anything else.
 */

/** Arbitrary but fixed key for pg_advisory_lock: serialises `migrate()` across processes. */
export const MIGRATE_LOCK_KEY = 7_302_114_511;

/** Schema, applied in order by `migrate()`; each statement is idempotent on its own. */
export const SCHEMA = [
  `CREATE SEQUENCE IF NOT EXISTS dbchange_issue_seq`,
  `CREATE TABLE IF NOT EXISTS dbchange_issues (
    id text PRIMARY KEY,
    seq bigint NOT NULL UNIQUE,
    version integer NOT NULL,
    status text NOT NULL,
    doc jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS dbchange_issues_status_idx ON dbchange_issues (status, seq DESC)`,
  `CREATE TABLE IF NOT EXISTS dbchange_task_logs (
    seq bigserial PRIMARY KEY,
    issue_id text NOT NULL,
    task_id text NOT NULL,
    at timestamptz NOT NULL,
    level text NOT NULL,
    text text NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS dbchange_task_logs_issue_idx ON dbchange_task_logs (issue_id, task_id, seq)`,
  `CREATE TABLE IF NOT EXISTS dbchange_migrations (
    id text PRIMARY KEY,
    seq bigserial NOT NULL,
    database text NOT NULL,
    version text NOT NULL,
    status text NOT NULL,
    started_at timestamptz NOT NULL,
    doc jsonb NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS dbchange_migrations_database_idx ON dbchange_migrations (database, started_at DESC, seq DESC)`,
  `CREATE TABLE IF NOT EXISTS dbchange_snapshots (
    seq bigserial PRIMARY KEY,
    database text NOT NULL,
    taken_at timestamptz NOT NULL,
    sdl text NOT NULL,
    source text NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS dbchange_snapshots_database_idx ON dbchange_snapshots (database, taken_at DESC, seq DESC)`,
  `CREATE TABLE IF NOT EXISTS dbchange_claims (
    key text PRIMARY KEY,
    at timestamptz NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS dbchange_cursors (
    key text PRIMARY KEY,
    value text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE IF NOT EXISTS dbchange_git_versions (
    repo text NOT NULL,
    database text NOT NULL,
    environment text NOT NULL,
    version text NOT NULL,
    seq bigserial NOT NULL,
    path text NOT NULL,
    blob text NOT NULL,
    commit_sha text NOT NULL,
    status text NOT NULL,
    issue_id text,
    written_back boolean NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (repo, database, environment, version)
  )`,
  `CREATE INDEX IF NOT EXISTS dbchange_git_versions_database_idx ON dbchange_git_versions (database, environment, seq)`,
  `CREATE INDEX IF NOT EXISTS dbchange_git_versions_write_back_idx ON dbchange_git_versions (repo, seq) WHERE NOT written_back`,
] as const;

/** The cheapest round trip: is the store answering? */
export const ping = `SELECT 1`;

export const lockMigrate = `SELECT pg_advisory_lock($1)`;
export const unlockMigrate = `SELECT pg_advisory_unlock($1)`;

/** $1 status, $2 doc (jsonb, without id and version), $3 now. */
export const insertIssue = `
  WITH next AS (SELECT nextval('dbchange_issue_seq') AS seq)
  INSERT INTO dbchange_issues (id, seq, version, status, doc, created_at, updated_at)
  SELECT next.seq::text, next.seq, 1, $1, $2::jsonb, $3, $3 FROM next
  RETURNING id`;

export const selectIssue = `SELECT id, version, doc FROM dbchange_issues WHERE id = $1`;

/** Compare-and-set: $1 id, $2 expected version, $3 status, $4 doc, $5 now. */
export const updateIssue = `
  UPDATE dbchange_issues
     SET doc = $4::jsonb, status = $3, version = version + 1, updated_at = $5
   WHERE id = $1 AND version = $2
  RETURNING version`;

/** $1 statuses (text[] or null for all), $2 limit (or null for all). */
export const listIssues = `
  SELECT id, version, doc FROM dbchange_issues
   WHERE ($1::text[] IS NULL OR status = ANY($1::text[]))
   ORDER BY seq DESC
   LIMIT $2`;

/** $1…$5 arrays of issue ids, task ids, times, levels and texts: one row each, seq in array order. */
export const insertTaskLogs = `
  INSERT INTO dbchange_task_logs (issue_id, task_id, at, level, text)
  SELECT issue_id, task_id, at, level, text
    FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[])
         WITH ORDINALITY AS l(issue_id, task_id, at, level, text, n)
   ORDER BY n`;

/** $1 issue id, $2 task id or null for every task of the issue. */
export const listTaskLogs = `
  SELECT seq, issue_id, task_id, at, level, text FROM dbchange_task_logs
   WHERE issue_id = $1 AND ($2::text IS NULL OR task_id = $2)
   ORDER BY seq`;

/** Re-recording the same id replaces the record (an attempt that later finished). */
export const upsertMigration = `
  INSERT INTO dbchange_migrations (id, database, version, status, started_at, doc)
  VALUES ($1, $2, $3, $4, $5, $6::jsonb)
  ON CONFLICT (id) DO UPDATE
    SET database = EXCLUDED.database, version = EXCLUDED.version, status = EXCLUDED.status,
        started_at = EXCLUDED.started_at, doc = EXCLUDED.doc`;

/** $1 database, $2 limit (or null for all). */
export const listMigrations = `
  SELECT doc FROM dbchange_migrations WHERE database = $1
   ORDER BY started_at DESC, seq DESC
   LIMIT $2`;

export const insertSnapshot = `
  INSERT INTO dbchange_snapshots (database, taken_at, sdl, source) VALUES ($1, $2, $3, $4)`;

export const latestSnapshot = `
  SELECT database, taken_at, sdl, source FROM dbchange_snapshots WHERE database = $1
   ORDER BY taken_at DESC, seq DESC
   LIMIT 1`;

export const claimKey = `
  INSERT INTO dbchange_claims (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`;

export const selectCursor = `SELECT value FROM dbchange_cursors WHERE key = $1`;

export const upsertCursor = `
  INSERT INTO dbchange_cursors (key, value, updated_at) VALUES ($1, $2, now())
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`;

export const insertGitVersion = `
  INSERT INTO dbchange_git_versions
    (repo, database, environment, version, path, blob, commit_sha, status, issue_id, written_back, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  ON CONFLICT DO NOTHING RETURNING version`;

/**
 * $1–$4 the key; $5 status, $6 issue id, $7 written_back: each null to keep the stored value;
 * $8 the status it must still have (null: any).
 */
export const updateGitVersion = `
  UPDATE dbchange_git_versions
     SET status = COALESCE($5, status), issue_id = COALESCE($6, issue_id), written_back = COALESCE($7, written_back)
   WHERE repo = $1 AND database = $2 AND environment = $3 AND version = $4 AND ($8::text IS NULL OR status = $8)`;

/** Each filter is null for "any": $1 repo, $2 database, $3 environment, $4 only pending write-backs. */
export const listGitVersions = `
  SELECT repo, database, environment, version, path, blob, commit_sha, status, issue_id, written_back, created_at
    FROM dbchange_git_versions
   WHERE ($1::text IS NULL OR repo = $1) AND ($2::text IS NULL OR database = $2)
     AND ($3::text IS NULL OR environment = $3) AND ($4::boolean IS NOT TRUE OR NOT written_back)
   ORDER BY seq`;
