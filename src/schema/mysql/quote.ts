// MySQL identifier and string quoting; identifiers are always backquoted, as SHOW CREATE does.

/** A backquoted identifier. */
export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** A string literal safe under any sql_mode (backslashes and quotes escaped). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
