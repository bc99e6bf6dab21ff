// Reading one column's stats out of an `add.stats` JSON string without JSON.parse. Parsing
// every file's whole stats string was the cost of the first query over a large table (about
// 3.5 µs per file, 350 ms per 100,000 files on the benchmark machine) while a predicate needs
// one or two columns. One regular expression per column matches the whole string in the layout
// writers use (Spark, delta-rs and Loch all write `numRecords, minValues, maxValues, nullCount
// [, tightBounds]`, compact) and captures the column's three values; V8 runs it as native code
// without building objects (about a tenth of JSON.parse's time).
//
// The expression is the JSON grammar restricted to that layout: strings without escapes or
// control characters, JSON numbers, objects nested up to MAX_DEPTH, the column's key at most
// once in its object. A string it matches parses with JSON.parse to exactly the captured
// values; anything else (whitespace, another key order, escapes, duplicate keys, deeper
// nesting, invalid JSON) does not match, and the caller falls back to the full parse.
import { NumberText } from './stats-json.js';

/** A column's raw stat values as JSON.parse and a path lookup would give them. */
export interface ColumnStatValues {
  numRecords: number;
  tightBounds: boolean | undefined;
  min: unknown;
  max: unknown;
  nullCount: unknown;
}

/**
 * Reads one column (by physical path; none: only numRecords) into `out`, reused across files so
 * a pass over 100,000 files allocates nothing per file beyond the match; false means "parse fully".
 */
export type StatsReader = (text: string, out: ColumnStatValues) => boolean;

export const columnStatValues = (): ColumnStatValues => ({
  numRecords: 0,
  tightBounds: undefined,
  min: undefined,
  max: undefined,
  nullCount: undefined,
});

/** Struct nesting a section may have and still be matched (deeper: the full parse). */
const MAX_DEPTH = 3;

const STRING = '"[^"\\\\\\u0000-\\u001f]*"';
const NUMBER = '-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?';
const SCALAR = `(?:${STRING}|${NUMBER}|true|false|null)`;

/** Any JSON value without arrays, objects nested at most `depth` deep. */
function anyValue(depth: number): string {
  if (depth === 0) return SCALAR;
  const pair = `${STRING}:${anyValue(depth - 1)}`;
  return `(?:${SCALAR}|\\{(?:${pair}(?:,${pair})*)?\\})`;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** An object holding `path` at most once, capturing the leaf value (one group). */
function objectWith(path: readonly string[], depth: number): string {
  const key = `"${escapeRegExp(path[0]!)}":`;
  const other = `(?!${key})${STRING}:${anyValue(depth - 1)}`;
  const inner =
    path.length === 1 ? `${key}(${SCALAR})` : `${key}(?:${objectWith(path.slice(1), depth - 1)}|${SCALAR})`;
  // Either the key (with any other pairs around it) or only other pairs. A path through a
  // scalar has no leaf value: the group stays undefined, as a lookup through it would.
  const withKey = `(?:${other},)*${inner}(?:,${other})*`;
  const withoutKey = `(?:${other}(?:,${other})*)?`;
  return `\\{(?:${withKey}|${withoutKey})\\}`;
}

const needsEscape = (name: string): boolean => {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92) return true;
  }
  return false;
};

const readerCache = new Map<string, StatsReader>();

/** The reader for one column's physical path (undefined path: numRecords and tightBounds only). */
export function statsReader(path: readonly string[] | undefined): StatsReader {
  const cacheKey = path === undefined ? '' : JSON.stringify(path);
  let reader = readerCache.get(cacheKey);
  if (reader === undefined) {
    reader = buildReader(path);
    readerCache.set(cacheKey, reader);
  }
  return reader;
}

function buildReader(path: readonly string[] | undefined): StatsReader {
  // Names a compact JSON string would escape, or deeper than we match, always parse fully.
  if (path !== undefined && (path.length > MAX_DEPTH || path.some(needsEscape))) return () => false;
  const section =
    path === undefined
      ? `\\{(?:${STRING}:${anyValue(MAX_DEPTH - 1)}(?:,${STRING}:${anyValue(MAX_DEPTH - 1)})*)?\\}`
      : objectWith(path, MAX_DEPTH);
  const sectionGroup = path === undefined ? `(${section})` : section;
  const re = new RegExp(
    `^\\{"numRecords":(0|[1-9]\\d{0,14})` +
      `(?:,"minValues":${sectionGroup})?(?:,"maxValues":${sectionGroup})?(?:,"nullCount":${sectionGroup})?` +
      `(?:,"tightBounds":(true|false))?\\}$`,
  );
  const withColumn = path !== undefined;
  return (text, out) => {
    const m = re.exec(text);
    if (m === null) return false;
    const tight = m[5];
    out.numRecords = Number(m[1]);
    out.tightBounds = tight === undefined ? undefined : tight === 'true';
    out.min = withColumn ? scalar(m[2]) : undefined;
    out.max = withColumn ? scalar(m[3]) : undefined;
    out.nullCount = withColumn ? scalar(m[4]) : undefined;
    return true;
  };
}

/** The value of a matched JSON scalar token (numbers past double precision keep their text). */
function scalar(token: string | undefined): unknown {
  if (token === undefined) return undefined;
  const c = token.charCodeAt(0);
  if (c === 34) return token.slice(1, -1);
  if (c === 116) return true;
  if (c === 102) return false;
  if (c === 110) return null;
  // Same rule as parseJsonLossless: more than 15 significant digits keep their text.
  if (token.length > 15) {
    const digits = token
      .replace(/[eE].*$/, '')
      .replace(/[-.]/g, '')
      .replace(/^0+/, '');
    if (digits.length > 15) return new NumberText(token);
  }
  return Number(token);
}
