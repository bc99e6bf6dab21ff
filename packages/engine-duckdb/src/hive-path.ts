// Partition directory names escaped the way Spark's ExternalCatalogUtils.escapePathName does it, so a
// table written here looks like one Spark wrote. DuckDB's own PARTITION_BY escaping differs (it also
// escapes spaces, for instance), so the writer lays out the directories itself.

/** The Hive name Spark gives the directory of a NULL (or empty string) partition value. */
export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

function needsEscape(code: number): boolean {
  if (code >= 0x01 && code <= 0x1f) return true;
  switch (code) {
    case 0x22: // "
    case 0x23: // #
    case 0x25: // %
    case 0x27: // '
    case 0x2a: // *
    case 0x2f: // /
    case 0x3a: // :
    case 0x3d: // =
    case 0x3f: // ?
    case 0x5c: // \
    case 0x7f:
    case 0x7b: // {
    case 0x5b: // [
    case 0x5d: // ]
    case 0x5e: // ^
      return true;
    default:
      return false;
  }
}

/** Escapes one path segment: `%XX` (uppercase hex) for Spark's special characters, the rest verbatim. */
export function escapePathName(name: string): string {
  let out = '';
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    out += code < 0x80 && needsEscape(code) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

/** Reverses escapePathName (and any other `%XX` escape). */
export function unescapePathName(name: string): string {
  return name.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** `col=value/col2=value2` for a file's partition values (null -> __HIVE_DEFAULT_PARTITION__). */
export function partitionDirectory(columns: readonly string[], values: readonly (string | null)[]): string {
  return columns
    .map((c, i) => {
      const v = values[i];
      return `${escapePathName(c)}=${v === null || v === undefined || v === '' ? HIVE_DEFAULT_PARTITION : escapePathName(v)}`;
    })
    .join('/');
}
