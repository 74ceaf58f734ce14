/**
 * Ordering of migration VERSIONs. Bytebase applies versions in alphabetical order; a
 * Flyway-style template (`V{{VERSION}}__…`) orders them numerically, part by part, as Flyway
 * does (1.2 < 1.10, 9 < 10; `_` separates parts like `.`). Pure.
 */

export type VersionOrder = 'alphabetical' | 'numeric';

/** Numeric for a Flyway-style template (a `V` right before {{VERSION}}, `__` after it); else alphabetical. */
export function versionOrderOf(template: string): VersionOrder {
  return /(^|\/)V\{\{VERSION\}\}__/.test(template) ? 'numeric' : 'alphabetical';
}

function numericParts(version: string): bigint[] | undefined {
  const parts = version.split(/[._]/);
  if (parts.some((p) => !/^\d+$/.test(p))) return undefined;
  return parts.map((p) => BigInt(p));
}

/** Negative when `a` comes before `b`, 0 when they are the same version. */
export function compareVersions(a: string, b: string, order: VersionOrder): number {
  if (order === 'numeric') {
    const pa = numericParts(a);
    const pb = numericParts(b);
    if (pa && pb) {
      // Trailing zero parts do not count, as in Flyway: 1.0 is 1.
      const len = Math.max(pa.length, pb.length);
      for (let i = 0; i < len; i++) {
        const x = pa[i] ?? 0n;
        const y = pb[i] ?? 0n;
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    }
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a version is well-formed for the order (numeric needs digits separated by . or _). */
export function versionProblem(version: string, order: VersionOrder): string | undefined {
  if (order === 'numeric' && !numericParts(version))
    return `VERSION "${version}" must be numbers separated by . or _ (Flyway style, e.g. 1.2 or 2_1)`;
  return undefined;
}
