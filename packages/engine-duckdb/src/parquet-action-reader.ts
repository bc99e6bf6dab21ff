// ParquetActionReader over DuckDB: reads checkpoint / sidecar parquet files and returns each row
// as the JSON shape of a log line. `to_json` on a struct column turns DuckDB maps into objects
// and lists into arrays, which is exactly the log's encoding, so no per-type conversion is needed.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParquetActionReader } from '@loch/delta';

const quoteString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const quoteIdent = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/**
 * The connection should be dedicated to this reader: DuckDB invalidates a streaming result when
 * its connection starts another statement, so reads are queued here one at a time.
 */
export class DuckDbParquetActionReader implements ParquetActionReader {
  readonly #conn: DuckDBConnection;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(conn: DuckDBConnection) {
    this.#conn = conn;
  }

  /**
   * `path` is what the engine can open (a local path or URL). `columns` names top-level action
   * columns (add, remove, metaData, ...); the ones a file lacks are skipped, and rows where all
   * requested columns are null are not returned.
   */
  readActions(path: string, columns?: readonly string[]): Promise<Record<string, unknown>[]> {
    const run = this.#tail.then(
      () => this.#read(path, columns),
      () => this.#read(path, columns),
    );
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #read(path: string, columns?: readonly string[]): Promise<Record<string, unknown>[]> {
    const source = `read_parquet(${quoteString(path)})`;
    const described = await this.#conn.runAndReadAll(
      `SELECT column_name FROM (DESCRIBE SELECT * FROM ${source})`,
    );
    const present = described.getRows().map((r) => String(r[0]));
    const wanted = columns === undefined ? present : present.filter((c) => columns.includes(c));
    if (wanted.length === 0) return [];
    const select = wanted.map((c) => `to_json(${quoteIdent(c)})`).join(', ');
    const where = wanted.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' OR ');
    // Streaming chunk by chunk skips the row-object materialization of runAndReadAll.
    const result = await this.#conn.stream(`SELECT ${select} FROM ${source} WHERE ${where}`);
    const out: Record<string, unknown>[] = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const vectors = wanted.map((_, c) => chunk.getColumnVector(c));
      for (let i = 0; i < chunk.rowCount; i++) {
        const row: Record<string, unknown> = {};
        for (let c = 0; c < wanted.length; c++) {
          const cell = vectors[c]?.getItem(i);
          if (typeof cell === 'string') row[wanted[c] as string] = JSON.parse(cell);
        }
        out.push(row);
      }
    }
    return out;
  }
}
