// Pure log replay: action batches (newest first) -> an immutable Snapshot. The newest action for
// a file key wins; an older one for the same key is shadowed. One Map lookup per file action and
// no copies of the actions themselves keep this fast on 100k+ actions.
import type {
  Action,
  AddFile,
  DomainMetadata,
  Metadata,
  Protocol,
  RemoveFile,
  Txn,
} from '../actions/types.js';
import { DeltaError } from '../errors.js';
import { checkReadSupport } from '../features/protocol-check.js';
import { columnMappingMode } from '../schema/column-mapping.js';
import { parseSchema } from '../schema/schema-json.js';
import type { LogSegment, Snapshot } from '../snapshot/types.js';
import { fileActionKey } from './file-key.js';
import { deletedFileRetentionMs } from './retention.js';

export const IN_COMMIT_TIMESTAMPS_KEY = 'delta.enableInCommitTimestamps';

/** Newest action per file key. Chained so an incremental update never copies its parent's map. */
interface FileIndex {
  readonly own: Map<string, AddFile | RemoveFile>;
  readonly parent: FileIndex | undefined;
  readonly depth: number;
}

const fileIndexes = new WeakMap<Snapshot, FileIndex>();
const MAX_INDEX_DEPTH = 16;

function lookup(index: FileIndex | undefined, key: string): AddFile | RemoveFile | undefined {
  for (let i = index; i !== undefined; i = i.parent) {
    const hit = i.own.get(key);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Index of a snapshot that was not built here (e.g. deserialized): its files and tombstones. */
function indexSnapshot(snapshot: Snapshot): FileIndex {
  const own = new Map<string, AddFile | RemoveFile>();
  for (const t of snapshot.tombstones) own.set(fileActionKey(t), t);
  for (const f of snapshot.files) own.set(fileActionKey(f), f);
  return { own, parent: undefined, depth: 0 };
}

function flatten(index: FileIndex): FileIndex {
  const chain: FileIndex[] = [];
  for (let i: FileIndex | undefined = index; i !== undefined; i = i.parent) chain.push(i);
  const own = new Map<string, AddFile | RemoveFile>();
  for (let k = chain.length - 1; k >= 0; k--)
    for (const [key, v] of (chain[k] as FileIndex).own) own.set(key, v);
  return { own, parent: undefined, depth: 0 };
}

interface Accumulated {
  readonly winners: Map<string, AddFile | RemoveFile>;
  protocol?: Protocol;
  metadata?: Metadata;
  readonly txns: Map<string, Txn>;
  readonly domains: Map<string, DomainMetadata>;
}

function accumulate(batches: Iterable<readonly Action[]>): Accumulated {
  const acc: Accumulated = { winners: new Map(), txns: new Map(), domains: new Map() };
  const winners = acc.winners;
  for (const batch of batches) {
    for (let i = 0; i < batch.length; i++) {
      const a = batch[i] as Action;
      switch (a.kind) {
        case 'add':
        case 'remove': {
          const key = fileActionKey(a);
          if (!winners.has(key)) winners.set(key, a);
          break;
        }
        case 'protocol':
          acc.protocol ??= a;
          break;
        case 'metaData':
          acc.metadata ??= a;
          break;
        case 'txn':
          if (!acc.txns.has(a.appId)) acc.txns.set(a.appId, a);
          break;
        case 'domainMetadata':
          if (!acc.domains.has(a.domain)) acc.domains.set(a.domain, a);
          break;
        default:
          break;
      }
    }
  }
  return acc;
}

export interface ReplayInput {
  readonly logSegment: LogSegment;
  /** Action batches, newest first: commits (or compactions) descending, then the checkpoint. */
  readonly batches: Iterable<readonly Action[]>;
  /** Modification time of the version's commit file (its checkpoint when the commit is gone). */
  readonly fileTimestamp: number;
  /** The version's own commitInfo, if read: its inCommitTimestamp wins when ICT is enabled. */
  readonly commitInfo?: Readonly<Record<string, unknown>>;
}

function snapshotTimestamp(
  metadata: Metadata,
  fileTimestamp: number,
  commitInfo?: Readonly<Record<string, unknown>>,
): number {
  if (metadata.configuration[IN_COMMIT_TIMESTAMPS_KEY]?.toLowerCase() === 'true') {
    const ict = commitInfo?.inCommitTimestamp;
    if (typeof ict === 'number') return ict;
  }
  return fileTimestamp;
}

function finish(
  version: number,
  protocol: Protocol | undefined,
  metadata: Metadata | undefined,
  fileTimestamp: number,
  commitInfo: Readonly<Record<string, unknown>> | undefined,
): { protocol: Protocol; metadata: Metadata; timestamp: number } {
  if (protocol === undefined) {
    throw new DeltaError('MISSING_PROTOCOL', `no protocol action found in the log up to version ${version}`, {
      version,
    });
  }
  // Before metadata: an unreadable table must fail on its protocol, whatever else is wrong.
  checkReadSupport(protocol);
  if (metadata === undefined) {
    throw new DeltaError('MISSING_METADATA', `no metaData action found in the log up to version ${version}`, {
      version,
    });
  }
  if (typeof metadata.schemaString !== 'string') {
    throw new DeltaError('INVALID_LOG', `the metaData action of version ${version} has no schemaString`, {
      version,
    });
  }
  return { protocol, metadata, timestamp: snapshotTimestamp(metadata, fileTimestamp, commitInfo) };
}

function build(
  fields: Omit<Snapshot, 'schema' | 'partitionColumns' | 'columnMappingMode'>,
  index: FileIndex,
): Snapshot {
  const snapshot: Snapshot = Object.freeze({
    ...fields,
    schema: parseSchema(fields.metadata.schemaString),
    partitionColumns: fields.metadata.partitionColumns,
    columnMappingMode: columnMappingMode(fields.metadata.configuration),
  });
  fileIndexes.set(snapshot, index.depth > MAX_INDEX_DEPTH ? flatten(index) : index);
  return snapshot;
}

function liveDomains(domains: ReadonlyMap<string, DomainMetadata>): Map<string, DomainMetadata> {
  const out = new Map<string, DomainMetadata>();
  for (const [k, d] of domains) if (!d.removed) out.set(k, d);
  return out;
}

/** Replays a whole log segment into a Snapshot. */
export function replayLog(input: ReplayInput): Snapshot {
  const version = input.logSegment.version;
  const acc = accumulate(input.batches);
  const { protocol, metadata, timestamp } = finish(
    version,
    acc.protocol,
    acc.metadata,
    input.fileTimestamp,
    input.commitInfo,
  );
  const horizon = timestamp - deletedFileRetentionMs(metadata.configuration);
  const files: AddFile[] = [];
  const tombstones: RemoveFile[] = [];
  for (const a of acc.winners.values()) {
    if (a.kind === 'add') files.push(a);
    else if ((a.deletionTimestamp ?? 0) > horizon) tombstones.push(a);
  }
  return build(
    {
      version,
      protocol,
      metadata,
      files,
      tombstones,
      txns: acc.txns,
      domainMetadata: liveDomains(acc.domains),
      timestamp,
      logSegment: input.logSegment,
    },
    { own: acc.winners, parent: undefined, depth: 0 },
  );
}

export interface ApplyInput {
  readonly logSegment: LogSegment;
  /** Only the commits after `prev.version`, newest first. */
  readonly batches: Iterable<readonly Action[]>;
  readonly fileTimestamp: number;
  readonly commitInfo?: Readonly<Record<string, unknown>>;
}

/**
 * Applies newer commits to a snapshot without replaying what it already holds. Cost is the
 * new actions plus one pass over the previous file list only when a live file was shadowed.
 */
export function applyCommits(prev: Snapshot, input: ApplyInput): Snapshot {
  const version = input.logSegment.version;
  const prevIndex = fileIndexes.get(prev) ?? indexSnapshot(prev);
  const acc = accumulate(input.batches);
  const { protocol, metadata, timestamp } = finish(
    version,
    acc.protocol ?? prev.protocol,
    acc.metadata ?? prev.metadata,
    input.fileTimestamp,
    input.commitInfo,
  );
  const shadowed = new Set<AddFile | RemoveFile>();
  const newFiles: AddFile[] = [];
  const newTombstones: RemoveFile[] = [];
  for (const [key, a] of acc.winners) {
    const old = lookup(prevIndex, key);
    if (old !== undefined) shadowed.add(old);
    if (a.kind === 'add') newFiles.push(a);
    else newTombstones.push(a);
  }
  const files =
    shadowed.size === 0
      ? prev.files.concat(newFiles)
      : prev.files.filter((f) => !shadowed.has(f)).concat(newFiles);
  const horizon = timestamp - deletedFileRetentionMs(metadata.configuration);
  const tombstones = prev.tombstones
    .filter((t) => !shadowed.has(t) && (t.deletionTimestamp ?? 0) > horizon)
    .concat(newTombstones.filter((t) => (t.deletionTimestamp ?? 0) > horizon));
  const txns = new Map(prev.txns);
  for (const [k, t] of acc.txns) txns.set(k, t);
  const domains = new Map(prev.domainMetadata);
  for (const [k, d] of acc.domains) {
    if (d.removed) domains.delete(k);
    else domains.set(k, d);
  }
  const index: FileIndex = { own: acc.winners, parent: prevIndex, depth: prevIndex.depth + 1 };
  return build(
    {
      version,
      protocol,
      metadata,
      files,
      tombstones,
      txns,
      domainMetadata: domains,
      timestamp,
      logSegment: input.logSegment,
    },
    index,
  );
}
