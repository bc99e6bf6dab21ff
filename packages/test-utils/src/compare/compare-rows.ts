// Compares an expected result (a SQL relation such as read_parquet over Spark's expected/ files, or
// a JSON {columns, rows} transcription) with the relation our scan produced, as multisets of
// canonical rows. See canonical-sql.ts for what "canonical" means.
import { canonicalSql, displaySql } from './canonical-sql.js';
import { normalizeDisplay } from './display-normalize.js';
import { type DuckType, parseDuckType, quoteIdent, quoteString } from './duck-type.js';
import { diffMultisets, formatDiff, type MultisetDiff } from './multiset.js';
import { diffRelationsInSql } from './sql-diff.js';
import type { SqlColumn, SqlRunner } from './sql-runner.js';

export interface JsonColumn {
  readonly name: string;
  /** Delta type name as the fixtures write it: long, string, decimal(20,2), timestamp, struct... */
  readonly type: string;
}

export type ExpectedRows =
  | { readonly kind: 'relation'; readonly sql: string }
  | {
      readonly kind: 'json';
      readonly columns: readonly JsonColumn[];
      readonly rows: readonly (readonly unknown[])[];
    };

/** Column names plus one canonical string per row (columns in name order). */
export interface CanonicalRows {
  readonly columns: readonly string[];
  readonly rows: readonly string[];
}

export interface CompareResult {
  readonly ok: boolean;
  readonly expectedColumns: readonly string[];
  readonly actualColumns: readonly string[];
  readonly expectedCount: number;
  readonly actualCount: number;
  readonly diff: MultisetDiff;
  /** Human-readable summary; empty when ok. */
  readonly message: string;
}

/** How a JSON fixture column is compared: typed through a DuckDB cast, or as Arrow display text. */
export type JsonColumnMode =
  | { readonly kind: 'typed'; readonly type: DuckType }
  | { readonly kind: 'display' };

// void columns hold only NULLs; display text compares them whatever type the reader gives them.
const DISPLAY_TYPES = new Set(['struct', 'array', 'map', 'variant', 'void']);
const SIMPLE_TYPES: Readonly<Record<string, string>> = {
  byte: 'TINYINT',
  short: 'SMALLINT',
  integer: 'INTEGER',
  int: 'INTEGER',
  long: 'BIGINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'VARCHAR',
  binary: 'BLOB',
  date: 'DATE',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
  timestamp_ntz: 'TIMESTAMP',
};

export function jsonColumnMode(type: string): JsonColumnMode {
  const t = type.trim().toLowerCase();
  if (DISPLAY_TYPES.has(t) || /^(struct|array|map)</.test(t)) return { kind: 'display' };
  const simple = SIMPLE_TYPES[t];
  if (simple) return { kind: 'typed', type: parseDuckType(simple) };
  const dec = /^decimal\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec)
    return { kind: 'typed', type: { kind: 'decimal', precision: Number(dec[1]), scale: Number(dec[2]) } };
  throw new Error(`unknown JSON fixture column type '${type}'`);
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function assembleRows(
  names: readonly string[],
  result: readonly (readonly unknown[])[],
  displayColumns: ReadonlySet<string>,
): CanonicalRows {
  const order = names.map((n, i) => ({ n, i })).sort((a, b) => byName(a.n, b.n));
  const rows = result.map((r) =>
    order
      .map(({ n, i }) => {
        const v = r[i];
        if (v === null || v === undefined) return `${n}=null`;
        const text = String(v);
        return `${n}=${displayColumns.has(n) ? normalizeDisplay(text) : text}`;
      })
      .join(' | '),
  );
  return { columns: order.map((o) => o.n), rows };
}

export interface CanonicalizeOptions {
  /** Columns rendered as Arrow display text instead of typed canonical text. */
  readonly displayColumns?: ReadonlySet<string>;
  /** Fixtures transcribed from a display that cannot tell '' from NULL write NULL: match that. */
  readonly emptyStringIsNull?: boolean;
}

async function columnsOf(runner: SqlRunner, relationSql: string): Promise<readonly SqlColumn[]> {
  return (await runner.query(`SELECT * FROM (${relationSql}) LIMIT 0`)).columns;
}

/** Canonical rows of any relation (`SELECT ...` or a table function), on the runner's database. */
export async function canonicalizeRelation(
  runner: SqlRunner,
  relationSql: string,
  options: CanonicalizeOptions = {},
): Promise<CanonicalRows> {
  const display = options.displayColumns ?? new Set<string>();
  const probe = await runner.query(`SELECT * FROM (${relationSql}) LIMIT 0`);
  const exprs = probe.columns.map((c, i) => {
    const type = parseDuckType(c.type);
    let col = `__t.${quoteIdent(c.name)}`;
    if (options.emptyStringIsNull && type.kind === 'scalar' && type.name === 'VARCHAR')
      col = `NULLIF(${col}, '')`;
    const expr = display.has(c.name) ? displaySql(col, type) : canonicalSql(col, type);
    return `${expr} AS c${i}`;
  });
  if (exprs.length === 0) return { columns: [], rows: [] };
  const result = await runner.query(`SELECT ${exprs.join(', ')} FROM (${relationSql}) AS __t`);
  return assembleRows(
    probe.columns.map((c) => c.name),
    result.rows,
    display,
  );
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return quoteString(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return quoteString(String(v));
  return quoteString(JSON.stringify(v));
}

/** Canonical rows of a JSON transcription: typed cells are cast in DuckDB, display cells normalized. */
export async function canonicalizeJson(
  runner: SqlRunner,
  columns: readonly JsonColumn[],
  rows: readonly (readonly unknown[])[],
): Promise<CanonicalRows> {
  const modes = columns.map((c) => jsonColumnMode(c.type));
  const display = new Set(columns.filter((_, i) => modes[i]!.kind === 'display').map((c) => c.name));
  const names = columns.map((c) => c.name);
  if (rows.length === 0 || columns.length === 0) return assembleRows(names, [], display);
  for (const r of rows) {
    if (r.length !== columns.length) {
      throw new Error(
        `JSON fixture row has ${r.length} cells for ${columns.length} columns: ${JSON.stringify(r)}`,
      );
    }
  }
  const values = rows
    .map((r) => `(${r.map((v) => `CAST(${literal(v)} AS VARCHAR)`).join(', ')})`)
    .join(',\n');
  const aliases = columns.map((_, i) => `v${i}`).join(', ');
  const exprs = modes.map((m, i) => {
    const cell = `__t.v${i}`;
    if (m.kind === 'display') return `${cell} AS c${i}`;
    const typed =
      m.type.kind === 'scalar' && m.type.name === 'BLOB'
        ? `from_hex(${cell})`
        : `CAST(${cell} AS ${typeText(m.type)})`;
    return `${canonicalSql(typed, m.type)} AS c${i}`;
  });
  const result = await runner.query(`SELECT ${exprs.join(', ')} FROM (VALUES ${values}) AS __t(${aliases})`);
  return assembleRows(names, result.rows, display);
}

function typeText(t: DuckType): string {
  if (t.kind === 'decimal') return `DECIMAL(${t.precision},${t.scale})`;
  if (t.kind === 'scalar') return t.name;
  throw new Error(`JSON fixture columns are scalar or display-compared, got ${t.kind}`);
}

/** Compares two canonical row sets; a column-name difference fails even when rows would match. */
export function compareCanonical(expected: CanonicalRows, actual: CanonicalRows, sample = 5): CompareResult {
  const diff = diffMultisets(expected.rows, actual.rows);
  const sameColumns =
    expected.columns.length === actual.columns.length &&
    expected.columns.every((c, i) => actual.columns[i] === c);
  const rowsOk = diff.missing.length === 0 && diff.unexpected.length === 0;
  const parts: string[] = [];
  if (!sameColumns) {
    parts.push(
      `columns differ: expected [${expected.columns.join(', ')}], got [${actual.columns.join(', ')}]`,
    );
  }
  if (!rowsOk)
    parts.push(formatDiff(diff, { expected: expected.rows.length, actual: actual.rows.length }, sample));
  return {
    ok: sameColumns && rowsOk,
    expectedColumns: expected.columns,
    actualColumns: actual.columns,
    expectedCount: expected.rows.length,
    actualCount: actual.rows.length,
    diff,
    message: parts.join('\n'),
  };
}

/**
 * Reads both sides through `runner` and compares them as multisets of canonical rows. JSON
 * expectations switch the actual side to their conventions (display text for nested columns,
 * '' read as NULL).
 */
export async function compareRows(
  runner: SqlRunner,
  expected: ExpectedRows,
  actualSql: string,
  options: { readonly sample?: number } = {},
): Promise<CompareResult> {
  if (expected.kind === 'relation') {
    const expColumns = await columnsOf(runner, expected.sql);
    const actColumns = await columnsOf(runner, actualSql);
    const names = (cs: readonly SqlColumn[]): string[] => cs.map((c) => c.name).sort(byName);
    const expNames = names(expColumns);
    const actNames = names(actColumns);
    if (expNames.length !== actNames.length || expNames.some((n, i) => n !== actNames[i])) {
      // Column sets differ: canonicalize both sides in JS so the message can show whole rows.
      const [exp, act] = [
        await canonicalizeRelation(runner, expected.sql),
        await canonicalizeRelation(runner, actualSql),
      ];
      return compareCanonical(exp, act, options.sample);
    }
    const r = await diffRelationsInSql(
      runner,
      { sql: expected.sql, columns: expColumns },
      { sql: actualSql, columns: actColumns },
    );
    const ok = r.diff.missing.length === 0 && r.diff.unexpected.length === 0;
    return {
      ok,
      expectedColumns: expNames,
      actualColumns: actNames,
      expectedCount: r.expectedCount,
      actualCount: r.actualCount,
      diff: r.diff,
      message: ok
        ? ''
        : formatDiff(r.diff, { expected: r.expectedCount, actual: r.actualCount }, options.sample),
    };
  }
  const exp = await canonicalizeJson(runner, expected.columns, expected.rows);
  const display = new Set(
    expected.columns.filter((c) => jsonColumnMode(c.type).kind === 'display').map((c) => c.name),
  );
  const act = await canonicalizeRelation(runner, actualSql, {
    displayColumns: display,
    emptyStringIsNull: true,
  });
  return compareCanonical(exp, act, options.sample);
}
