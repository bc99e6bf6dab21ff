// Plain queries of the simple protocol stream: rows go out chunk by chunk as DuckDB produces them,
// so a large result never sits in memory whole and the client starts reading early. A
// CancelRequest stops the stream at the next chunk.
import type { ResultChunk, ResultColumn } from '@loch/engine-duckdb';
import { type ColumnEncoding, commandTag, type PgValue } from '@loch/pgwire';
import { type SqlSession, toSqlError } from '@loch/sql';
import { rewriteCatalogQuery } from './pg-catalog-compat.js';
import { type PgColumn, pgColumns, pgRow } from './pg-values.js';
import { type ResultSink, writeRowDescription } from './result-writer.js';

/** DuckEngine.stream's shape. */
export type StreamFn = (
  sql: string,
  onChunk: (chunk: ResultChunk) => void | Promise<void>,
) => Promise<{ columns: ResultColumn[]; rowCount: number }>;

export interface StreamHost extends ResultSink {
  readonly session: SqlSession;
  checkCancelled(): void;
}

/** Runs the query and writes RowDescription, DataRows and CommandComplete. */
export const streamQuery = async (host: StreamHost, sql: string, stream: StreamFn): Promise<void> => {
  const rewritten = await host.session.rewriteQuery(rewriteCatalogQuery(sql));
  let columns: PgColumn[] | undefined;
  let encodings: ColumnEncoding[] = [];
  /** One row's values, reused for every row. */
  let values: PgValue[] = [];
  const textOptions = { extraFloatDigits: host.settings.extraFloatDigits };
  const start = (cols: readonly ResultColumn[]) => {
    columns = pgColumns(cols);
    writeRowDescription(
      host.out,
      columns,
      columns.map(() => 0),
    );
    encodings = columns.map((c) => ({ typeOid: c.typeOid, format: 0 }));
    values = new Array<PgValue>(columns.length);
  };
  let result: { columns: ResultColumn[]; rowCount: number };
  try {
    result = await stream(rewritten, async (chunk) => {
      host.checkCancelled();
      if (columns === undefined) start(chunk.columns);
      for (const row of chunk.rows)
        host.out.typedDataRow(pgRow(row, columns!, values), encodings, textOptions);
      await host.flushIfLarge();
    });
  } catch (e) {
    throw e instanceof Error && e.name === 'WireError'
      ? e
      : toSqlError(e, { keepExcerpt: rewritten === sql });
  }
  host.checkCancelled();
  if (columns === undefined) start(result.columns);
  host.out.commandComplete(commandTag('SELECT', result.rowCount));
};
