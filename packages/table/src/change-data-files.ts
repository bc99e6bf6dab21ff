// Writing `_change_data` files (PROTOCOL.md "Change Data Files"): when a commit's changes cannot be
// derived from its add/remove actions (a file rewritten with only some rows changed), the writer
// records the changed rows, each with its `_change_type`, under `_change_data/`, and the commit
// carries `cdc` actions for them. Readers then use only these files for that commit.
import { randomUUID } from 'node:crypto';
import * as nodePath from 'node:path';
import type { AddCdcFile, StructType } from '@loch/delta';
import { encodeRelativePath } from '@loch/storage';
import { CHANGE_TYPE_COLUMN } from './change-feed.js';
import { isCdfEnabled } from './change-feed-plan.js';
import { type DataFileTarget, localRoot, mapWriteError } from './data-files.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import type { TableHandle } from './table-handle.js';

export const CHANGE_DATA_DIR = '_change_data';

export type ChangeType = 'insert' | 'delete' | 'update_preimage' | 'update_postimage';

export interface WrittenChangeData {
  readonly cdcs: AddCdcFile[];
  /** Store paths (relative to the table root) of the files, for cleanup when the commit fails. */
  readonly paths: string[];
}

/** True when writes to a table with this configuration must record their changes. */
export const recordsChanges = (configuration: Readonly<Record<string, string>>): boolean =>
  isCdfEnabled(configuration);

/** `SELECT <table columns>, '<type>' AS _change_type FROM (<sql>)`: rows of `sql` tagged with a change type. */
export function tagChanges(sql: string, schema: StructType, changeType: ChangeType): string {
  const cols = schema.fields.map((f) => quoteIdent(f.name));
  cols.push(`${quoteLiteral(changeType)} AS ${quoteIdent(CHANGE_TYPE_COLUMN)}`);
  return `SELECT ${cols.join(', ')} FROM (${sql}) AS __loch_changes`;
}

/**
 * Runs `fn` over the rows of `sql` evaluated exactly once and stored in a table of the engine's
 * database (not a TEMP table: those belong to one pooled connection, and the writes that read
 * it may run on another), dropped afterwards. A write whose data files and change rows both come
 * from this relation records in `_change_data` exactly what it wrote, even where the rows hold
 * values that differ per evaluation (identity numbers from `row_number()`, `random()`, `uuid()`).
 */
export async function withRowsOnce<T>(
  h: TableHandle,
  sql: string,
  fn: (relation: string) => Promise<T>,
): Promise<T> {
  const name = quoteIdent(`__loch_rows_${randomUUID().replaceAll('-', '')}`);
  await h.engine.run(`CREATE TABLE ${name} AS ${sql}`);
  try {
    return await fn(name);
  } finally {
    await h.engine.run(`DROP TABLE IF EXISTS ${name}`);
  }
}

/**
 * Writes the rows of `sql` (the target's columns in order, then `_change_type`) as change data
 * files. Partitioned tables get partition directories under `_change_data/`, as Spark writes them.
 */
export async function writeChangeDataFiles(
  h: TableHandle,
  sql: string,
  target: DataFileTarget,
): Promise<WrittenChangeData> {
  const root = localRoot(h);
  const schema: StructType = {
    kind: 'struct',
    fields: [
      ...target.schema.fields,
      { name: CHANGE_TYPE_COLUMN, type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
    ],
  };
  let files: Awaited<ReturnType<typeof h.engine.writeParquet>>;
  try {
    files = await h.engine.writeParquet(sql, {
      directory: nodePath.join(root, CHANGE_DATA_DIR),
      schema,
      partitionColumns: target.partitionColumns,
      columnMappingMode: target.columnMappingMode,
      // Change files are never skipped by stats: collect none.
      numIndexedCols: 0,
    });
  } catch (e) {
    throw mapWriteError(e);
  }
  const cdcs: AddCdcFile[] = [];
  const paths: string[] = [];
  for (const f of files) {
    const relative = nodePath.relative(root, f.location).split(nodePath.sep).join('/');
    paths.push(relative);
    // An empty change set may still yield a file; it changes nothing, so no action names it.
    if (f.stats.numRecords === 0) continue;
    cdcs.push({
      kind: 'cdc',
      path: encodeRelativePath(relative),
      partitionValues: { ...f.partitionValues },
      size: f.size,
      dataChange: false,
    });
  }
  return { cdcs, paths };
}
