// Delta's conflict rules as data, in the order Delta's ConflictChecker applies them: cheap
// table-level checks first, then the file checks. Each rule looks at our transaction and one
// winning commit and names what conflicts, or nothing.
import type { AddFile } from '../actions/types.js';
import { canonicalizePath } from '../replay/file-key.js';
import type { ConflictFacts } from './conflict-messages.js';
import { ROW_TRACKING_DOMAIN, type TransactionSummary, type WinnerSummary } from './conflict-summary.js';
import type { ConflictReason, IsolationLevel, PendingTransaction } from './conflict-types.js';

export interface ConflictContext {
  readonly txn: PendingTransaction;
  readonly ours: TransactionSummary;
  readonly winner: WinnerSummary;
}

/** What a rule found, without the winner's version/operation (the checker adds those). */
export type ConflictFinding = Omit<ConflictFacts, 'winningVersion' | 'winningOperation'>;

export interface ConflictRule {
  readonly reason: ConflictReason;
  /** The Delta (Spark) check this mirrors, for whoever compares the two. */
  readonly deltaCheck: string;
  readonly find: (ctx: ConflictContext) => ConflictFinding | undefined;
}

/**
 * Which of the winner's added files our reads must have seen, by isolation level. Files with
 * dataChange=false (OPTIMIZE, row-tracking backfill) hold rows that were already in the table:
 * either we read the files they replace (and the delete-read rule fires) or those rows did not
 * match our reads, so they never count. Spark also counts them; this is the narrower rule.
 */
export const APPENDS_TO_CHECK: Readonly<
  Record<IsolationLevel, (winner: WinnerSummary, ours: TransactionSummary) => readonly AddFile[]>
> = {
  // Every new row could have changed what we read.
  Serializable: (w) => w.adds,
  // A blind append may be ordered after us, unless we change the metadata the append was
  // written against.
  WriteSerializable: (w, ours) => (w.isBlindAppend && !ours.metadataChanged ? [] : w.adds),
  // Only deletes conflict: our write may be ordered before any winner.
  SnapshotIsolation: () => [],
};

function firstAppendWeShouldHaveRead(ctx: ConflictContext): AddFile | undefined {
  const { txn, ours, winner } = ctx;
  // A blind append read nothing, so no new file can invalidate it.
  if (txn.isBlindAppend) return undefined;
  const predicate = txn.read.partitionPredicate;
  if (!txn.read.wholeTable && predicate === undefined) return undefined;
  for (const add of APPENDS_TO_CHECK[txn.isolationLevel](winner, ours)) {
    if (!add.dataChange) continue;
    if (txn.read.wholeTable || predicate?.(add.partitionValues) === true) return add;
  }
  return undefined;
}

export const CONFLICT_RULES: readonly ConflictRule[] = [
  {
    reason: 'ProtocolChanged',
    deltaCheck: 'checkProtocolCompatibility',
    // Spark lets some upgrades through; any protocol action by a winner is treated as a change
    // here, since our plan was made against the old features.
    find: ({ winner }) => (winner.protocol === undefined ? undefined : { winningProtocol: winner.protocol }),
  },
  {
    reason: 'MetadataChanged',
    deltaCheck: 'checkNoMetadataUpdates',
    // An IDENTITY high-water-mark update does not change what we wrote against, unless we change
    // metadata too (then one of the two updates would be lost).
    find: ({ ours, winner }) =>
      winner.metadata === undefined || (winner.identityOnlyMetadataUpdate && !ours.metadataChanged)
        ? undefined
        : {},
  },
  {
    reason: 'ConcurrentDomainMetadata',
    deltaCheck: 'checkIfDomainMetadataConflict',
    // The row-tracking high-water mark is recomputed by the rebase; every other domain has no
    // merge rule, so touching it on both sides conflicts.
    find: ({ ours, winner }) => {
      for (const domain of ours.domains.keys()) {
        if (domain !== ROW_TRACKING_DOMAIN && winner.domains.has(domain)) return { domain };
      }
      return undefined;
    },
  },
  {
    reason: 'ConcurrentTransaction',
    deltaCheck: 'checkForUpdatedApplicationTransactionIdsThatCurrentTxnDependsOn',
    find: ({ ours, winner }) => {
      for (const t of winner.txns) {
        if (!ours.appIds.has(t.appId)) continue;
        const ourVersion = ours.appIds.get(t.appId);
        return {
          appId: t.appId,
          winningTxnVersion: t.version,
          ...(ourVersion !== undefined ? { ourTxnVersion: ourVersion } : {}),
        };
      }
      return undefined;
    },
  },
  {
    reason: 'ConcurrentAppend',
    deltaCheck: 'checkForAddedFilesThatShouldHaveBeenReadByCurrentTxn',
    find: (ctx) => {
      const add = firstAppendWeShouldHaveRead(ctx);
      if (add === undefined) return undefined;
      const partitioned = Object.keys(add.partitionValues).length > 0;
      return {
        file: add.path,
        ...(partitioned ? { partition: add.partitionValues } : {}),
      };
    },
  },
  {
    reason: 'ConcurrentDeleteRead',
    deltaCheck: 'checkForDeletedFilesAgainstCurrentTxnReadFiles',
    // dataChange=false removes (compaction) count too: the rows we read moved to a file we did
    // not read, so our rewrite of them would duplicate or lose rows.
    find: ({ txn, ours, winner }) => {
      for (const r of winner.removes) {
        const read = ours.readPaths.get(canonicalizePath(r.path));
        if (read === undefined) continue;
        const partition = read.partitionValues ?? r.partitionValues ?? undefined;
        return { file: r.path, ...(partition ? { partition } : {}) };
      }
      return txn.read.wholeTable && winner.removes.length > 0 ? {} : undefined;
    },
  },
  {
    reason: 'ConcurrentDeleteDelete',
    deltaCheck: 'checkForDeletedFilesAgainstCurrentTxnDeletedFiles',
    find: ({ ours, winner }) => {
      for (const r of winner.removes) {
        const mine = ours.removePaths.get(canonicalizePath(r.path));
        if (mine === undefined) continue;
        const partition = mine.partitionValues ?? r.partitionValues ?? undefined;
        return { file: r.path, ...(partition ? { partition } : {}) };
      }
      return undefined;
    },
  },
];
