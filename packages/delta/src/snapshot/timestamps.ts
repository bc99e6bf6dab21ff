// Commit timestamps: time travel by timestamp and history. Delta semantics: the version "as of"
// a time is the latest one whose commit timestamp is <= it. File modification times are made
// strictly increasing as Spark does (clock skew between writers), and in-commit timestamps are
// used from the version that enabled them on.
import type { ObjectMeta, ObjectStore, ParquetActionReader } from '../contracts.js';
import { DeltaError } from '../errors.js';
import { indexLogListing, type LogListing } from '../log/log-segment.js';
import { IN_COMMIT_TIMESTAMPS_KEY } from '../replay/replay.js';
import { loadSnapshot } from './load-snapshot.js';
import { findCommitInfo, listLog, mapLimit, readJsonActions } from './read-log.js';
import type { Snapshot } from './types.js';

export const ICT_ENABLEMENT_VERSION_KEY = 'delta.inCommitTimestampEnablementVersion';

const iso = (ms: number): string => new Date(ms).toISOString();

/** File-time commit timestamps of every reconstructable version, made strictly increasing. */
export function monotonicFileTimestamps(listing: LogListing): { version: number; timestamp: number }[] {
  const out: { version: number; timestamp: number }[] = [];
  if (listing.earliestVersion < 0) return out;
  let prev = Number.NEGATIVE_INFINITY;
  for (let v = listing.earliestVersion; v <= listing.latestVersion; v++) {
    const meta: ObjectMeta | undefined = listing.commits.get(v) ?? listing.checkpoints.get(v)?.meta;
    if (meta === undefined) continue;
    const ts = meta.lastModified <= prev ? prev + 1 : meta.lastModified;
    out.push({ version: v, timestamp: ts });
    prev = ts;
  }
  return out;
}

async function inCommitTimestamp(
  store: ObjectStore,
  listing: LogListing,
  version: number,
): Promise<number | undefined> {
  const meta = listing.commits.get(version);
  if (meta === undefined) return undefined;
  const ict = findCommitInfo(await readJsonActions(store, meta.path))?.inCommitTimestamp;
  return typeof ict === 'number' ? ict : undefined;
}

/**
 * The latest version whose commit timestamp is <= `timestamp` (ms). Fails with
 * TIMESTAMP_OUT_OF_RANGE, naming the available range, before the first or after the last commit.
 */
export async function versionAtTimestamp(
  store: ObjectStore,
  reader: ParquetActionReader,
  timestamp: number,
  /** A current snapshot of the table, to skip loading one just for its ICT settings. */
  latestSnapshot?: Snapshot,
): Promise<number> {
  const listing = indexLogListing(await listLog(store));
  if (listing.latestVersion < 0) {
    throw new DeltaError(
      'TABLE_NOT_FOUND',
      'no Delta log found: _delta_log/ holds no commit or checkpoint files',
      {},
    );
  }
  let times = monotonicFileTimestamps(listing);
  // The latest metadata says whether (and since when) in-commit timestamps are on.
  const latest =
    latestSnapshot?.version === listing.latestVersion
      ? latestSnapshot
      : await loadSnapshot(store, reader, { version: listing.latestVersion });
  const config = latest.metadata.configuration;
  if (config[IN_COMMIT_TIMESTAMPS_KEY]?.toLowerCase() === 'true') {
    const since = Number(config[ICT_ENABLEMENT_VERSION_KEY] ?? listing.earliestVersion);
    const ictVersions = times.filter((t) => t.version >= since);
    const fileVersions = times.filter((t) => t.version < since);
    const ict = await mapLimit(ictVersions, 16, async (t) => ({
      version: t.version,
      timestamp: (await inCommitTimestamp(store, listing, t.version)) ?? t.timestamp,
    }));
    times = fileVersions.concat(ict);
  }
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined) {
    throw new DeltaError(
      'VERSION_NOT_FOUND',
      'no version of the table can be reconstructed from its log',
      {},
    );
  }
  const range = `the table has commits from ${iso(first.timestamp)} (version ${first.version}) to ${iso(last.timestamp)} (version ${last.version})`;
  if (timestamp < first.timestamp) {
    throw new DeltaError(
      'TIMESTAMP_OUT_OF_RANGE',
      `timestamp ${iso(timestamp)} is before the earliest available commit; ${range}`,
      {
        timestamp,
        earliest: first.timestamp,
        latest: last.timestamp,
      },
    );
  }
  if (timestamp > last.timestamp) {
    throw new DeltaError(
      'TIMESTAMP_OUT_OF_RANGE',
      `timestamp ${iso(timestamp)} is after the latest commit; ${range}`,
      {
        timestamp,
        earliest: first.timestamp,
        latest: last.timestamp,
      },
    );
  }
  // Binary search: the last entry with timestamp <= the requested one.
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] as { timestamp: number }).timestamp <= timestamp) lo = mid;
    else hi = mid - 1;
  }
  return (times[lo] as { version: number }).version;
}

export interface CommitRecord {
  readonly version: number;
  /** In-commit timestamp when the commit has one, else the commit file's modification time. */
  readonly timestamp: number;
  readonly commitInfo: Readonly<Record<string, unknown>> | undefined;
}

/** commitInfo of every commit in [fromVersion, toVersion] still in the log, newest first (history). */
export async function readCommitInfos(
  store: ObjectStore,
  fromVersion: number,
  toVersion: number,
): Promise<CommitRecord[]> {
  const listing = indexLogListing(await listLog(store));
  const metas: { version: number; meta: ObjectMeta }[] = [];
  for (let v = Math.min(toVersion, listing.latestVersion); v >= Math.max(0, fromVersion); v--) {
    const meta = listing.commits.get(v);
    if (meta !== undefined) metas.push({ version: v, meta });
  }
  return mapLimit(metas, 16, async ({ version, meta }) => {
    const info = findCommitInfo(await readJsonActions(store, meta.path));
    const ict = info?.inCommitTimestamp;
    return { version, timestamp: typeof ict === 'number' ? ict : meta.lastModified, commitInfo: info };
  });
}
