/** The database engines dbchange targets. MariaDB counts as mysql. */
export const ENGINES = ['postgres', 'mysql'] as const;
export type Engine = (typeof ENGINES)[number];

export function isEngine(value: unknown): value is Engine {
  return typeof value === 'string' && (ENGINES as readonly string[]).includes(value);
}

/** Guess the engine from a connection URL (postgres://, postgresql://, mysql://, mariadb://). */
export function engineOfUrl(url: string): Engine | undefined {
  const scheme = url.split(':', 1)[0]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  return undefined;
}
