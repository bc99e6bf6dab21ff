// Binary format (format code 1) per type: the typsend/typrecv layouts of PostgreSQL.
import { ByteReader } from '../bytes/byte-reader.js';
import { ByteWriter } from '../bytes/byte-writer.js';
import { decodeUtf8Strict } from '../bytes/text.js';
import { arrayShape, MAX_ARRAY_DIMS } from './array-text.js';
import { formatUuid, uuidBytes } from './bytea-uuid.js';
import { PG_EPOCH_DAYS, PG_EPOCH_MICROS } from './datetime.js';
import { formatJsonb } from './jsonb-text.js';
import { readNumericBinary, writeNumericBinary } from './numeric.js';
import { PgOid, pgTypeInfo } from './oids.js';
import { isPgInterval } from './time-interval.js';
import { type DecodeResult, invalidBinary, ok, type PgValue, valueError } from './values.js';

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

const toBigInt = (v: PgValue): bigint => {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return BigInt(String(v));
};

const toNumber = (v: PgValue): number => (typeof v === 'number' ? v : Number(v));

const toText = (v: PgValue): string => (typeof v === 'string' ? v : String(v));

/** Whether binary format is implemented for `oid` (every type in the table, arrays included). */
export const supportsBinary = (oid: number): boolean => pgTypeInfo(oid) !== undefined;

const flatten = (items: readonly PgValue[], depth: number, out: PgValue[] = []): PgValue[] => {
  for (const v of items) {
    if (depth > 1 && Array.isArray(v)) flatten(v, depth - 1, out);
    else out.push(v);
  }
  return out;
};

/**
 * Writes the binary form of a non-null value (without its length prefix). Values of the wrong
 * JS type are coerced; impossible coercions throw, as they indicate a bug in the caller.
 */
export const writeBinary = (w: ByteWriter, oid: number, value: PgValue): void => {
  switch (oid) {
    case PgOid.bool:
      w.u8(value === true ? 1 : 0);
      return;
    case PgOid.int2:
      w.i16(toNumber(value));
      return;
    case PgOid.int4:
      w.i32(toNumber(value));
      return;
    case PgOid.oid:
      w.u32(toNumber(value) >>> 0);
      return;
    case PgOid.int8:
      w.i64(BigInt.asIntN(64, toBigInt(value)));
      return;
    case PgOid.float4:
      w.f32(toNumber(value));
      return;
    case PgOid.float8:
      w.f64(toNumber(value));
      return;
    case PgOid.numeric:
      writeNumericBinary(w, typeof value === 'number' || typeof value === 'bigint' ? value : toText(value));
      return;
    case PgOid.bytea:
      if (value instanceof Uint8Array) w.bytes(value);
      else w.utf8(toText(value));
      return;
    case PgOid.date: {
      const days = toNumber(value);
      w.i32(
        days === Number.POSITIVE_INFINITY
          ? INT32_MAX
          : days === Number.NEGATIVE_INFINITY
            ? INT32_MIN
            : days - PG_EPOCH_DAYS,
      );
      return;
    }
    case PgOid.timestamp:
    case PgOid.timestamptz:
      if (value === Number.POSITIVE_INFINITY) w.i64(INT64_MAX);
      else if (value === Number.NEGATIVE_INFINITY) w.i64(INT64_MIN);
      else w.i64(toBigInt(value) - PG_EPOCH_MICROS);
      return;
    case PgOid.time:
      w.i64(toBigInt(value));
      return;
    case PgOid.interval:
      if (!isPgInterval(value)) throw new TypeError(`not an interval: ${String(value)}`);
      w.i64(value.micros).i32(value.days).i32(value.months);
      return;
    case PgOid.uuid: {
      const bytes = value instanceof Uint8Array ? value : uuidBytes(toText(value));
      if (bytes === undefined || bytes.length !== 16) throw new TypeError(`not a uuid: ${String(value)}`);
      w.bytes(bytes);
      return;
    }
    case PgOid.jsonb: {
      // jsonb_send is version 1 followed by jsonb_out's normalized text.
      const text = toText(value);
      w.u8(1);
      w.utf8(formatJsonb(text) ?? text);
      return;
    }
    default: {
      const elem = pgTypeInfo(oid)?.elementOid ?? 0;
      if (elem !== 0 && Array.isArray(value)) {
        writeArrayBinary(w, elem, value);
        return;
      }
      // text, varchar, bpchar, name, char, json, unknown: plain UTF-8.
      if (value instanceof Uint8Array) w.bytes(value);
      else w.utf8(toText(value));
    }
  }
};

const writeArrayBinary = (w: ByteWriter, elemOid: number, items: readonly PgValue[]): void => {
  const dims = arrayShape<PgValue>(items);
  if (dims === undefined)
    throw new TypeError('multidimensional arrays must have sub-arrays with matching dimensions');
  const flat = flatten(items, dims.length);
  w.i32(dims.length)
    .i32(flat.includes(null) ? 1 : 0)
    .u32(elemOid);
  for (const n of dims) w.i32(n).i32(1);
  for (const v of flat) {
    if (v === null) {
      w.i32(-1);
      continue;
    }
    const at = w.reserveI32();
    writeBinary(w, elemOid, v);
    w.patchI32(at, w.length - at - 4);
  }
};

export const encodeBinary = (oid: number, value: PgValue): Uint8Array => {
  const w = new ByteWriter(32);
  writeBinary(w, oid, value);
  return w.take();
};

const exact = (r: ByteReader, n: number, typeName: string): DecodeResult<true> =>
  r.remaining === n ? ok(true) : invalidBinary(typeName, `expected ${n} bytes, got ${r.remaining}`);

const utf8Value = (bytes: Uint8Array, typeName: string): DecodeResult<string> => {
  const s = decodeUtf8Strict(bytes);
  return s === undefined
    ? valueError('22021', `invalid byte sequence for encoding "UTF8" in ${typeName} parameter`)
    : ok(s);
};

/** Decodes a binary-format parameter of type `oid`. Never throws. */
export const decodeBinary = (oid: number, bytes: Uint8Array): DecodeResult => {
  const r = new ByteReader(bytes);
  const fixed = (n: number, name: string, read: () => PgValue): DecodeResult => {
    const e = exact(r, n, name);
    return e.ok ? ok(read()) : e;
  };
  switch (oid) {
    case PgOid.bool:
      return fixed(1, 'boolean', () => r.u8() !== 0);
    case PgOid.int2:
      return fixed(2, 'smallint', () => r.i16());
    case PgOid.int4:
      return fixed(4, 'integer', () => r.i32());
    case PgOid.oid:
      return fixed(4, 'oid', () => r.u32());
    case PgOid.int8:
      return fixed(8, 'bigint', () => r.i64());
    case PgOid.float4:
      return fixed(4, 'real', () => r.f32());
    case PgOid.float8:
      return fixed(8, 'double precision', () => r.f64());
    case PgOid.numeric:
      return readNumericBinary(r);
    case PgOid.bytea:
      return ok(bytes.slice());
    case PgOid.date:
      return fixed(4, 'date', () => {
        const d = r.i32();
        return d === INT32_MAX
          ? Number.POSITIVE_INFINITY
          : d === INT32_MIN
            ? Number.NEGATIVE_INFINITY
            : d + PG_EPOCH_DAYS;
      });
    case PgOid.timestamp:
    case PgOid.timestamptz:
      return fixed(8, 'timestamp', () => {
        const t = r.i64();
        return t === INT64_MAX
          ? Number.POSITIVE_INFINITY
          : t === INT64_MIN
            ? Number.NEGATIVE_INFINITY
            : t + PG_EPOCH_MICROS;
      });
    case PgOid.uuid:
      return fixed(16, 'uuid', () => formatUuid(bytes));
    case PgOid.time: {
      const e = exact(r, 8, 'time');
      if (!e.ok) return e;
      const t = r.i64();
      return t < 0n || t > 86_400_000_000n ? valueError('22008', 'time out of range') : ok(t);
    }
    case PgOid.interval:
      return fixed(16, 'interval', () => {
        const micros = r.i64();
        const days = r.i32();
        return { months: r.i32(), days, micros };
      });
    case PgOid.jsonb: {
      if (bytes.length === 0 || bytes[0] !== 1)
        return invalidBinary('jsonb', 'unsupported jsonb version number');
      const text = utf8Value(bytes.subarray(1), 'jsonb');
      if (!text.ok) return text;
      return formatJsonb(text.value) === undefined
        ? valueError('22P02', 'invalid input syntax for type json')
        : text;
    }
    case PgOid.json: {
      const text = utf8Value(bytes, 'json');
      return text.ok ? validJson(text.value, 'json') : text;
    }
    default: {
      const info = pgTypeInfo(oid);
      if (info !== undefined && info.elementOid !== 0) return readArrayBinary(r, info.elementOid);
      if (info !== undefined || oid === 0) return utf8Value(bytes, info?.name ?? 'unknown');
      return valueError(
        '0A000',
        `binary format is not supported for parameters of type oid ${oid}; send it as text`,
      );
    }
  }
};

const validJson = (text: string, typeName: string): DecodeResult => {
  try {
    JSON.parse(text);
    return ok(text);
  } catch {
    return valueError('22P02', `invalid input syntax for type ${typeName}`);
  }
};

const readArrayBinary = (r: ByteReader, elemOid: number): DecodeResult => {
  const ndim = r.i32();
  const flags = r.i32();
  const elemType = r.u32();
  if (r.failed) return invalidBinary('array', 'header too short');
  if (ndim < 0 || ndim > MAX_ARRAY_DIMS)
    return invalidBinary('array', `invalid number of dimensions: ${ndim}`);
  if (flags !== 0 && flags !== 1) return invalidBinary('array', 'invalid array flags');
  if (elemType !== elemOid) {
    return valueError(
      '42804',
      `binary data has array element type ${elemType} instead of expected ${elemOid}`,
    );
  }
  const dims: number[] = [];
  let total = ndim === 0 ? 0 : 1;
  for (let i = 0; i < ndim; i++) {
    const n = r.i32();
    r.i32(); // lower bound: arrays come back 1-based, as JS arrays
    if (n < 0) return invalidBinary('array', `invalid dimension size ${n}`);
    dims.push(n);
    total *= n;
  }
  // Each element needs at least its 4-byte length, which bounds hostile dimension sizes.
  if (r.failed || total * 4 > r.remaining) return invalidBinary('array', 'insufficient data left in message');
  const flat: PgValue[] = [];
  for (let i = 0; i < total; i++) {
    const len = r.i32();
    if (len === -1) {
      flat.push(null);
      continue;
    }
    if (len < -1) return invalidBinary('array', `invalid element length ${len}`);
    const elem = r.bytes(len);
    if (r.failed) return invalidBinary('array', 'insufficient data left in message');
    const v = decodeBinary(elemOid, elem);
    if (!v.ok) return v;
    flat.push(v.value);
  }
  if (!r.ok) return invalidBinary('array', 'incorrect binary data format');
  return ok(nest(flat, dims));
};

const nest = (flat: PgValue[], dims: number[]): PgValue[] => {
  if (dims.length <= 1) return flat;
  const [, ...inner] = dims;
  const size = inner.reduce((a, b) => a * b, 1);
  const out: PgValue[] = [];
  for (let i = 0; i < flat.length; i += size) out.push(nest(flat.slice(i, i + size), inner));
  return out;
};
