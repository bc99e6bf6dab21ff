// Executing MERGE: the source query, condition and clause expressions get their delta.`path`
// references rewritten like any query, then @loch/table's merge builder does the work. The result
// is Databricks' one-row num_affected_rows, num_updated_rows, num_deleted_rows, num_inserted_rows.
import type { Engine, QueryResult } from '@loch/engine-duckdb';
import type { MergeResult } from '@loch/table';
import type { MergeClauseAst, Statement } from './ast.js';
import { SqlError } from './errors.js';
import type { SqlMergeBuilder, SqlTable } from './sql-table.js';
import { quoteIdent } from './tokenizer.js';

type MergeStatement = Extract<Statement, { kind: 'merge' }>;

export interface MergeContext {
  readonly engine: Engine;
  readonly rewrite: (sql: string) => Promise<string>;
  /** spark.databricks.delta.schema.autoMerge.enabled in this session. */
  readonly autoMerge: boolean;
}

export const mergeResultSql = (r: MergeResult): string =>
  `SELECT ${[
    ['num_affected_rows', r.numAffectedRows],
    ['num_updated_rows', r.numTargetRowsUpdated],
    ['num_deleted_rows', r.numTargetRowsDeleted],
    ['num_inserted_rows', r.numTargetRowsInserted],
  ]
    .map(([name, n]) => `CAST(${Math.trunc(Number(n))} AS BIGINT) AS ${quoteIdent(String(name))}`)
    .join(', ')}`;

/** Without an alias, Spark lets the clauses name the table by its last name part. */
function defaultAlias(location: string): string {
  const parts = location.replace(/[\\/]+$/u, '').split(/[\\/]/u);
  return parts[parts.length - 1] || 'target';
}

async function pairs(
  clause: MergeClauseAst,
  rewrite: (sql: string) => Promise<string>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const a of clause.assignments ?? []) {
    if (Object.keys(out).some((k) => k.toLowerCase() === a.column.toLowerCase())) {
      throw new SqlError('INVALID_ARGUMENT', `MERGE clause sets column '${a.column}' more than once`, {
        columnName: a.column,
      });
    }
    out[a.column] = await rewrite(a.value.sql);
  }
  return out;
}

export async function runMerge(
  stmt: MergeStatement,
  table: SqlTable,
  ctx: MergeContext,
): Promise<QueryResult> {
  if (table.merge === undefined) {
    throw new SqlError('UNSUPPORTED', 'MERGE is not supported by this table implementation', {
      statement: 'MERGE',
    });
  }
  const source = await ctx.rewrite(stmt.source.sql);
  const condition = await ctx.rewrite(stmt.condition.sql);
  const targetAlias = stmt.alias ?? defaultAlias(stmt.table.location);
  const sourceAlias = stmt.sourceAlias ?? 'source';
  let b: SqlMergeBuilder = table.merge(source, condition, {
    targetAlias,
    sourceAlias,
    ...(stmt.schemaEvolution || ctx.autoMerge ? { mergeSchema: true } : {}),
  });
  for (const c of stmt.clauses) {
    const condition = c.condition === undefined ? {} : { condition: await ctx.rewrite(c.condition.sql) };
    if (c.group === 'matched') {
      if (c.action === 'delete') b = b.whenMatchedDelete(condition);
      else if (c.action === 'updateAll') b = b.whenMatchedUpdateAll(condition);
      else b = b.whenMatchedUpdate({ ...condition, set: await pairs(c, ctx.rewrite) });
    } else if (c.group === 'notMatched') {
      if (c.action === 'insertAll') b = b.whenNotMatchedInsertAll(condition);
      else b = b.whenNotMatchedInsert({ ...condition, values: await pairs(c, ctx.rewrite) });
    } else if (c.action === 'delete') b = b.whenNotMatchedBySourceDelete(condition);
    else b = b.whenNotMatchedBySourceUpdate({ ...condition, set: await pairs(c, ctx.rewrite) });
  }
  return ctx.engine.query(mergeResultSql(await b.execute()));
}
