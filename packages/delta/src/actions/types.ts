// Delta log actions (PROTOCOL.md "Actions"). Field names follow the JSON wire format exactly;
// `kind` is ours and is stripped when serializing. Optional protocol fields stay optional so
// that a read-modify-write of an action written by another engine keeps what it had.

export interface DeletionVectorDescriptor {
  /** 'u' = relative path from a UUID (z85), 'i' = inline (z85 bitmap), 'p' = absolute path. */
  readonly storageType: 'u' | 'i' | 'p';
  readonly pathOrInlineDv: string;
  readonly offset?: number;
  readonly sizeInBytes: number;
  readonly cardinality: number;
}

export interface AddFile {
  readonly kind: 'add';
  readonly path: string;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly size: number;
  readonly modificationTime: number;
  readonly dataChange: boolean;
  /** JSON-encoded statistics string, as written in the log. */
  readonly stats?: string | null;
  /** Parsed statistics from a checkpoint's stats_parsed column, when that is all there is. */
  readonly statsParsed?: unknown;
  readonly tags?: Readonly<Record<string, string>> | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
  readonly baseRowId?: number | null;
  readonly defaultRowCommitVersion?: number | null;
  readonly clusteringProvider?: string | null;
}

export interface RemoveFile {
  readonly kind: 'remove';
  readonly path: string;
  readonly deletionTimestamp?: number | null;
  readonly dataChange: boolean;
  readonly extendedFileMetadata?: boolean | null;
  readonly partitionValues?: Readonly<Record<string, string | null>> | null;
  readonly size?: number | null;
  readonly stats?: string | null;
  readonly tags?: Readonly<Record<string, string>> | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
  readonly baseRowId?: number | null;
  readonly defaultRowCommitVersion?: number | null;
}

export interface AddCdcFile {
  readonly kind: 'cdc';
  readonly path: string;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly size: number;
  readonly dataChange: boolean;
  readonly tags?: Readonly<Record<string, string>> | null;
}

export interface Format {
  readonly provider: string;
  readonly options: Readonly<Record<string, string>>;
}

export interface Metadata {
  readonly kind: 'metaData';
  readonly id: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly format: Format;
  /** The schema as the JSON string the log stores. */
  readonly schemaString: string;
  readonly partitionColumns: readonly string[];
  readonly createdTime?: number | null;
  readonly configuration: Readonly<Record<string, string>>;
}

export interface Protocol {
  readonly kind: 'protocol';
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
  readonly readerFeatures?: readonly string[];
  readonly writerFeatures?: readonly string[];
}

export interface CommitInfo {
  readonly kind: 'commitInfo';
  /** Any JSON object: engines put different things here. */
  readonly value: Readonly<Record<string, unknown>>;
}

export interface Txn {
  readonly kind: 'txn';
  readonly appId: string;
  readonly version: number;
  readonly lastUpdated?: number | null;
}

export interface DomainMetadata {
  readonly kind: 'domainMetadata';
  readonly domain: string;
  readonly configuration: string;
  readonly removed: boolean;
}

export interface CheckpointMetadata {
  readonly kind: 'checkpointMetadata';
  readonly version: number;
  readonly tags?: Readonly<Record<string, string>> | null;
}

export interface Sidecar {
  readonly kind: 'sidecar';
  readonly path: string;
  readonly sizeInBytes: number;
  readonly modificationTime: number;
  readonly tags?: Readonly<Record<string, string>> | null;
}

export type Action =
  | AddFile
  | RemoveFile
  | AddCdcFile
  | Metadata
  | Protocol
  | CommitInfo
  | Txn
  | DomainMetadata
  | CheckpointMetadata
  | Sidecar;

export type ActionKind = Action['kind'];
