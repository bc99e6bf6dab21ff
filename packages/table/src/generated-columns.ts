// Generated columns (field metadata `delta.generationExpression`): a write that leaves the column
// out gets it computed from the row's other columns; a write that supplies it must supply exactly
// the expression's value. Delta enforces the latter as a CHECK constraint named "Generated
// Column", and so do we (same message shape, same CONSTRAINT_VIOLATION).
import { type DataType, DeltaError, type StructField, type StructType } from '@loch/delta';
import type { Engine } from '@loch/engine-duckdb';
import { CHECK_MARKER } from './constraints.js';
import { sparkToDuckExpression } from './spark-expression.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';

export const GENERATION_EXPRESSION_KEY = 'delta.generationExpression';

export interface GeneratedColumn {
  readonly name: string;
  readonly type: DataType;
  /** The SQL expression as Spark stored it (kept for messages and metadata). */
  readonly expression: string;
  /** The same expression in DuckDB's dialect. */
  readonly duckExpression: string;
}

/** The table's top-level generated columns (Delta allows no nested ones). */
export function generatedColumns(schema: StructType): GeneratedColumn[] {
  const out: GeneratedColumn[] = [];
  for (const f of schema.fields) {
    const expression = f.metadata[GENERATION_EXPRESSION_KEY];
    if (typeof expression === 'string') {
      out.push({ name: f.name, type: f.type, expression, duckExpression: sparkToDuckExpression(expression) });
    }
  }
  return out;
}

export const findSourceField = (source: StructType, name: string): StructField | undefined =>
  source.fields.find((f) => f.name === name) ??
  source.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());

/**
 * Wraps the source query (`alias` rows) so every generated column is present: computed when the
 * source lacks it, checked (failing the write, naming the column and the values) when it has it.
 * Returns undefined when the table has no generated columns.
 */
export function withGeneratedColumns(
  sourceSql: string,
  source: StructType,
  table: StructType,
  sqlType: (type: DataType) => string,
): string | undefined {
  const columns = generatedColumns(table);
  if (columns.length === 0) return undefined;
  const alias = '__gen';
  const added: string[] = [];
  const checks: string[] = [];
  for (const g of columns) {
    const computed = `CAST((${g.duckExpression}) AS ${sqlType(g.type)})`;
    const given = findSourceField(source, g.name);
    if (given === undefined) {
      added.push(`${computed} AS ${quoteIdent(g.name)}`);
      continue;
    }
    const ref = `CAST(${alias}.${quoteIdent(given.name)} AS ${sqlType(g.type)})`;
    const label = `${CHECK_MARKER} Generated Column (${g.name} <=> (${g.expression})) violated by row with values: `;
    const message =
      `${quoteLiteral(label)} || CAST(${alias} AS VARCHAR) || ` +
      `${quoteLiteral(`; the expression gives `)} || coalesce(CAST(${computed} AS VARCHAR), 'NULL') || ` +
      `${quoteLiteral(` for column ${g.name}: leave the column out of the data to have it computed.`)}`;
    checks.push(`CASE WHEN ${ref} IS NOT DISTINCT FROM ${computed} THEN TRUE ELSE error(${message}) END`);
  }
  // Columns the data leaves out are NULL in the table; the expressions must see them so too
  // (NOT NULL ones are left to schema enforcement, identity ones to identity-columns.ts).
  const generatedNames = new Set(columns.map((g) => g.name.toLowerCase()));
  const filler = table.fields
    .filter(
      (f) =>
        f.nullable &&
        !generatedNames.has(f.name.toLowerCase()) &&
        f.metadata['delta.identity.start'] === undefined &&
        findSourceField(source, f.name) === undefined,
    )
    .map((f) => `CAST(NULL AS ${sqlType(f.type)}) AS ${quoteIdent(f.name)}`);
  const from =
    filler.length === 0 ? sourceSql : `SELECT *, ${filler.join(', ')} FROM (${sourceSql}) AS __fill`;
  const select = added.length === 0 ? '*' : `*, ${added.join(', ')}`;
  const where = checks.length === 0 ? '' : ` WHERE ${checks.join(' AND ')}`;
  return `SELECT ${select} FROM (${from}) AS ${alias}${where}`;
}

// Spark refuses generation expressions whose value could differ between evaluations.
const NONDETERMINISTIC =
  /\b(rand|random|randn|uuid|gen_random_uuid|now|current_timestamp|current_date|localtimestamp)\b/iu;

/**
 * Checks a new table's generation expressions the way CREATE TABLE does in Spark: each must be
 * deterministic and evaluate over the table's non-generated columns (so a typo or a reference to
 * another generated column fails now, not at the first write).
 */
export async function checkGenerationExpressions(
  engine: Engine,
  schema: StructType,
  sqlType: (type: DataType) => string,
): Promise<void> {
  const columns = generatedColumns(schema);
  if (columns.length === 0) return;
  const generated = new Set(columns.map((g) => g.name.toLowerCase()));
  const base = schema.fields
    .filter((f) => !generated.has(f.name.toLowerCase()))
    .map((f) => `CAST(NULL AS ${sqlType(f.type)}) AS ${quoteIdent(f.name)}`);
  const row = base.length === 0 ? 'SELECT 1 AS __none' : `SELECT ${base.join(', ')}`;
  for (const g of columns) {
    const bad = NONDETERMINISTIC.exec(g.expression);
    if (bad !== null) {
      throw new DeltaError(
        'INVALID_SCHEMA',
        `generation expression of column '${g.name}' (${g.expression}) uses ${bad[1]}, which is not deterministic; ` +
          'a generated column must be computable from the row alone',
        { column: g.name },
      );
    }
    try {
      await engine.query(
        `SELECT CAST((${g.duckExpression}) AS ${sqlType(g.type)}) FROM (${row}) AS __v LIMIT 0`,
      );
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      throw new DeltaError(
        'INVALID_SCHEMA',
        `generation expression of column '${g.name}' (${g.expression}) cannot be evaluated: ${reason}; ` +
          "it may use only the table's non-generated columns",
        { column: g.name },
      );
    }
  }
}

/**
 * For rewrites of existing rows (UPDATE, MERGE ... UPDATE): recomputes every generated column of
 * `rowsSql` (rows in table shape) from the row's new values, as Delta does. Undefined when the table
 * has no generated columns.
 */
export function withRecomputedGeneratedColumns(
  rowsSql: string,
  table: StructType,
  sqlType: (type: DataType) => string,
): string | undefined {
  const columns = generatedColumns(table);
  if (columns.length === 0) return undefined;
  const replaced = columns.map(
    (g) => `CAST((${g.duckExpression}) AS ${sqlType(g.type)}) AS ${quoteIdent(g.name)}`,
  );
  return `SELECT * REPLACE (${replaced.join(', ')}) FROM (${rowsSql}) AS __regen`;
}

/** Per generated column, when a rewritten row takes the expression's value and when it is checked. */
export interface RewriteRule {
  /** SQL over the row: true where the column is recomputed from the row's new values. */
  readonly recompute: string;
  /** SQL over the row: true where the column was assigned a value that must equal the expression. */
  readonly check: string;
}

/**
 * For rows that UPDATE or MERGE rewrite (`rowsSql`: the table's columns, possibly plus helper
 * columns the rules read): a generated column is recomputed where its source columns may have
 * changed and checked where it was assigned, as Delta does (its "Generated Column" constraint).
 * Helper columns are kept; the caller drops them. Undefined when the table has no generated columns.
 */
export function withGeneratedOnRewrite(
  rowsSql: string,
  table: StructType,
  rule: (column: GeneratedColumn) => RewriteRule,
  sqlType: (type: DataType) => string,
): string | undefined {
  const columns = generatedColumns(table);
  if (columns.length === 0) return undefined;
  const alias = '__regen';
  // The row as the message shows it: the table's columns only, not the helper columns.
  const rowText = `CAST({${table.fields.map((f) => `${quoteLiteral(f.name)}: ${alias}.${quoteIdent(f.name)}`).join(', ')}} AS VARCHAR)`;
  const replaced: string[] = [];
  const checks: string[] = [];
  for (const g of columns) {
    const { recompute, check } = rule(g);
    const computed = `CAST((${g.duckExpression}) AS ${sqlType(g.type)})`;
    const own = `${alias}.${quoteIdent(g.name)}`;
    if (recompute !== 'FALSE') {
      replaced.push(`CASE WHEN ${recompute} THEN ${computed} ELSE ${own} END AS ${quoteIdent(g.name)}`);
    }
    if (check === 'FALSE') continue;
    const label = `${CHECK_MARKER} Generated Column (${g.name} <=> (${g.expression})) violated by row with values: `;
    const message =
      `${quoteLiteral(label)} || ${rowText} || ` +
      `${quoteLiteral('; the expression gives ')} || coalesce(CAST(${computed} AS VARCHAR), 'NULL') || ` +
      `${quoteLiteral(` for column ${g.name}, the statement sets `)} || coalesce(CAST(${own} AS VARCHAR), 'NULL') || ` +
      `${quoteLiteral(`: leave ${g.name} out of the assignments to have it computed.`)}`;
    checks.push(
      `CASE WHEN (${check}) AND ${own} IS DISTINCT FROM ${computed} THEN error(${message}) ELSE TRUE END`,
    );
  }
  const select = replaced.length === 0 ? '*' : `* REPLACE (${replaced.join(', ')})`;
  const where = checks.length === 0 ? '' : ` WHERE ${checks.join(' AND ')}`;
  return `SELECT ${select} FROM (${rowsSql}) AS ${alias}${where}`;
}
