/**
 * What the GitOps poller tells the channel, as data; src/slack/views/gitops.ts renders it.
 * Each report is posted once (the poller claims a key per file and content before posting).
 */
import type { GitCommitRef } from '../domain/issue.js';

export interface ReportedFile {
  path: string;
  commit?: GitCommitRef;
}

export type GitopsReport =
  /** Files under the base directory that do not match the template (or name nothing configured). */
  | { kind: 'stray'; repo: string; files: (ReportedFile & { reason: string })[] }
  /** A version already taken on a database came again with other content (or from another file). */
  | {
      kind: 'checksum-mismatch';
      repo: string;
      files: (ReportedFile & { version: string; database: string; environment: string; takenBy: string })[];
    }
  /** A version lower than one already taken on that database: held for an admin to apply or skip. */
  | {
      kind: 'out-of-order';
      repo: string;
      /** The repository's key in the store, which the admin's decision names. */
      repoKey: string;
      files: (ReportedFile & { version: string; database: string; environment: string; highest: string })[];
    }
  /** First connection: the branch head is the starting point; these files' versions are not recorded. */
  | {
      kind: 'first-connect';
      repo: string;
      branch: string;
      head: string;
      files: (ReportedFile & { version: string; databases: string[] })[];
    }
  /** Baseline files: their versions were recorded without running anything. */
  | { kind: 'baseline-recorded'; repo: string; files: (ReportedFile & { version: string; databases: string[] })[] }
  /** The LATEST schema could not be pushed; it is tried again at the next poll. */
  | { kind: 'write-back-failed'; repo: string; reason: string };
