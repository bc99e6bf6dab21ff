// Storage errors carry a stable `code`; 'NOT_FOUND' is part of the ObjectStore contract that
// log replay relies on to tell "no such version" from a broken disk.

export type StorageErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_PATH'
  | 'INVALID_RANGE'
  | 'UNSUPPORTED_SCHEME'
  | 'IO_ERROR';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  /** The store-relative path or URL the operation was about, when there is one. */
  readonly path: string | undefined;
  constructor(code: StorageErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StorageError';
    this.code = code;
    this.path = options.path;
  }
}

export const isStorageError = (e: unknown, code?: StorageErrorCode): e is StorageError =>
  e instanceof StorageError && (code === undefined || e.code === code);

/** Node's errno code of an error, if it has one. */
export const errnoCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
