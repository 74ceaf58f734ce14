/**
 * Reading nodes of PostgreSQL's own tree (libpg-query's JSON): a node is `{Kind: payload}`. The
 * one place the review reads node payloads, String nodes and subtrees by kind.
 */
import type { Node } from 'libpg-query';

/** The payload of a node of the given kind (`{CreateStmt: {...}}` → the CreateStmt), or undefined. */
export function as<T>(node: Node | undefined | null, kind: string): T | undefined {
  return node ? ((node as Record<string, unknown>)[kind] as T | undefined) : undefined;
}

/** The text of a String node (`{String: {sval}}`), '' for anything else. */
export function stringValue(node: unknown): string {
  return (node as { String?: { sval?: string } } | undefined)?.String?.sval ?? '';
}

/**
 * True when a subtree holds a node of the given kind (or one of the kinds: the branches of a
 * set operation, `larg` and `rarg`, hold a SelectStmt's payload without a node of their own).
 */
export function contains(
  node: unknown,
  kind: string | readonly string[],
  test: (n: Record<string, unknown>) => boolean = () => true,
): boolean {
  if (Array.isArray(node)) return node.some((x) => contains(x, kind, test));
  if (typeof node !== 'object' || node === null) return false;
  const o = node as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (typeof x !== 'object' || x === null) continue;
    if ((k === kind || (typeof kind !== 'string' && kind.includes(k))) && test(x as Record<string, unknown>))
      return true;
    if (contains(x, kind, test)) return true;
  }
  return false;
}
