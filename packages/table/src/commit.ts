// The optimistic commit: commitInfo first (shaped as Spark writes it), then the operation's
// actions, published with putIfAbsent at readVersion + 1. When another writer took that version,
// a blind append re-reads the winning commits and moves on to the next version if none of them
// changed metadata or protocol (or replayed our txn); every other operation fails with a conflict.
import { randomUUID } from 'node:crypto';
import {
  type Action,
  applyCommits,
  commitBytes,
  commitPath,
  DeltaError,
  type Metadata,
  type Snapshot,
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
}

export interface CommitOutcome {
  readonly version: number;
  /** Set when the automatic checkpoint after this commit failed (the commit itself stands). */
  readonly checkpointError?: unknown;
}

const MAX_APPEND_RETRIES = 100;

const ICT_KEY = 'delta.enableInCommitTimestamps';

function commitInfoValue(
  h: TableHandle,
  plan: CommitPlan,
  timestamp: number,
  inCommitTimestamp: number | undefined,
): Record<string, unknown> {
  const metrics: Record<string, string> = {};
  for (const [k, v] of Object.entries(plan.operationMetrics ?? {})) metrics[k] = String(v);
  const value: Record<string, unknown> = {};
  if (inCommitTimestamp !== undefined) value.inCommitTimestamp = inCommitTimestamp;
  value.timestamp = timestamp;
  value.operation = plan.operation;
  value.operationParameters = plan.operationParameters;
  if (plan.readSnapshot !== undefined) value.readVersion = plan.readSnapshot.version;
  value.isolationLevel = 'Serializable';
  value.isBlindAppend = plan.isBlindAppend;
  value.operationMetrics = metrics;
  if (plan.userMetadata !== undefined) value.userMetadata = plan.userMetadata;
  value.engineInfo = h.engineInfo;
  value.txnId = randomUUID();
  return value;
}

const newMetadataOf = (actions: readonly Action[]): Metadata | undefined =>
  actions.find((a): a is Metadata => a.kind === 'metaData');

const fingerprint = (s: Snapshot): string => JSON.stringify([s.metadata, s.protocol]);

function conflict(winningVersion: number, reason: string): DeltaError {
  return new DeltaError(
    'CONCURRENT_MODIFICATION',
    `another writer committed version ${winningVersion} first: ${reason}; retry the operation`,
    { winningVersion },
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
  // Spark marks metadata-only commits as blind appends too; only pure appends are safe to rebase.
  const retryable =
    plan.isBlindAppend && !plan.actions.some((a) => a.kind === 'metaData' || a.kind === 'protocol');
  let written: Action[] = [];
  for (let attempt = 0; ; attempt++) {
    const now = h.now();
    // In-commit timestamps must increase strictly with versions, whatever the clocks say.
    const ict = ictEnabled
      ? (plan.inCommitTimestamp ?? Math.max(now, base === undefined ? 0 : base.timestamp + 1))
      : undefined;
    const info: Action = { kind: 'commitInfo', value: commitInfoValue(h, plan, now, ict) };
    written = [info, ...plan.actions];
    const outcome = await h.store.putIfAbsent(commitPath(version), commitBytes(written));
    if (outcome.kind === 'written') break;
    if (base === undefined) throw conflict(version, 'the table was created concurrently');
    if (!retryable) {
      throw conflict(
        version,
        `${plan.operation} read version ${base.version} and is not a blind append, so it cannot be rebased`,
      );
    }
    if (attempt >= MAX_APPEND_RETRIES) throw conflict(version, `gave up after ${attempt + 1} attempts`);
    const winner = await h.require();
    if (fingerprint(winner) !== fingerprint(base)) {
      throw conflict(version, 'it changed the table metadata or protocol');
    }
    if (txn?.kind === 'txn' && winner.txns.get(txn.appId)?.version !== base.txns.get(txn.appId)?.version) {
      throw conflict(version, `it committed transaction '${txn.appId}' too`);
    }
    base = winner;
    version = winner.version + 1;
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
