// The shape of a MERGE: its clauses as data (built by the MergeBuilder or the SQL parser) and what
// a merge reports. Expressions and conditions are DuckDB SQL over the target and source aliases.

/** `WHEN MATCHED [AND c] THEN UPDATE SET ... | UPDATE SET * | DELETE`. */
export type MatchedClause =
  | { readonly kind: 'update'; readonly condition?: string; readonly set: Readonly<Record<string, string>> }
  | { readonly kind: 'updateAll'; readonly condition?: string }
  | { readonly kind: 'delete'; readonly condition?: string };

/** `WHEN NOT MATCHED [BY TARGET] [AND c] THEN INSERT (cols) VALUES (...) | INSERT *`. */
export type NotMatchedClause =
  | {
      readonly kind: 'insert';
      readonly condition?: string;
      readonly values: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'insertAll'; readonly condition?: string };

/** `WHEN NOT MATCHED BY SOURCE [AND c] THEN UPDATE SET ... | DELETE`. */
export type NotMatchedBySourceClause =
  | { readonly kind: 'update'; readonly condition?: string; readonly set: Readonly<Record<string, string>> }
  | { readonly kind: 'delete'; readonly condition?: string };

export interface MergeOptions {
  /** Name the ON condition and clauses use for the target table (default 'target'). */
  readonly targetAlias?: string;
  /** Name the ON condition and clauses use for the source rows (default 'source'). */
  readonly sourceAlias?: string;
  /** Schema evolution: UPDATE SET * / INSERT * add the source's extra columns to the table. */
  readonly mergeSchema?: boolean;
  readonly userMetadata?: string;
  /** Re-run the whole MERGE on the newest snapshot this many times on a conflict (default 0). */
  readonly maxConflictRetries?: number;
}

export interface MergeSpec {
  /** DuckDB SQL of the source rows (a query or a table scan). */
  readonly sourceSql: string;
  /** Resolves the source SQL at execution (a table source: its latest snapshot then). */
  readonly resolveSource?: () => Promise<string>;
  readonly condition: string;
  readonly matched: readonly MatchedClause[];
  readonly notMatched: readonly NotMatchedClause[];
  readonly notMatchedBySource: readonly NotMatchedBySourceClause[];
  readonly options: MergeOptions;
}

export interface MergeResult {
  /** The committed version, or the current one when the merge changed nothing (no commit). */
  readonly version: number;
  readonly committed: boolean;
  /** Databricks' num_affected_rows: inserted + updated + deleted. */
  readonly numAffectedRows: number;
  readonly numSourceRows: number;
  readonly numTargetRowsInserted: number;
  readonly numTargetRowsUpdated: number;
  readonly numTargetRowsDeleted: number;
  readonly numTargetRowsCopied: number;
  readonly numTargetFilesAdded: number;
  readonly numTargetFilesRemoved: number;
  readonly numTargetDeletionVectorsAdded: number;
  /** Live files before pruning and the files actually scanned for matches. */
  readonly numTargetFilesBeforeSkipping: number;
  readonly numTargetFilesAfterSkipping: number;
  /** The operationMetrics of the commit (all numbers). */
  readonly metrics: Readonly<Record<string, number>>;
}
