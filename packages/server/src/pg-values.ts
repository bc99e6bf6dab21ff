// DuckDB result columns -> PostgreSQL wire types, and DuckDB JS values -> the PgValue forms the
// pgwire encoders take. Values are read structurally (`days`, `micros`, `items`...) because only
// @loch/engine-duckdb may import DuckDB's value classes.
import { type DuckType, decimalText, parseDuckType, toJsonValue } from '@loch/engine-duckdb';
import { numericTypmod, PgOid, type PgValue, pgTypeInfo } from '@loch/pgwire';

/** How one result column travels: its type OID and modifier, and how to turn a value into a PgValue. */
export interface PgColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typeModifier: number;
  readonly convert: (value: unknown) => PgValue;
}

const SCALARS: Readonly<Record<string, number>> = {
  BOOLEAN: PgOid.bool,
  TINYINT: PgOid.int2,
  SMALLINT: PgOid.int2,
  UTINYINT: PgOid.int2,
  INTEGER: PgOid.int4,
  USMALLINT: PgOid.int4,
  BIGINT: PgOid.int8,
  UINTEGER: PgOid.int8,
  // Past int8's range: exact decimals.
  UBIGINT: PgOid.numeric,
  HUGEINT: PgOid.numeric,
  UHUGEINT: PgOid.numeric,
  VARINT: PgOid.numeric,
  BIGNUM: PgOid.numeric,
  FLOAT: PgOid.float4,
  DOUBLE: PgOid.float8,
  VARCHAR: PgOid.text,
  BLOB: PgOid.bytea,
  DATE: PgOid.date,
  TIME: PgOid.time,
  TIMESTAMP: PgOid.timestamp,
  TIMESTAMP_S: PgOid.timestamp,
  TIMESTAMP_MS: PgOid.timestamp,
  TIMESTAMP_NS: PgOid.timestamp,
  'TIMESTAMP WITH TIME ZONE': PgOid.timestamptz,
  INTERVAL: PgOid.interval,
  UUID: PgOid.uuid,
  JSON: PgOid.json,
  // SELECT NULL: PostgreSQL reports text too.
  NULL: PgOid.text,
  '"NULL"': PgOid.text,
};

const field = (v: unknown, key: string): unknown =>
  typeof v === 'object' && v !== null && key in v ? (v as Record<string, unknown>)[key] : undefined;

const asBigint = (v: unknown): bigint | undefined =>
  typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;

const textOf = (v: unknown, type: DuckType | undefined): string => {
  const j = toJsonValue(v, type);
  return typeof j === 'string' ? j : JSON.stringify(j);
};

const scalarConverter = (name: string, type: DuckType): ((v: unknown) => PgValue) => {
  switch (name) {
    case 'BOOLEAN':
      return (v) => (typeof v === 'boolean' ? v : Boolean(v));
    case 'TINYINT':
    case 'SMALLINT':
    case 'UTINYINT':
    case 'INTEGER':
    case 'USMALLINT':
    case 'FLOAT':
    case 'DOUBLE':
      return (v) => (typeof v === 'number' ? v : Number(v));
    case 'BIGINT':
    case 'UINTEGER':
      return (v) => asBigint(v) ?? BigInt(String(v));
    case 'UBIGINT':
    case 'HUGEINT':
    case 'UHUGEINT':
    case 'VARINT':
    case 'BIGNUM':
      return (v) => String(v);
    case 'BLOB':
      return (v) => {
        const bytes = field(v, 'bytes');
        return bytes instanceof Uint8Array ? bytes : new TextEncoder().encode(String(v));
      };
    case 'DATE':
      return (v) => {
        const days = field(v, 'days');
        return typeof days === 'number' ? days : String(v);
      };
    case 'TIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP WITH TIME ZONE':
      return (v) => asBigint(field(v, 'micros')) ?? String(v);
    case 'TIMESTAMP_MS':
      return (v) => {
        const ms = asBigint(field(v, 'millis'));
        return ms === undefined ? String(v) : ms * 1000n;
      };
    case 'TIMESTAMP_S':
      return (v) => {
        const s = asBigint(field(v, 'seconds'));
        return s === undefined ? String(v) : s * 1_000_000n;
      };
    case 'TIMESTAMP_NS':
      return (v) => {
        const ns = asBigint(field(v, 'nanos'));
        // PostgreSQL keeps microseconds: truncate toward minus infinity like a cast would.
        return ns === undefined ? String(v) : ns / 1000n - (ns % 1000n < 0n ? 1n : 0n);
      };
    case 'INTERVAL':
      return (v) => {
        const months = field(v, 'months');
        const days = field(v, 'days');
        const micros = asBigint(field(v, 'micros'));
        return typeof months === 'number' && typeof days === 'number' && micros !== undefined
          ? { months, days, micros }
          : String(v);
      };
    case 'UUID':
      return (v) => String(v).toLowerCase();
    default:
      return (v) => (typeof v === 'string' ? v : textOf(v, type));
  }
};

interface WireType {
  readonly typeOid: number;
  readonly typeModifier: number;
  readonly convert: (value: unknown) => PgValue;
}

const jsonType = (type: DuckType): WireType => ({
  typeOid: PgOid.json,
  typeModifier: -1,
  convert: (v) => JSON.stringify(toJsonValue(v, type)),
});

/** The wire type of a parsed DuckDB type. Exported for tests. */
export const wireTypeOf = (type: DuckType): WireType => {
  switch (type.kind) {
    case 'scalar': {
      const oid = SCALARS[type.name];
      if (oid === undefined)
        return { typeOid: PgOid.text, typeModifier: -1, convert: (v) => textOf(v, type) };
      return { typeOid: oid, typeModifier: -1, convert: scalarConverter(type.name, type) };
    }
    case 'decimal':
      return {
        typeOid: PgOid.numeric,
        typeModifier: numericTypmod(type.precision, type.scale),
        convert: (v) => {
          const unscaled = asBigint(field(v, 'value'));
          const scale = field(v, 'scale');
          if (unscaled !== undefined && typeof scale === 'number') return decimalText(unscaled, scale);
          return typeof v === 'number' || typeof v === 'bigint' ? v : String(v);
        },
      };
    case 'enum':
      return { typeOid: PgOid.text, typeModifier: -1, convert: (v) => String(v) };
    case 'list':
    case 'array': {
      // Nested lists may be ragged, which PostgreSQL arrays cannot be: they travel as JSON.
      if (type.element.kind === 'list' || type.element.kind === 'array') return jsonType(type);
      const elem = wireTypeOf(type.element);
      const arrayOid = pgTypeInfo(elem.typeOid)?.arrayOid ?? 0;
      if (arrayOid === 0) return jsonType(type);
      return {
        typeOid: arrayOid,
        typeModifier: elem.typeModifier,
        convert: (v) => {
          const items = field(v, 'items');
          if (!Array.isArray(items)) return textOf(v, type);
          return items.map((x: unknown) => (x === null || x === undefined ? null : elem.convert(x)));
        },
      };
    }
    case 'struct':
    case 'map':
    case 'union':
      return jsonType(type);
  }
};

/**
 * The name PostgreSQL would give an unaliased column: DuckDB names it by the expression text
 * (`count_star()`, `current_schema()`, `(1 + 1)`), PostgreSQL by the function name or `?column?`.
 */
export const pgColumnName = (name: string): string => {
  if (name === 'count_star()') return 'count';
  const call = /^(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)\(.*\)$/s.exec(name);
  if (call !== null) return call[1]!.toLowerCase() === 'cast' ? '?column?' : call[1]!;
  if (name.startsWith('(')) return '?column?';
  return name;
};

const TEXT_FALLBACK: WireType = { typeOid: PgOid.text, typeModifier: -1, convert: (v) => String(v) };

/** Wire types by DuckDB type text: results repeat a few types, and parsing them is per query. */
const wireTypes = new Map<string, WireType>();
const MAX_WIRE_TYPES = 1024;

const wireTypeOfText = (text: string): WireType => {
  let wire = wireTypes.get(text);
  if (wire !== undefined) return wire;
  let type: DuckType | undefined;
  try {
    type = parseDuckType(text);
  } catch {
    type = undefined;
  }
  // Unparseable types fall back to text.
  wire = type === undefined ? TEXT_FALLBACK : wireTypeOf(type);
  if (wireTypes.size >= MAX_WIRE_TYPES) wireTypes.clear();
  wireTypes.set(text, wire);
  return wire;
};

/** Wire columns for a result's DuckDB column types. */
export const pgColumns = (columns: readonly { name: string; type: string }[]): PgColumn[] =>
  columns.map((raw) => ({ name: pgColumnName(raw.name), ...wireTypeOfText(raw.type) }));

/** One result row as PgValues (null stays null). */
export const pgRow = (
  row: readonly unknown[],
  columns: readonly PgColumn[],
  into: PgValue[] = new Array<PgValue>(columns.length),
): PgValue[] => {
  // Writers pass the same `into` for every row of a result: no array per row.
  for (let i = 0; i < columns.length; i++) {
    const v = row[i];
    into[i] = v === null || v === undefined ? null : columns[i]!.convert(v);
  }
  return into;
};
