// Writes the rows of a query as Delta data files: DuckDB's COPY with RETURN_STATS gives per-file row
// counts and column stats in the same pass. Files go to a private staging directory first and are then
// renamed into Spark-style partition directories, so a failed write leaves only a `_loch_staging_*`
// directory (ignored by readers) and concurrent writers never share a file name.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataType, StructField } from '@loch/delta';
import { type ColumnMappingMode, fieldId, physicalName } from './column-mapping.js';
import { EngineError } from './errors.js';
import { type DuckColumnStats, deltaStatsFromDuckDb } from './file-stats.js';
import { partitionDirectory } from './hive-path.js';
import { renameNested } from './nested-rename.js';
import { quoteIdent, quoteString } from './sql-text.js';
import type { QueryResult, WriteParquetOptions, WrittenFile } from './types.js';
import { toDuckType } from './types-map.js';

export type QueryRunner = (sql: string) => Promise<QueryResult>;

const STAGING_PREFIX = '_loch_staging_';

/** Writes `sql`'s rows (logical column names, in `options.schema` order) as parquet data files. */
export async function writeParquet(
  run: QueryRunner,
  sql: string,
  options: WriteParquetOptions,
): Promise<WrittenFile[]> {
  const mode = options.columnMappingMode;
  const byName = new Map(options.schema.fields.map((f) => [f.name, f]));
  const partitionFields = options.partitionColumns.map((name) => {
    const f = byName.get(name);
    if (f === undefined) {
      throw new EngineError('INVALID_ARGUMENT', `partition column '${name}' is not in the schema`, {
        column: name,
      });
    }
    return f;
  });
  const partitionSet = new Set(options.partitionColumns);
  // Void columns are never stored: every reader produces NULL for them.
  const dataFields = options.schema.fields.filter((f) => !partitionSet.has(f.name) && !isVoid(f.type));
  if (dataFields.length === 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      'a data file needs at least one non-partition, non-void column; add a data column or partition by fewer columns',
    );
  }

  // Accept file:// URLs too: stores hand those out as their root.
  const directory = path.resolve(
    options.directory.startsWith('file://') ? fileURLToPath(options.directory) : options.directory,
  );
  const uuid = randomUUID();
  const staging = path.join(directory, `${STAGING_PREFIX}${uuid}`);
  const select = dataFields.map(
    (f) =>
      `CAST(${renameNested(quoteIdent(f.name), f.type, mode, 'toPhysical')} AS ${toDuckType(f.type, { columnMappingMode: mode })}) AS ${quoteIdent(physicalName(f, mode))}`,
  );
  partitionFields.forEach((f, i) => {
    select.push(`${partitionValueExpr(quoteIdent(f.name), f.type)} AS ${quoteIdent(`__loch_p${i}`)}`);
  });

  const codec = options.compression ?? 'snappy';
  const copyOptions = ['FORMAT parquet', `COMPRESSION ${codec}`, 'RETURN_STATS true'];
  const split = partitionFields.length > 0 || options.targetFileSize !== undefined;
  if (partitionFields.length > 0) {
    copyOptions.push(
      `PARTITION_BY (${partitionFields.map((_, i) => quoteIdent(`__loch_p${i}`)).join(', ')})`,
    );
  }
  if (options.targetFileSize !== undefined)
    copyOptions.push(`FILE_SIZE_BYTES ${Math.max(1, Math.floor(options.targetFileSize))}`);
  if (split) copyOptions.push(`FILENAME_PATTERN ${quoteString(`part-{i}-${uuid}-c000.${codec}`)}`);
  const fieldIds = fieldIdsOption(dataFields, mode);
  if (fieldIds !== undefined) copyOptions.push(`FIELD_IDS ${fieldIds}`);
  // One unpartitioned file needs no staging directory: its unique name is invisible to readers until
  // a commit references it, and skipping the mkdir/rename/rm keeps small appends cheap.
  const target = split ? staging : path.join(directory, `part-00000-${uuid}-c000.${codec}.parquet`);
  const copy = `COPY (SELECT ${select.join(', ')} FROM (${sql}) AS __loch_src) TO ${quoteString(target)} (${copyOptions.join(', ')})`;

  const partitionDirNames = partitionFields.map((f) => physicalName(f, mode));
  try {
    await mkdir(split ? staging : directory, { recursive: true });
    const result = await run(copy);
    const col = (name: string) => {
      const i = result.columns.findIndex((c) => c.name === name);
      if (i < 0) throw new EngineError('WRITE_FAILED', `DuckDB's COPY result has no '${name}' column`);
      return i;
    };
    const [iFile, iCount, iSize, iStats, iKeys] = [
      col('filename'),
      col('count'),
      col('file_size_bytes'),
      col('column_statistics'),
      col('partition_keys'),
    ];
    const written: WrittenFile[] = [];
    for (const row of result.rows) {
      const source = String(row[iFile]);
      const numRecords = Number(row[iCount]);
      if (numRecords === 0) {
        if (!split) await rm(source, { force: true });
        continue;
      }
      const keys = mapToRecord(row[iKeys]);
      const values = partitionFields.map((_, i) => {
        const v = keys[`__loch_p${i}`];
        return v === undefined || v === null ? null : String(v);
      });
      const relDir = partitionFields.length > 0 ? partitionDirectory(partitionDirNames, values) : '';
      const destDir = path.join(directory, relDir);
      const dest = split ? path.join(destDir, path.basename(source)) : source;
      if (split) {
        await mkdir(destDir, { recursive: true });
        await rename(source, dest);
      }
      const partitionValues: Record<string, string | null> = {};
      partitionDirNames.forEach((name, i) => {
        partitionValues[name] = values[i] ?? null;
      });
      const size = Number(row[iSize]) || (await stat(dest)).size;
      written.push({
        location: dest,
        size,
        partitionValues,
        stats: deltaStatsFromDuckDb(numRecords, columnStatsOf(row[iStats]), dataFields, mode, {
          ...(options.numIndexedCols !== undefined ? { numIndexedCols: options.numIndexedCols } : {}),
          ...(options.statsColumns !== undefined ? { statsColumns: options.statsColumns } : {}),
        }),
      });
    }
    return written;
  } catch (e) {
    if (!split) await rm(target, { force: true });
    if (e instanceof EngineError) throw e;
    throw new EngineError(
      'WRITE_FAILED',
      `writing parquet files under ${directory} failed: ${String(e)}`,
      {},
      e,
    );
  } finally {
    if (split) await rm(staging, { recursive: true, force: true });
  }
}

const isVoid = (t: DataType) => t.kind === 'primitive' && t.name === 'void';

/** SQL turning a partition column into its Delta partition-value string (NULL stays NULL). */
export function partitionValueExpr(expr: string, type: DataType): string {
  if (type.kind === 'decimal') return `CAST(${expr} AS VARCHAR)`;
  if (type.kind !== 'primitive') {
    throw new EngineError('UNSUPPORTED_TYPE', `a ${type.kind} column cannot be a partition column`);
  }
  switch (type.name) {
    case 'string':
      // Spark stores an empty-string partition value as NULL (__HIVE_DEFAULT_PARTITION__).
      return `NULLIF(CAST(${expr} AS VARCHAR), '')`;
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'float':
    case 'double':
    case 'boolean':
      return `CAST(${expr} AS VARCHAR)`;
    case 'date':
      return `strftime(CAST(${expr} AS DATE), '%Y-%m-%d')`;
    case 'timestamp':
      // The protocol's unambiguous form: ISO-8601 in UTC with a Z.
      return `strftime(timezone('UTC', CAST(${expr} AS TIMESTAMP WITH TIME ZONE)), '%Y-%m-%dT%H:%M:%S.%fZ')`;
    case 'timestamp_ntz':
      return `strftime(CAST(${expr} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')`;
    default:
      throw new EngineError('UNSUPPORTED_TYPE', `a ${type.name} column cannot be a partition column`, {
        type: type.name,
      });
  }
}

/** DuckDB's FIELD_IDS option for the mapped columns, or undefined when the schema carries no ids. */
function fieldIdsOption(fields: readonly StructField[], mode: ColumnMappingMode): string | undefined {
  if (mode === 'none' || !fields.some((f) => fieldId(f) !== undefined)) return undefined;
  const entries = fields
    .map((f) => [physicalName(f, mode), fieldIdValue(f, f.type, mode)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => `${quoteString(name)}: ${v}`);
  return entries.length === 0 ? undefined : `{${entries.join(', ')}}`;
}

function fieldIdValue(
  field: StructField | undefined,
  type: DataType,
  mode: ColumnMappingMode,
): string | undefined {
  const id = field === undefined ? undefined : fieldId(field);
  const children: string[] = [];
  if (type.kind === 'struct') {
    for (const f of type.fields) {
      const v = fieldIdValue(f, f.type, mode);
      if (v !== undefined) children.push(`${quoteString(physicalName(f, mode))}: ${v}`);
    }
  } else if (type.kind === 'array') {
    const v = fieldIdValue(undefined, type.elementType, mode);
    if (v !== undefined) children.push(`'element': ${v}`);
  } else if (type.kind === 'map') {
    const k = fieldIdValue(undefined, type.keyType, mode);
    const v = fieldIdValue(undefined, type.valueType, mode);
    if (k !== undefined) children.push(`'key': ${k}`);
    if (v !== undefined) children.push(`'value': ${v}`);
  }
  if (children.length === 0) return id === undefined ? undefined : String(id);
  if (id !== undefined) children.unshift(`'__duckdb_field_id': ${id}`);
  return `{${children.join(', ')}}`;
}

interface MapLike {
  readonly entries: readonly { readonly key: unknown; readonly value: unknown }[];
}
const isMapLike = (v: unknown): v is MapLike =>
  typeof v === 'object' && v !== null && Array.isArray((v as { entries?: unknown }).entries);

function mapToRecord(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isMapLike(v)) for (const e of v.entries) out[String(e.key)] = e.value;
  return out;
}

function columnStatsOf(v: unknown): DuckColumnStats {
  const out: Record<string, Record<string, string | null>> = {};
  for (const [column, stats] of Object.entries(mapToRecord(v))) {
    const entry: Record<string, string | null> = {};
    for (const [k, val] of Object.entries(mapToRecord(stats))) entry[k] = val === null ? null : String(val);
    out[column] = entry;
  }
  return out;
}
