// VACUUM: deletes files under the table root that neither the current version nor any version
// inside the retention references, recorded as Databricks does with a 'VACUUM START' commit
// before deleting and a 'VACUUM END' commit after. The rules themselves are pure
// (@loch/delta maintenance/vacuum-rules.ts); this module lists, deletes and commits.
import { readdir, rmdir, stat } from 'node:fs/promises';
import * as nodePath from 'node:path';
import {
  checkVacuumRetention,
  checkWriteSupport,
  deletedFileRetentionMs,
  LOG_DIR,
  type ObjectMeta,
  parseCommitText,
  parseLogPath,
  physicalName,
  type RemoveFile,
  retainedPaths,
  type Snapshot,
  STAGING_DIR_PREFIX,
  vacuumCandidates,
} from '@loch/delta';
import { addPathToRelative, decodeAddPath } from '@loch/storage';
import { commit } from './commit.js';
import { localRoot } from './data-files.js';
import type { TableHandle } from './table-handle.js';
import type { VacuumOptions, VacuumResult } from './types.js';

const HOUR_MS = 3_600_000;
const DELETE_CONCURRENCY = 16;

async function deleteAll(h: TableHandle, files: readonly ObjectMeta[]): Promise<number> {
  let next = 0;
  let deleted = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      await h.store.delete(files[next++]!.path);
      deleted++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, files.length) }, worker));
  return deleted;
}

/**
 * Removes directories left empty by the deletions (deepest first), as Delta does; local tables
 * only, since object stores have no directories. A directory still holding anything stays.
 */
async function removeEmptyDirectories(h: TableHandle, files: readonly ObjectMeta[]): Promise<number> {
  if (!h.location.startsWith('file:')) return 0;
  const root = localRoot(h);
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = parts.length - 1; i > 0; i--) dirs.add(parts.slice(0, i).join('/'));
  }
  let removed = 0;
  for (const dir of [...dirs].sort((a, b) => b.split('/').length - a.split('/').length)) {
    try {
      await rmdir(nodePath.join(root, ...dir.split('/')));
      removed++;
    } catch {
      // Not empty (or already gone): keep it.
    }
  }
  return removed;
}

/**
 * Loch staging directories older than the retention (local tables): a crashed writer's, possibly
 * left empty or holding only empty directories, which the listing (files only) never shows.
 * Taken before any deletion, which would make a directory's modification time current.
 */
async function staleStagingDirs(h: TableHandle, deleteBefore: number): Promise<string[]> {
  if (!h.location.startsWith('file:')) return [];
  const root = localRoot(h);
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (!name.startsWith(STAGING_DIR_PREFIX)) continue;
    const dir = nodePath.join(root, name);
    const info = await stat(dir).catch(() => undefined);
    if (info?.isDirectory() === true && info.mtimeMs < deleteBefore) out.push(dir);
  }
  return out;
}

/** Removes `dir` if it holds only (nested) empty directories; returns how many went. */
async function removeEmptyTree(dir: string): Promise<number> {
  let removed = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) if (e.isDirectory()) removed += await removeEmptyTree(nodePath.join(dir, e.name));
  try {
    await rmdir(dir);
    removed++;
  } catch {
    // Still holds a file (one younger than the retention survives): keep it.
  }
  return removed;
}

/**
 * The snapshot keeps tombstones only for the table's retention. A VACUUM asked to retain longer
 * must also keep files removed before that: it reads them from the commits still in the log
 * (a remove is never dated after the commit file that holds it is written).
 */
async function olderTombstones(
  h: TableHandle,
  snapshot: Snapshot,
  deleteBefore: number,
): Promise<RemoveFile[]> {
  const commits = (await h.store.list(LOG_DIR)).filter((o) => {
    const file = parseLogPath(o.path);
    return file?.kind === 'commit' && file.version <= snapshot.version && o.lastModified > deleteBefore;
  });
  const out: RemoveFile[] = [];
  for (const c of commits) {
    const text = new TextDecoder().decode(await h.store.get(c.path));
    for (const a of parseCommitText(text, c.path)) if (a.kind === 'remove') out.push(a);
  }
  return out;
}

export async function vacuumTable(h: TableHandle, opts: VacuumOptions = {}): Promise<VacuumResult> {
  const snapshot = await h.require();
  checkWriteSupport(snapshot.protocol);
  const tableRetentionMs = deletedFileRetentionMs(snapshot.metadata.configuration);
  const retentionMs = opts.retentionHours === undefined ? tableRetentionMs : opts.retentionHours * HOUR_MS;
  const checkEnabled = opts.enforceRetention ?? true;
  checkVacuumRetention({ retentionMs, tableRetentionMs, checkEnabled });
  const deleteBefore = h.now() - retentionMs;

  const tombstones =
    retentionMs > tableRetentionMs
      ? [...snapshot.tombstones, ...(await olderTombstones(h, snapshot, deleteBefore))]
      : snapshot.tombstones;
  const retained = retainedPaths(snapshot.files, tombstones, deleteBefore, (p) =>
    addPathToRelative(h.location, p),
  );
  const partitionDirs = snapshot.partitionColumns.map((name) => {
    const field = snapshot.schema.fields.find((f) => f.name === name);
    return field === undefined ? name : physicalName(field, snapshot.columnMappingMode);
  });
  const listing = await h.store.list('');
  const candidates = vacuumCandidates(listing, retained, deleteBefore, partitionDirs);
  const sizeOfDataToDelete = candidates.reduce((n, f) => n + f.size, 0);
  const locations = candidates.map((f) => decodeAddPath(h.location, f.path));
  if (opts.dryRun === true) {
    return {
      path: h.location,
      dryRun: true,
      files: locations,
      numFilesToDelete: candidates.length,
      sizeOfDataToDelete,
      numDeletedFiles: 0,
      numVacuumedDirectories: 0,
    };
  }

  const parameters: Record<string, unknown> = {
    retentionCheckEnabled: checkEnabled,
    defaultRetentionMillis: tableRetentionMs,
  };
  if (opts.retentionHours !== undefined) parameters.specifiedRetentionMillis = retentionMs;
  const start = await commit(h, {
    operation: 'VACUUM START',
    operationParameters: parameters,
    operationMetrics: { numFilesToDelete: candidates.length, sizeOfDataToDelete },
    actions: [],
    readSnapshot: snapshot,
    // Only a commitInfo: a concurrent writer's commit never conflicts with it.
    isBlindAppend: true,
  });
  let numDeletedFiles = 0;
  let numVacuumedDirectories = 0;
  let failure: unknown;
  try {
    const staging = await staleStagingDirs(h, deleteBefore);
    numDeletedFiles = await deleteAll(h, candidates);
    numVacuumedDirectories = await removeEmptyDirectories(h, candidates);
    for (const dir of staging) numVacuumedDirectories += await removeEmptyTree(dir);
  } catch (e) {
    failure = e;
  }
  const end = await commit(h, {
    operation: 'VACUUM END',
    operationParameters: { status: failure === undefined ? 'COMPLETED' : 'FAILED' },
    operationMetrics: { numDeletedFiles, numVacuumedDirectories },
    actions: [],
    readSnapshot: await h.require(),
    isBlindAppend: true,
  });
  if (failure !== undefined) throw failure;
  return {
    path: h.location,
    dryRun: false,
    files: locations,
    numFilesToDelete: candidates.length,
    sizeOfDataToDelete,
    numDeletedFiles,
    numVacuumedDirectories,
    startVersion: start.version,
    endVersion: end.version,
  };
}
