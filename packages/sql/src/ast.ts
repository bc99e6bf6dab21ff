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
}

export type AlterAction =
  | { readonly kind: 'addColumns'; readonly columns: readonly ColumnDefinition[] }
  | { readonly kind: 'renameColumn'; readonly from: string; readonly to: string }
  | { readonly kind: 'dropColumns'; readonly columns: readonly string[]; readonly ifExists: boolean }
  | { readonly kind: 'setProperties'; readonly properties: Readonly<Record<string, string>> }
  | { readonly kind: 'unsetProperties'; readonly keys: readonly string[]; readonly ifExists: boolean };

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
  | { readonly kind: 'optimize'; readonly table: PathRef; readonly where?: SqlText }
  | {
      readonly kind: 'vacuum';
      readonly table: PathRef;
      readonly retainHours?: number;
      readonly dryRun: boolean;
    }
  /** A session setting Loch keeps itself (see parse-maintenance.ts SESSION_SETTINGS). */
  | { readonly kind: 'setSession'; readonly key: string; readonly value: string }
  | { readonly kind: 'delete'; readonly table: PathRef; readonly alias?: string; readonly where?: SqlText }
  | {
      readonly kind: 'update';
      readonly table: PathRef;
      readonly alias?: string;
      readonly assignments: readonly { readonly column: string; readonly value: SqlText }[];
      readonly where?: SqlText;
    }
  | { readonly kind: 'query'; readonly query: SqlText };

export type StatementKind = Statement['kind'];
