/**
 * CommandComplete tags as PostgreSQL writes them. INSERT keeps the historical OID field, always 0
 * since PostgreSQL 12; clients such as `pg` parse the row count from the last word.
 */
export type CountedCommand = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE' | 'COPY' | 'FETCH' | 'MOVE';

const COUNTED = new Set<string>(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY', 'FETCH', 'MOVE']);

export const commandTag = (command: string, rows?: number | bigint): string => {
  const upper = command.toUpperCase();
  if (!COUNTED.has(upper)) return upper;
  const n = rows === undefined ? 0 : rows;
  return upper === 'INSERT' ? `INSERT 0 ${n}` : `${upper} ${n}`;
};

/** Whether the command's tag carries a row count (the others are bare, e.g. "CREATE TABLE"). */
export const isCountedCommand = (command: string): command is CountedCommand =>
  COUNTED.has(command.toUpperCase());

/** Row count from a tag ("INSERT 0 5" -> 5n), or undefined for uncounted tags. */
export const rowCountOfTag = (tag: string): bigint | undefined => {
  const parts = tag.split(' ');
  if (!COUNTED.has(parts[0] ?? '')) return undefined;
  const last = parts[parts.length - 1] ?? '';
  return /^\d+$/.test(last) ? BigInt(last) : undefined;
};
