// The vocabulary of optimistic-concurrency conflict checking (Delta's ConflictChecker): what the
// losing transaction read and wants to write, what a winning commit did, and the outcome as a
// value. The table layer's retry loop feeds winning commits one at a time, oldest first.
import type { Action, DeletionVectorDescriptor } from '../actions/types.js';

/**
 * Delta isolation levels (table property `delta.isolationLevel`). SnapshotIsolation is never a
 * table setting: a commit that changes no data (OPTIMIZE, an empty commit) is checked at it.
 */
export type IsolationLevel = 'Serializable' | 'WriteSerializable' | 'SnapshotIsolation';

/** The Delta exception family, by the name Spark and delta-rs give each exception. */
export type ConflictReason =
  | 'ProtocolChanged'
  | 'MetadataChanged'
  | 'ConcurrentAppend'
  | 'ConcurrentDeleteRead'
  | 'ConcurrentDeleteDelete'
  | 'ConcurrentTransaction'
  | 'ConcurrentDomainMetadata';

export type PartitionValues = Readonly<Record<string, string | null>>;

/** A file the transaction read. An AddFile fits; the key is path + deletion vector id. */
export interface ReadFile {
  readonly path: string;
  readonly partitionValues?: PartitionValues | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
}

/**
 * What the transaction read, as Delta records it. `files` are the files its scans returned
 * (after partition pruning and data skipping). `partitionPredicate` is the partition part of
 * every scan's filter (OR-ed by the caller); a scan with no partition filter, or any scan of an
 * unpartitioned table, reads "every partition" and must pass `() => true`. Leave it undefined
 * only when the transaction did not scan the table.
 */
export interface ReadSet {
  readonly wholeTable: boolean;
  readonly files: readonly ReadFile[];
  readonly partitionPredicate?: (partitionValues: PartitionValues) => boolean;
}

/** The transaction trying to commit. */
export interface PendingTransaction {
  /** The table version the transaction read (and planned against). */
  readonly readVersion: number;
  readonly isolationLevel: IsolationLevel;
  /** Only adds new files and read nothing: appends never conflict for it. */
  readonly isBlindAppend: boolean;
  readonly read: ReadSet;
  /**
   * The actions to commit. A commitInfo among them is rebased too (its inCommitTimestamp); the
   * caller may also leave commitInfo out and write it per attempt.
   */
  readonly actions: readonly Action[];
  /** Application ids whose txn version the transaction looked up (idempotent writers do). */
  readonly readAppIds?: readonly string[];
  /** The `delta.rowTracking` high-water mark at the read version, when row tracking is on. */
  readonly readRowIdHighWaterMark?: number;
}

/** A commit that took a version after our read version, as read back from the log. */
export interface WinningCommit {
  readonly version: number;
  /** All actions of the commit file, commitInfo included when the writer wrote one. */
  readonly actions: readonly Action[];
  /** The commit file's modification time (ms): its timestamp when it has no in-commit timestamp. */
  readonly fileTimestamp?: number;
}

/** Something the rebase changed in our actions, so the caller can log it or adjust its plan. */
export type RebaseNote =
  | {
      readonly kind: 'rowIdsReassigned';
      readonly highWaterMark: number;
      readonly files: number;
    }
  | { readonly kind: 'rowCommitVersionsMoved'; readonly to: number; readonly files: number }
  | { readonly kind: 'inCommitTimestampRaised'; readonly from: number; readonly to: number }
  | { readonly kind: 'ictEnablementMoved'; readonly version: number; readonly timestamp: number }
  | { readonly kind: 'identityHighWaterMarkTolerated'; readonly winningVersion: number };

export interface ConflictOk {
  readonly kind: 'ok';
  /** The transaction as if it had read `winningVersion`: commit it at `commitVersion`. */
  readonly transaction: PendingTransaction;
  /** Version of the last winning commit checked (our new read version). */
  readonly checkedVersion: number;
  /** The version to attempt next: checkedVersion + 1. */
  readonly commitVersion: number;
  readonly notes: readonly RebaseNote[];
  /**
   * When a winner carried an in-commit timestamp (or file time): the lowest in-commit timestamp
   * our commit may use. For callers that build commitInfo per attempt instead of passing it in.
   */
  readonly minInCommitTimestamp?: number;
}

export interface Conflict {
  readonly kind: 'conflict';
  readonly reason: ConflictReason;
  readonly winningVersion: number;
  /** The winner's commitInfo operation, when it wrote one. */
  readonly winningOperation?: string;
  /** Names the winning version, its operation and the conflicting file / partition / id. */
  readonly message: string;
  /** The conflicting file (its log path), when the reason is about files. */
  readonly file?: string;
  readonly partition?: PartitionValues;
  /** ConcurrentTransaction: the application id and both txn versions. */
  readonly appId?: string;
  readonly winningTxnVersion?: number;
  readonly ourTxnVersion?: number;
  /** ConcurrentDomainMetadata: the domain. */
  readonly domain?: string;
}

export type ConflictOutcome = ConflictOk | Conflict;
