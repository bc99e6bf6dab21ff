// Writing deletion vectors: one DV file per commit holding one RoaringBitmapArray per touched data
// file (PROTOCOL.md "Deletion Vector Format": a format-version byte, then per DV its big-endian
// size, the bitmap and its CRC-32; a descriptor's offset points at its size field). Each touched
// file is re-added with the union of its old and new deleted rows, replacing the old vector.
import { randomUUID } from 'node:crypto';
import {
  type Action,
  type AddFile,
  DV_FILE_FORMAT_VERSION,
  deletionVectorRelativePath,
  encodeDeletionVectorFile,
  loadDeletionVector,
  newDeletionVectorDescriptor,
} from '@loch/delta';
import { removeFor } from './file-actions.js';
import type { TableHandle } from './table-handle.js';

export interface DeletionVectorUpdate {
  readonly file: AddFile;
  /** Parquet row indexes newly deleted in this file. */
  readonly rows: Iterable<number>;
}

export interface WrittenDeletionVectors {
  /** remove (old file entry, with its old DV) + add (same file, new DV) per touched file. */
  readonly actions: readonly Action[];
  /** Store path of the DV file, for cleanup when the commit fails. */
  readonly path?: string;
  readonly numDeletionVectorsAdded: number;
  readonly numDeletionVectorsRemoved: number;
  readonly numDeletionVectorsUpdated: number;
  readonly bytes: number;
}

/** Stats stay those of the physical file; with rows deleted its min/max are no longer tight. */
function looseStats(stats: string | null | undefined): string | undefined {
  if (stats == null) return undefined;
  try {
    const parsed = JSON.parse(stats) as Record<string, unknown>;
    return JSON.stringify({ ...parsed, tightBounds: false });
  } catch {
    return stats;
  }
}

/** Writes the DV file for `updates` and returns the actions that point the files at it. */
export async function writeDeletionVectors(
  h: TableHandle,
  updates: readonly DeletionVectorUpdate[],
  now: number,
): Promise<WrittenDeletionVectors> {
  if (updates.length === 0) {
    return {
      actions: [],
      numDeletionVectorsAdded: 0,
      numDeletionVectorsRemoved: 0,
      numDeletionVectorsUpdated: 0,
      bytes: 0,
    };
  }
  const uuid = randomUUID();
  const chunks: Uint8Array[] = [Uint8Array.of(DV_FILE_FORMAT_VERSION)];
  let offset = 1;
  const adds: AddFile[] = [];
  const actions: Action[] = [];
  let added = 0;
  let updated = 0;
  for (const u of updates) {
    const old = u.file.deletionVector;
    const previous = old == null ? [] : await loadDeletionVector(h.store, old);
    const encoded = encodeDeletionVectorFile(previous.length === 0 ? u.rows : [...previous, ...u.rows]);
    // Drop the per-file version byte: one version byte starts the shared file.
    const frame = encoded.bytes.subarray(1);
    chunks.push(frame);
    const descriptor = newDeletionVectorDescriptor({
      uuid,
      offset,
      sizeInBytes: encoded.sizeInBytes,
      cardinality: encoded.cardinality,
    });
    offset += frame.length;
    if (old == null) added++;
    else updated++;
    const stats = looseStats(u.file.stats);
    const add: AddFile = {
      ...u.file,
      modificationTime: now,
      dataChange: true,
      deletionVector: descriptor,
      ...(stats !== undefined ? { stats } : {}),
    };
    adds.push(add);
    actions.push(removeFor(u.file, now));
  }
  actions.push(...adds);
  const bytes = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  const path = deletionVectorRelativePath(adds[0]!.deletionVector!);
  await h.store.put(path, bytes);
  return {
    actions,
    path,
    numDeletionVectorsAdded: added,
    // Spark counts a replaced vector as removed and updated.
    numDeletionVectorsRemoved: updated,
    numDeletionVectorsUpdated: updated,
    bytes: bytes.length,
  };
}
