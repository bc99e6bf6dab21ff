// Remove and re-add actions derived from live files, carrying what Spark carries.
import type { AddFile, RemoveFile } from '@loch/delta';

export function removeFor(add: AddFile, deletionTimestamp: number, dataChange = true): RemoveFile {
  return {
    kind: 'remove',
    path: add.path,
    deletionTimestamp,
    dataChange,
    extendedFileMetadata: true,
    partitionValues: add.partitionValues,
    size: add.size,
    ...(add.tags != null ? { tags: add.tags } : {}),
    ...(add.deletionVector != null ? { deletionVector: add.deletionVector } : {}),
    ...(add.baseRowId != null ? { baseRowId: add.baseRowId } : {}),
    ...(add.defaultRowCommitVersion != null ? { defaultRowCommitVersion: add.defaultRowCommitVersion } : {}),
  };
}

export const totalSize = (files: readonly { readonly size?: number | null }[]): number =>
  files.reduce((n, f) => n + (f.size ?? 0), 0);
