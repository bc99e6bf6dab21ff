// Executing DELETE and UPDATE: predicates and expressions get their delta.`path` references
// rewritten like any query, then @loch/table does the work. The result is Databricks' one-row
// `num_affected_rows`.
import type { Engine, QueryResult } from '@loch/engine-duckdb';
import type { Statement } from './ast.js';
import { SqlError } from './errors.js';
import type { SqlTable } from './sql-table.js';
import { quoteIdent } from './tokenizer.js';

type DmlStatement = Extract<Statement, { kind: 'delete' | 'update' }>;

export interface DmlContext {
  readonly engine: Engine;
  /** Rewrites delta.`path` references inside SQL text (subqueries in predicates). */
  readonly rewrite: (sql: string) => Promise<string>;
}

export const affectedRowsSql = (rows: number): string =>
  `SELECT CAST(${Math.trunc(rows)} AS BIGINT) AS ${quoteIdent('num_affected_rows')}`;

export async function runDml(stmt: DmlStatement, table: SqlTable, ctx: DmlContext): Promise<QueryResult> {
  const where = stmt.where === undefined ? undefined : await ctx.rewrite(stmt.where.sql);
  const opts = stmt.alias === undefined ? {} : { alias: stmt.alias };
  if (stmt.kind === 'delete') {
    if (table.delete === undefined) throw unsupported('DELETE');
    const r = await table.delete(where, opts);
    return ctx.engine.query(affectedRowsSql(r.numDeletedRows));
  }
  if (table.update === undefined) throw unsupported('UPDATE');
  const assignments: Record<string, string> = {};
  for (const a of stmt.assignments) {
    if (Object.keys(assignments).some((k) => k.toLowerCase() === a.column.toLowerCase())) {
      throw new SqlError('INVALID_ARGUMENT', `UPDATE sets column '${a.column}' more than once`, {
        columnName: a.column,
      });
    }
    assignments[a.column] = await ctx.rewrite(a.value.sql);
  }
  const r = await table.update(assignments, where, opts);
  return ctx.engine.query(affectedRowsSql(r.numUpdatedRows));
}

const unsupported = (what: string): SqlError =>
  new SqlError('UNSUPPORTED', `${what} is not supported by this table implementation`, { statement: what });
