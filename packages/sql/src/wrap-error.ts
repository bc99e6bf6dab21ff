// Maps errors from @loch/delta, @loch/table and the engine onto SqlError codes and SQLSTATEs.
// Matching is by `name`/`code` rather than instanceof so a second copy of a package still maps.
import type { DeltaErrorCode } from '@loch/delta';
import { SqlError, type SqlErrorCode } from './errors.js';

/** DeltaError code -> SqlError code (and SQLSTATE when it differs from the code's default). */
const DELTA_CODES: Partial<Record<DeltaErrorCode, readonly [SqlErrorCode, string?]>> = {
  TABLE_NOT_FOUND: ['TABLE_NOT_FOUND'],
  TABLE_ALREADY_EXISTS: ['TABLE_ALREADY_EXISTS'],
  SCHEMA_MISMATCH: ['SCHEMA_MISMATCH'],
  INVALID_SCHEMA: ['SCHEMA_MISMATCH'],
  VERSION_NOT_FOUND: ['VERSION_NOT_FOUND'],
  TIMESTAMP_OUT_OF_RANGE: ['VERSION_NOT_FOUND'],
  UNSUPPORTED_READER_FEATURE: ['UNSUPPORTED'],
  UNSUPPORTED_WRITER_FEATURE: ['UNSUPPORTED'],
  UNSUPPORTED_PROTOCOL_VERSION: ['UNSUPPORTED'],
  UNSUPPORTED_OPERATION: ['UNSUPPORTED'],
  INVALID_ARGUMENT: ['INVALID_ARGUMENT'],
  INVALID_LOG: ['CORRUPT_TABLE'],
  VERSIONS_NOT_CONTIGUOUS: ['CORRUPT_TABLE'],
  MISSING_METADATA: ['CORRUPT_TABLE'],
  MISSING_PROTOCOL: ['CORRUPT_TABLE'],
  INVALID_DELETION_VECTOR: ['CORRUPT_TABLE'],
  FILE_NOT_FOUND: ['IO_ERROR'],
  CONSTRAINT_VIOLATION: ['CONSTRAINT_VIOLATION'],
  // Databricks: DELTA_REPLACE_WHERE_MISMATCH, SQLSTATE 44000 (check option violation).
  REPLACE_WHERE_MISMATCH: ['CONSTRAINT_VIOLATION', '44000'],
  CONCURRENT_MODIFICATION: ['CONCURRENT_MODIFICATION'],
  // Databricks: DELTA_MISSING_CHANGE_DATA, SQLSTATE KD002.
  CHANGE_DATA_FEED_NOT_ENABLED: ['INVALID_ARGUMENT', 'KD002'],
};

/** DuckDB error classes (the "X Error:" prefix of its messages) -> code and SQLSTATE. */
const DUCKDB_CLASSES: readonly [RegExp, SqlErrorCode, string][] = [
  [/^Parser Error/, 'SYNTAX_ERROR', '42601'],
  [/^Catalog Error: (Table|View)/, 'TABLE_NOT_FOUND', '42P01'],
  [/^Catalog Error/, 'INVALID_ARGUMENT', '42704'],
  [
    /^Binder Error: (Referenced column|Values list|Table .* does not have a column)/,
    'COLUMN_NOT_FOUND',
    '42703',
  ],
  [/^Binder Error/, 'INVALID_ARGUMENT', '42000'],
  [/^Conversion Error:.*out of range/s, 'DATA_ERROR', '22003'],
  [/^Conversion Error/, 'DATA_ERROR', '22018'],
  [/^Out of Range Error/, 'DATA_ERROR', '22003'],
  [/^Invalid Input Error/, 'DATA_ERROR', '22023'],
  [/^Constraint Error/, 'CONSTRAINT_VIOLATION', '23000'],
  [/^Not implemented Error/, 'UNSUPPORTED', '0A000'],
  [/^IO Error/, 'IO_ERROR', '58030'],
];

interface CodedError {
  readonly name: string;
  readonly code?: unknown;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

const isCoded = (e: unknown): e is CodedError => e instanceof Error;

/** Turns anything thrown below the SQL layer into a SqlError. */
export function toSqlError(e: unknown, options: { keepExcerpt?: boolean } = {}): SqlError {
  if (e instanceof SqlError) return e;
  if (!isCoded(e)) return new SqlError('INTERNAL', String(e), {}, { cause: e });
  const code = typeof e.code === 'string' ? e.code : undefined;
  const details = e.details ?? {};
  if (e.name === 'DeltaError' && code !== undefined) {
    const [sqlCode, sqlState] = DELTA_CODES[code as DeltaErrorCode] ?? ['INTERNAL'];
    const extra = sqlState === undefined ? {} : { sqlState };
    return new SqlError(sqlCode, e.message, { ...details, ...extra, deltaCode: code }, { cause: e });
  }
  // The table layer's NOT NULL guard fails inside DuckDB; surface it as a constraint violation.
  if (/NOT NULL constraint violated/.test(e.message)) {
    return new SqlError(
      'CONSTRAINT_VIOLATION',
      stripDuckDbPrefix(e.message),
      { sqlState: '23502' },
      { cause: e },
    );
  }
  // DuckDB's "LINE n: ..." excerpt points into the SQL it ran: useful when that is what the user wrote,
  // misleading when it is our rewrite.
  const message = options.keepExcerpt
    ? e.message.trimEnd()
    : e.message.replace(/\n+LINE \d+:[\s\S]*$/, '').trimEnd();
  for (const [pattern, sqlCode, sqlState] of DUCKDB_CLASSES) {
    if (pattern.test(message)) return new SqlError(sqlCode, message, { sqlState }, { cause: e });
  }
  if (e.name === 'EngineError' && code === 'UNSUPPORTED_TYPE') {
    return new SqlError('UNSUPPORTED', message, { ...details }, { cause: e });
  }
  if (e.name === 'EngineError' && code === 'INVALID_ARGUMENT') {
    return new SqlError('INVALID_ARGUMENT', message, { ...details }, { cause: e });
  }
  return new SqlError('INTERNAL', message, { ...details }, { cause: e });
}

function stripDuckDbPrefix(message: string): string {
  const m = /NOT NULL constraint violated for column[^\n]*/.exec(message);
  return m ? m[0] : message;
}
