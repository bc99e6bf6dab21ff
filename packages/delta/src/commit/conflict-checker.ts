// Optimistic-concurrency conflict checking (PROTOCOL.md leaves the rules to writers; these are
// Delta's). When putIfAbsent of version N fails, the table layer reads the winning commits
// N..latest and asks, one at a time, whether our transaction can be rebased onto each.
import { DeltaError } from '../errors.js';
import { conflictMessage } from './conflict-messages.js';
import { minInCommitTimestampAfter, rebaseOnto } from './conflict-rebase.js';
import { CONFLICT_RULES } from './conflict-rules.js';
import { summarizeTransaction, summarizeWinner, type WinnerSummary } from './conflict-summary.js';
import type {
  Conflict,
  ConflictOutcome,
  PendingTransaction,
  RebaseNote,
  WinningCommit,
} from './conflict-types.js';

/** The first rule our transaction breaks against `winner`, or undefined. */
export function findConflict(txn: PendingTransaction, winner: WinnerSummary): Conflict | undefined {
  const ctx = { txn, ours: summarizeTransaction(txn), winner };
  for (const rule of CONFLICT_RULES) {
    const finding = rule.find(ctx);
    if (finding === undefined) continue;
    const facts = {
      ...finding,
      winningVersion: winner.version,
      ...(winner.operation !== undefined ? { winningOperation: winner.operation } : {}),
    };
    const { winningProtocol: _p, ...details } = facts;
    return {
      kind: 'conflict',
      reason: rule.reason,
      ...details,
      message: conflictMessage(rule.reason, facts),
    };
  }
  return undefined;
}

/**
 * Checks `txn` against one winning commit (the one at `txn.readVersion + 1`) and, when they do
 * not conflict, rebases it onto that commit.
 */
export function checkConflict(txn: PendingTransaction, winner: WinningCommit): ConflictOutcome {
  return checkConflicts(txn, [winner]);
}

/**
 * Checks `txn` against every commit after its read version, oldest first, and returns either the
 * first conflict or the transaction rebased onto the last of them, to commit at `commitVersion`.
 * The winners must be exactly readVersion+1, readVersion+2, ...: a gap is a caller bug.
 */
export function checkConflicts(txn: PendingTransaction, winners: readonly WinningCommit[]): ConflictOutcome {
  let current = txn;
  const notes: RebaseNote[] = [];
  let minInCommitTimestamp: number | undefined;
  for (const commit of winners) {
    if (commit.version !== current.readVersion + 1) {
      throw new DeltaError(
        'VERSIONS_NOT_CONTIGUOUS',
        `conflict check expected the commit at version ${current.readVersion + 1}, got ${commit.version}; ` +
          'pass every commit after the read version, in order',
        { expected: current.readVersion + 1, got: commit.version },
      );
    }
    const winner = summarizeWinner(commit);
    const conflict = findConflict(current, winner);
    if (conflict !== undefined) return conflict;
    if (winner.metadata !== undefined && winner.identityOnlyMetadataUpdate) {
      notes.push({ kind: 'identityHighWaterMarkTolerated', winningVersion: winner.version });
    }
    const rebased = rebaseOnto(current, winner);
    current = rebased.transaction;
    notes.push(...rebased.notes);
    minInCommitTimestamp = minInCommitTimestampAfter(winner) ?? minInCommitTimestamp;
  }
  return {
    kind: 'ok',
    transaction: current,
    checkedVersion: current.readVersion,
    commitVersion: current.readVersion + 1,
    notes,
    ...(minInCommitTimestamp !== undefined ? { minInCommitTimestamp } : {}),
  };
}

/**
 * True when a ConcurrentTransaction conflict means our batch is already in the table: the winner
 * recorded the same application id at our txn version or later. An idempotent writer then stops
 * instead of retrying.
 */
export const isAlreadyCommitted = (c: Conflict): boolean =>
  c.reason === 'ConcurrentTransaction' &&
  c.winningTxnVersion !== undefined &&
  c.ourTxnVersion !== undefined &&
  c.winningTxnVersion >= c.ourTxnVersion;
