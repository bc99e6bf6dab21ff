// Small helpers for building DuckDB SQL text. Identifiers and literals are always quoted here so
// user-supplied names never reach the engine unescaped.

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export const quoteLiteral = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** A user query usable as a subquery: trailing semicolons and whitespace removed. */
export function asSubquery(sql: string): string {
  return sql
    .trim()
    .replace(/;+\s*$/u, '')
    .trim();
}
