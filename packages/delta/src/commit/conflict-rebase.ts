// Rebasing a transaction that passed the conflict rules onto a winning commit: the fields whose
// values depend on the version or on what the winner assigned move past the winner (row ids,
// default row commit versions, in-commit timestamps). Everything else is committed unchanged.
import type { Action, AddFile, CommitInfo, DomainMetadata, Metadata } from '../actions/types.js';
import { DeltaError } from '../errors.js';
import { parseStats } from '../stats/parse-stats.js';
import { ROW_TRACKING_DOMAIN, type WinnerSummary } from './conflict-summary.js';
import type { PendingTransaction, RebaseNote } from './conflict-types.js';

const ICT_ENABLEMENT_VERSION = 'delta.inCommitTimestampEnablementVersion';
const ICT_ENABLEMENT_TIMESTAMP = 'delta.inCommitTimestampEnablementTimestamp';

export interface Rebased {
  readonly transaction: PendingTransaction;
  readonly notes: readonly RebaseNote[];
}

/** The `rowIdHighWaterMark` of a `delta.rowTracking` domain action, if it holds one. */
export function rowIdHighWaterMark(domain: DomainMetadata): number | undefined {
  try {
    const v = (JSON.parse(domain.configuration) as { rowIdHighWaterMark?: unknown }).rowIdHighWaterMark;
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export const rowTrackingDomain = (highWaterMark: number): DomainMetadata => ({
  kind: 'domainMetadata',
  domain: ROW_TRACKING_DOMAIN,
  configuration: JSON.stringify({ rowIdHighWaterMark: highWaterMark }),
  removed: false,
});

/**
 * Fresh row ids for the files we assigned ids to (baseRowId missing or above the high-water mark
 * we read: ids copied from older files stay), starting after the winner's high-water mark.
 */
function reassignRowIds(
  txn: PendingTransaction,
  actions: readonly Action[],
  winner: WinnerSummary,
  notes: RebaseNote[],
): { actions: Action[]; readRowIdHighWaterMark?: number } {
  const read = txn.readRowIdHighWaterMark;
  if (read === undefined) return { actions: [...actions] };
  const winnerDomain = winner.domains.get(ROW_TRACKING_DOMAIN);
  const winnerMark = (winnerDomain !== undefined ? rowIdHighWaterMark(winnerDomain) : undefined) ?? read;
  if (winnerMark === read) return { actions: [...actions], readRowIdHighWaterMark: read };
  let mark = winnerMark;
  let files = 0;
  let hadDomain = false;
  const out: Action[] = [];
  for (const a of actions) {
    if (a.kind === 'domainMetadata' && a.domain === ROW_TRACKING_DOMAIN) {
      hadDomain = true;
      continue;
    }
    if (a.kind === 'add' && (a.baseRowId === undefined || a.baseRowId === null || a.baseRowId > read)) {
      const n = parseStats(a)?.numRecords;
      if (n === undefined) {
        throw new DeltaError(
          'INVALID_ARGUMENT',
          `cannot assign row ids to ${a.path}: its stats have no numRecords; write stats for every added file on a row-tracking table`,
          { path: a.path },
        );
      }
      out.push({ ...a, baseRowId: mark + 1 } satisfies AddFile);
      mark += n;
      files++;
      continue;
    }
    out.push(a);
  }
  // The high-water mark goes first, where readers that want it find it fastest.
  if (hadDomain || files > 0) {
    out.unshift(rowTrackingDomain(mark));
    notes.push({ kind: 'rowIdsReassigned', highWaterMark: mark, files });
  }
  return { actions: out, readRowIdHighWaterMark: winnerMark };
}

/** Our attempted version was the winner's, so row commit versions we stamped with it move on. */
function moveRowCommitVersions(actions: Action[], winner: WinnerSummary, notes: RebaseNote[]): Action[] {
  const to = winner.version + 1;
  let files = 0;
  const out = actions.map((a): Action => {
    if (a.kind !== 'add' || a.defaultRowCommitVersion !== winner.version) return a;
    files++;
    return { ...a, defaultRowCommitVersion: to };
  });
  if (files > 0) notes.push({ kind: 'rowCommitVersionsMoved', to, files });
  return out;
}

/** The lowest in-commit timestamp the commit after `winner` may carry. */
export const minInCommitTimestampAfter = (winner: WinnerSummary): number | undefined =>
  winner.timestamp === undefined ? undefined : winner.timestamp + 1;

/**
 * In-commit timestamps must increase with versions: raise ours past the winner's. A commit that
 * enables ICT records the enablement version and timestamp in its metadata; both move too.
 */
function raiseInCommitTimestamp(actions: Action[], winner: WinnerSummary, notes: RebaseNote[]): Action[] {
  const floor = minInCommitTimestampAfter(winner);
  const infoAt = actions.findIndex((a) => a.kind === 'commitInfo');
  const info = infoAt >= 0 ? (actions[infoAt] as CommitInfo) : undefined;
  const ours = info?.value.inCommitTimestamp;
  if (floor === undefined || info === undefined || typeof ours !== 'number') return actions;
  const ict = Math.max(ours, floor);
  const out = [...actions];
  if (ict !== ours) {
    out[infoAt] = { kind: 'commitInfo', value: { ...info.value, inCommitTimestamp: ict } };
    notes.push({ kind: 'inCommitTimestampRaised', from: ours, to: ict });
  }
  const metaAt = out.findIndex((a) => a.kind === 'metaData');
  const meta = metaAt >= 0 ? (out[metaAt] as Metadata) : undefined;
  // Only an enablement stamped with the version we attempted is ours to move.
  if (meta?.configuration[ICT_ENABLEMENT_VERSION] === String(winner.version)) {
    const version = winner.version + 1;
    out[metaAt] = {
      ...meta,
      configuration: {
        ...meta.configuration,
        [ICT_ENABLEMENT_VERSION]: String(version),
        [ICT_ENABLEMENT_TIMESTAMP]: String(ict),
      },
    } satisfies Metadata;
    notes.push({ kind: 'ictEnablementMoved', version, timestamp: ict });
  }
  return out;
}

/**
 * `txn` as if it had read the winner's version. Call only after the conflict rules passed for
 * this winner; the result is what to commit at `winner.version + 1` (or to check against the
 * next winner).
 */
export function rebaseOnto(txn: PendingTransaction, winner: WinnerSummary): Rebased {
  const notes: RebaseNote[] = [];
  const ids = reassignRowIds(txn, txn.actions, winner, notes);
  let actions = moveRowCommitVersions(ids.actions, winner, notes);
  actions = raiseInCommitTimestamp(actions, winner, notes);
  const { readRowIdHighWaterMark: _dropped, ...rest } = txn;
  return {
    transaction: {
      ...rest,
      readVersion: winner.version,
      actions,
      ...(ids.readRowIdHighWaterMark !== undefined
        ? { readRowIdHighWaterMark: ids.readRowIdHighWaterMark }
        : {}),
    },
    notes,
  };
}
