// Text format (format code 0) per type: encoders for result values, decoders for Bind
// parameters. Output matches what PostgreSQL prints with DateStyle ISO, bytea_output hex,
// extra_float_digits 1 and the session TimeZone.
import { formatArrayText, parseArrayText, type TextArray } from './array-text.js';
import { formatBytea, formatUuid, parseByteaText, parseUuidText } from './bytea-uuid.js';
import {
  formatDate,
  formatTimestamp,
  formatTimestamptz,
  parseDateText,
  parseTimestampText,
  type TimeZoneOffset,
  UTC,
} from './datetime.js';
import { formatFloat4, formatFloat8, parseFloatText } from './float-text.js';
import { formatJsonb } from './jsonb-text.js';
import { formatNumeric, parseNumericText } from './numeric.js';
import { PgOid, pgTypeInfo } from './oids.js';
import {
  formatInterval,
  formatTime,
  isPgInterval,
  parseIntervalText,
  parseTimeText,
} from './time-interval.js';
import { type DecodeResult, invalidText, ok, outOfRange, type PgValue, truncate } from './values.js';

export interface TextFormatOptions {
  /** Session TimeZone for timestamptz (default UTC). */
  readonly timeZone?: TimeZoneOffset;
  /** Session extra_float_digits (default 1: shortest round-trip output). */
  readonly extraFloatDigits?: number;
}

const asNumber = (v: PgValue): number => (typeof v === 'number' ? v : Number(v));
const asIntegerText = (v: PgValue): string =>
  typeof v === 'bigint' ? v.toString() : typeof v === 'number' ? String(Math.trunc(v)) : String(v);

/** Text for one non-null value of type `oid`. Unknown OIDs print with String(). */
export const encodeText = (oid: number, value: PgValue, options: TextFormatOptions = {}): string => {
  if (value === null) return 'NULL';
  switch (oid) {
    case PgOid.bool:
      return value === true || value === 't' ? 't' : 'f';
    case PgOid.int2:
    case PgOid.int4:
    case PgOid.int8:
    case PgOid.oid:
      return asIntegerText(value);
    case PgOid.float4:
      return formatFloat4(asNumber(value), options.extraFloatDigits);
    case PgOid.float8:
      return formatFloat8(asNumber(value), options.extraFloatDigits);
    case PgOid.numeric:
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
        ? formatNumeric(value)
        : String(value);
    case PgOid.bytea:
      return value instanceof Uint8Array ? formatBytea(value) : String(value);
    case PgOid.date:
      return formatDate(asNumber(value));
    case PgOid.timestamp:
      return typeof value === 'bigint' || typeof value === 'number' ? formatTimestamp(value) : String(value);
    case PgOid.timestamptz:
      return typeof value === 'bigint' || typeof value === 'number'
        ? formatTimestamptz(value, options.timeZone ?? UTC)
        : String(value);
    case PgOid.uuid:
      return value instanceof Uint8Array ? formatUuid(value) : String(value).toLowerCase();
    case PgOid.jsonb: {
      const text = String(value);
      return formatJsonb(text) ?? text;
    }
    case PgOid.time:
      return typeof value === 'bigint' || typeof value === 'number' ? formatTime(value) : String(value);
    case PgOid.interval:
      return isPgInterval(value) ? formatInterval(value) : String(value);
    default: {
      const elem = pgTypeInfo(oid)?.elementOid ?? 0;
      if (elem !== 0 && Array.isArray(value)) return formatArrayText(toTextArray(elem, value, options));
      if (value instanceof Uint8Array) return formatBytea(value);
      return String(value);
    }
  }
};

const toTextArray = (elemOid: number, items: readonly PgValue[], options: TextFormatOptions): TextArray =>
  items.map((v) =>
    v === null ? null : Array.isArray(v) ? toTextArray(elemOid, v, options) : encodeText(elemOid, v, options),
  );

const BOOL_TRUE = ['true', 'yes', 'on', '1'];
const BOOL_FALSE = ['false', 'no', 'off', '0'];

/** parse_bool: any unique prefix of true/false/yes/no, on/off (2+ chars), 1/0; case-insensitive. */
const parseBool = (input: string): DecodeResult<boolean> => {
  const s = input.trim().toLowerCase();
  if (s !== '') {
    const prefixOf = (words: string[]) =>
      words.some((w) => w.startsWith(s) && (s.length >= 2 || w[0] !== 'o'));
    if (prefixOf(BOOL_TRUE)) return ok(true);
    if (prefixOf(BOOL_FALSE)) return ok(false);
  }
  return invalidText('boolean', input);
};

const INT_RE = /^\s*[+-]?\d+\s*$/;
const INT_RANGE = {
  [PgOid.int2]: ['smallint', -32768n, 32767n],
  [PgOid.int4]: ['integer', -2147483648n, 2147483647n],
  [PgOid.int8]: ['bigint', -9223372036854775808n, 9223372036854775807n],
  [PgOid.oid]: ['oid', -2147483648n, 4294967295n],
} as const;

const parseInteger = (oid: keyof typeof INT_RANGE, input: string): DecodeResult<number | bigint> => {
  const [name, min, max] = INT_RANGE[oid];
  if (!INT_RE.test(input)) return invalidText(name, input);
  const trimmed = input.trim();
  // Anything this long is out of range; checking first keeps BigInt off megabyte inputs.
  if (trimmed.replace(/^[+-]?0*/, '').length > 20) {
    return outOfRange(`value "${truncate(trimmed)}" is out of range for type ${name}`);
  }
  const v = BigInt(trimmed);
  if (v < min || v > max)
    return outOfRange(`value "${truncate(input.trim())}" is out of range for type ${name}`);
  if (oid === PgOid.int8) return ok(v);
  // oidin accepts negatives as their unsigned twin.
  return ok(oid === PgOid.oid && v < 0n ? Number(v + 4294967296n) : Number(v));
};

const parseJson = (input: string, typeName: string): DecodeResult<string> => {
  try {
    JSON.parse(input);
    return ok(input);
  } catch {
    return invalidText(typeName, input);
  }
};

/**
 * Decodes a text-format parameter. OIDs without a dedicated parser (and 0, "unspecified") yield
 * the string itself, so the SQL layer can cast it like PostgreSQL's 'unknown' literals.
 */
export const decodeText = (oid: number, input: string, options: TextFormatOptions = {}): DecodeResult => {
  switch (oid) {
    case PgOid.bool:
      return parseBool(input);
    case PgOid.int2:
    case PgOid.int4:
    case PgOid.int8:
    case PgOid.oid:
      return parseInteger(oid, input);
    case PgOid.float4:
      return parseFloatText(input, true);
    case PgOid.float8:
      return parseFloatText(input, false);
    case PgOid.numeric:
      return parseNumericText(input);
    case PgOid.bytea:
      return parseByteaText(input);
    case PgOid.date:
      return parseDateText(input);
    case PgOid.timestamp:
      return parseTimestampText(input, false);
    case PgOid.timestamptz:
      return parseTimestampText(input, true, options.timeZone ?? UTC);
    case PgOid.uuid:
      return parseUuidText(input);
    case PgOid.json:
      return parseJson(input, 'json');
    case PgOid.time:
      return parseTimeText(input);
    case PgOid.interval:
      return parseIntervalText(input);
    case PgOid.jsonb:
      return formatJsonb(input) === undefined ? invalidText('json', input) : ok(input);
    default: {
      const elem = pgTypeInfo(oid)?.elementOid ?? 0;
      if (elem === 0) return ok(input);
      const parsed = parseArrayText(input);
      if (!parsed.ok) return parsed;
      return decodeTextArray(elem, parsed.value, options);
    }
  }
};

const decodeTextArray = (elemOid: number, items: TextArray, options: TextFormatOptions): DecodeResult => {
  const out: PgValue[] = [];
  for (const item of items) {
    if (item === null) {
      out.push(null);
      continue;
    }
    const r =
      typeof item === 'string' ? decodeText(elemOid, item, options) : decodeTextArray(elemOid, item, options);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
};
