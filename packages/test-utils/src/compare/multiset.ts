// Multiset difference of canonical rows: duplicate rows are real data, so counts matter.

export interface RowCount {
  readonly row: string;
  readonly count: number;
}

export interface MultisetDiff {
  /** Rows the expected side has more often than the actual side (with the surplus count). */
  readonly missing: readonly RowCount[];
  /** Rows the actual side has more often than the expected side. */
  readonly unexpected: readonly RowCount[];
}

function countRows(rows: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

export function diffMultisets(expected: readonly string[], actual: readonly string[]): MultisetDiff {
  const exp = countRows(expected);
  const act = countRows(actual);
  const missing: RowCount[] = [];
  const unexpected: RowCount[] = [];
  for (const [row, n] of exp) {
    const m = act.get(row) ?? 0;
    if (n > m) missing.push({ row, count: n - m });
  }
  for (const [row, m] of act) {
    const n = exp.get(row) ?? 0;
    if (m > n) unexpected.push({ row, count: m - n });
  }
  const byRow = (a: RowCount, b: RowCount): number => (a.row < b.row ? -1 : a.row > b.row ? 1 : 0);
  return { missing: missing.sort(byRow), unexpected: unexpected.sort(byRow) };
}

const total = (rows: readonly RowCount[]): number => rows.reduce((s, r) => s + r.count, 0);

/** A readable failure message: counts, then a few missing and unexpected rows. */
export function formatDiff(
  diff: MultisetDiff,
  counts: { readonly expected: number; readonly actual: number },
  sample = 5,
): string {
  const lines = [
    `expected ${counts.expected} rows, got ${counts.actual}; ` +
      `${total(diff.missing)} missing, ${total(diff.unexpected)} unexpected`,
  ];
  const show = (title: string, rows: readonly RowCount[]): void => {
    if (rows.length === 0) return;
    lines.push(`${title}:`);
    for (const r of rows.slice(0, sample)) lines.push(`  ${r.count > 1 ? `${r.count} x ` : ''}${r.row}`);
    if (rows.length > sample) lines.push(`  ... and ${rows.length - sample} more distinct rows`);
  };
  show('missing (expected, not read)', diff.missing);
  show('unexpected (read, not expected)', diff.unexpected);
  return lines.join('\n');
}
