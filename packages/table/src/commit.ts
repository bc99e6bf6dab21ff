// The optimistic commit: commitInfo first (shaped as Spark writes it), then the operation's
// actions, published with putIfAbsent at readVersion + 1. When another writer took that version,
// the winning commits are read back and Delta's conflict rules (`checkConflicts`) decide: blind
// appends and operations that declare what they read (DELETE, UPDATE, MERGE, overwrite,
// replaceWhere, RESTORE) are rebased and retried when no winner touched what they read or
// removed; otherwise the commit fails naming the winner and the reason. A metadata or protocol
// change of our own is rebased like any other action when the operation declares its reads (a
// winner's metadata or protocol change always conflicts); only operations that declare no read
// set and are not pure appends (e.g. ALTER TABLE) still fail on any concurrent commit.
import { randomUUID } from 'node:crypto';
import {
  type Action,
  applyCommits,
  checkConflicts,
  commitBytes,
  commitIsolationLevel,
  commitPath,
  DeltaError,
  type IsolationLevel,
  type Metadata,
  type PendingTransaction,
  parseCommitText,
  type ReadSet,
  type Snapshot,
  tableIsolationLevel,
  type WinningCommit,
} from '@loch/delta';
import { maybeCheckpoint } from './checkpoint.js';
import type { TableHandle } from './table-handle.js';

export interface CommitPlan {
  readonly operation: string;
  /** Values are written as given (Spark writes strings, and JSON text for lists/maps). */
  readonly operationParameters: Readonly<Record<string, unknown>>;
  readonly operationMetrics?: Readonly<Record<string, string | number>>;
  /** The operation's actions, without commitInfo. */
  readonly actions: readonly Action[];
  /** The snapshot the operation read; undefined when it creates the table. */
  readonly readSnapshot: Snapshot | undefined;
  /** Only adds new files (no reads of table data, no removes, no metadata change). */
  readonly isBlindAppend: boolean;
  readonly userMetadata?: string;
  /** In-commit timestamp to use (when ICT is being enabled by this commit and recorded in metadata). */
  readonly inCommitTimestamp?: number;
  /**
   * What the operation read (files scanned, partitions its predicate covers). With it, a commit
   * that lost the race is checked against the winners and rebased when they do not conflict.
   * Blind appends read nothing and need none.
   */
  readonly readSet?: ReadSet;
  /** False for operations that rearrange data without changing it (OPTIMIZE). Default true. */
  readonly changesData?: boolean;
  /**
   * Check (and record) the commit at this level instead of the table's: RESTORE is Serializable,
   * as Delta's commitLarge records it, so any concurrent data change conflicts with it.
   */
  readonly isolationLevel?: IsolationLevel;
}

export interface CommitOutcome {
  readonly version: number;
  /** Set when the automatic checkpoint after this commit failed (the commit itself stands). */
  readonly checkpointError?: unknown;
}

const MAX_RETRIES = 100;

const ICT_KEY = 'delta.enableInCommitTimestamps';

function commitInfoValue(
  h: TableHandle,
  plan: CommitPlan,
  timestamp: number,
  inCommitTimestamp: number | undefined,
  isolationLevel: IsolationLevel,
): Record<string, unknown> {
  const metrics: Record<string, string> = {};
  for (const [k, v] of Object.entries(plan.operationMetrics ?? {})) metrics[k] = String(v);
  const value: Record<string, unknown> = {};
  if (inCommitTimestamp !== undefined) value.inCommitTimestamp = inCommitTimestamp;
  value.timestamp = timestamp;
  value.operation = plan.operation;
  value.operationParameters = plan.operationParameters;
  if (plan.readSnapshot !== undefined) value.readVersion = plan.readSnapshot.version;
  value.isolationLevel = isolationLevel;
  value.isBlindAppend = plan.isBlindAppend;
  value.operationMetrics = metrics;
  if (plan.userMetadata !== undefined) value.userMetadata = plan.userMetadata;
  value.engineInfo = h.engineInfo;
  value.txnId = randomUUID();
  return value;
}

const newMetadataOf = (actions: readonly Action[]): Metadata | undefined =>
  actions.find((a): a is Metadata => a.kind === 'metaData');

function conflict(winningVersion: number, reason: string): DeltaError {
  return new DeltaError(
    'CONCURRENT_MODIFICATION',
    `another writer committed version ${winningVersion} first: ${reason}; retry the operation`,
    { winningVersion },
  );
}

const READ_NOTHING: ReadSet = { wholeTable: false, files: [] };

/** The isolation level the commit is checked at and records (table setting, or snapshot isolation). */
function isolationFor(plan: CommitPlan): IsolationLevel {
  if (plan.isolationLevel !== undefined) return plan.isolationLevel;
  const configuration = (newMetadataOf(plan.actions) ?? plan.readSnapshot?.metadata)?.configuration ?? {};
  return commitIsolationLevel(tableIsolationLevel(configuration), plan.actions, plan.changesData ?? true);
}

/** The commits after `fromVersion - 1` up to `toVersion`, as written, for the conflict checker. */
async function readWinners(h: TableHandle, fromVersion: number, toVersion: number): Promise<WinningCommit[]> {
  const versions = Array.from({ length: toVersion - fromVersion + 1 }, (_, i) => fromVersion + i);
  return Promise.all(
    versions.map(async (version) => {
      const path = commitPath(version);
      const [bytes, meta] = await Promise.all([h.store.get(path), h.store.head(path)]);
      const actions = parseCommitText(new TextDecoder().decode(bytes), path);
      return meta === undefined
        ? { version, actions }
        : { version, actions, fileTimestamp: meta.lastModified };
    }),
  );
}

/**
 * Commits the plan. Throws CONCURRENT_MODIFICATION naming the winning version on a conflict;
 * the table is then unchanged by this operation (its data files are the caller's to delete).
 */
export async function commit(h: TableHandle, plan: CommitPlan): Promise<CommitOutcome> {
  let base = plan.readSnapshot;
  let version = base === undefined ? 0 : base.version + 1;
  const ictEnabled =
    (newMetadataOf(plan.actions) ?? base?.metadata)?.configuration[ICT_KEY]?.toLowerCase() === 'true';
  const txn = plan.actions.find((a) => a.kind === 'txn');
  const changesMetadata = plan.actions.some((a) => a.kind === 'metaData' || a.kind === 'protocol');
  // Spark marks metadata-only commits (ALTER TABLE) as blind appends too, though some of them
  // read the data (ADD CONSTRAINT checks it): only pure appends and operations that say what they
  // read can be checked against the winners and rebased.
  const rebaseable = plan.readSet !== undefined || (plan.isBlindAppend && !changesMetadata);
  // Creating the table has nothing to conflict with: it records Serializable, as Spark does.
  const isolationLevel: IsolationLevel = base === undefined ? 'Serializable' : isolationFor(plan);
  let pending: PendingTransaction | undefined =
    base === undefined
      ? undefined
      : {
          readVersion: base.version,
          isolationLevel,
          isBlindAppend: plan.isBlindAppend,
          read: plan.readSet ?? READ_NOTHING,
          actions: plan.actions,
          ...(txn?.kind === 'txn' ? { readAppIds: [txn.appId] } : {}),
        };
  let minTimestamp = 0;
  let written: Action[] = [];
  for (let attempt = 0; ; attempt++) {
    const now = h.now();
    // In-commit timestamps must increase strictly with versions, whatever the clocks say.
    const ict = ictEnabled
      ? (plan.inCommitTimestamp ?? Math.max(now, minTimestamp, base === undefined ? 0 : base.timestamp + 1))
      : undefined;
    const info: Action = { kind: 'commitInfo', value: commitInfoValue(h, plan, now, ict, isolationLevel) };
    written = [info, ...(pending?.actions ?? plan.actions)];
    const outcome = await h.store.putIfAbsent(commitPath(version), commitBytes(written));
    if (outcome.kind === 'written') break;
    if (base === undefined || pending === undefined)
      throw conflict(version, 'the table was created concurrently');
    if (!rebaseable) {
      throw conflict(
        version,
        `${plan.operation} read version ${base.version}, ${changesMetadata ? 'changes the table metadata' : 'is not a blind append'} and declares no read set, so it cannot be rebased`,
      );
    }
    if (attempt >= MAX_RETRIES) throw conflict(version, `gave up after ${attempt + 1} attempts`);
    const latest = await h.require();
    if (latest.version < version) {
      throw conflict(version, `commit ${version} exists but the log cannot be read up to it`);
    }
    const checked = checkConflicts(pending, await readWinners(h, version, latest.version));
    if (checked.kind === 'conflict') {
      throw new DeltaError('CONCURRENT_MODIFICATION', `${checked.reason}Exception: ${checked.message}`, {
        winningVersion: checked.winningVersion,
        reason: checked.reason,
        ...(checked.file !== undefined ? { file: checked.file } : {}),
      });
    }
    pending = checked.transaction;
    minTimestamp = checked.minInCommitTimestamp ?? minTimestamp;
    base = latest;
    version = checked.commitVersion;
  }
  return { version, ...(await afterCommit(h, version, base, written)) };
}

/**
 * The snapshot at the version just committed: our own actions applied to the snapshot they were
 * based on (no listing, no re-read), or a load for a new table.
 */
async function committedSnapshot(
  h: TableHandle,
  version: number,
  base: Snapshot | undefined,
  actions: readonly Action[],
): Promise<Snapshot | undefined> {
  if (base === undefined || base.version !== version - 1) return h.latest();
  const path = commitPath(version);
  const meta = await h.store.head(path);
  const info = actions[0]?.kind === 'commitInfo' ? actions[0].value : undefined;
  const snapshot = applyCommits(base, {
    logSegment: { ...base.logSegment, version, commits: [...base.logSegment.commits, { version, path }] },
    batches: [actions],
    fileTimestamp: meta?.lastModified ?? h.now(),
    ...(info !== undefined ? { commitInfo: info } : {}),
  });
  h.remember(snapshot);
  return snapshot;
}

/** Caches the snapshot at the new version and writes a checkpoint when one is due. */
async function afterCommit(
  h: TableHandle,
  version: number,
  base: Snapshot | undefined,
  actions: readonly Action[],
): Promise<{ checkpointError?: unknown }> {
  let snapshot: Snapshot | undefined;
  try {
    snapshot = await committedSnapshot(h, version, base, actions);
  } catch (e) {
    // The commit is durable; a refresh failure only costs the next operation a reload.
    h.forget();
    return { checkpointError: e };
  }
  if (snapshot === undefined) return {};
  const error = await maybeCheckpoint(h, snapshot, version);
  return error === undefined ? {} : { checkpointError: error };
}

/** Deletes data files a failed operation wrote (best effort: they are unreferenced either way). */
export async function deleteFiles(h: TableHandle, paths: readonly string[]): Promise<void> {
  await Promise.all(
    paths.map(async (p) => {
      try {
        await h.store.delete(p);
      } catch {
        // Orphans are harmless: no commit references them; VACUUM removes them later.
      }
    }),
  );
}
