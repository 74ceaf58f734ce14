/**
 * The blast radius of a change, shown on the review card before anyone approves: how many
 * databases it targets, and the largest table a statement touches on any of them (rows and bytes
 * from the live catalog), with whether a statement rewrites or locks that table.
 */

/** What a statement does to a table while it runs: copies every row (locking it meanwhile), or locks it. */
export type TableEffect = 'rewrites' | 'locks';

export interface BlastRadius {
  /** Target databases of the change, over all its stages. */
  databases: number;
  /** The largest table touched that exists live (by rows, then bytes); absent when none does. */
  largest?: {
    database: string;
    environment: string;
    table: string;
    rows: number;
    bytes: number;
    effects: TableEffect[];
    /** The review rules that know the rewrite or lock (e.g. Squawk's changing-column-type). */
    rules: string[];
  };
  /** Target databases whose catalog could not be read (unreachable): the largest table may be there. */
  unread: number;
}
