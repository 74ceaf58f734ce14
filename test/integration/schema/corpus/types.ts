/** One round-trip case: a database holding `from` must become `to` by applying diff(from, to). */
export interface SchemaPair {
  name: string;
  from: string;
  to: string;
}
