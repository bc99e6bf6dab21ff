import type { AddFile, DomainMetadata, Metadata, Protocol, RemoveFile, Txn } from '../actions/types.js';
import type { StructType } from '../schema/types.js';

export type ColumnMappingMode = 'none' | 'name' | 'id';

/** The files that make up one version of the log (PROTOCOL.md "Log Segment"). */
export interface LogSegment {
  readonly version: number;
  /** Checkpoint files (one classic, N multi-part parts, or one v2 top-level file), if any. */
  readonly checkpoint?: {
    readonly version: number;
    readonly kind: 'classic' | 'multipart' | 'v2-json' | 'v2-parquet';
    readonly paths: readonly string[];
  };
  /** JSON commit files after the checkpoint, ascending, as store paths. */
  readonly commits: readonly { readonly version: number; readonly path: string }[];
  /** Log compaction files used in place of ranges of commits. */
  readonly compactions: readonly { readonly start: number; readonly end: number; readonly path: string }[];
}

/**
 * An immutable view of a table at one version. Everything a reader or writer needs; built by
 * pure replay from the log segment's actions.
 */
export interface Snapshot {
  readonly version: number;
  readonly protocol: Protocol;
  readonly metadata: Metadata;
  /** Parsed logical schema of `metadata.schemaString`. */
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly columnMappingMode: ColumnMappingMode;
  /** Live data files, each once (keyed by path + deletion vector id). */
  readonly files: readonly AddFile[];
  /** Remove actions still inside the tombstone retention (needed by checkpoints and VACUUM). */
  readonly tombstones: readonly RemoveFile[];
  readonly txns: ReadonlyMap<string, Txn>;
  /** Live (not removed) domain metadata by domain name. */
  readonly domainMetadata: ReadonlyMap<string, DomainMetadata>;
  /** Commit timestamp of this version in ms: the in-commit timestamp if enabled, else file time. */
  readonly timestamp: number;
  readonly logSegment: LogSegment;
}
