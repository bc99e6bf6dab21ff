// Snapshot -> ScanSpec: absolute file locations and deletion vectors, the only IO a scan needs
// before the engine takes over. Deletion vectors load concurrently and are cached by unique id,
// so a warm scan of an unchanged table does no IO at all.
import {
  type AddFile,
  type DeletionVectorDescriptor,
  dvUniqueId,
  loadDeletionVector,
  type Snapshot,
} from '@loch/delta';
import type { ScanFile, ScanSpec } from '@loch/engine-duckdb';
import { decodeAddPath } from '@loch/storage';
import type { TableHandle } from './table-handle.js';

const DV_CONCURRENCY = 16;

export interface ScanOptions {
  readonly columns?: readonly string[];
  /** Scan only these files (default: all live files of the snapshot). */
  readonly files?: readonly AddFile[];
  readonly fileColumn?: string;
  readonly rowIndexColumn?: string;
}

async function deletedRows(h: TableHandle, dv: DeletionVectorDescriptor): Promise<readonly number[]> {
  const key = dvUniqueId(dv);
  let pending = h.dvCache.get(key);
  if (pending === undefined) {
    pending = loadDeletionVector(h.store, dv).then((rows) => Array.from(rows, Number));
    // A failed load must not poison the cache for the next attempt.
    pending.catch(() => h.dvCache.delete(key));
    h.dvCache.set(key, pending);
  }
  return pending;
}

/** Where the engine finds an add's data file. */
export const fileLocation = (h: TableHandle, add: { readonly path: string }): string =>
  decodeAddPath(h.location, add.path);

// Snapshots are immutable, so the resolved file list of one is reused by every later scan of it:
// a warm query pays neither path decoding nor deletion-vector lookups again.
const scanFilesCache = new WeakMap<Snapshot, Promise<readonly ScanFile[]>>();

function snapshotScanFiles(h: TableHandle, snapshot: Snapshot): Promise<readonly ScanFile[]> {
  let files = scanFilesCache.get(snapshot);
  if (files === undefined) {
    files = scanFiles(h, snapshot.files);
    files.catch(() => scanFilesCache.delete(snapshot));
    scanFilesCache.set(snapshot, files);
  }
  return files;
}

export async function buildScanSpec(
  h: TableHandle,
  snapshot: Snapshot,
  options: ScanOptions = {},
): Promise<ScanSpec> {
  const files =
    options.files === undefined ? await snapshotScanFiles(h, snapshot) : await scanFiles(h, options.files);
  return {
    files,
    schema: snapshot.schema,
    partitionColumns: snapshot.partitionColumns,
    columnMappingMode: snapshot.columnMappingMode,
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
    ...(options.fileColumn !== undefined ? { fileColumn: options.fileColumn } : {}),
    ...(options.rowIndexColumn !== undefined ? { rowIndexColumn: options.rowIndexColumn } : {}),
  };
}

async function scanFiles(h: TableHandle, adds: readonly AddFile[]): Promise<ScanFile[]> {
  const files: ScanFile[] = new Array(adds.length);
  const withDv: number[] = [];
  for (let i = 0; i < adds.length; i++) {
    const add = adds[i]!;
    files[i] = { location: fileLocation(h, add), partitionValues: add.partitionValues, size: add.size };
    if (add.deletionVector != null) withDv.push(i);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < withDv.length) {
      const i = withDv[next++]!;
      const rows = await deletedRows(h, adds[i]!.deletionVector!);
      files[i] = { ...files[i]!, deletedRows: rows };
    }
  };
  await Promise.all(Array.from({ length: Math.min(DV_CONCURRENCY, withDv.length) }, worker));
  return files;
}
