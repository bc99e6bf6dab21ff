// The composition root: the only place that constructs the DuckDB engine, object stores and the
// SQL session, and wires them together.
import { DuckEngine } from '@loch/engine-duckdb';
import { SqlSession } from '@loch/sql';
import { openStore } from '@loch/storage';
import { DeltaTable, type TableContext } from '@loch/table';

export const ENGINE_INFO = 'Loch/0.1.0';

export interface Runtime {
  readonly engine: DuckEngine;
  readonly session: SqlSession;
  close(): Promise<void>;
}

export async function createRuntime(options: { baseDir: string }): Promise<Runtime> {
  const engine = await DuckEngine.create();
  const ctx: TableContext = { engine, stores: openStore, engineInfo: ENGINE_INFO };
  const session = new SqlSession({
    engine,
    openTable: (location) => DeltaTable.forPath(ctx, location),
    baseDir: options.baseDir,
  });
  return { engine, session, close: () => engine.close() };
}
