// The source query of an INSERT: Databricks matches query columns to table columns by position (or
// to an explicit column list); the table layer matches by name, so we alias by position here.
import type { DataType, StructField } from '@loch/delta';
import { SqlError } from './errors.js';
import { quoteIdent } from './tokenizer.js';

export interface InsertSourceInput {
  /** The (already rewritten) query or VALUES text. */
  readonly query: string;
  /** DuckDB type text of each column the query produces, in order. */
  readonly queryTypes: readonly string[];
  /** The table's columns. */
  readonly tableFields: readonly StructField[];
  /** Explicit column list, if written. */
  readonly columns?: readonly string[];
  /** Static partition values: column -> SQL literal; these columns are not in the query. */
  readonly staticValues?: Readonly<Record<string, string>>;
  readonly byName: boolean;
  /** How the table is named in messages, e.g. delta.`/tmp/t`. */
  readonly tableName: string;
  /** Delta type -> DuckDB type text, for CASTs (the engine's mapping). */
  readonly duckType: (type: DataType) => string;
}

const NUMERIC_SOURCE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;
const NUMERIC_TARGET = new Set(['byte', 'short', 'integer', 'long', 'float', 'double']);
const DATETIME_TARGET = new Set(['date', 'timestamp', 'timestamp_ntz']);

/**
 * Spark's ANSI store assignment, which SQL INSERT applies and DataFrame writes do not: any numeric
 * to any numeric (overflow fails at run time) and strings to dates/timestamps. Everything else is
 * left to the table's schema enforcement, which rejects e.g. a string into an INT column.
 */
function storeAssignmentCast(sourceType: string, target: DataType): boolean {
  if (sourceType === '"NULL"' || sourceType === 'NULL') return true;
  const numericTarget =
    target.kind === 'decimal' || (target.kind === 'primitive' && NUMERIC_TARGET.has(target.name));
  if (numericTarget) return NUMERIC_SOURCE.test(sourceType);
  if (target.kind === 'primitive' && DATETIME_TARGET.has(target.name)) {
    return sourceType === 'VARCHAR' || sourceType === 'DATE' || sourceType.startsWith('TIMESTAMP');
  }
  return false;
}

/** Generated and identity columns: the table computes their values when the data leaves them out. */
const isComputed = (f: StructField): boolean =>
  f.metadata['delta.generationExpression'] !== undefined || f.metadata['delta.identity.start'] !== undefined;

/** `SELECT <table columns> FROM (<query>) AS _src(<names>)`, or a column-count / unknown-column error. */
export function insertSourceSql(input: InsertSourceInput): string {
  if (input.byName && input.columns === undefined) return input.query;
  const fields = input.tableFields;
  const find = (name: string): StructField | undefined =>
    fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  const statics = new Map<StructField, string>();
  for (const [name, value] of Object.entries(input.staticValues ?? {})) {
    const field = find(name);
    if (!field) {
      throw new SqlError(
        'COLUMN_NOT_FOUND',
        `Partition column '${name}' does not exist in ${input.tableName}; its columns are: ${fields.map((f) => f.name).join(', ')}`,
        { columnName: name },
      );
    }
    statics.set(field, value);
  }
  const targets: StructField[] = [];
  let defaults = fields.filter((f) => !statics.has(f));
  // Without a column list, a query that leaves out exactly the generated/identity columns fills
  // the others in order (those columns are then computed by the table).
  const computable = defaults.filter((f) => !isComputed(f));
  if (computable.length !== defaults.length && input.queryTypes.length === computable.length) {
    defaults = computable;
  }
  for (const name of input.columns ?? defaults.map((f) => f.name)) {
    const field = find(name);
    if (!field) {
      throw new SqlError(
        'COLUMN_NOT_FOUND',
        `Column '${name}' does not exist in ${input.tableName}; its columns are: ${fields.map((f) => f.name).join(', ')}`,
        { columnName: name },
      );
    }
    if (targets.includes(field) || statics.has(field)) {
      throw new SqlError('INVALID_ARGUMENT', `Column '${name}' is given twice in the INSERT`, {
        columnName: name,
      });
    }
    targets.push(field);
  }
  if (targets.length !== input.queryTypes.length) {
    const what = input.queryTypes.length < targets.length ? 'not enough' : 'too many';
    throw new SqlError(
      'COLUMN_COUNT_MISMATCH',
      `Cannot write to ${input.tableName}: ${what} data columns; the table expects ${targets.length} (${targets
        .map((f) => f.name)
        .join(', ')}) but the query produces ${input.queryTypes.length}`,
      { expected: targets.length, actual: input.queryTypes.length },
    );
  }
  // Literal rows carry the user's intent, not DuckDB's inferred type (an all-NULL VALUES column is
  // INTEGER to DuckDB): cast each to its column's type, and let an impossible cast fail loudly.
  const literalRows = /^\(*\s*VALUES\b/i.test(input.query.trimStart());
  const list = fields.flatMap((f) => {
    const k = targets.indexOf(f);
    // Left out, so the table computes it (generated expression / next identity value).
    if (k < 0 && isComputed(f) && !statics.has(f)) return [];
    const cast = (expr: string) => `CAST(${expr} AS ${input.duckType(f.type)})`;
    const value = statics.get(f);
    if (value !== undefined) return `${cast(value)} AS ${quoteIdent(f.name)}`;
    if (k < 0) return `${cast('NULL')} AS ${quoteIdent(f.name)}`;
    const ref = `_src.${quoteIdent(f.name)}`;
    const sourceType = input.queryTypes[k]!;
    const needsCast =
      sourceType !== input.duckType(f.type) && (literalRows || storeAssignmentCast(sourceType, f.type));
    return `${needsCast ? cast(ref) : ref} AS ${quoteIdent(f.name)}`;
  });
  return `SELECT ${list.join(', ')} FROM (${input.query}) AS _src(${targets.map((f) => quoteIdent(f.name)).join(', ')})`;
}
