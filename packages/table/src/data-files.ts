// Writing data files for a commit: the engine writes parquet under the table root (or partition
// directories), and each written file becomes an `add` action with a relative, URI-encoded path
// and its statistics. Files stay invisible until the commit that references them exists.
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AddFile, DeltaError, type Snapshot, type StructType } from '@loch/delta';
import type { ParquetCompression, WrittenFile } from '@loch/engine-duckdb';
import { encodeRelativePath } from '@loch/storage';
import { CHECK_MARKER } from './constraints.js';
import type { TableHandle } from './table-handle.js';
import { NOT_NULL_MARKER } from './write-schema.js';

export interface DataFileTarget {
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly columnMappingMode: Snapshot['columnMappingMode'];
  readonly configuration: Readonly<Record<string, string>>;
}

export interface WrittenData {
  readonly adds: AddFile[];
  /** Store paths of the files, for cleanup when the operation fails. */
  readonly paths: string[];
  readonly numOutputRows: number;
  readonly numOutputBytes: number;
}

/** The local directory of a table: the engine only writes local paths. */
export function localRoot(h: TableHandle): string {
  const url = h.location;
  if (!url.startsWith('file:')) {
    throw new DeltaError(
      'UNSUPPORTED_OPERATION',
      `writing data files needs a local table location (file://), not ${url}`,
      { location: url },
    );
  }
  return fileURLToPath(new URL(url));
}

/** Turns an engine error from a NOT NULL guard into a DeltaError; other errors pass through. */
export function mapWriteError(e: unknown): unknown {
  const message = e instanceof Error ? e.message : String(e);
  const check = message.indexOf(CHECK_MARKER);
  if (check >= 0) {
    const detail = message.slice(check).split('\n')[0]!;
    return new DeltaError('CONSTRAINT_VIOLATION', `${detail} Fix or filter the data.`, {});
  }
  const at = message.indexOf(NOT_NULL_MARKER);
  if (at < 0) return e;
  const detail = message.slice(at).split('\n')[0]!;
  const column = detail.slice(NOT_NULL_MARKER.length + 2).replace(/\.$/u, '');
  return new DeltaError(
    'CONSTRAINT_VIOLATION',
    `${detail} Remove the null values or make the column nullable.`,
    {
      column,
    },
  );
}

const numIndexedCols = (configuration: Readonly<Record<string, string>>): number | undefined => {
  const raw = configuration['delta.dataSkippingNumIndexedCols'];
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(n) ? n : undefined;
};

const statsColumns = (configuration: Readonly<Record<string, string>>): string[] | undefined => {
  const raw = configuration['delta.dataSkippingStatsColumns'];
  return raw === undefined
    ? undefined
    : raw
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '');
};

function toAdd(
  root: string,
  file: WrittenFile,
  now: number,
): {
  add: AddFile;
  path: string;
} {
  const relative = nodePath.relative(root, file.location).split(nodePath.sep).join('/');
  if (relative.startsWith('..') || nodePath.isAbsolute(relative)) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `the engine wrote ${file.location} outside the table root ${root}`,
      {
        location: file.location,
      },
    );
  }
  const add: AddFile = {
    kind: 'add',
    path: encodeRelativePath(relative),
    // The engine keys partition values by physical name, as the log stores them under column mapping.
    partitionValues: { ...file.partitionValues },
    size: file.size,
    modificationTime: now,
    dataChange: true,
    stats: JSON.stringify(file.stats),
  };
  return { add, path: relative };
}

const CODECS: readonly ParquetCompression[] = ['snappy', 'zstd', 'gzip', 'lz4_raw', 'brotli', 'uncompressed'];

/** The table's parquet codec (`loch.parquet.compression.codec`); unset means the engine default. */
function compressionOf(configuration: Readonly<Record<string, string>>): ParquetCompression | undefined {
  const value = configuration['loch.parquet.compression.codec']?.toLowerCase();
  if (value === undefined) return undefined;
  const codec = CODECS.find((c) => c === value);
  if (codec === undefined) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `table property loch.parquet.compression.codec = '${value}' is not a parquet codec; use one of ${CODECS.join(', ')}`,
      { value },
    );
  }
  return codec;
}

/** Writes the rows of `sql` (columns in target schema order) as data files of the table. */
export async function writeDataFiles(
  h: TableHandle,
  sql: string,
  target: DataFileTarget,
  options: { readonly targetFileSize?: number } = {},
): Promise<WrittenData> {
  const root = localRoot(h);
  const indexed = numIndexedCols(target.configuration);
  const stats = statsColumns(target.configuration);
  const compression = compressionOf(target.configuration);
  let files: WrittenFile[];
  try {
    files = await h.engine.writeParquet(sql, {
      directory: root,
      schema: target.schema,
      partitionColumns: target.partitionColumns,
      columnMappingMode: target.columnMappingMode,
      ...(indexed !== undefined ? { numIndexedCols: indexed } : {}),
      ...(stats !== undefined ? { statsColumns: stats } : {}),
      ...(compression !== undefined ? { compression } : {}),
      ...(options.targetFileSize !== undefined ? { targetFileSize: options.targetFileSize } : {}),
    });
  } catch (e) {
    throw mapWriteError(e);
  }
  const now = h.now();
  const adds: AddFile[] = [];
  const paths: string[] = [];
  let numOutputRows = 0;
  let numOutputBytes = 0;
  for (const f of files) {
    const { add, path } = toAdd(root, f, now);
    adds.push(add);
    paths.push(path);
    numOutputRows += f.stats.numRecords;
    numOutputBytes += f.size;
  }
  return { adds, paths, numOutputRows, numOutputBytes };
}
