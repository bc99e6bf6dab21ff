// The state one DeltaTable keeps between operations: its store, the latest snapshot it has seen
// (refreshed incrementally, so repeated operations read only the new commits) and a cache of
// loaded deletion vectors. Operations receive this handle; nothing else is shared.
import {
  commitPath,
  DeltaError,
  loadSnapshot,
  type ObjectStore,
  type ParquetActionReader,
  type Snapshot,
  updateSnapshot,
  versionAtTimestamp,
} from '@loch/delta';
import type { Engine } from '@loch/engine-duckdb';
import type { TableContext, VersionSelector } from './types.js';

export const DEFAULT_ENGINE_INFO = 'Loch/0.1.0';

/** A background checkpoint starts once no commit came for this long... */
const CHECKPOINT_QUIET_MS = 20;
/** ...or this long after it became due, whichever is first. */
const CHECKPOINT_MAX_DEFER_MS = 1000;

export class TableHandle {
  readonly ctx: TableContext;
  readonly store: ObjectStore;
  /** Deletion vectors by unique id; loading one is shared by concurrent scans. */
  readonly dvCache = new Map<string, Promise<readonly number[]>>();
  private latestSnapshot: Snapshot | undefined;
  private checkpointChain: Promise<void> = Promise.resolve();
  private queuedCheckpoint: Snapshot | undefined;
  private lastCommitAt = 0;
  private flushing = 0;
  /** The error of the last background checkpoint that failed (they never throw). */
  lastCheckpointError: unknown;
  /** The error of the last auto compaction that failed (they never fail the write). */
  lastAutoCompactError: unknown;

  constructor(ctx: TableContext, store: ObjectStore) {
    this.ctx = ctx;
    this.store = store;
  }

  get engine(): Engine {
    return this.ctx.engine;
  }

  get location(): string {
    return this.store.url;
  }

  get engineInfo(): string {
    return this.ctx.engineInfo ?? DEFAULT_ENGINE_INFO;
  }

  now(): number {
    return (this.ctx.now ?? Date.now)();
  }

  get reader(): ParquetActionReader {
    const reader = (this.ctx.engine as Engine & { actionReader?: ParquetActionReader }).actionReader;
    if (reader === undefined) {
      throw new DeltaError('INVALID_ARGUMENT', 'the engine has no actionReader; checkpoints cannot be read');
    }
    return reader;
  }

  /** The latest snapshot this handle has seen, without asking the store (may be stale). */
  get cachedLatest(): Snapshot | undefined {
    return this.latestSnapshot;
  }

  /** The latest snapshot, or undefined when there is no table at the location. */
  async latest(): Promise<Snapshot | undefined> {
    const prev = this.latestSnapshot;
    try {
      // Commits are contiguous, so one stat of the next commit file tells whether the cached
      // snapshot is still the latest: refreshing costs O(1), not a listing of the whole log.
      if (prev !== undefined && (await this.store.head(commitPath(prev.version + 1))) === undefined)
        return prev;
      const next =
        prev === undefined
          ? await loadSnapshot(this.store, this.reader)
          : await updateSnapshot(prev, this.store, this.reader);
      this.latestSnapshot = next;
      return next;
    } catch (e) {
      if (e instanceof DeltaError && e.code === 'TABLE_NOT_FOUND') {
        this.latestSnapshot = undefined;
        return undefined;
      }
      throw e;
    }
  }

  /** The latest snapshot, failing with TABLE_NOT_FOUND naming the location when there is none. */
  async require(): Promise<Snapshot> {
    const s = await this.latest();
    if (s === undefined) {
      throw new DeltaError('TABLE_NOT_FOUND', `no Delta table at ${this.location} (no _delta_log commits)`, {
        location: this.location,
      });
    }
    return s;
  }

  /** Remember a snapshot this process just committed, so the next refresh starts from it. */
  remember(snapshot: Snapshot): void {
    if (this.latestSnapshot === undefined || snapshot.version > this.latestSnapshot.version) {
      this.latestSnapshot = snapshot;
    }
  }

  /**
   * Queues a background checkpoint. Runs one at a time; while one runs, newer requests replace
   * each other, so a busy writer checkpoints its newest due version instead of falling behind.
   */
  enqueueCheckpoint(snapshot: Snapshot, task: (s: Snapshot) => Promise<unknown>): void {
    const idle = this.queuedCheckpoint === undefined;
    this.queuedCheckpoint = snapshot;
    this.lastCommitAt = Date.now();
    if (!idle) return;
    this.checkpointChain = this.checkpointChain.then(async () => {
      // Wait for the writer to pause (or at most CHECKPOINT_MAX_DEFER_MS): a checkpoint competes
      // with commits for CPU and DuckDB, and requests that arrive meanwhile coalesce into one.
      await this.writerPause();
      const next = this.queuedCheckpoint;
      this.queuedCheckpoint = undefined;
      if (next === undefined) return;
      const error = await task(next);
      if (error !== undefined) this.lastCheckpointError = error;
    });
  }

  /** Called for every commit of this handle, so background checkpoints can wait for a pause. */
  noteCommit(): void {
    this.lastCommitAt = Date.now();
  }

  private async writerPause(): Promise<void> {
    const start = Date.now();
    while (this.flushing === 0) {
      const now = Date.now();
      if (now - this.lastCommitAt >= CHECKPOINT_QUIET_MS || now - start >= CHECKPOINT_MAX_DEFER_MS) return;
      await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_QUIET_MS));
    }
  }

  /** Resolves when no background checkpoint is queued or running. */
  async flush(): Promise<void> {
    this.flushing++;
    try {
      let chain: Promise<void>;
      do {
        chain = this.checkpointChain;
        await chain;
      } while (chain !== this.checkpointChain);
    } finally {
      this.flushing--;
    }
  }

  /** Forget the cached snapshot (after a replace, or when the log was rewritten). */
  forget(): void {
    this.latestSnapshot = undefined;
  }

  /** The snapshot at a version or timestamp; the cached latest one when it matches. */
  async at(selector?: VersionSelector): Promise<Snapshot> {
    if (selector === undefined) return this.require();
    let version: number;
    if ('version' in selector) {
      version = selector.version;
      if (!Number.isInteger(version) || version < 0) {
        throw new DeltaError('INVALID_ARGUMENT', `version ${version} is not a valid table version`, {
          version,
        });
      }
    } else {
      version = await versionAtTimestamp(this.store, this.reader, parseTimestamp(selector.timestamp));
    }
    const cached = this.latestSnapshot;
    if (cached !== undefined && cached.version === version) return cached;
    return loadSnapshot(this.store, this.reader, { version });
  }
}

/** Milliseconds since the epoch from a number or a timestamp string (a bare date/time is UTC). */
export function parseTimestamp(value: number | string): number {
  if (typeof value === 'number') return value;
  const text = value.trim();
  let normalized = text.replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/u.test(normalized)) normalized += 'T00:00:00Z';
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/u.test(normalized)) normalized += 'Z';
  const ms = Date.parse(normalized);
  if (Number.isNaN(ms)) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `'${value}' is not a timestamp; use e.g. '2024-01-31 12:00:00' (UTC) or an ISO-8601 string with a zone`,
      { value },
    );
  }
  return ms;
}
