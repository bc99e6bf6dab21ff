// The async driver around pure log replay: list, pick a segment, read its files, replay.
import type { Action } from '../actions/types.js';
import type { ObjectMeta, ObjectStore, ParquetActionReader } from '../contracts.js';
import { DeltaError } from '../errors.js';
import { commitPath, LOG_DIR, padVersion } from '../log/file-names.js';
import { indexLogListing, type LogListing, resolveLogSegment } from '../log/log-segment.js';
import { applyCommits, replayLog } from '../replay/replay.js';
import {
  findCommitInfo,
  listLog,
  mapLimit,
  readCheckpointActions,
  readJsonActions,
  readLastCheckpointHint,
} from './read-log.js';
import { versionAtTimestamp } from './timestamps.js';
import type { LogSegment, Snapshot } from './types.js';

const READ_CONCURRENCY = 32;

export interface SnapshotAt {
  readonly version?: number;
  /** Milliseconds since the epoch: the latest version committed at or before it. */
  readonly timestamp?: number;
}

/**
 * Lists the log for `version` (default latest). The `_last_checkpoint` hint narrows the listing
 * to files from that checkpoint on; a hint that is stale, wrong or unusable means a full listing.
 */
export async function listForVersion(store: ObjectStore, version?: number): Promise<LogListing> {
  const hint = await readLastCheckpointHint(store);
  if (hint !== undefined && (version === undefined || version >= hint.version)) {
    const partial = indexLogListing(await listLog(store, `${LOG_DIR}${padVersion(hint.version)}`));
    const cp = [...partial.checkpoints.keys()].some(
      (v) => v >= hint.version && (version === undefined || v <= version),
    );
    if (cp && (version === undefined || version <= partial.latestVersion)) return partial;
  }
  return indexLogListing(await listLog(store));
}

/** Loads the snapshot at a version or timestamp (default: latest). */
export async function loadSnapshot(
  store: ObjectStore,
  reader: ParquetActionReader,
  at: SnapshotAt = {},
): Promise<Snapshot> {
  if (at.version !== undefined && at.timestamp !== undefined) {
    throw new DeltaError('INVALID_ARGUMENT', 'give either a version or a timestamp to load, not both', {});
  }
  const version =
    at.timestamp === undefined ? at.version : await versionAtTimestamp(store, reader, at.timestamp);
  const listing = await listForVersion(store, version);
  const { segment, versionFile } = resolveLogSegment(listing, version);
  const units = logUnits(segment);
  const [checkpointActions, unitActions] = await Promise.all([
    segment.checkpoint === undefined
      ? Promise.resolve([] as Action[])
      : readCheckpointActions(store, reader, segment.checkpoint),
    mapLimit(units, READ_CONCURRENCY, (u) => readJsonActions(store, u.path)),
  ]);
  const newest = units[0];
  const commitInfo =
    newest !== undefined && newest.start === segment.version && newest.end === segment.version
      ? findCommitInfo(unitActions[0] as Action[])
      : undefined;
  unitActions.push(checkpointActions);
  return replayLog({
    logSegment: segment,
    batches: unitActions,
    fileTimestamp: versionFile.lastModified,
    commitInfo,
  });
}

/** Commits and compactions of a segment, newest first. */
function logUnits(segment: LogSegment): { start: number; end: number; path: string }[] {
  const units = segment.commits.map((c) => ({ start: c.version, end: c.version, path: c.path }));
  for (const c of segment.compactions) units.push({ start: c.start, end: c.end, path: c.path });
  return units.sort((a, b) => b.start - a.start);
}

/**
 * Brings a snapshot up to date by reading only commits newer than it. Falls back to a full load
 * when the commits after it are gone (log cleanup) or not contiguous.
 */
export async function updateSnapshot(
  prev: Snapshot,
  store: ObjectStore,
  reader: ParquetActionReader,
): Promise<Snapshot> {
  // A few new commits are found by probing their names: the cost of a refresh must not grow with
  // the length of the log. Many new commits (or a store without cheap heads) fall back to a listing.
  let newer = await probeNewCommits(store, prev.version + 1);
  if (newer === undefined) {
    const listing = indexLogListing(await listLog(store, `${LOG_DIR}${padVersion(prev.version)}.json`));
    newer = [];
    for (let v = prev.version + 1; ; v++) {
      const m = listing.commits.get(v);
      if (m === undefined) break;
      newer.push(m);
    }
    if (listing.latestVersion > prev.version + newer.length) {
      // A gap (or a checkpoint-only advance) is for the full load to resolve or report.
      return loadSnapshot(store, reader);
    }
  }
  if (newer.length === 0) return prev;
  const last = newer[newer.length - 1] as ObjectMeta;
  const version = prev.version + newer.length;
  const batches = await mapLimit(newer, READ_CONCURRENCY, (m) => readJsonActions(store, m.path));
  batches.reverse();
  const segment: LogSegment = {
    ...prev.logSegment,
    version,
    commits: prev.logSegment.commits.concat(
      newer.map((m, i) => ({ version: prev.version + 1 + i, path: m.path })),
    ),
  };
  return applyCommits(prev, {
    logSegment: segment,
    batches,
    fileTimestamp: last.lastModified,
    commitInfo: findCommitInfo(batches[0] as Action[]),
  });
}

const PROBE_LIMIT = 8;

async function probeNewCommits(store: ObjectStore, from: number): Promise<ObjectMeta[] | undefined> {
  const found: ObjectMeta[] = [];
  for (let v = from; found.length < PROBE_LIMIT; v++) {
    const meta = await store.head(commitPath(v));
    if (meta === undefined) return found;
    found.push(meta);
  }
  return undefined;
}

/** The latest version of the table. */
export async function latestVersion(store: ObjectStore): Promise<number> {
  const listing = await listForVersion(store);
  if (listing.latestVersion < 0) {
    throw new DeltaError(
      'TABLE_NOT_FOUND',
      'no Delta log found: _delta_log/ holds no commit or checkpoint files',
      {},
    );
  }
  return listing.latestVersion;
}
