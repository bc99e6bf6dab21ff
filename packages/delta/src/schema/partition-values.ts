// Partition values as the log stores them (PROTOCOL.md "Partition Value Serialization"): strings
// in `add.partitionValues`, where an empty string or a missing entry means null. This module
// converts them to typed values and back, to DuckDB literals for scans, and to the Hive-style
// directory names Spark writes (`col=value`, escaped, `__HIVE_DEFAULT_PARTITION__` for null).

import { DeltaError } from '../errors.js';
import type { DataType } from './types.js';

export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/**
 * A typed partition value. By Delta type: string -> string; byte/short/integer/float/double ->
 * number; long -> bigint; boolean -> boolean; date -> number (days since 1970-01-01);
 * timestamp -> bigint (microseconds since the epoch, UTC); timestamp_ntz -> bigint (microseconds
 * of the wall-clock time read as UTC); decimal -> string with exactly `scale` fraction digits;
 * binary -> Uint8Array (the UTF-8 bytes of the string, as Spark casts); void -> null.
 */
export type PartitionValue = string | number | bigint | boolean | Uint8Array | null;

const INT_RANGES = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
} as const;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const MICROS_PER_DAY = 86_400_000_000n;

const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|NaN|Infinity)$/;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const DATE_TEXT = /^([+-]?\d{4,})-(\d{1,2})-(\d{1,2})$/;
const TIMESTAMP_TEXT =
  /^([+-]?\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const typeName = (type: DataType): string =>
  type.kind === 'primitive'
    ? type.name
    : type.kind === 'decimal'
      ? `decimal(${type.precision},${type.scale})`
      : type.kind;

const bad = (raw: string, type: DataType, expected: string): DeltaError =>
  new DeltaError(
    'INVALID_ARGUMENT',
    `partition value '${raw}' is not a valid ${typeName(type)}: expected ${expected}`,
    { value: raw, type: typeName(type) },
  );

/** Parses a partition value string from the log; '' and null/undefined are null for every type. */
export function parsePartitionValue(raw: string | null | undefined, type: DataType): PartitionValue {
  if (raw === null || raw === undefined || raw === '') return null;
  if (type.kind === 'decimal') return parseDecimal(raw, type.precision, type.scale, type);
  if (type.kind !== 'primitive') {
    throw new DeltaError('INVALID_ARGUMENT', `a ${type.kind} column cannot be a partition column`, {
      value: raw,
    });
  }
  switch (type.name) {
    case 'string':
      return raw;
    case 'byte':
    case 'short':
    case 'integer': {
      const [min, max] = INT_RANGES[type.name];
      const n = /^[+-]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(n >= min && n <= max)) throw bad(raw, type, `an integer in ${min}..${max}`);
      return n;
    }
    case 'long': {
      const n = /^[+-]?\d+$/.test(raw) ? BigInt(raw) : undefined;
      if (n === undefined || n < LONG_MIN || n > LONG_MAX) throw bad(raw, type, 'a 64-bit integer');
      return n;
    }
    case 'float':
    case 'double':
      if (!FLOAT_TEXT.test(raw)) throw bad(raw, type, 'a number such as 1.5, 1.0E10, NaN or -Infinity');
      return type.name === 'float' ? Math.fround(Number(raw)) : Number(raw);
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw bad(raw, type, "'true' or 'false'");
      return lower === 'true';
    }
    case 'date':
      return parseDate(raw, type);
    case 'timestamp':
    case 'timestamp_ntz':
      return parseTimestamp(raw, type, type.name === 'timestamp');
    case 'binary':
      return utf8Encode(raw);
    case 'void':
      return null;
    case 'variant':
      throw new DeltaError('INVALID_ARGUMENT', 'a variant column cannot be a partition column', {
        value: raw,
      });
  }
}

/**
 * The log string for a typed value (null stays null). Strings for non-string types are parsed
 * first, so '2021-1-5' becomes '2021-01-05'. Timestamps are written as ISO-8601 UTC with
 * microseconds, as the protocol recommends; floats as Java's Double/Float.toString would.
 */
export function serializePartitionValue(value: PartitionValue, type: DataType): string | null {
  if (value === null) return null;
  if (type.kind === 'decimal') return parseDecimal(String(value), type.precision, type.scale, type);
  const primitive = type.kind === 'primitive' ? type.name : undefined;
  if (typeof value === 'string' && primitive !== 'string' && primitive !== 'binary') {
    const parsed = parsePartitionValue(value, type);
    return parsed === null ? null : serializePartitionValue(parsed, type);
  }
  switch (primitive) {
    case 'string':
      return value === '' ? null : String(value);
    case 'binary':
      return typeof value === 'string' ? value : utf8Decode(value as Uint8Array);
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      return String(parsePartitionValue(String(value), type));
    case 'float':
    case 'double':
      return javaFloatingString(Number(value), primitive === 'float');
    case 'boolean':
      return value ? 'true' : 'false';
    case 'date':
      return formatDate(Number(value));
    case 'timestamp':
      return `${formatMicros(BigInt(value as number | bigint), 'T')}Z`;
    case 'timestamp_ntz':
      return formatMicros(BigInt(value as number | bigint), ' ');
    default:
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `cannot serialize a partition value of type ${typeName(type)}`,
        {},
      );
  }
}

/**
 * A DuckDB SQL expression for a partition value of `type`, cast to the column's DuckDB type:
 * `CAST('2021-01-01' AS DATE)`, `NULL::INTEGER`, `TIMESTAMPTZ '2021-01-01 00:00:00+00'`.
 */
export function partitionValueToSqlLiteral(value: string | null, type: DataType): string {
  const sqlType = duckDbTypeOf(type);
  const parsed = parsePartitionValue(value, type);
  if (parsed === null) return sqlType === 'NULL' ? 'NULL' : `NULL::${sqlType}`;
  if (type.kind === 'decimal') return `CAST('${parsed as string}' AS ${sqlType})`;
  switch (type.kind === 'primitive' ? type.name : undefined) {
    case 'string':
      return `CAST(${quote(parsed as string)} AS VARCHAR)`;
    case 'boolean':
      return parsed ? 'true' : 'false';
    case 'float':
    case 'double':
      return `CAST('${javaFloatingString(parsed as number, sqlType === 'FLOAT')}' AS ${sqlType})`;
    case 'date':
      return `CAST('${formatDate(parsed as number)}' AS DATE)`;
    case 'timestamp':
      return `TIMESTAMPTZ '${formatMicros(parsed as bigint, ' ')}+00'`;
    case 'timestamp_ntz':
      return `TIMESTAMP '${formatMicros(parsed as bigint, ' ')}'`;
    case 'binary': {
      const hex = Array.from(
        parsed as Uint8Array,
        (b) => `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`,
      );
      return `CAST('${hex.join('')}' AS BLOB)`;
    }
    default:
      return `CAST(${String(parsed)} AS ${sqlType})`;
  }
}

// Spark's ExternalCatalogUtils.charToEscape (non-Windows), plus NUL which no filesystem allows.
const ESCAPED = new Set<string>([
  '"',
  '#',
  '%',
  "'",
  '*',
  '/',
  ':',
  '=',
  '?',
  '\\',
  '\u007f',
  '{',
  '[',
  ']',
  '^',
]);

/** Escapes a partition column name or value for a directory name, as Spark does: `a:b` -> `a%3Ab`. */
export function escapePathName(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code < 0x20 || ESCAPED.has(ch) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

/** Reverses `escapePathName`; a '%' not followed by two hex digits stays as it is. */
export function unescapePathName(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** `col=value/...` for the given columns in order; null and '' go to `__HIVE_DEFAULT_PARTITION__`. */
export function partitionPath(
  values: ReadonlyArray<readonly [column: string, value: string | null]>,
): string {
  return values
    .map(([column, value]) => {
      const dir = value === null || value === '' ? HIVE_DEFAULT_PARTITION : escapePathName(value);
      return `${escapePathName(column)}=${dir}`;
    })
    .join('/');
}

function duckDbTypeOf(type: DataType): string {
  if (type.kind === 'decimal') return `DECIMAL(${type.precision},${type.scale})`;
  if (type.kind !== 'primitive') {
    throw new DeltaError('INVALID_ARGUMENT', `a ${type.kind} column cannot be a partition column`, {});
  }
  const names: Record<string, string> = {
    string: 'VARCHAR',
    long: 'BIGINT',
    integer: 'INTEGER',
    short: 'SMALLINT',
    byte: 'TINYINT',
    float: 'FLOAT',
    double: 'DOUBLE',
    boolean: 'BOOLEAN',
    binary: 'BLOB',
    date: 'DATE',
    timestamp: 'TIMESTAMPTZ',
    timestamp_ntz: 'TIMESTAMP',
    void: 'NULL',
  };
  const name = names[type.name];
  if (name === undefined) {
    throw new DeltaError('INVALID_ARGUMENT', `a ${type.name} column cannot be a partition column`, {});
  }
  return name;
}

const quote = (s: string): string => `'${s.replaceAll("'", "''")}'`;

function parseDecimal(raw: string, precision: number, scale: number, type: DataType): string {
  const m = DECIMAL_TEXT.exec(raw);
  if (m === null || (m[2] === '' && (m[3] ?? '') === ''))
    throw bad(raw, type, 'a decimal number such as 12.34');
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  let digits = `${whole}${fraction}`;
  // Value = digits * 10^(exp - fraction.length); bring it to exactly `scale` fraction digits.
  const shift = Number(exponent) - fraction.length + scale;
  let unscaled: bigint;
  if (shift >= 0) unscaled = BigInt(digits + '0'.repeat(shift));
  else {
    // Round half up, as Spark's cast to a narrower decimal does.
    const keep = digits.length + shift;
    const kept = keep > 0 ? BigInt(digits.slice(0, keep)) : 0n;
    const next = keep >= 0 && keep < digits.length ? Number(digits[keep]) : 0;
    unscaled = kept + (next >= 5 ? 1n : 0n);
  }
  digits = unscaled.toString();
  if (digits.length > precision) throw bad(raw, type, `at most ${precision - scale} digits before the point`);
  const padded = digits.padStart(scale + 1, '0');
  const text = scale === 0 ? padded : `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  return unscaled !== 0n && sign === '-' ? `-${text}` : text;
}

/** Days since 1970-01-01 of a proleptic Gregorian date, or undefined when it does not exist. */
function civilToDays(year: number, month: number, day: number): number | undefined {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return undefined;
  return Math.round(d.getTime() / 86_400_000);
}

function parseDate(raw: string, type: DataType): number {
  const m = DATE_TEXT.exec(raw);
  const days = m === null ? undefined : civilToDays(Number(m[1]), Number(m[2]), Number(m[3]));
  if (days === undefined) throw bad(raw, type, 'a date YYYY-MM-DD');
  return days;
}

function parseTimestamp(raw: string, type: DataType, zoned: boolean): bigint {
  const expected = zoned
    ? "'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC) or ISO-8601 such as 1970-01-01T00:00:00.123456Z"
    : "'YYYY-MM-DD HH:MM:SS[.ffffff]' without a time zone";
  const m = TIMESTAMP_TEXT.exec(raw.trim());
  if (m === null) throw bad(raw, type, expected);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const days = civilToDays(Number(y), Number(mo), Number(d));
  if (days === undefined || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    throw bad(raw, type, expected);
  if (zone !== undefined && !zoned) throw bad(raw, type, expected);
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes =
      (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * (zone[0] === '-' ? -1 : 1);
  }
  const seconds = Number(h) * 3600 + Number(mi) * 60 + Number(s) - offsetMinutes * 60;
  // Nanosecond digits beyond microseconds are cut, as Spark's microsecond timestamps do.
  const micros = BigInt(frac.padEnd(6, '0').slice(0, 6));
  return BigInt(days) * MICROS_PER_DAY + BigInt(seconds) * 1_000_000n + micros;
}

function formatDate(days: number): string {
  const d = new Date(days * 86_400_000);
  const y = d.getUTCFullYear();
  const year = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${year}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** `YYYY-MM-DD<sep>HH:MM:SS.ffffff` of microseconds since the epoch (read as UTC). */
function formatMicros(micros: bigint, sep: 'T' | ' '): string {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const secs = Number(rest / 1_000_000n);
  const frac = String(rest % 1_000_000n).padStart(6, '0');
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:${two(secs % 60)}`;
  return `${formatDate(Number(days))}${sep}${time}.${frac}`;
}

/** Java's Double.toString / Float.toString text, which is what Spark writes for these types. */
function javaFloatingString(n: number, isFloat: boolean): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  let text = String(n);
  if (isFloat) {
    const target = Math.fround(n);
    for (let p = 1; p <= 9; p++) {
      const candidate = Number(target.toPrecision(p));
      if (Math.fround(candidate) === target) {
        text = String(candidate);
        break;
      }
    }
  }
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return /[.e]/.test(text) ? text : `${text}.0`;
  const [mantissa, exp] = Number(text).toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
}

// This package has no DOM or node typings (it must run anywhere), so UTF-8 is done by hand.
function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

/** Lenient decode: an invalid sequence becomes U+FFFD, as Spark's binary-to-string cast does. */
function utf8Decode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xf0 && b < 0xf5 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    let cp = len === 1 ? b : len === 2 ? b & 0x1f : len === 3 ? b & 0x0f : b & 0x07;
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) {
      const c = bytes[i + k]!;
      ok = (c & 0xc0) === 0x80;
      cp = (cp << 6) | (c & 0x3f);
    }
    const min = [0, 0, 0x80, 0x800, 0x10000][len]!;
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '\ufffd';
      i += 1;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += len;
  }
  return out;
}
