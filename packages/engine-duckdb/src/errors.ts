// One error type for the engine package; `code` is stable so upper layers can map it to SQLSTATE / HTTP.

export type EngineErrorCode =
  /** DuckDB rejected or failed a statement; the message is DuckDB's own. */
  | 'DUCKDB_ERROR'
  /** The engine was used after `close()`. */
  | 'ENGINE_CLOSED'
  /** A DuckDB type has no Delta equivalent (or the reverse). */
  | 'UNSUPPORTED_TYPE'
  /** A DuckDB type string could not be parsed. */
  | 'INVALID_TYPE'
  /** A caller passed something the engine cannot act on (unknown column, bad option...). */
  | 'INVALID_ARGUMENT'
  /** Writing or moving data files failed. */
  | 'WRITE_FAILED'
  /** The statement's InterruptScope was interrupted (cancel request, timeout, Ctrl-C). */
  | 'INTERRUPTED';

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(
    code: EngineErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
}

export const isEngineError = (e: unknown, code?: EngineErrorCode): e is EngineError =>
  e instanceof EngineError && (code === undefined || e.code === code);

/** Wraps whatever DuckDB threw, keeping its message verbatim (users act on it) and the SQL for context. */
export function wrapDuckDbError(e: unknown, sql?: string): EngineError {
  if (e instanceof EngineError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new EngineError('DUCKDB_ERROR', message, sql === undefined ? {} : { sql }, e);
}
