// Expired log cleanup after a checkpoint (Delta's `doLogCleanup`): `_delta_log` files older than
// `delta.logRetentionDuration` go, but only below an expired checkpoint (planLogCleanup), so every
// version from that checkpoint on stays readable and older ones fail with VERSION_NOT_FOUND.
// Deletion runs oldest first: a crash half way leaves a log that still starts at a checkpoint or
// at a contiguous run of commits above the deleted ones.
import {
  expiredLogCleanupEnabled,
  LOG_DIR,
  logRetentionMs,
  planLogCleanup,
  type Snapshot,
} from '@loch/delta';
import type { TableHandle } from './table-handle.js';

export interface LogCleanupResult {
  /** The oldest version still reconstructible, when anything was deleted. */
  readonly keepFrom?: number;
  readonly deleted: readonly string[];
}

/**
 * Deletes expired log files of the table, judged by the snapshot's configuration and the
 * handle's clock. Does nothing when `delta.enableExpiredLogCleanup` is false.
 */
export async function cleanupExpiredLogs(h: TableHandle, snapshot: Snapshot): Promise<LogCleanupResult> {
  const configuration = snapshot.metadata.configuration;
  if (!expiredLogCleanupEnabled(configuration)) return { deleted: [] };
  const cutoff = h.now() - logRetentionMs(configuration);
  // No log file can be older than the table: while the table is younger than the retention, skip
  // the listing, whose cost grows with the log (it ran after every checkpoint and, on a busy
  // table, competed with commits for the file system).
  const created = snapshot.metadata.createdTime;
  if (typeof created === 'number' && created > cutoff) return { deleted: [] };
  const listing = await h.store.list(LOG_DIR);
  const plan = planLogCleanup(listing, cutoff);
  if (plan.keepFrom === undefined || plan.delete.length === 0) return { deleted: [] };
  // Never past the snapshot this cleanup was started for: a checkpoint newer than it is another
  // writer's, and it will clean up behind it itself.
  if (plan.keepFrom > snapshot.version) return { deleted: [] };
  for (const path of plan.delete) await h.store.delete(path);
  return { keepFrom: plan.keepFrom, deleted: plan.delete };
}
