// Z-order keys (Delta's OPTIMIZE ZORDER BY): every column is normalized to an unsigned integer of
// `bits` bits by its rank among the rows being rewritten (so skewed values and any orderable type
// spread evenly), and the key interleaves those bits, most significant first. Rows sorted by the
// key fill files that are narrow on every column at once, which is what data skipping needs.
import { DeltaError } from '../errors.js';

/** Bits per column: the key must fit in 64 bits (DuckDB UBIGINT); 16 bits already give 65,536 ranks. */
export function zOrderBits(columns: number): number {
  if (!Number.isInteger(columns) || columns < 1) {
    throw new DeltaError('INVALID_ARGUMENT', `Z-order needs at least one column, not ${columns}`, {
      columns,
    });
  }
  return Math.max(1, Math.min(16, Math.floor(64 / columns)));
}

/**
 * The bit position of bit `bit` (0 = least significant) of column `column` of `columns` in the
 * interleaved key: the most significant bits of all columns come first, column 0 leading.
 */
export const zOrderBitPosition = (bit: number, column: number, columns: number): number =>
  bit * columns + (columns - 1 - column);

/** The Z-order key of already normalized values (each below 2^bits), as a bigint. */
export function interleaveBits(values: readonly number[], bits: number): bigint {
  let key = 0n;
  for (let i = 0; i < values.length; i++) {
    const v = BigInt(values[i]!);
    for (let b = 0; b < bits; b++) {
      if ((v >> BigInt(b)) & 1n) key |= 1n << BigInt(zOrderBitPosition(b, i, values.length));
    }
  }
  return key;
}

/**
 * SQL (DuckDB) of the normalized rank of one column: `percent_rank` over the rows in [0, 1]
 * scaled to 0..2^bits-1. NULLs rank first, as Spark's Z-order puts them.
 */
export function zOrderRankSql(columnSql: string, bits: number, partitionBySql?: string): string {
  const over = `${partitionBySql === undefined ? '' : `PARTITION BY ${partitionBySql} `}ORDER BY ${columnSql} ASC NULLS FIRST`;
  return `CAST(floor(percent_rank() OVER (${over}) * ${2 ** bits - 1}) AS UBIGINT)`;
}

/** SQL (DuckDB) of the interleaved key of normalized UBIGINT expressions (see interleaveBits). */
export function interleaveSql(normalizedSql: readonly string[], bits: number): string {
  const n = normalizedSql.length;
  const terms: string[] = [];
  for (let b = bits - 1; b >= 0; b--) {
    for (let i = 0; i < n; i++) {
      const shift = zOrderBitPosition(b, i, n);
      terms.push(`(((${normalizedSql[i]} >> ${b}) & 1::UBIGINT) << ${shift})`);
    }
  }
  return terms.length === 0 ? '0::UBIGINT' : terms.join(' | ');
}

/** Number of output files for `bytes` of input at `targetFileSize` (at least one). */
export const outputFileCount = (bytes: number, targetFileSize: number): number =>
  Math.max(1, Math.ceil(bytes / Math.max(1, targetFileSize)));

/** Z-order statistics of an OPTIMIZE, shaped as Delta's `zOrderStats` metric. */
export interface ZOrderStats {
  readonly strategyName: 'all' | 'minCubeSize' | 'liquid';
  readonly inputCubeFiles: { readonly num: number; readonly size: number };
  readonly inputOtherFiles: { readonly num: number; readonly size: number };
  readonly inputNumCubes: number;
  readonly mergedFiles: { readonly num: number; readonly size: number };
  readonly numOutputCubes: number;
}
