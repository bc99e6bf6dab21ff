// The statements Loch handles itself; everything else is a `query` passed to DuckDB after
// table-reference rewriting.
import type { DataType } from '@loch/delta';
import type { PathRef, TimeTravel } from './table-refs.js';

/** SQL text cut from the script: rewritten (table references) before it runs. */
export interface SqlText {
  readonly sql: string;
  /** Offset of `sql` in the script. */
  readonly offset: number;
}

export interface ColumnDefinition {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly comment?: string;
  /** GENERATED ALWAYS AS (expr): the expression's SQL text as written. */
  readonly generatedAs?: string;
  /** GENERATED ALWAYS | BY DEFAULT AS IDENTITY [(START WITH n INCREMENT BY m)]. */
  readonly identity?: { readonly always: boolean; readonly start: number; readonly step: number };
}

export type AlterAction =
  | { readonly kind: 'addColumns'; readonly columns: readonly ColumnDefinition[] }
  | { readonly kind: 'renameColumn'; readonly from: string; readonly to: string }
  | { readonly kind: 'dropColumns'; readonly columns: readonly string[]; readonly ifExists: boolean }
  | { readonly kind: 'setProperties'; readonly properties: Readonly<Record<string, string>> }
  | { readonly kind: 'unsetProperties'; readonly keys: readonly string[]; readonly ifExists: boolean }
  | { readonly kind: 'addConstraint'; readonly name: string; readonly expr: string }
  | { readonly kind: 'dropConstraint'; readonly name: string; readonly ifExists: boolean }
  | { readonly kind: 'setColumnNullability'; readonly column: string; readonly nullable: boolean }
  /** ALTER TABLE ... CLUSTER BY (cols); [] is CLUSTER BY NONE. */
  | { readonly kind: 'clusterBy'; readonly columns: readonly string[] };

export type Statement =
  | {
      readonly kind: 'createTable';
      readonly table: PathRef;
      /** The name written when the location came from a LOCATION clause. */
      readonly name?: string;
      /** CREATE OR REPLACE / REPLACE TABLE. */
      readonly orReplace: boolean;
      /** REPLACE TABLE (without CREATE): the table must exist. */
      readonly replaceOnly: boolean;
      readonly ifNotExists: boolean;
      readonly columns?: readonly ColumnDefinition[];
      readonly partitionedBy: readonly string[];
      /** CLUSTER BY (cols): liquid clustering columns. */
      readonly clusterBy?: readonly string[];
      readonly comment?: string;
      readonly properties: Readonly<Record<string, string>>;
      readonly query?: SqlText;
    }
  | {
      readonly kind: 'insert';
      readonly table: PathRef;
      readonly overwrite: boolean;
      readonly columns?: readonly string[];
      /** PARTITION (p = v, q): static values (SQL literals) fill their columns; with OVERWRITE only
       * the partitions they name are replaced. Columns without a value are dynamic (from the query). */
      readonly partition?: readonly { readonly column: string; readonly value?: SqlText }[];
      /** Match query columns to table columns by name instead of position (INSERT ... BY NAME). */
      readonly byName: boolean;
      readonly replaceWhere?: SqlText;
      readonly query: SqlText;
    }
  | { readonly kind: 'describeHistory'; readonly table: PathRef; readonly limit?: number }
  | { readonly kind: 'describeDetail'; readonly table: PathRef }
  | { readonly kind: 'showTblProperties'; readonly table: PathRef; readonly key?: string }
  | { readonly kind: 'describeTable'; readonly table: PathRef; readonly extended: boolean }
  | { readonly kind: 'restore'; readonly table: PathRef; readonly to: TimeTravel }
  | { readonly kind: 'alterTable'; readonly table: PathRef; readonly action: AlterAction }
  | {
      readonly kind: 'optimize';
      readonly table: PathRef;
      readonly where?: SqlText;
      readonly zOrderBy?: readonly string[];
    }
  | {
      readonly kind: 'vacuum';
      readonly table: PathRef;
      readonly retainHours?: number;
      readonly dryRun: boolean;
    }
  /** Spark session configuration (spark-conf.ts): SET spark.k = v, SET [spark.k], RESET [spark.k]. */
  | { readonly kind: 'setSession'; readonly key: string; readonly value: string }
  | { readonly kind: 'showSession'; readonly key?: string }
  | { readonly kind: 'resetSession'; readonly key?: string }
  | { readonly kind: 'delete'; readonly table: PathRef; readonly alias?: string; readonly where?: SqlText }
  | {
      readonly kind: 'update';
      readonly table: PathRef;
      readonly alias?: string;
      readonly assignments: readonly { readonly column: string; readonly value: SqlText }[];
      readonly where?: SqlText;
    }
  | {
      readonly kind: 'merge';
      readonly table: PathRef;
      readonly alias?: string;
      /** The source as a query (a table reference becomes `SELECT * FROM <ref>`). */
      readonly source: SqlText;
      readonly sourceAlias?: string;
      readonly condition: SqlText;
      readonly clauses: readonly MergeClauseAst[];
      /** MERGE WITH SCHEMA EVOLUTION INTO ... */
      readonly schemaEvolution: boolean;
    }
  /** CONVERT TO DELTA parquet.`location` [PARTITIONED BY (col TYPE, ...)]. */
  | {
      readonly kind: 'convertToDelta';
      readonly location: string;
      readonly partitionedBy: readonly Pick<ColumnDefinition, 'name' | 'type'>[];
    }
  /** COPY INTO t FROM 'path' FILEFORMAT = f [FILES = (...)] [PATTERN = '...'] [FORMAT_OPTIONS] [COPY_OPTIONS]. */
  | {
      readonly kind: 'copyInto';
      readonly table: PathRef;
      readonly from: string;
      readonly fileFormat: string;
      readonly files?: readonly string[];
      readonly pattern?: string;
      readonly formatOptions: Readonly<Record<string, string>>;
      readonly copyOptions: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'query'; readonly query: SqlText };

export type StatementKind = Statement['kind'];

/** One WHEN clause of a MERGE, in statement order. */
export interface MergeClauseAst {
  readonly group: 'matched' | 'notMatched' | 'notMatchedBySource';
  readonly action: 'update' | 'updateAll' | 'delete' | 'insert' | 'insertAll';
  readonly condition?: SqlText;
  /** SET column = value / INSERT (column) VALUES (value) pairs. */
  readonly assignments?: readonly { readonly column: string; readonly value: SqlText }[];
}
