// The Z-order rewrite of one partition's files (OPTIMIZE ZORDER BY, and liquid clustering's
// OPTIMIZE): the rows get an interleaved key over the ranks of the Z-order columns, are sorted by
// it once into a temp parquet file tagged with each row's output file, and every output file is
// then written from its contiguous key range. Files therefore cover narrow ranges of every Z-order
// column, which data skipping turns into fewer files read.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import {
  type AddFile,
  DeltaError,
  findField,
  interleaveSql,
  outputFileCount,
  type Snapshot,
  zOrderBits,
  zOrderRankSql,
} from '@loch/delta';
import { type DataFileTarget, writeDataFiles } from './data-files.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import type { TableHandle } from './table-handle.js';

/**
 * Resolves Z-order column names to their schema spelling. Delta refuses partition columns (every
 * file of a partition has one value) and unknown columns.
 */
export function resolveZOrderColumns(snapshot: Snapshot, columns: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of columns) {
    const field = findField(snapshot.schema, [c]);
    if (field === undefined) {
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `ZORDER BY column '${c}' is not a column of the table; columns are ${snapshot.schema.fields.map((f) => f.name).join(', ')}`,
        { column: c },
      );
    }
    if (snapshot.partitionColumns.some((p) => p.toLowerCase() === field.name.toLowerCase())) {
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `ZORDER BY column '${field.name}' is a partition column; Z-order by data columns only`,
        { column: field.name },
      );
    }
    if (field.type.kind !== 'primitive' && field.type.kind !== 'decimal') {
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `ZORDER BY column '${field.name}' has a nested type; use a primitive column`,
        {
          column: field.name,
        },
      );
    }
    if (out.includes(field.name)) {
      throw new DeltaError('INVALID_ARGUMENT', `ZORDER BY column '${field.name}' is listed twice`, {
        column: field.name,
      });
    }
    out.push(field.name);
  }
  if (out.length === 0) throw new DeltaError('INVALID_ARGUMENT', 'ZORDER BY needs at least one column');
  return out;
}

/** SQL of `rowsSql` with a `__loch_z` UBIGINT key column appended. */
export function zOrderKeyedSql(rowsSql: string, columns: readonly string[]): string {
  const bits = zOrderBits(columns.length);
  const ranks = columns.map((c, i) => `${zOrderRankSql(quoteIdent(c), bits)} AS __loch_zr${i}`);
  const key = interleaveSql(
    columns.map((_, i) => `__loch_zr${i}`),
    bits,
  );
  return `SELECT * EXCLUDE (${columns.map((_, i) => `__loch_zr${i}`).join(', ')}), ${key} AS __loch_z FROM (SELECT *, ${ranks.join(', ')} FROM (${rowsSql}) AS __zr) AS __zk`;
}

export interface ZOrderWrite {
  readonly adds: AddFile[];
  readonly paths: string[];
}

/**
 * Writes the rows of `rowsSql` (table columns in schema order) Z-ordered by `columns` into about
 * `inputBytes / targetFileSize` files. The caller deletes `paths` if its commit fails.
 */
export async function writeZOrdered(
  h: TableHandle,
  rowsSql: string,
  columns: readonly string[],
  target: DataFileTarget,
  inputBytes: number,
  targetFileSize: number,
): Promise<ZOrderWrite> {
  const tiles = outputFileCount(inputBytes, targetFileSize);
  const dir = await fs.mkdtemp(nodePath.join(os.tmpdir(), 'loch-zorder-'));
  const sorted = nodePath.join(dir, `${randomUUID()}.parquet`);
  const adds: AddFile[] = [];
  const paths: string[] = [];
  try {
    const keyed = zOrderKeyedSql(rowsSql, columns);
    await h.engine.run(
      `COPY (SELECT *, CAST(floor((row_number() OVER (ORDER BY __loch_z) - 1) * ${tiles} / count(*) OVER ()) AS BIGINT) AS __loch_tile ` +
        `FROM (${keyed}) AS __k ORDER BY __loch_z) TO ${quoteLiteral(sorted)} (FORMAT parquet)`,
    );
    const cols = target.schema.fields.map((f) => quoteIdent(f.name)).join(', ');
    for (let tile = 0; tile < tiles; tile++) {
      const data = await writeDataFiles(
        h,
        `SELECT ${cols} FROM read_parquet(${quoteLiteral(sorted)}) WHERE __loch_tile = ${tile} ORDER BY __loch_z`,
        target,
      );
      paths.push(...data.paths);
      adds.push(...data.adds);
    }
    return { adds, paths };
  } catch (e) {
    // The caller only learns of the files of a write that returned; clean up the rest here.
    await Promise.all(paths.map((p) => h.store.delete(p).catch(() => undefined)));
    throw e;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** One group per partition: a Z-order rewrites every selected file of a partition together. */
export function zOrderGroups(
  files: readonly AddFile[],
): { partitionValues: Readonly<Record<string, string | null>>; files: AddFile[]; size: number }[] {
  const groups = new Map<
    string,
    { partitionValues: Readonly<Record<string, string | null>>; files: AddFile[]; size: number }
  >();
  for (const f of files) {
    const key = JSON.stringify(
      Object.entries(f.partitionValues).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { partitionValues: f.partitionValues, files: [f], size: f.size });
    else {
      g.files.push(f);
      g.size += f.size;
    }
  }
  return [...groups.values()];
}
