// Query results -> output text for the CLI and JSON-ready values for APIs. The value rules are the
// CLI contract (issue "--format ndjson"): integers as numbers (strings past 2^53), decimals as strings
// with their full scale, dates YYYY-MM-DD, timestamps UTC ISO-8601 with microseconds and Z,
// timestamp_ntz without a zone, binary as base64, structs as objects, lists as arrays, maps as
// arrays of {key, value}, NaN/Infinity as strings.
import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUnionValue,
} from '@duckdb/node-api';
import { type DuckType, parseDuckType } from './duck-type.js';
import type { QueryResult } from './types.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const child = (type: DuckType | undefined, kind: 'element' | 'key' | 'value'): DuckType | undefined => {
  if (type === undefined) return undefined;
  if (kind === 'element') return type.kind === 'list' || type.kind === 'array' ? type.element : undefined;
  return type.kind === 'map' ? type[kind] : undefined;
};

/** One DuckDB value (as @duckdb/node-api returns it) as a JSON-ready value; `type` refines floats. */
export function toJsonValue(value: unknown, type?: DuckType): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
      return type?.kind === 'scalar' && type.name === 'FLOAT' ? shortestFloat32(value) : value;
  }
  if (value instanceof DuckDBDecimalValue) return decimalText(value.value, value.scale);
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBTimestampTZValue) return isoMicros(value.micros, true) ?? value.toString();
  if (value instanceof DuckDBTimestampValue) return isoMicros(value.micros, false) ?? value.toString();
  if (value instanceof DuckDBTimestampMillisecondsValue)
    return isoMicros(value.millis * 1000n, false) ?? value.toString();
  if (value instanceof DuckDBTimestampSecondsValue)
    return isoMicros(value.seconds * 1_000_000n, false) ?? value.toString();
  if (value instanceof DuckDBTimestampNanosecondsValue) return isoNanos(value.nanos) ?? value.toString();
  if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('base64');
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) {
    const el = child(type, 'element');
    return value.items.map((v) => toJsonValue(v, el));
  }
  if (value instanceof DuckDBStructValue) {
    const fields = type?.kind === 'struct' ? new Map(type.fields.map((f) => [f.name, f.type])) : undefined;
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value.entries)) out[k] = toJsonValue(v, fields?.get(k));
    return out;
  }
  if (value instanceof DuckDBMapValue) {
    const kt = child(type, 'key');
    const vt = child(type, 'value');
    return value.entries.map((e) => ({ key: toJsonValue(e.key, kt), value: toJsonValue(e.value, vt) }));
  }
  if (value instanceof DuckDBUnionValue) {
    const member = type?.kind === 'union' ? type.members.find((m) => m.name === value.tag)?.type : undefined;
    return toJsonValue(value.value, member);
  }
  // UUID, INTERVAL, TIME, TIMETZ, BIT, VARIANT...: DuckDB's own text.
  return String(value);
}

/** The decimal's digits with exactly `scale` fractional digits ("1.50", "-0.05"). */
export function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  if (scale === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

const floorDiv = (a: bigint, b: bigint): bigint => (a % b === 0n || a >= 0n ? a / b : a / b - 1n);
const MAX_MS = 8_640_000_000_000_000n;

/** '2021-01-01T10:00:00.123456Z' (utc) or without the Z; undefined for infinities / out of range. */
export function isoMicros(micros: bigint, utc: boolean): string | undefined {
  const ms = floorDiv(micros, 1000n);
  if (ms > MAX_MS || ms < -MAX_MS) return undefined;
  const sub = micros - ms * 1000n;
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${sub.toString().padStart(3, '0')}${utc ? 'Z' : ''}`;
}

function isoNanos(nanos: bigint): string | undefined {
  const micros = floorDiv(nanos, 1000n);
  const base = isoMicros(micros, false);
  return base === undefined ? undefined : base + (nanos - micros * 1000n).toString().padStart(3, '0');
}

/** The shortest decimal that reads back as the same float32 (0.1f prints as 0.1, not 0.100000001). */
function shortestFloat32(v: number): number {
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(v.toPrecision(p));
    if (Math.fround(candidate) === v) return candidate;
  }
  return v;
}

function parsedTypes(result: QueryResult): (DuckType | undefined)[] {
  return result.columns.map((c) => {
    try {
      return parseDuckType(c.type);
    } catch {
      return undefined;
    }
  });
}

/** Rows as objects keyed by column name, with JSON-ready values. */
export function toRowObjects(result: QueryResult): Record<string, JsonValue>[] {
  const types = parsedTypes(result);
  return result.rows.map((row) => {
    const obj: Record<string, JsonValue> = {};
    result.columns.forEach((c, i) => {
      obj[c.name] = toJsonValue(row[i], types[i]);
    });
    return obj;
  });
}

/** One JSON object per row, newline-terminated. */
export function toNdjson(result: QueryResult): string {
  return toRowObjects(result)
    .map((o) => `${JSON.stringify(o)}\n`)
    .join('');
}

/** A JSON array of row objects, one row per line. */
export function toJson(result: QueryResult): string {
  const rows = toRowObjects(result);
  return rows.length === 0 ? '[]\n' : `[\n${rows.map((o) => JSON.stringify(o)).join(',\n')}\n]\n`;
}

/** Scalar text for CSV and table cells: nested values as JSON, NULL as `nullText`. */
function cellText(v: JsonValue, nullText: string): string {
  if (v === null) return nullText;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const csvField = (s: string): string => (/[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** RFC 4180 CSV with a header row; NULL is an empty field. */
export function toCsv(result: QueryResult): string {
  const types = parsedTypes(result);
  const lines = [result.columns.map((c) => csvField(c.name)).join(',')];
  for (const row of result.rows) {
    lines.push(result.columns.map((_, i) => csvField(cellText(toJsonValue(row[i], types[i]), ''))).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE)$/;
const MAX_CELL = 80;

/** An aligned text table with a header, a rule, and a row-count footer. Numbers are right-aligned. */
export function toTable(result: QueryResult): string {
  const types = parsedTypes(result);
  const right = types.map(
    (t) => t !== undefined && (t.kind === 'decimal' || (t.kind === 'scalar' && NUMERIC.test(t.name))),
  );
  const clip = (s: string) => {
    const one = s.replace(/\r?\n/g, '\\n');
    return one.length > MAX_CELL ? `${one.slice(0, MAX_CELL - 1)}…` : one;
  };
  const header = result.columns.map((c) => clip(c.name));
  const body = result.rows.map((row) =>
    result.columns.map((_, i) => clip(cellText(toJsonValue(row[i], types[i]), 'NULL'))),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  const n = result.rows.length;
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...body.map(line)];
  out.push(`(${n} ${n === 1 ? 'row' : 'rows'})`);
  return `${out.join('\n')}\n`;
}
