// Log compaction files (PROTOCOL.md "Log Compaction Files"): `x.y.compacted.json` holds the
// reconciled actions of commits x..y, so a reader replays one file instead of y-x+1. The newest
// action per key wins; removes are kept as tombstones (a file added before x and removed inside
// the range must stay removed), and commitInfo / cdc actions, which describe single commits, go.
import type { Action } from '../actions/types.js';
import { DeltaError } from '../errors.js';
import { fileActionKey } from '../replay/file-key.js';

export const LOG_COMPACTION_INTERVAL_KEY = 'loch.logCompactionInterval';

/**
 * `loch.logCompactionInterval`: write a compaction file of the last n commits after every n-th
 * commit. Off (0) by default: with checkpoints every 10 commits a compaction file saves little,
 * and it is worth it on tables with a long checkpoint interval.
 */
export function logCompactionInterval(configuration: Readonly<Record<string, string>>): number {
  const raw = configuration[LOG_COMPACTION_INTERVAL_KEY];
  if (raw === undefined) return 0;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 0) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `table property ${LOG_COMPACTION_INTERVAL_KEY} = '${raw}' must be a whole number of commits (0 turns compaction off)`,
      { value: raw },
    );
  }
  return n;
}

/** The range a compaction due after committing `version` covers, or undefined. */
export function compactionRangeDue(
  version: number,
  interval: number,
): { start: number; end: number } | undefined {
  if (interval < 2 || (version + 1) % interval !== 0) return undefined;
  return { start: version + 1 - interval, end: version };
}

/** Reconciles the actions of consecutive commits, given oldest first, into compaction file actions. */
export function compactActions(commits: readonly (readonly Action[])[]): Action[] {
  let protocol: Action | undefined;
  let metadata: Action | undefined;
  const txns = new Map<string, Action>();
  const domains = new Map<string, Action>();
  const files = new Map<string, Action>();
  for (const actions of commits) {
    for (const a of actions) {
      switch (a.kind) {
        case 'protocol':
          protocol = a;
          break;
        case 'metaData':
          metadata = a;
          break;
        case 'txn':
          txns.set(a.appId, a);
          break;
        case 'domainMetadata':
          domains.set(a.domain, a);
          break;
        case 'add':
        case 'remove': {
          const key = fileActionKey(a);
          // Re-insert so the map's order is the order of the winning actions.
          files.delete(key);
          files.set(key, a);
          break;
        }
        default:
          break;
      }
    }
  }
  const out: Action[] = [];
  if (protocol !== undefined) out.push(protocol);
  if (metadata !== undefined) out.push(metadata);
  out.push(...txns.values(), ...domains.values(), ...files.values());
  return out;
}
