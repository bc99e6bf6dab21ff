// Snapshot -> ScanSpec: absolute file locations and deletion vectors, the only IO a scan needs
// before the engine takes over. Deletion vectors load concurrently and are cached by unique id,
// so a warm scan of an unchanged table does no IO at all.
import {
  type AddFile,
  type DeletionVectorDescriptor,
  DeltaError,
  deletedFileRetentionMs,
  dvUniqueId,
  type Expr,
  loadDeletionVector,
  pruneFiles,
  type Snapshot,
  statsNumRecords,
} from '@loch/delta';
import type { ScanFile, ScanSpec } from '@loch/engine-duckdb';
import { addPathToRelative, decodeAddPath } from '@loch/storage';
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
  await checkNotVacuumed(h, snapshot, options.files ?? snapshot.files);
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
    const numRecords = statsNumRecords(add);
    files[i] = {
      location: fileLocation(h, add),
      partitionValues: add.partitionValues,
      size: add.size,
      ...(numRecords !== undefined ? { numRecords } : {}),
    };
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

/** A skipping predicate, or one built from the snapshot actually scanned (its schema decides names). */
export type ScanFilter = Expr | ((snapshot: Snapshot) => Expr | undefined);

/** What planning one table scan did: file pruning counts and the time it took. */
export interface ScanMetrics {
  readonly version: number;
  readonly filesTotal: number;
  readonly filesScanned: number;
  readonly bytesTotal: number;
  readonly bytesScanned: number;
  /** The predicate files were pruned with (undefined: no pruning). */
  readonly filter?: Expr;
  /** Snapshot lookup, pruning and scan spec building, in milliseconds. */
  readonly planningMs: number;
}

/**
 * The scan spec of `snapshot` restricted to the files `filter` may match, with metrics. Pruning is
 * only ever an optimization: a filter that cannot be built scans every file.
 */
export async function planScan(
  h: TableHandle,
  snapshot: Snapshot,
  options: Omit<ScanOptions, 'files'> & { readonly filter?: ScanFilter },
  startedAt: number = performance.now(),
): Promise<{ spec: ScanSpec; metrics: ScanMetrics }> {
  let filter: Expr | undefined;
  try {
    filter = typeof options.filter === 'function' ? options.filter(snapshot) : options.filter;
  } catch {
    filter = undefined;
  }
  const pruned = pruneFiles(snapshot, filter);
  const { filter: _ignored, ...rest } = options;
  const spec = await buildScanSpec(
    h,
    snapshot,
    filter === undefined || pruned.filesScanned === pruned.filesTotal
      ? rest
      : { ...rest, files: pruned.files },
  );
  const metrics: ScanMetrics = {
    version: snapshot.version,
    filesTotal: pruned.filesTotal,
    filesScanned: pruned.filesScanned,
    bytesTotal: pruned.bytesTotal,
    bytesScanned: pruned.bytesScanned,
    ...(filter !== undefined ? { filter } : {}),
    planningMs: performance.now() - startedAt,
  };
  return { spec, metrics };
}

const livePathsCache = new WeakMap<Snapshot, ReadonlySet<string>>();
/** Files a time-travel scan checks for existence before the engine runs into a missing one. */
const VACUUM_PROBES = 4;

/**
 * Time travel to a version whose removed files VACUUM deleted would fail inside the engine with
 * an IO error about one file. Files of `snapshot` that the latest version no longer holds are
 * the ones VACUUM may have deleted: the first few are checked, and a missing one fails the scan
 * with a message naming the version and the retention. Reads of the latest version do no IO here.
 */
async function checkNotVacuumed(
  h: TableHandle,
  snapshot: Snapshot,
  files: readonly AddFile[],
): Promise<void> {
  const latest = h.cachedLatest;
  if (latest === undefined || snapshot.version >= latest.version) return;
  let live = livePathsCache.get(latest);
  if (live === undefined) {
    live = new Set(latest.files.map((f) => f.path));
    livePathsCache.set(latest, live);
  }
  let probes = 0;
  for (const f of files) {
    if (live.has(f.path)) continue;
    if (probes++ === VACUUM_PROBES) return;
    const relative = addPathToRelative(h.location, f.path);
    if (relative === undefined || (await h.store.head(relative)) !== undefined) continue;
    const hours = deletedFileRetentionMs(latest.metadata.configuration) / 3_600_000;
    throw new DeltaError(
      'FILE_NOT_FOUND',
      `FILE_NOT_FOUND: cannot read version ${snapshot.version}: its data file '${relative}' was removed ` +
        `by a later version and has been deleted, most likely by VACUUM. A version can be read only while ` +
        `VACUUM keeps its files: for the VACUUM retention (delta.deletedFileRetentionDuration = ` +
        `${hours} hours) after they are removed. Read a newer version (the latest is ${latest.version}).`,
      { version: snapshot.version, file: relative, retentionHours: hours },
    );
  }
}
