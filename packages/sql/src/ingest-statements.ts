// Runs CONVERT TO DELTA and COPY INTO against @loch/table.
import { DataType } from '@loch/delta';
import type { Engine, QueryResult } from '@loch/engine-duckdb';
import { type CopyFileFormat, copyIntoTable } from '@loch/table';
import type { Statement } from './ast.js';
import { SqlError } from './errors.js';
import type { SqlTable } from './sql-table.js';

export interface IngestContext {
  readonly engine: Engine;
  /** Resolves a location as written (relative, absolute, URL). */
  readonly resolve: (location: string) => string;
}

const EMPTY: QueryResult = { columns: [], rows: [] };

export async function runConvert(
  stmt: Extract<Statement, { kind: 'convertToDelta' }>,
  table: SqlTable,
): Promise<QueryResult> {
  if (table.convertFromParquet === undefined) {
    throw new SqlError('UNSUPPORTED', 'CONVERT TO DELTA is not supported by this table implementation', {
      statement: 'CONVERT TO DELTA',
    });
  }
  await table.convertFromParquet({
    partitionColumns: stmt.partitionedBy.map((p) => DataType.field(p.name, p.type, true)),
  });
  return EMPTY;
}

const FORMATS: readonly string[] = ['CSV', 'JSON', 'PARQUET'];

export async function runCopyInto(
  stmt: Extract<Statement, { kind: 'copyInto' }>,
  table: SqlTable,
  ctx: IngestContext,
): Promise<QueryResult> {
  if (!FORMATS.includes(stmt.fileFormat)) {
    throw new SqlError(
      'UNSUPPORTED',
      `COPY INTO FILEFORMAT = ${stmt.fileFormat} is not supported; use CSV, JSON or PARQUET`,
      { format: stmt.fileFormat },
    );
  }
  const base = ctx.resolve(stmt.from);
  const from = stmt.pattern === undefined ? base : `${base.replace(/\/+$/u, '')}/${stmt.pattern}`;
  const r = await copyIntoTable(table, ctx.engine, {
    from,
    format: stmt.fileFormat as CopyFileFormat,
    ...(stmt.files === undefined ? {} : { files: stmt.files }),
    formatOptions: stmt.formatOptions,
    copyOptions: stmt.copyOptions,
  });
  return ctx.engine.query(
    `SELECT ${r.numAffectedRows}::BIGINT AS num_affected_rows, ${r.numInsertedRows}::BIGINT AS num_inserted_rows, ` +
      `${r.numSkippedCorruptFiles}::BIGINT AS num_skipped_corrupt_files`,
  );
}
