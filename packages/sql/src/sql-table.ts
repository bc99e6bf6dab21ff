// The narrow view of @loch/table's DeltaTable the SQL layer programs against, so tests can
// substitute a recording double and the composition root binds the real one.
import type { Snapshot } from '@loch/delta';
import type {
  AlterOperation,
  ChangeFeedRange,
  ConvertOptions,
  ConvertResult,
  CreateTableOptions,
  DeleteResult,
  DmlOptions,
  HistoryEntry,
  MergeOptions,
  MergeResult,
  OptimizeOptions,
  OptimizeResult,
  RestoreResult,
  ScanFilter,
  ScanMetrics,
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
  /** scanSql pruned by a skipping filter, with metrics; optional so test doubles may omit it. */
  scan?(opts?: { at?: VersionSelector; filter?: ScanFilter }): Promise<{ sql: string; metrics: ScanMetrics }>;
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
  /** CONVERT TO DELTA over the parquet files at this location; optional so test doubles may omit it. */
  convertFromParquet?(opts: ConvertOptions): Promise<ConvertResult>;
  /** MERGE (a builder); optional so test doubles may omit it. */
  merge?(source: string, condition: string, opts?: MergeOptions): SqlMergeBuilder;
}

/** The part of @loch/table's MergeBuilder the SQL layer uses (each call returns a new builder). */
export interface SqlMergeBuilder {
  whenMatchedUpdate(o: { condition?: string; set: Readonly<Record<string, string>> }): SqlMergeBuilder;
  whenMatchedUpdateAll(o?: { condition?: string }): SqlMergeBuilder;
  whenMatchedDelete(o?: { condition?: string }): SqlMergeBuilder;
  whenNotMatchedInsert(o: { condition?: string; values: Readonly<Record<string, string>> }): SqlMergeBuilder;
  whenNotMatchedInsertAll(o?: { condition?: string }): SqlMergeBuilder;
  whenNotMatchedBySourceUpdate(o: {
    condition?: string;
    set: Readonly<Record<string, string>>;
  }): SqlMergeBuilder;
  whenNotMatchedBySourceDelete(o?: { condition?: string }): SqlMergeBuilder;
  execute(): Promise<MergeResult>;
}

/** Opens a table by absolute path or URL; the composition root binds it to DeltaTable.forPath. */
export type TableOpener = (location: string) => SqlTable;
