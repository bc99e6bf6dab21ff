// One error type for the SQL layer. `code` is stable; `sqlState` is what pg-wire and the CLI report.
// Errors from @loch/delta and the engine are wrapped here so every caller sees one shape.

export type SqlErrorCode =
  | 'SYNTAX_ERROR'
  | 'TABLE_NOT_FOUND'
  | 'TABLE_ALREADY_EXISTS'
  | 'COLUMN_NOT_FOUND'
  | 'SCHEMA_MISMATCH'
  | 'COLUMN_COUNT_MISMATCH'
  | 'UNSUPPORTED'
  | 'INVALID_ARGUMENT'
  | 'VERSION_NOT_FOUND'
  | 'DATA_ERROR'
  | 'CONSTRAINT_VIOLATION'
  | 'IO_ERROR'
  | 'CORRUPT_TABLE'
  | 'CONCURRENT_MODIFICATION'
  | 'INTERNAL';

/** SQLSTATE per code (Postgres / Databricks classes: 42 syntax+access, 22 data, 0A unsupported). */
export const SQLSTATE: Readonly<Record<SqlErrorCode, string>> = {
  SYNTAX_ERROR: '42601',
  TABLE_NOT_FOUND: '42P01',
  TABLE_ALREADY_EXISTS: '42P07',
  COLUMN_NOT_FOUND: '42703',
  SCHEMA_MISMATCH: '42804',
  COLUMN_COUNT_MISMATCH: '21S01',
  UNSUPPORTED: '0A000',
  INVALID_ARGUMENT: '22023',
  VERSION_NOT_FOUND: '22023',
  DATA_ERROR: '22000',
  CONSTRAINT_VIOLATION: '23000',
  IO_ERROR: '58030',
  CORRUPT_TABLE: 'XX001',
  CONCURRENT_MODIFICATION: '40001',
  INTERNAL: 'XX000',
};

export interface SqlErrorDetails {
  /** Offset of the offending token in the script (0-based), for syntax errors. */
  readonly position?: number;
  readonly line?: number;
  readonly column?: number;
  readonly near?: string;
  /** SQLSTATE override when the wrapped error knows better (e.g. 22018 conversion error). */
  readonly sqlState?: string;
  readonly [key: string]: unknown;
}

export class SqlError extends Error {
  readonly code: SqlErrorCode;
  readonly sqlState: string;
  readonly details: SqlErrorDetails;
  constructor(
    code: SqlErrorCode,
    message: string,
    details: SqlErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SqlError';
    this.code = code;
    this.sqlState = details.sqlState ?? SQLSTATE[code];
    this.details = details;
  }
}

export const isSqlError = (e: unknown, code?: SqlErrorCode): e is SqlError =>
  e instanceof SqlError && (code === undefined || e.code === code);

/** 1-based line and column of an offset, for messages a user can act on. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A syntax error pointing at `offset` of `text`, e.g. "syntax error at or near 'FROM' (line 1, column 8): expected ...". */
export function syntaxError(text: string, offset: number, expected: string): SqlError {
  const { line, column } = lineColumn(text, offset);
  const near = nearText(text, offset);
  const where = near === '' ? 'at end of input' : `at or near '${near}'`;
  return new SqlError('SYNTAX_ERROR', `Syntax error ${where} (line ${line}, column ${column}): ${expected}`, {
    position: offset,
    line,
    column,
    near,
  });
}

function nearText(text: string, offset: number): string {
  const rest = text.slice(offset);
  const m = /^(\s*)(\S{1,30})/.exec(rest);
  if (!m) return '';
  const word = /^[A-Za-z0-9_]+/.exec(m[2]!);
  return word ? word[0] : m[2]!.slice(0, 1);
}
