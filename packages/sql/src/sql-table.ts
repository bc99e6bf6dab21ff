// The narrow view of @loch/table's DeltaTable the SQL layer programs against, so tests can
// substitute a recording double and the composition root binds the real one.
import type { Snapshot } from '@loch/delta';
import type {
  AlterOperation,
  ChangeFeedRange,
  CreateTableOptions,
  DeleteResult,
  DmlOptions,
  HistoryEntry,
  OptimizeOptions,
  OptimizeResult,
  RestoreResult,
  TableDetail,
  UpdateResult,
  VacuumOptions,
  VacuumResult,
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
  /** The change data feed relation (table_changes); optional so test doubles may omit it. */
  changesSql?(range: ChangeFeedRange): Promise<string>;
  /** OPTIMIZE / VACUUM; optional so test doubles may omit them. */
  optimize?(opts: OptimizeOptions): Promise<OptimizeResult>;
  vacuum?(opts: VacuumOptions): Promise<VacuumResult>;
  /** DELETE / UPDATE; optional so test doubles may omit them. */
  delete?(predicateSql?: string, opts?: DmlOptions): Promise<DeleteResult>;
  update?(
    assignments: Readonly<Record<string, string>>,
    predicateSql?: string,
    opts?: DmlOptions,
  ): Promise<UpdateResult>;
}

/** Opens a table by absolute path or URL; the composition root binds it to DeltaTable.forPath. */
export type TableOpener = (location: string) => SqlTable;
