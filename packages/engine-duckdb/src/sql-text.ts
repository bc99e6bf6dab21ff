// Quoting helpers for generated SQL. Every identifier and literal we splice goes through these.

/** `"name"` with embedded quotes doubled. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** `'text'` with embedded quotes doubled. */
export const quoteString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** A SQL list literal of strings: `['a', 'b']`. */
export const stringList = (items: readonly string[]): string => `[${items.map(quoteString).join(', ')}]`;
