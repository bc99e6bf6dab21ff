// Pure log-segment selection: given a listing of `_delta_log/`, which files make up a version.
// `_last_checkpoint` never decides anything here; it only lets the driver list less.
import type { ObjectMeta } from '../contracts.js';
import { DeltaError } from '../errors.js';
import type { LogSegment } from '../snapshot/types.js';
import { parseLogPath } from './file-names.js';

type CheckpointChoice = NonNullable<LogSegment['checkpoint']>;

/** What a listing holds, indexed by version. */
export interface LogListing {
  readonly commits: ReadonlyMap<number, ObjectMeta>;
  /** Complete checkpoints by version (multi-part ones with every part present). */
  readonly checkpoints: ReadonlyMap<number, { readonly choice: CheckpointChoice; readonly meta: ObjectMeta }>;
  readonly compactions: readonly {
    readonly start: number;
    readonly end: number;
    readonly meta: ObjectMeta;
  }[];
  /** Highest version any commit or checkpoint names; -1 when the log is empty. */
  readonly latestVersion: number;
  /** Lowest version that can be reconstructed (a checkpoint or commit 0 and contiguous commits). */
  readonly earliestVersion: number;
}

const KIND_RANK: Record<CheckpointChoice['kind'], number> = {
  classic: 0,
  'v2-parquet': 1,
  'v2-json': 2,
  multipart: 3,
};

/** Indexes a `_delta_log/` listing. Unknown files, `.crc` and `_commits/` entries are skipped. */
export function indexLogListing(files: readonly ObjectMeta[]): LogListing {
  const commits = new Map<number, ObjectMeta>();
  const checkpoints = new Map<number, { choice: CheckpointChoice; meta: ObjectMeta }>();
  const parts = new Map<string, { version: number; parts: number; paths: Map<number, ObjectMeta> }>();
  const compactions: { start: number; end: number; meta: ObjectMeta }[] = [];
  const offer = (version: number, choice: CheckpointChoice, meta: ObjectMeta): void => {
    const prev = checkpoints.get(version);
    if (prev === undefined || KIND_RANK[choice.kind] < KIND_RANK[prev.choice.kind])
      checkpoints.set(version, { choice, meta });
  };
  for (const meta of files) {
    const f = parseLogPath(meta.path);
    if (f === undefined) continue;
    switch (f.kind) {
      case 'commit':
        commits.set(f.version, meta);
        break;
      case 'checkpoint':
        offer(f.version, { version: f.version, kind: 'classic', paths: [meta.path] }, meta);
        break;
      case 'v2-checkpoint':
        offer(
          f.version,
          { version: f.version, kind: f.format === 'json' ? 'v2-json' : 'v2-parquet', paths: [meta.path] },
          meta,
        );
        break;
      case 'multipart-checkpoint': {
        const key = `${f.version}/${f.parts}`;
        let group = parts.get(key);
        if (group === undefined) {
          group = { version: f.version, parts: f.parts, paths: new Map() };
          parts.set(key, group);
        }
        if (f.part >= 1 && f.part <= f.parts) group.paths.set(f.part, meta);
        break;
      }
      case 'compaction':
        if (f.end >= f.start) compactions.push({ start: f.start, end: f.end, meta });
        break;
      default:
        break;
    }
  }
  for (const g of parts.values()) {
    if (g.paths.size !== g.parts) continue; // an incomplete multi-part checkpoint is as good as none
    const ordered = [...g.paths.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
    offer(
      g.version,
      { version: g.version, kind: 'multipart', paths: ordered.map((m) => m.path) },
      ordered[0] as ObjectMeta,
    );
  }
  let latest = -1;
  for (const v of commits.keys()) if (v > latest) latest = v;
  for (const v of checkpoints.keys()) if (v > latest) latest = v;
  return {
    commits,
    checkpoints,
    compactions,
    latestVersion: latest,
    earliestVersion: earliestRecreatable(commits, checkpoints),
  };
}

function earliestRecreatable(
  commits: ReadonlyMap<number, ObjectMeta>,
  checkpoints: ReadonlyMap<number, unknown>,
): number {
  let earliest = commits.has(0) ? 0 : Number.POSITIVE_INFINITY;
  for (const v of checkpoints.keys()) if (v < earliest) earliest = v;
  return earliest === Number.POSITIVE_INFINITY ? -1 : earliest;
}

const rangeText = (l: LogListing): string =>
  l.earliestVersion < 0
    ? 'no version can be reconstructed'
    : `available versions are ${l.earliestVersion} to ${l.latestVersion}`;

export interface ResolvedSegment {
  readonly segment: LogSegment;
  /** The file whose modification time is the version's commit time (its commit, else its checkpoint). */
  readonly versionFile: ObjectMeta;
  readonly listing: LogListing;
}

/**
 * Picks the files for `version` (default: latest): the newest complete checkpoint at or before
 * it, then every later commit, with log compaction files standing in for ranges they cover exactly.
 */
export function resolveLogSegment(
  files: readonly ObjectMeta[] | LogListing,
  version?: number,
): ResolvedSegment {
  const listing = Array.isArray(files) ? indexLogListing(files) : (files as LogListing);
  if (listing.latestVersion < 0) {
    throw new DeltaError(
      'TABLE_NOT_FOUND',
      'no Delta log found: _delta_log/ holds no commit or checkpoint files',
      {},
    );
  }
  const target = version ?? listing.latestVersion;
  if (!Number.isInteger(target) || target < 0 || target > listing.latestVersion) {
    throw new DeltaError('VERSION_NOT_FOUND', `version ${target} does not exist; ${rangeText(listing)}`, {
      version: target,
      earliest: listing.earliestVersion,
      latest: listing.latestVersion,
    });
  }
  let cp: { choice: CheckpointChoice; meta: ObjectMeta } | undefined;
  for (const [v, c] of listing.checkpoints)
    if (v <= target && (cp === undefined || v > cp.choice.version)) cp = c;
  const from = cp === undefined ? 0 : cp.choice.version + 1;
  if (cp === undefined && !listing.commits.has(0) && !compactionStartingAt(listing, 0, target)) {
    throw new DeltaError(
      'VERSION_NOT_FOUND',
      `version ${target} cannot be reconstructed: there is no checkpoint at or before it and commit 0 is gone (log entries older than delta.logRetentionDuration, 30 days by default, are removed behind checkpoints; raise it to keep older versions); ${rangeText(listing)}`,
      { version: target, earliest: listing.earliestVersion, latest: listing.latestVersion },
    );
  }
  const commits: { version: number; path: string }[] = [];
  const compactions: { start: number; end: number; path: string }[] = [];
  let v = from;
  while (v <= target) {
    const compaction = compactionStartingAt(listing, v, target);
    if (compaction !== undefined && compaction.end > v) {
      compactions.push({ start: compaction.start, end: compaction.end, path: compaction.meta.path });
      v = compaction.end + 1;
      continue;
    }
    const meta = listing.commits.get(v);
    if (meta === undefined) {
      throw new DeltaError(
        'VERSIONS_NOT_CONTIGUOUS',
        `the Delta log is missing commit ${v} (needed to read version ${target}); commit files must be contiguous`,
        { missing: v, version: target },
      );
    }
    commits.push({ version: v, path: meta.path });
    v++;
  }
  const versionFile = listing.commits.get(target) ?? (cp?.choice.version === target ? cp.meta : undefined);
  if (versionFile === undefined) {
    // Only reachable when a compaction file covers the target and the commit itself is gone.
    throw new DeltaError('VERSION_NOT_FOUND', `commit ${target} is missing; ${rangeText(listing)}`, {
      version: target,
    });
  }
  const segment: LogSegment = {
    version: target,
    ...(cp === undefined ? {} : { checkpoint: cp.choice }),
    commits,
    compactions,
  };
  return { segment, versionFile, listing };
}

/** The widest compaction file starting at `start` that ends at or before `limit`. */
function compactionStartingAt(listing: LogListing, start: number, limit: number) {
  let best: LogListing['compactions'][number] | undefined;
  for (const c of listing.compactions) {
    if (c.start === start && c.end <= limit && (best === undefined || c.end > best.end)) best = c;
  }
  return best;
}
