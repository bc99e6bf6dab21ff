// Indexed views of both sides of a conflict check, built once per winning commit (ours once per
// transaction), and the isolation level a commit is checked at.
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
import { canonicalizePath } from '../replay/file-key.js';
import type {
  IsolationLevel,
  PendingTransaction,
  ReadFile,
  ReadSet,
  WinningCommit,
} from './conflict-types.js';

/** Spark tags a metadata commit that only moves IDENTITY high-water marks with this. */
export const IDENTITY_ONLY_TAG = 'delta.identity.schemaUpdate';
export const ROW_TRACKING_DOMAIN = 'delta.rowTracking';

export interface WinnerSummary {
  readonly version: number;
  readonly operation?: string;
  /** The winner's own claim (commitInfo.isBlindAppend); false when it wrote no commitInfo. */
  readonly isBlindAppend: boolean;
  readonly adds: readonly AddFile[];
  readonly removes: readonly RemoveFile[];
  readonly metadata?: Metadata;
  readonly protocol?: Protocol;
  readonly txns: readonly Txn[];
  readonly domains: ReadonlyMap<string, DomainMetadata>;
  /** commitInfo.inCommitTimestamp, else the commit file's time, else undefined. */
  readonly timestamp?: number;
  readonly identityOnlyMetadataUpdate: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function summarizeWinner(commit: WinningCommit): WinnerSummary {
  const adds: AddFile[] = [];
  const removes: RemoveFile[] = [];
  const txns: Txn[] = [];
  const domains = new Map<string, DomainMetadata>();
  let info: Readonly<Record<string, unknown>> | undefined;
  let metadata: Metadata | undefined;
  let protocol: Protocol | undefined;
  for (const a of commit.actions) {
    switch (a.kind) {
      case 'add':
        adds.push(a);
        break;
      case 'remove':
        removes.push(a);
        break;
      case 'txn':
        txns.push(a);
        break;
      case 'domainMetadata':
        domains.set(a.domain, a);
        break;
      case 'metaData':
        metadata = a;
        break;
      case 'protocol':
        protocol = a;
        break;
      case 'commitInfo':
        info ??= a.value;
        break;
      default:
        break;
    }
  }
  const tags = info?.tags;
  const identityTag =
    typeof tags === 'object' && tags !== null
      ? (tags as Record<string, unknown>)[IDENTITY_ONLY_TAG]
      : undefined;
  const timestamp = num(info?.inCommitTimestamp) ?? commit.fileTimestamp;
  const operation = str(info?.operation);
  return {
    version: commit.version,
    ...(operation !== undefined ? { operation } : {}),
    isBlindAppend: info?.isBlindAppend === true,
    adds,
    removes,
    ...(metadata !== undefined ? { metadata } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
    txns,
    domains,
    ...(timestamp !== undefined ? { timestamp } : {}),
    identityOnlyMetadataUpdate: String(identityTag).toLowerCase() === 'true',
  };
}

export interface TransactionSummary {
  /** Read files by canonical path: Delta matches a winner's remove to a read by path. */
  readonly readPaths: ReadonlyMap<string, ReadFile>;
  readonly removePaths: ReadonlyMap<string, RemoveFile>;
  /** App ids we write (with our txn version) or only looked up (undefined). */
  readonly appIds: ReadonlyMap<string, number | undefined>;
  readonly domains: ReadonlyMap<string, DomainMetadata>;
  readonly metadataChanged: boolean;
  readonly protocolChanged: boolean;
}

// Read sets can hold 100k files and the retry loop checks many winners: index each one once.
const readIndex = new WeakMap<ReadSet, ReadonlyMap<string, ReadFile>>();

function readPathsOf(read: ReadSet): ReadonlyMap<string, ReadFile> {
  let m = readIndex.get(read);
  if (m === undefined) {
    const built = new Map<string, ReadFile>();
    for (const f of read.files) built.set(canonicalizePath(f.path), f);
    readIndex.set(read, built);
    m = built;
  }
  return m;
}

export function summarizeTransaction(txn: PendingTransaction): TransactionSummary {
  const removePaths = new Map<string, RemoveFile>();
  const appIds = new Map<string, number | undefined>();
  const domains = new Map<string, DomainMetadata>();
  let metadataChanged = false;
  let protocolChanged = false;
  for (const id of txn.readAppIds ?? []) appIds.set(id, undefined);
  for (const a of txn.actions) {
    if (a.kind === 'remove') removePaths.set(canonicalizePath(a.path), a);
    else if (a.kind === 'txn') appIds.set(a.appId, a.version);
    else if (a.kind === 'domainMetadata') domains.set(a.domain, a);
    else if (a.kind === 'metaData') metadataChanged = true;
    else if (a.kind === 'protocol') protocolChanged = true;
  }
  return {
    readPaths: readPathsOf(txn.read),
    removePaths,
    appIds,
    domains,
    metadataChanged,
    protocolChanged,
  };
}

/** The table's isolation level (`delta.isolationLevel`, WriteSerializable when unset). */
export function tableIsolationLevel(configuration: Readonly<Record<string, string>>): IsolationLevel {
  const v = configuration['delta.isolationLevel'];
  if (v === undefined) return 'WriteSerializable';
  const lower = v.toLowerCase();
  if (lower === 'serializable') return 'Serializable';
  if (lower === 'writeserializable') return 'WriteSerializable';
  throw new DeltaError(
    'INVALID_ARGUMENT',
    `table property delta.isolationLevel is '${v}'; use 'Serializable' or 'WriteSerializable'`,
    { value: v },
  );
}

/**
 * The level a commit is checked at (Delta's canDowngradeToSnapshotIsolation): a commit whose
 * file actions all have dataChange=false and that writes no other action (OPTIMIZE, an empty
 * commit) can be ordered before any winner, so only its deletes can conflict. Under
 * WriteSerializable the operation must also be one that does not change data (an empty WRITE
 * stays WriteSerializable). The row-tracking domain never blocks the downgrade: rebase merges it.
 */
export function commitIsolationLevel(
  tableLevel: IsolationLevel,
  actions: readonly Action[],
  operationChangesData: boolean,
): IsolationLevel {
  let dataChanged = false;
  for (const a of actions) {
    switch (a.kind) {
      case 'add':
      case 'remove':
      case 'cdc':
        if (a.dataChange) dataChanged = true;
        break;
      case 'commitInfo':
        break;
      case 'domainMetadata':
        if (a.domain !== ROW_TRACKING_DOMAIN) return tableLevel;
        break;
      default:
        return tableLevel;
    }
  }
  if (dataChanged) return tableLevel;
  if (tableLevel === 'Serializable') return 'SnapshotIsolation';
  if (tableLevel === 'WriteSerializable' && !operationChangesData) return 'SnapshotIsolation';
  return tableLevel;
}
