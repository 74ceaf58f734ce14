// Findings shaped for a message with limited room (Slack): grouped by level, capped, the rest counted.
import type { ReviewFinding as Finding } from '../../domain/issue.js';

export interface GroupedFindings {
  errors: Finding[];
  warnings: Finding[];
  /** Findings left out by the cap (to show behind "show all"). */
  hidden: number;
  total: number;
}

/** Group findings by level, errors first, keeping at most `limit` in all. */
export function groupFindings(findings: readonly Finding[], limit: number): GroupedFindings {
  const errors = findings.filter((f) => f.level === 'ERROR');
  const warnings = findings.filter((f) => f.level === 'WARNING');
  const shownErrors = errors.slice(0, limit);
  const shownWarnings = warnings.slice(0, Math.max(0, limit - shownErrors.length));
  return {
    errors: shownErrors,
    warnings: shownWarnings,
    hidden: findings.length - shownErrors.length - shownWarnings.length,
    total: findings.length,
  };
}
