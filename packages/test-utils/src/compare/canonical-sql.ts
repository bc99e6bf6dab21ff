// SQL expressions that turn any DuckDB value into a canonical string, so two relations written by
// different writers (Spark parquet vs. our scan) compare by logical value. Both sides go through
// the same expression, which is why the normalization lives in SQL rather than in JS value walking.
import { type DuckType, duckTypeToSql, quoteString } from './duck-type.js';

const NAIVE_TIMESTAMPS = new Set(['TIMESTAMP', 'DATETIME', 'TIMESTAMP_NS', 'TIMESTAMP_MS', 'TIMESTAMP_S']);
const ZONED_TIMESTAMPS = new Set(['TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ']);
const STRING_TYPES = new Set(['VARCHAR', 'STRING', 'TEXT', 'CHAR', 'BPCHAR']);
const BINARY_TYPES = new Set(['BLOB', 'BYTEA', 'BINARY', 'VARBINARY']);

const MICROS_FORMAT = `'%Y-%m-%dT%H:%M:%S.%f'`;

/** Naive timestamps keep their wall clock; zoned ones become their UTC wall clock (no session zone). */
function timestampText(expr: string, scalar: string): string | undefined {
  if (NAIVE_TIMESTAMPS.has(scalar)) return `strftime(CAST(${expr} AS TIMESTAMP), ${MICROS_FORMAT})`;
  if (ZONED_TIMESTAMPS.has(scalar)) return `strftime(make_timestamp(epoch_us(${expr})), ${MICROS_FORMAT})`;
  return undefined;
}

const nullAs = (expr: string, token: string, body: string): string =>
  `CASE WHEN ${expr} IS NULL THEN ${token} ELSE ${body} END`;

const concatAll = (parts: readonly string[]): string => (parts.length === 0 ? `''` : parts.join(' || '));

/**
 * Canonical text of a typed value. Nulls become `null`, strings are JSON-quoted (so 'null' the
 * string differs from NULL), binary is `x'<hex>'`, decimals keep their scale, floats print
 * shortest-exact (NaN as nan), timestamps as microsecond wall clock (UTC for zoned ones), struct
 * fields sorted by name, map entries sorted. Precision, nullability and list naming play no part.
 */
export function canonicalSql(expr: string, type: DuckType, depth = 0): string {
  switch (type.kind) {
    case 'decimal':
      return nullAs(expr, `'null'`, `CAST(${expr} AS VARCHAR)`);
    case 'scalar': {
      const scalar = type.name.toUpperCase();
      if (STRING_TYPES.has(scalar)) return nullAs(expr, `'null'`, `CAST(to_json(${expr}) AS VARCHAR)`);
      if (BINARY_TYPES.has(scalar)) return nullAs(expr, `'null'`, `'x''' || lower(hex(${expr})) || ''''`);
      const ts = timestampText(expr, scalar);
      if (ts) return nullAs(expr, `'null'`, ts);
      return nullAs(expr, `'null'`, `CAST(${expr} AS VARCHAR)`);
    }
    case 'struct': {
      const fields = [...type.fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const parts = fields.map(
        (f, i) =>
          `${quoteString(`${i === 0 ? '' : ','}${JSON.stringify(f.name)}:`)} || ${canonicalSql(
            `struct_extract(${expr}, ${quoteString(f.name)})`,
            f.type,
            depth,
          )}`,
      );
      return nullAs(expr, `'null'`, `'{' || ${concatAll(parts)} || '}'`);
    }
    case 'list':
    case 'array': {
      const v = `e${depth}`;
      const list = type.kind === 'array' ? `CAST(${expr} AS ${elementListType(type.element)})` : expr;
      const item = canonicalSql(v, type.element, depth + 1);
      return nullAs(
        expr,
        `'null'`,
        `'[' || array_to_string(list_transform(${list}, lambda ${v}: ${item}), ',') || ']'`,
      );
    }
    case 'map': {
      const v = `e${depth}`;
      const key = canonicalSql(`${v}.key`, type.key, depth + 1);
      const value = canonicalSql(`${v}.value`, type.value, depth + 1);
      const entries = `list_sort(list_transform(map_entries(${expr}), lambda ${v}: ${key} || '=>' || ${value}))`;
      return nullAs(expr, `'null'`, `'{' || array_to_string(${entries}, ',') || '}'`);
    }
  }
}

/**
 * The Arrow display form the JSON fixtures were transcribed in (for struct/array/map/variant
 * columns whose JSON type carries no element types): `{a: 1, b: x}`, `[1, , 3]`, binary as lower
 * hex, nested nulls as empty text. Pair it with `normalizeDisplay` on both sides.
 */
export function displaySql(expr: string, type: DuckType, depth = 0): string {
  const nested = (e: string, t: DuckType): string => `COALESCE(${displaySql(e, t, depth + 1)}, '')`;
  switch (type.kind) {
    case 'decimal':
      return `CAST(${expr} AS VARCHAR)`;
    case 'scalar': {
      const scalar = type.name.toUpperCase();
      if (BINARY_TYPES.has(scalar)) return `lower(hex(${expr}))`;
      const ts = timestampText(expr, scalar);
      if (ts) {
        const trimmed = `regexp_replace(${ts}, '\\.?0+$', '')`;
        return ZONED_TIMESTAMPS.has(scalar) ? `${trimmed} || 'Z'` : trimmed;
      }
      return `CAST(${expr} AS VARCHAR)`;
    }
    case 'struct': {
      const parts = type.fields.map(
        (f, i) =>
          `${quoteString(`${i === 0 ? '' : ', '}${f.name}: `)} || ${nested(
            `struct_extract(${expr}, ${quoteString(f.name)})`,
            f.type,
          )}`,
      );
      return nullAs(expr, 'NULL', `'{' || ${concatAll(parts)} || '}'`);
    }
    case 'list':
    case 'array': {
      const v = `d${depth}`;
      const list = type.kind === 'array' ? `CAST(${expr} AS ${elementListType(type.element)})` : expr;
      return nullAs(
        expr,
        'NULL',
        `'[' || array_to_string(list_transform(${list}, lambda ${v}: ${nested(v, type.element)}), ', ') || ']'`,
      );
    }
    case 'map': {
      const v = `d${depth}`;
      const entry = `${nested(`${v}.key`, type.key)} || ': ' || ${nested(`${v}.value`, type.value)}`;
      return nullAs(
        expr,
        'NULL',
        `'{' || array_to_string(list_transform(map_entries(${expr}), lambda ${v}: ${entry}), ', ') || '}'`,
      );
    }
  }
}

/** Fixed-size arrays go through list functions as variable-length lists of the same element. */
const elementListType = (element: DuckType): string => `${duckTypeToSql(element)}[]`;
