// Domains (PostgreSQL): created after the enums they may be based on and before the tables that
// use them, altered in place, dropped after the columns that used them (before enum types).
import { DbchangeError, ErrorCode } from '../../errors.js';
import type { Dialect } from '../dialect.js';
import type { Domain, SchemaModel } from '../model.js';
import { mapBy, type Plan, tableKey } from './plan.js';

/** Domains over other domains come after them. */
function domainOrder(d: Dialect, domains: Domain[]): Domain[] {
  const out: Domain[] = [];
  const seen = new Set<string>();
  const visit = (dm: Domain): void => {
    if (seen.has(tableKey(dm))) return;
    seen.add(tableKey(dm));
    for (const base of domains) if (base !== dm && dm.type.replace(/\[\]$/, '') === d.domainName(base)) visit(base);
    out.push(dm);
  };
  domains.forEach(visit);
  return out;
}

/** Dropped domains; runs before the enum diff so a domain goes before the enum it is based on. */
export function dropDomains(d: Dialect, from: SchemaModel, to: SchemaModel, plan: Plan): void {
  const toDomains = mapBy(to.domains, tableKey);
  for (const f of domainOrder(d, from.domains).reverse())
    if (!toDomains.has(tableKey(f))) plan.add('drop-types', 'drop-domain', d.dropDomain(f), true);
}

/** Created and changed domains; runs after the enum diff (a domain may be based on a new enum). */
export function diffDomains(d: Dialect, from: SchemaModel, to: SchemaModel, plan: Plan): void {
  const fromDomains = mapBy(from.domains, tableKey);
  const create = (dm: Domain): void => {
    plan.addAll('types', d.createDomain(dm));
    if (dm.comment !== null)
      plan.add('types', 'comment', d.comment({ kind: 'domain', schema: dm.schema, name: dm.name }, dm.comment));
  };
  for (const dm of domainOrder(d, to.domains)) {
    const f = fromDomains.get(tableKey(dm));
    if (!f) {
      create(dm);
      continue;
    }
    // The base type and its collation are fixed when a domain is created.
    const base = (x: Domain): string => (x.collation ? `${x.type} COLLATE ${x.collation}` : x.type);
    if (base(f) !== base(dm)) {
      const name = d.domainName(dm);
      const uses = (type: string): boolean => type.replace(/\[\]$/, '') === name;
      const users = [
        ...from.tables.flatMap((t) =>
          t.columns.filter((c) => uses(c.type)).map((c) => `column ${d.tableName(t)}.${c.name}`),
        ),
        ...from.domains.filter((o) => uses(o.type)).map((o) => `domain ${d.domainName(o)}`),
      ];
      if (users.length > 0) {
        throw new DbchangeError(
          ErrorCode.SchemaError,
          `the base type of domain ${name} cannot be changed in place (${base(f)} to ${base(dm)}): ${users.join(', ')} ${users.length > 1 ? 'use' : 'uses'} it; ` +
            'create a new domain under another name and move its users to it, or move them to another type first, then change the domain',
        );
      }
      plan.add('types', 'drop-domain', d.dropDomain(f), true);
      create(dm);
      continue;
    }
    plan.addAll('types', d.alterDomain(f, dm));
    if (f.comment !== dm.comment)
      plan.add('types', 'comment', d.comment({ kind: 'domain', schema: dm.schema, name: dm.name }, dm.comment));
  }
}
