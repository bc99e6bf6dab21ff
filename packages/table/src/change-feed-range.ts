// Change data feed, log side: resolving a version / timestamp range, reading each commit's actions
// and timestamp, and checking that the feed was on at every version read.
import {
  type Action,
  DeltaError,
  findCommitInfo,
  type LogListing,
  readJsonActions,
  type Snapshot,
  versionAtTimestamp,
} from '@loch/delta';
import { isCdfEnabled } from './change-feed-plan.js';
import { parseTimestamp, type TableHandle } from './table-handle.js';
import type { ChangeFeedRange } from './types.js';

export interface CommitData {
  readonly version: number;
  readonly timestamp: number;
  readonly actions: readonly Action[];
}

/** The resolved range of a change feed read: versions inclusive. */
export interface ResolvedRange {
  readonly start: number;
  readonly end: number;
}

export async function resolveRange(
  h: TableHandle,
  latest: Snapshot,
  listing: LogListing,
  fileTimes: ReadonlyMap<number, number>,
  range: ChangeFeedRange,
): Promise<ResolvedRange> {
  const hasStartV = range.startVersion !== undefined;
  const hasStartT = range.startTimestamp !== undefined;
  if (hasStartV === hasStartT) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      'a change data feed read needs exactly one of startVersion and startTimestamp',
      {},
    );
  }
  if (range.endVersion !== undefined && range.endTimestamp !== undefined) {
    throw new DeltaError('INVALID_ARGUMENT', 'give at most one of endVersion and endTimestamp', {});
  }
  let start: number;
  if (range.startVersion !== undefined) {
    start = checkVersion(range.startVersion, 'start');
  } else {
    const ts = parseTimestamp(range.startTimestamp!);
    // The first commit at or after the timestamp (Databricks: start timestamps are inclusive).
    start = await versionAtOrBefore(h, latest, ts, 'start');
    if (start >= 0 && (await commitTimestamp(h, listing, fileTimes, start)) < ts) start += 1;
    if (start < 0) start = listing.earliestVersion;
  }
  if (start > latest.version) {
    const what =
      range.startTimestamp === undefined
        ? `start version ${start}`
        : `start timestamp ${new Date(parseTimestamp(range.startTimestamp)).toISOString()} (version ${start})`;
    throw new DeltaError(
      range.startTimestamp === undefined ? 'VERSION_NOT_FOUND' : 'TIMESTAMP_OUT_OF_RANGE',
      `${what} of the change data feed is after the latest version ${latest.version} of the table`,
      { version: start, latest: latest.version },
    );
  }
  let end = latest.version;
  if (range.endVersion !== undefined) end = Math.min(checkVersion(range.endVersion, 'end'), latest.version);
  else if (range.endTimestamp !== undefined) {
    const ts = parseTimestamp(range.endTimestamp);
    end = await versionAtOrBefore(h, latest, ts, 'end');
    if (end < 0) {
      throw new DeltaError(
        'TIMESTAMP_OUT_OF_RANGE',
        `end timestamp ${new Date(ts).toISOString()} of the change data feed is before the table's first commit`,
        { timestamp: ts },
      );
    }
  }
  if (end < start) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `the change data feed range is empty: end version ${end} is before start version ${start}`,
      { start, end },
    );
  }
  return { start, end };
}

function checkVersion(v: number, which: 'start' | 'end'): number {
  if (!Number.isInteger(v) || v < 0) {
    throw new DeltaError('INVALID_ARGUMENT', `${which} version ${v} is not a valid table version`, {
      version: v,
    });
  }
  return v;
}

/** versionAtTimestamp, with "before the first commit" as -1 and "after the last" as the latest version. */
async function versionAtOrBefore(
  h: TableHandle,
  latest: Snapshot,
  ts: number,
  which: 'start' | 'end',
): Promise<number> {
  try {
    return await versionAtTimestamp(h.store, h.reader, ts, latest);
  } catch (e) {
    if (!(e instanceof DeltaError) || e.code !== 'TIMESTAMP_OUT_OF_RANGE') throw e;
    if (ts < Number(e.details.earliest)) return -1;
    if (which === 'end') return latest.version;
    throw new DeltaError(
      'TIMESTAMP_OUT_OF_RANGE',
      `start timestamp ${new Date(ts).toISOString()} of the change data feed is after the latest commit (version ${latest.version}); ${e.message}`,
      { ...e.details },
    );
  }
}

async function commitTimestamp(
  h: TableHandle,
  listing: LogListing,
  fileTimes: ReadonlyMap<number, number>,
  version: number,
): Promise<number> {
  return (await readCommit(h, listing, fileTimes, version)).timestamp;
}

async function readCommit(
  h: TableHandle,
  listing: LogListing,
  fileTimes: ReadonlyMap<number, number>,
  version: number,
): Promise<CommitData> {
  const meta = listing.commits.get(version);
  if (meta === undefined) {
    throw new DeltaError(
      'VERSION_NOT_FOUND',
      `commit ${version} is no longer in the log (log retention removed it); read changes from version ${listing.earliestVersion} or later`,
      { version },
    );
  }
  const actions = await readJsonActions(h.store, meta.path);
  const ict = findCommitInfo(actions)?.inCommitTimestamp;
  const timestamp = typeof ict === 'number' ? ict : (fileTimes.get(version) ?? meta.lastModified);
  return { version, timestamp, actions };
}

/** Every version in the range must have CDF on, by the table properties in effect at that version. */
export function checkEnabled(
  h: TableHandle,
  /** Table properties in effect at the first commit, when that commit does not set them. */
  initial: Readonly<Record<string, string>> | undefined,
  commits: readonly CommitData[],
): void {
  let config = initial;
  for (const c of commits) {
    const md = c.actions.find((a) => a.kind === 'metaData');
    if (md !== undefined && md.kind === 'metaData') config = md.configuration;
    if (config === undefined || !isCdfEnabled(config)) {
      throw new DeltaError(
        'CHANGE_DATA_FEED_NOT_ENABLED',
        `change data feed is not enabled at version ${c.version} of ${h.location} (delta.enableChangeDataFeed is not 'true' there); ` +
          `set it with ALTER TABLE ... SET TBLPROPERTIES (delta.enableChangeDataFeed = true) and read from a later version`,
        { version: c.version },
      );
    }
  }
}

const READ_CONCURRENCY = 16;

/** The actions and timestamp of every commit in [start, end], in version order. */
export async function readCommits(
  h: TableHandle,
  listing: LogListing,
  fileTimes: ReadonlyMap<number, number>,
  start: number,
  end: number,
): Promise<CommitData[]> {
  const commits: CommitData[] = new Array(end - start + 1);
  let next = start;
  const worker = async (): Promise<void> => {
    while (next <= end) {
      const v = next++;
      commits[v - start] = await readCommit(h, listing, fileTimes, v);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, end - start + 1) }, worker));
  return commits;
}
