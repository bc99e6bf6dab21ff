// A bare DuckDB SqlRunner for tests that must not depend on @loch/engine-duckdb (the comparator's
// own tests, and reading expected files). Test-only: production code reaches DuckDB through the
// engine package alone.
import { DuckDBInstance } from '@duckdb/node-api';
import type { SqlResult, SqlRunner } from './sql-runner.js';

export interface DuckRunner extends SqlRunner {
  close(): Promise<void>;
}

export async function openDuckRunner(): Promise<DuckRunner> {
  // Offline machine: never try to download an extension; fail fast instead.
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    query: (sql: string): Promise<SqlResult> =>
      serialized(async () => {
        const reader = await connection.runAndReadAll(sql);
        const names = reader.columnNames();
        const types = reader.columnTypes();
        return {
          columns: names.map((name, i) => ({ name, type: String(types[i]) })),
          rows: reader.getRowsJS(),
        };
      }),
    close: () =>
      serialized(async () => {
        connection.closeSync();
        instance.closeSync();
      }),
  };
}
