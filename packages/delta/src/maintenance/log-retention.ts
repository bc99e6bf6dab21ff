// Expired log cleanup (Delta's MetadataCleanup): log files older than `delta.logRetentionDuration`
// are deleted, but only below a checkpoint that is itself expired, so every version at or after
// that checkpoint stays reconstructible and nothing older is left half there. Commit times are
// made monotonic first (a commit is never older than the one before it), as Delta does, because
// file modification times can go backwards when files are copied.
import type { ObjectMeta } from '../contracts.js';
import { parseLogPath } from '../log/file-names.js';
import { parseIntervalMs } from '../replay/retention.js';

export const LOG_RETENTION_KEY = 'delta.logRetentionDuration';
export const DEFAULT_LOG_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
export const EXPIRED_LOG_CLEANUP_KEY = 'delta.enableExpiredLogCleanup';

/** `delta.logRetentionDuration` of a table configuration, in milliseconds. */
export function logRetentionMs(configuration: Readonly<Record<string, string>>): number {
  const raw = configuration[LOG_RETENTION_KEY];
  return raw === undefined ? DEFAULT_LOG_RETENTION_MS : parseIntervalMs(raw);
}

/** `delta.enableExpiredLogCleanup` (default true). */
export const expiredLogCleanupEnabled = (configuration: Readonly<Record<string, string>>): boolean =>
  (configuration[EXPIRED_LOG_CLEANUP_KEY] ?? 'true').trim().toLowerCase() !== 'false';

export interface LogCleanupPlan {
  /** The checkpoint every kept version replays from; undefined when nothing can go. */
  readonly keepFrom: number | undefined;
  /** Store paths to delete, oldest first. */
  readonly delete: readonly string[];
}

/**
 * Plans the cleanup of a `_delta_log` listing against `cutoffMs` (now minus the retention):
 * finds the newest complete checkpoint whose commit is expired and deletes every commit, crc,
 * checkpoint and compaction file entirely below it.
 */
export function planLogCleanup(listing: readonly ObjectMeta[], cutoffMs: number): LogCleanupPlan {
  const commitTime = new Map<number, number>();
  const parts = new Map<number, { parts: number; seen: number }[]>();
  for (const meta of listing) {
    const f = parseLogPath(meta.path);
    if (f === undefined) continue;
    if (f.kind === 'commit') commitTime.set(f.version, meta.lastModified);
  }
  const versions = [...commitTime.keys()].sort((a, b) => a - b);
  const effective = new Map<number, number>();
  let last = Number.NEGATIVE_INFINITY;
  for (const v of versions) {
    last = Math.max(commitTime.get(v)!, last + 1);
    effective.set(v, last);
  }
  const complete = new Set<number>();
  for (const meta of listing) {
    const f = parseLogPath(meta.path);
    if (f === undefined) continue;
    if (f.kind === 'checkpoint' || f.kind === 'v2-checkpoint') complete.add(f.version);
    else if (f.kind === 'multipart-checkpoint') {
      const groups = parts.get(f.version) ?? [];
      let g = groups.find((x) => x.parts === f.parts);
      if (g === undefined) {
        g = { parts: f.parts, seen: 0 };
        groups.push(g);
      }
      g.seen++;
      if (g.seen === g.parts) complete.add(f.version);
      parts.set(f.version, groups);
    }
  }
  let keepFrom: number | undefined;
  for (const v of complete) {
    // A checkpoint without its commit in the listing (already cleaned) is dated by the newest
    // commit below it; with none at all it cannot be shown to be expired.
    const t = effective.get(v);
    if (t === undefined || t > cutoffMs) continue;
    if (keepFrom === undefined || v > keepFrom) keepFrom = v;
  }
  if (keepFrom === undefined) return { keepFrom, delete: [] };
  const out: string[] = [];
  for (const meta of listing) {
    const f = parseLogPath(meta.path);
    if (f === undefined || f.kind === 'last-checkpoint') continue;
    const below = f.kind === 'compaction' ? f.end < keepFrom : f.version < keepFrom;
    if (below) out.push(meta.path);
  }
  // Zero-padded names sort by version: deleting in path order goes oldest first.
  return { keepFrom, delete: out.sort() };
}
