// Delta partition values are strings in the log (PROTOCOL.md "Partition Value Serialization"); scans
// turn them into typed SQL constants. Values come from the log, never from directory names.
import type { DataType } from '@loch/delta';
import { EngineError } from './errors.js';
import { quoteString } from './sql-text.js';
import { toDuckType } from './types-map.js';

const INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const FLOAT = /^([+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|NaN|[+-]?Infinity|[+-]?inf)$/i;

/** A DuckDB SQL expression of the partition column's type holding `value` (null -> typed NULL). */
export function partitionValueToSqlLiteral(value: string | null, type: DataType, timeZone = 'UTC'): string {
  const duck = toDuckType(type);
  if (value === null) return `CAST(NULL AS ${duck})`;
  const bad = (what: string) =>
    new EngineError('INVALID_ARGUMENT', `partition value ${JSON.stringify(value)} is not a valid ${what}`, {
      value,
      type: what,
    });
  if (type.kind === 'decimal') {
    if (!DECIMAL.test(value)) throw bad(`decimal(${type.precision},${type.scale})`);
    return `CAST(${quoteString(value)} AS ${duck})`;
  }
  if (type.kind !== 'primitive') {
    throw new EngineError('UNSUPPORTED_TYPE', `a ${type.kind} column cannot be a partition column`, {
      kind: type.kind,
    });
  }
  switch (type.name) {
    case 'string':
      return `CAST(${quoteString(value)} AS VARCHAR)`;
    case 'binary':
      // The log holds the bytes as a string; encode() takes its UTF-8 bytes without escape processing.
      return `encode(${quoteString(value)})`;
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
      if (!INTEGER.test(value)) throw bad(type.name);
      return `CAST(${quoteString(value)} AS ${duck})`;
    case 'float':
    case 'double':
      if (!FLOAT.test(value)) throw bad(type.name);
      return `CAST(${quoteString(value)} AS ${duck})`;
    case 'boolean': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw bad('boolean');
      return v;
    }
    case 'date':
      return `CAST(${quoteString(value)} AS DATE)`;
    case 'timestamp':
      // Both '2021-01-01 10:00:00[.ffffff]' and ISO-8601 with 'Z' are allowed. A value with an offset is
      // an instant; one without is wall-clock time in `timeZone` (sessions run with TimeZone=UTC).
      if (timeZone === 'UTC' || /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value.trim())) {
        return `CAST(${quoteString(value)} AS TIMESTAMP WITH TIME ZONE)`;
      }
      return `timezone(${quoteString(timeZone)}, CAST(${quoteString(value)} AS TIMESTAMP))`;
    case 'timestamp_ntz':
      return `CAST(${quoteString(value)} AS TIMESTAMP)`;
    case 'void':
      return 'CAST(NULL AS INTEGER)';
    case 'variant':
      throw new EngineError('UNSUPPORTED_TYPE', 'a variant column cannot be a partition column');
  }
}
