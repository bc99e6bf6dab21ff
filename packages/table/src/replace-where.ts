// replaceWhere (Delta's selective overwrite): decide which live files the predicate touches.
// A predicate over partition columns only is evaluated by the engine against each file's
// partition values, and whole files go. Any other predicate is evaluated against the data: files
// with at least one matching row are removed and their non-matching rows rewritten.
import { type AddFile, DeltaError, physicalName, type Snapshot } from '@loch/delta';
import { toDuckType } from '@loch/engine-duckdb';
import { buildScanSpec, fileLocation } from './scan.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import type { TableHandle } from './table-handle.js';

export interface ReplaceWherePlan {
  readonly remove: readonly AddFile[];
  /** SQL producing the rows of removed files that the predicate does not match (to rewrite), if any. */
  readonly keepSql?: string;
  /** SQL producing the rows of removed files that the predicate matches (deleted), with keepSql. */
  readonly deletedSql?: string;
  readonly partitionOnly: boolean;
}

const FILE_COLUMN = '__loch_file';

/** Throws REPLACE_WHERE_MISMATCH unless every row of `dataSql` satisfies the predicate. */
export async function checkReplaceWhereData(
  h: TableHandle,
  dataSql: string,
  predicate: string,
): Promise<void> {
  const result = await h.engine.query(
    `SELECT count(*) FROM (${dataSql}) AS __data WHERE (${predicate}) IS NOT TRUE`,
  );
  const bad = Number(result.rows[0]?.[0] ?? 0);
  if (bad > 0) {
    throw new DeltaError(
      'REPLACE_WHERE_MISMATCH',
      `${bad} row(s) of the data do not satisfy the replaceWhere condition '${predicate}'; ` +
        'a replaceWhere overwrite may only write rows matching it (filter the data, or widen the condition)',
      { predicate, rows: bad },
    );
  }
}

async function isPartitionPredicate(h: TableHandle, snapshot: Snapshot, predicate: string): Promise<boolean> {
  if (snapshot.partitionColumns.length === 0) return false;
  const cols = partitionFields(snapshot)
    .map((p) => `CAST(NULL AS ${p.sqlType}) AS ${quoteIdent(p.name)}`)
    .join(', ');
  try {
    await h.engine.describe(`SELECT 1 FROM (SELECT ${cols}) AS __p WHERE (${predicate})`);
    return true;
  } catch {
    // The binder rejects references to data columns: evaluate against the data instead.
    return false;
  }
}

// Partition values are strings in the log; the engine parses them with a CAST to the column type.
function partitionFields(snapshot: Snapshot): { name: string; key: string; sqlType: string }[] {
  return snapshot.partitionColumns.map((name) => {
    const field = snapshot.schema.fields.find((f) => f.name === name);
    if (field === undefined) {
      throw new DeltaError('INVALID_SCHEMA', `partition column '${name}' is not in the table schema`, {
        column: name,
      });
    }
    return { name, key: physicalName(field, snapshot.columnMappingMode), sqlType: toDuckType(field.type) };
  });
}

export async function planReplaceWhere(
  h: TableHandle,
  snapshot: Snapshot,
  predicate: string,
): Promise<ReplaceWherePlan> {
  if (snapshot.files.length === 0) return { remove: [], partitionOnly: true };
  if (await isPartitionPredicate(h, snapshot, predicate)) {
    const parts = partitionFields(snapshot);
    const rows = snapshot.files.map((f, i) => {
      const values = parts.map((p) => {
        const v = f.partitionValues[p.key];
        return v == null ? `CAST(NULL AS ${p.sqlType})` : `CAST(${quoteLiteral(v)} AS ${p.sqlType})`;
      });
      return `(${[String(i), ...values].join(', ')})`;
    });
    const names = ['__idx', ...parts.map((p) => quoteIdent(p.name))].join(', ');
    const result = await h.engine.query(
      `SELECT __idx FROM (VALUES ${rows.join(', ')}) AS __p(${names}) WHERE (${predicate})`,
    );
    const remove = result.rows.map((r) => snapshot.files[Number(r[0])]!);
    return { remove, partitionOnly: true };
  }
  const spec = await buildScanSpec(h, snapshot, { fileColumn: FILE_COLUMN });
  const scan = await h.engine.scanSql(spec);
  const touched = await h.engine.query(
    `SELECT DISTINCT ${FILE_COLUMN} FROM (${scan}) AS __t WHERE (${predicate})`,
  );
  const locations = new Set(touched.rows.map((r) => String(r[0])));
  const remove = snapshot.files.filter((f) => locations.has(fileLocation(h, f)));
  if (remove.length === 0) return { remove, partitionOnly: false };
  const keepSpec = await buildScanSpec(h, snapshot, { files: remove });
  const keepScan = await h.engine.scanSql(keepSpec);
  return {
    remove,
    keepSql: `SELECT * FROM (${keepScan}) AS __k WHERE (${predicate}) IS NOT TRUE`,
    deletedSql: `SELECT * FROM (${keepScan}) AS __k WHERE (${predicate})`,
    partitionOnly: false,
  };
}
