// RESTORE TABLE ... TO VERSION AS OF n | TIMESTAMP AS OF t: one commit that re-adds the files live
// at the target version and removes the others, restoring its metadata too (the protocol is
// never downgraded). Fails before committing when a file to restore was vacuumed away.
import {
  type Action,
  type AddFile,
  checkWriteSupport,
  DeltaError,
  fileActionKey,
  requiredFeatures,
} from '@loch/delta';
import { addPathToRelative } from '@loch/storage';
import { commit } from './commit.js';
import { removeFor, totalSize } from './file-actions.js';
import { mergeProtocols, sameProtocol } from './protocol-upgrade.js';
import type { TableHandle } from './table-handle.js';
import type { RestoreResult, VersionSelector } from './types.js';

const keyOf = (f: AddFile): string => fileActionKey(f);

async function checkFilesExist(h: TableHandle, files: readonly AddFile[]): Promise<void> {
  let next = 0;
  const missing: string[] = [];
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const f = files[next++]!;
      const rel = addPathToRelative(h.location, f.path);
      if (rel === undefined) continue;
      if ((await h.store.head(rel)) === undefined) missing.push(f.path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, files.length) }, worker));
  if (missing.length > 0) {
    throw new DeltaError(
      'FILE_NOT_FOUND',
      `cannot restore: ${missing.length} data file(s) of the target version no longer exist (e.g. '${missing[0]}'); ` +
        'they were probably removed by VACUUM. Restore to a later version',
      { missing: missing.slice(0, 10) },
    );
  }
}

export async function restoreTable(h: TableHandle, to: VersionSelector): Promise<RestoreResult> {
  const current = await h.require();
  checkWriteSupport(current.protocol);
  const target = await h.at(to);
  if (target.version > current.version) {
    throw new DeltaError(
      'VERSION_NOT_FOUND',
      `cannot restore to version ${target.version}: the latest version is ${current.version}`,
      { version: target.version },
    );
  }
  const currentKeys = new Set(current.files.map(keyOf));
  const targetKeys = new Set(target.files.map(keyOf));
  const toAdd = target.files.filter((f) => !currentKeys.has(keyOf(f)));
  const toRemove = current.files.filter((f) => !targetKeys.has(keyOf(f)));
  if (toRemove.length > 0 && current.metadata.configuration['delta.appendOnly']?.toLowerCase() === 'true') {
    throw new DeltaError(
      'UNSUPPORTED_OPERATION',
      `cannot restore ${h.location} to version ${target.version}: the table is append-only (delta.appendOnly=true) ` +
        `and the restore would remove ${toRemove.length} file(s)`,
      { location: h.location },
    );
  }
  await checkFilesExist(h, toAdd);
  const now = h.now();
  const actions: Action[] = [];
  const protocol = mergeProtocols(
    current.protocol,
    target.protocol,
    requiredFeatures(target.metadata.configuration, target.schema),
  );
  if (!sameProtocol(protocol, current.protocol)) actions.push(protocol);
  if (JSON.stringify(target.metadata) !== JSON.stringify(current.metadata)) actions.push(target.metadata);
  for (const f of toAdd) actions.push({ ...f, dataChange: true });
  for (const f of toRemove) actions.push(removeFor(f, now));
  const result: Omit<RestoreResult, 'version'> = {
    tableSizeAfterRestore: totalSize(target.files),
    numOfFilesAfterRestore: target.files.length,
    numRemovedFiles: toRemove.length,
    numRestoredFiles: toAdd.length,
    removedFilesSize: totalSize(toRemove),
    restoredFilesSize: totalSize(toAdd),
  };
  const committed = await commit(h, {
    operation: 'RESTORE',
    operationParameters:
      'version' in to
        ? { version: to.version, timestamp: null }
        : {
            version: null,
            timestamp: typeof to.timestamp === 'number' ? new Date(to.timestamp).toISOString() : to.timestamp,
          },
    operationMetrics: { ...result },
    actions,
    readSnapshot: current,
    isBlindAppend: false,
    // The restored table must equal the target version: it read the whole table, and any
    // concurrent data change (even a blind append) conflicts, as in Delta, which never rebases
    // a RESTORE; commits that change no data or metadata (a txn-only commit) are rebased over.
    readSet: { wholeTable: true, files: current.files },
    isolationLevel: 'Serializable',
  });
  return { version: committed.version, ...result };
}
