// Messages worded like Delta's concurrent-modification exceptions, each naming the winning
// version and its operation, and the file / partition / id that conflicts.
import type { Protocol } from '../actions/types.js';
import type { ConflictReason, PartitionValues } from './conflict-types.js';

export interface ConflictFacts {
  readonly winningVersion: number;
  readonly winningOperation?: string;
  readonly file?: string;
  readonly partition?: PartitionValues;
  readonly appId?: string;
  readonly winningTxnVersion?: number;
  readonly ourTxnVersion?: number;
  readonly domain?: string;
  readonly winningProtocol?: Protocol;
}

const RETRY = 'Please try the operation again.';

/** `partition [date=2024-01-01, region=eu]`, or `the root of the table` when unpartitioned. */
export function prettyPartition(values: PartitionValues | null | undefined): string {
  const entries = values === null || values === undefined ? [] : Object.entries(values);
  if (entries.length === 0) return 'the root of the table';
  return `partition [${entries.map(([k, v]) => `${k}=${v === null ? 'null' : v}`).join(', ')}]`;
}

const by = (f: ConflictFacts): string =>
  `by a concurrent update (version ${f.winningVersion}${f.winningOperation !== undefined ? `, ${f.winningOperation}` : ''})`;

const fileExample = (f: ConflictFacts): string =>
  f.file === undefined
    ? ''
    : ` (for example ${f.file}${f.partition !== undefined && Object.keys(f.partition).length > 0 ? ` in ${prettyPartition(f.partition)}` : ''})`;

const protocolText = (p: Protocol): string => {
  const features = [...(p.readerFeatures ?? []), ...(p.writerFeatures ?? [])];
  const unique = [...new Set(features)];
  return `reader ${p.minReaderVersion} / writer ${p.minWriterVersion}${unique.length > 0 ? ` [${unique.join(', ')}]` : ''}`;
};

const MESSAGES: Readonly<Record<ConflictReason, (f: ConflictFacts) => string>> = {
  ProtocolChanged: (f) =>
    `The protocol version of the Delta table has been changed ${by(f)}` +
    `${f.winningProtocol !== undefined ? ` to ${protocolText(f.winningProtocol)}` : ''}. ${RETRY}`,
  MetadataChanged: (f) => `The metadata of the Delta table has been changed ${by(f)}. ${RETRY}`,
  ConcurrentAppend: (f) => `Files were added to ${prettyPartition(f.partition)} ${by(f)}. ${RETRY}`,
  ConcurrentDeleteRead: (f) =>
    f.file === undefined
      ? `This transaction read the whole table and files were deleted ${by(f)}. ${RETRY}`
      : `This transaction attempted to read one or more files that were deleted${fileExample(f)} ${by(f)}. ${RETRY}`,
  ConcurrentDeleteDelete: (f) =>
    `This transaction attempted to delete one or more files that were deleted${fileExample(f)} ${by(f)}. ${RETRY}`,
  ConcurrentTransaction: (f) =>
    `Application transaction '${f.appId ?? ''}' was also committed ${by(f)}` +
    `${f.winningTxnVersion !== undefined ? ` with txn version ${f.winningTxnVersion}` : ''}` +
    `${f.ourTxnVersion !== undefined ? ` while this transaction writes txn version ${f.ourTxnVersion}` : ''}: ` +
    "two writers use the same application id at once. Re-read the application's last txn version before retrying.",
  ConcurrentDomainMetadata: (f) =>
    `A conflicting metadata domain '${f.domain ?? ''}' was changed ${by(f)} and by this transaction. ${RETRY}`,
};

export const conflictMessage = (reason: ConflictReason, facts: ConflictFacts): string =>
  MESSAGES[reason](facts);
