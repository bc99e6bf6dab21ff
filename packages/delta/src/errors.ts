// One error type for the protocol package; `code` is stable and mapped to SQLSTATE / HTTP at the edge.

export type DeltaErrorCode =
  | 'TABLE_NOT_FOUND'
  | 'UNSUPPORTED_READER_FEATURE'
  | 'UNSUPPORTED_WRITER_FEATURE'
  | 'UNSUPPORTED_PROTOCOL_VERSION'
  | 'INVALID_LOG'
  | 'VERSIONS_NOT_CONTIGUOUS'
  | 'MISSING_METADATA'
  | 'MISSING_PROTOCOL'
  | 'VERSION_NOT_FOUND'
  | 'TIMESTAMP_OUT_OF_RANGE'
  | 'INVALID_SCHEMA'
  | 'SCHEMA_MISMATCH'
  | 'INVALID_DELETION_VECTOR'
  | 'INVALID_ARGUMENT'
  | 'FILE_NOT_FOUND'
  // Table operations (@loch/table).
  | 'TABLE_ALREADY_EXISTS'
  | 'CONCURRENT_MODIFICATION'
  | 'CONSTRAINT_VIOLATION'
  | 'REPLACE_WHERE_MISMATCH'
  | 'CHANGE_DATA_FEED_NOT_ENABLED'
  | 'UNSUPPORTED_OPERATION';

export class DeltaError extends Error {
  readonly code: DeltaErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: DeltaErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DeltaError';
    this.code = code;
    this.details = details;
  }
}

export const isDeltaError = (e: unknown, code?: DeltaErrorCode): e is DeltaError =>
  e instanceof DeltaError && (code === undefined || e.code === code);
