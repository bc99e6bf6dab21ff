// The narrow view of @loch/table's DeltaTable the SQL layer programs against, so tests can
// substitute a recording double and the composition root binds the real one.
import type { Snapshot } from '@loch/delta';
import type {
  AlterOperation,
  CreateTableOptions,
  HistoryEntry,
  RestoreResult,
  TableDetail,
  VersionSelector,
  WriteOptions,
  WriteResult,
} from '@loch/table';

/** The part of @loch/table's DeltaTable the SQL layer uses (see packages/table/src/types.ts). */
export interface SqlTable {
  exists(): Promise<boolean>;
  snapshot(at?: VersionSelector): Promise<Snapshot>;
  scanSql(opts?: { at?: VersionSelector; columns?: string[] }): Promise<string>;
  create(opts: CreateTableOptions): Promise<{ version: number }>;
  write(sourceSql: string, opts: WriteOptions): Promise<WriteResult>;
  history(limit?: number): Promise<HistoryEntry[]>;
  detail(): Promise<TableDetail>;
  restore(to: VersionSelector): Promise<RestoreResult>;
  alter(op: AlterOperation): Promise<{ version: number }>;
}

/** Opens a table by absolute path or URL; the composition root binds it to DeltaTable.forPath. */
export type TableOpener = (location: string) => SqlTable;
