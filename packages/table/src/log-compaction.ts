// Writing log compaction files (`x.y.compacted.json`): the reconciled actions of commits x..y
// (compactActions), so loading a snapshot reads one file instead of y-x+1 commits between
// checkpoints. Readers that do not know compaction files ignore them; the commits stay.
import {
  type Action,
  commitPath,
  compactActions,
  compactionPath,
  compactionRangeDue,
  DeltaError,
  logCompactionInterval,
  readJsonActions,
  type Snapshot,
  serializeActions,
} from '@loch/delta';
import type { TableHandle } from './table-handle.js';

export interface LogCompactionResult {
  readonly start: number;
  readonly end: number;
  readonly path: string;
  readonly numActions: number;
}

/** Writes the compaction file of commits `start..end` (both must exist). */
export async function writeLogCompaction(
  h: TableHandle,
  start: number,
  end: number,
): Promise<LogCompactionResult> {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `a log compaction covers at least two commits start < end, not ${start}..${end}`,
      { start, end },
    );
  }
  const commits: Action[][] = [];
  for (let v = start; v <= end; v++) {
    commits.push(await readJsonActions(h.store, commitPath(v)));
  }
  const actions = compactActions(commits);
  const path = compactionPath(start, end);
  // Same inputs, same bytes: a concurrent writer of the same range writes the same file.
  await h.store.put(path, new TextEncoder().encode(serializeActions(actions)));
  return { start, end, path, numActions: actions.length };
}

/**
 * Writes the compaction file due after committing `version` under `loch.logCompactionInterval`,
 * if any. Returns the error instead of throwing: it must never fail the commit.
 */
export async function maybeCompactLog(h: TableHandle, snapshot: Snapshot, version: number): Promise<unknown> {
  try {
    const range = compactionRangeDue(version, logCompactionInterval(snapshot.metadata.configuration));
    if (range === undefined || snapshot.version !== version) return undefined;
    await writeLogCompaction(h, range.start, range.end);
    return undefined;
  } catch (e) {
    return e;
  }
}
