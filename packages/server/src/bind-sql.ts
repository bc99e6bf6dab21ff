// Extended-protocol parameters ($1..$n) become typed SQL literals in the statement text. Every
// value is rendered from its decoded form (numbers re-printed, text quoted with doubled quotes),
// never spliced in as the client's raw bytes, and placeholders are found by the SQL tokenizer so a
// `$1` inside a string or comment is left alone.
import { encodeText, isArrayOid, PgOid, type PgValue, pgTypeInfo } from '@loch/pgwire';
import { quoteString, type Token, tokenize } from '@loch/sql';

export interface Placeholder {
  /** 1-based parameter number. */
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

/** `$n` placeholders outside strings, quoted identifiers and comments. */
export const findPlaceholders = (sql: string, tokens: readonly Token[] = tokenize(sql)): Placeholder[] => {
  const out: Placeholder[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1]!;
    if (t.kind === 'punct' && t.text === '$' && next.kind === 'number' && /^\d+$/.test(next.text)) {
      out.push({ index: Number(next.text), start: t.start, end: next.end });
      i++;
    }
  }
  return out;
};

/** How many parameters a statement takes: the highest `$n` or the declared types, whichever is more. */
export const parameterCount = (placeholders: readonly Placeholder[], declared: number): number =>
  Math.max(declared, ...placeholders.map((p) => p.index));

/** Replaces each `$n` with `literals[n - 1]`, wrapped in parentheses so operators cannot merge. */
export const substitute = (
  sql: string,
  placeholders: readonly Placeholder[],
  literals: readonly string[],
): string => {
  let out = '';
  let at = 0;
  for (const p of placeholders) {
    out += `${sql.slice(at, p.start)}(${literals[p.index - 1] ?? 'NULL'})`;
    at = p.end;
  }
  return out + sql.slice(at);
};

const DUCK_TYPES: Readonly<Record<number, string>> = {
  [PgOid.bool]: 'BOOLEAN',
  [PgOid.int2]: 'SMALLINT',
  [PgOid.int4]: 'INTEGER',
  [PgOid.int8]: 'BIGINT',
  [PgOid.oid]: 'BIGINT',
  [PgOid.float4]: 'FLOAT',
  [PgOid.float8]: 'DOUBLE',
  [PgOid.date]: 'DATE',
  [PgOid.time]: 'TIME',
  [PgOid.timestamp]: 'TIMESTAMP',
  [PgOid.timestamptz]: 'TIMESTAMPTZ',
  [PgOid.interval]: 'INTERVAL',
  [PgOid.uuid]: 'UUID',
  [PgOid.bytea]: 'BLOB',
  [PgOid.numeric]: 'DECIMAL(38,10)',
};

/** DuckDB type text for a PostgreSQL type OID, or undefined when an untyped literal fits better. */
export const duckTypeOfOid = (oid: number): string | undefined => {
  const elem = pgTypeInfo(oid)?.elementOid ?? 0;
  if (elem !== 0) {
    const inner = duckTypeOfOid(elem);
    return `${inner ?? 'VARCHAR'}[]`;
  }
  return DUCK_TYPES[oid];
};

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** An exact DECIMAL(p,s) for a numeric's text, or DOUBLE for NaN/Infinity and values past 38 digits. */
const numericLiteral = (text: string): string => {
  const m = /^-?(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null) return `CAST(${quoteString(text)} AS DOUBLE)`;
  const intDigits = m[1]!.replace(/^0+/, '').length;
  const scale = (m[2] ?? '').length;
  const precision = Math.max(intDigits + scale, scale + 1, 1);
  if (precision > 38) return `CAST(${quoteString(text)} AS DOUBLE)`;
  return `CAST(${quoteString(text)} AS DECIMAL(${precision},${scale}))`;
};

/**
 * A SQL literal for one decoded parameter. `oid` 0 (unspecified) and text types give an untyped
 * string literal, which DuckDB casts to whatever the context needs, as PostgreSQL infers an
 * unknown parameter's type.
 */
export const sqlLiteral = (oid: number, value: PgValue): string => {
  if (value === null) {
    const t = duckTypeOfOid(oid);
    return t === undefined ? 'NULL' : `CAST(NULL AS ${t})`;
  }
  if (isArrayOid(oid) && Array.isArray(value)) {
    const elem = pgTypeInfo(oid)!.elementOid;
    const items = (value as readonly PgValue[]).map((v) => sqlLiteral(elem, v));
    return `CAST([${items.join(', ')}] AS ${duckTypeOfOid(oid)})`;
  }
  switch (oid) {
    case PgOid.bool:
      return value === true ? 'TRUE' : 'FALSE';
    case PgOid.bytea:
      return value instanceof Uint8Array ? `from_hex('${hex(value)}')` : quoteString(String(value));
    case PgOid.numeric:
      return numericLiteral(encodeText(oid, value));
    case PgOid.date:
      return `CAST(${quoteString(encodeText(oid, value))} AS DATE)`;
  }
  const duck = DUCK_TYPES[oid];
  const text = typeof value === 'string' ? value : encodeText(oid, value);
  return duck === undefined ? quoteString(text) : `CAST(${quoteString(text)} AS ${duck})`;
};

/**
 * Drivers send JS numbers as untyped text (`pg`, postgres.js), which PostgreSQL types from the
 * context. DuckDB types a string literal from its context too, except as an argument of an
 * overloaded function or operator (`$1 + 100`, `round($1)`, `range($1)`), where it refuses to
 * choose. This is the binder error that calls for a second try with such values as numbers.
 */
export const isUntypedLiteralError = (e: unknown): boolean => {
  const message = e instanceof Error ? e.message : String(e);
  return /Binder Error/.test(message) && /STRING_LITERAL|\(VARCHAR[,)]/.test(message);
};

const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/** The literals again with untyped number-like text as bare numbers; undefined when none is. */
export const numericFallback = (
  declared: readonly number[],
  values: readonly PgValue[],
  literals: readonly string[],
): string[] | undefined => {
  let changed = false;
  const out = literals.map((literal, i) => {
    const v = values[i];
    if (declared[i] !== 0 || typeof v !== 'string' || !NUMBER_TEXT.test(v)) return literal;
    changed = true;
    return v;
  });
  return changed ? out : undefined;
};
