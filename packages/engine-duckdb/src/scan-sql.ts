// ScanSpec -> one SQL relation with the table's LOGICAL schema. For a plain table (no partitions, no
// mapping, no deletion vectors) this is a single read_parquet over the file list. The explicit
// `schema` parameter gives per-file schema evolution (columns missing from a file read as NULL,
// narrower types are cast to the table type) but hides the files' statistics from DuckDB's
// optimizer, so files equal to the table are read without it (`plainColumns`, decision 0013).
import type { StructField } from '@loch/delta';
import { type ColumnMappingMode, fieldId, physicalName } from './column-mapping.js';
import { EngineError } from './errors.js';
import { renameNested } from './nested-rename.js';
import { partitionValueToSqlLiteral } from './partition-literal.js';
import { quoteIdent, quoteString, stringList } from './sql-text.js';
import type { ScanFile, ScanSpec } from './types.js';
import { toDuckType } from './types-map.js';

export interface ScanSqlOptions {
  /** A table (file VARCHAR, "row" BIGINT) holding every deleted row; without it, deleted rows are inlined. */
  readonly deletedRowsTable?: string;
  /**
   * How partition values reach the rows. 'lookup' (the default): one read over all files, each value
   * picked from a constant list by DuckDB's `file_index`; measured on 10M rows / 20 partitions it runs
   * like DuckDB's own hive partitioning except that it cannot skip files (prune the file list instead).
   * 'union': one read_parquet per partition tuple (skips whole branches on partition filters, but pays
   * per branch; about 1.5x slower on scans). 'join': a hash join on `file_index` (slowest; kept for
   * comparison).
   */
  readonly partitionStrategy?: 'lookup' | 'union' | 'join';
  /**
   * Every file holds exactly the table's data columns (names, types, order; see file-schemas.ts):
   * read them by name without the `schema` parameter, so DuckDB sees the files' statistics.
   */
  readonly plainColumns?: boolean;
}

// DuckDB's virtual columns. The `filename` / `file_row_number` parameters do not combine with the
// explicit `schema` parameter (DuckDB 1.5 fails with "column 2147483645 ... could not be found"), but
// the virtual columns do, and data columns never clash with them because they are read as c0, c1, ...
const FILE_COL = 'filename';
const ROW_COL = 'file_row_number';
const FILE_INDEX_COL = 'file_index';
const PINDEX_COL = '__loch_pidx';
/** The one column of a scan that projects no columns. */
export const EMPTY_COL = '__loch_empty';
/** A row's identity within one read_parquet: its file's position in the list, then its row number. */
const ROW_KEY = `((CAST(${FILE_INDEX_COL} AS BIGINT) << 32) | ${ROW_COL})`;

type Output =
  | { readonly kind: 'data'; readonly field: StructField; readonly alias: string }
  | { readonly kind: 'partition'; readonly field: StructField; readonly index: number }
  | { readonly kind: 'null'; readonly field: StructField };

/** SQL relation text (use as `FROM (<sql>)`) reading exactly the scan's rows with the logical schema. */
export function scanSql(spec: ScanSpec, options: ScanSqlOptions = {}): string {
  const mode = spec.columnMappingMode;
  const byName = new Map(spec.schema.fields.map((f) => [f.name, f]));
  const partitionSet = new Set(spec.partitionColumns);
  for (const p of spec.partitionColumns) {
    if (!byName.has(p)) {
      throw new EngineError('INVALID_ARGUMENT', `partition column '${p}' is not in the table schema`, {
        column: p,
      });
    }
  }
  const wanted = spec.columns ?? spec.schema.fields.map((f) => f.name);
  const outputs: Output[] = [];
  const partitionFields: StructField[] = [];
  const dataFields: StructField[] = [];
  for (const name of wanted) {
    const field = byName.get(name);
    if (field === undefined) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `column '${name}' is not in the table schema (columns: ${[...byName.keys()].join(', ')})`,
        { column: name },
      );
    }
    if (partitionSet.has(name)) {
      outputs.push({ kind: 'partition', field, index: partitionFields.length });
      partitionFields.push(field);
    } else if (field.type.kind === 'primitive' && field.type.name === 'void') {
      outputs.push({ kind: 'null', field });
    } else {
      outputs.push({ kind: 'data', field, alias: `c${dataFields.length}` });
      dataFields.push(field);
    }
  }

  if (spec.files.length === 0) return emptyRelation(spec, outputs);

  const plain = options.plainColumns === true && mode === 'none';
  const schemaParam = plain ? undefined : schemaParameter(dataFields, mode);
  const dataExpr = (o: Extract<Output, { kind: 'data' }>) =>
    plain ? quoteIdent(o.field.name) : renameNested(quoteIdent(o.alias), o.field.type, mode, 'toLogical');
  const extras = (): string[] => {
    const out: string[] = [];
    if (spec.fileColumn !== undefined) out.push(`${quoteIdent(FILE_COL)} AS ${quoteIdent(spec.fileColumn)}`);
    if (spec.rowIndexColumn !== undefined)
      out.push(`${quoteIdent(ROW_COL)} AS ${quoteIdent(spec.rowIndexColumn)}`);
    return out;
  };
  const partitionValue = (file: ScanFile, field: StructField): string | null => {
    const phys = physicalName(field, mode);
    const pv = file.partitionValues;
    if (Object.hasOwn(pv, phys)) return pv[phys] ?? null;
    return pv[field.name] ?? null;
  };

  const tupleKey = (file: ScanFile) => JSON.stringify(partitionFields.map((f) => partitionValue(file, f)));
  const strategy = options.partitionStrategy ?? 'lookup';
  const hasDv = (f: ScanFile) => (f.deletedRows?.length ?? 0) > 0;

  /** One read_parquet over `files` with partition values, deleted rows and extras applied. */
  const branch = (files: readonly ScanFile[]): string => {
    // Distinct partition tuples in this read, and each file's tuple (by position in the file list).
    const tupleIndex = new Map<string, number>();
    const tupleOfFile = files.map((file) => {
      const key = tupleKey(file);
      let i = tupleIndex.get(key);
      if (i === undefined) {
        i = tupleIndex.size;
        tupleIndex.set(key, i);
      }
      return i;
    });
    const representative = [...tupleIndex.values()].map((t) => files[tupleOfFile.indexOf(t)]!);
    const single = tupleIndex.size === 1;
    const literals = partitionFields.map((f) =>
      representative.map((file) =>
        partitionValueToSqlLiteral(partitionValue(file, f), f.type, spec.partitionTimeZone),
      ),
    );
    // Bind time grows with literal count (10k CASTs take ~150 ms), so per file we list only a small
    // integer tuple number and spell each distinct value once.
    const fileIndex = `CAST(${FILE_INDEX_COL} AS BIGINT) + 1`;
    const tupleLookup =
      tupleIndex.size === files.length
        ? fileIndex
        : `[${tupleOfFile.map((t) => t + 1).join(', ')}][${fileIndex}]`;
    const select = outputs.map((o) => {
      let expr: string;
      if (o.kind === 'data') expr = dataExpr(o);
      else if (o.kind === 'null') expr = `CAST(NULL AS ${toDuckType(o.field.type)})`;
      else if (single) expr = literals[o.index]![0]!;
      else if (strategy === 'join') expr = `__loch_pv.${quoteIdent(`p${o.index}`)}`;
      else expr = `[${literals[o.index]!.join(', ')}][${tupleLookup}]`;
      return `${expr} AS ${quoteIdent(o.field.name)}`;
    });
    select.push(...extras());
    // `columns: []` (e.g. for count(*)) still needs one column to be valid SQL.
    if (select.length === 0) select.push(`NULL AS ${quoteIdent(EMPTY_COL)}`);
    const params = [stringList(files.map((f) => f.location))];
    if (schemaParam !== undefined) params.push(`schema = ${schemaParam}`);
    const estimate = estimatedRows(files);
    if (estimate !== undefined) params.push(`explicit_cardinality = ${estimate}`);
    let sql = `SELECT ${select.join(', ')} FROM read_parquet(${params.join(', ')})`;
    if (!single && strategy === 'join') {
      const rows = files.map(
        (_, i) => `(${[String(i), ...literals.map((l) => l[tupleOfFile[i]!]!)].join(', ')})`,
      );
      const pcols = [PINDEX_COL, ...partitionFields.map((_, i) => `p${i}`)].map(quoteIdent).join(', ');
      sql += ` JOIN (VALUES ${rows.join(', ')}) AS __loch_pv(${pcols}) ON ${FILE_INDEX_COL} = __loch_pv.${quoteIdent(PINDEX_COL)}`;
    }
    if (files.some(hasDv)) sql += ` WHERE ${ROW_KEY} NOT IN (${deletedRowKeys(files, options)})`;
    return sql;
  };

  // Files with deletion vectors get their own read so the row filter never touches the others.
  const clean = spec.files.filter((f) => !hasDv(f));
  const dirty = spec.files.filter(hasDv);
  const fileSets: (readonly ScanFile[])[] = [];
  if (strategy === 'union') {
    const groups = new Map<string, ScanFile[]>();
    for (const file of [...clean, ...dirty]) {
      const key = `${tupleKey(file)}${hasDv(file) ? '#dv' : ''}`;
      const g = groups.get(key);
      if (g === undefined) groups.set(key, [file]);
      else g.push(file);
    }
    fileSets.push(...groups.values());
  } else {
    if (clean.length > 0) fileSets.push(clean);
    if (dirty.length > 0) fileSets.push(dirty);
  }
  return fileSets.map(branch).join(' UNION ALL ');
}

/**
 * The rows DuckDB should expect from one read_parquet over `files`, from the log's numRecords. With
 * `schema =` DuckDB binds without opening a file, so its own guess is max(rows of no file, 1) per
 * file: ~10k for a 10M-row, 10-file table, which makes it build hash tables on the Delta side of
 * joins. Files without stats count as the average of those with; none with stats: no hint.
 */
function estimatedRows(files: readonly ScanFile[]): number | undefined {
  let known = 0;
  let rows = 0;
  for (const f of files) {
    if (f.numRecords === undefined || !Number.isFinite(f.numRecords) || f.numRecords < 0) continue;
    known++;
    rows += f.numRecords;
  }
  if (known === 0) return undefined;
  // 0 means "no hint" to DuckDB; an empty table is estimated as one row instead.
  return Math.max(1, Math.round((rows * files.length) / known));
}

/**
 * The deleted rows of `files` as keys `file position << 32 | row` for `NOT IN`: a literal list when
 * small (a long literal list is slow to bind: 200k entries take seconds), else a query over the
 * registered table mapping each file to its position in this read.
 */
function deletedRowKeys(files: readonly ScanFile[], options: ScanSqlOptions): string {
  if (options.deletedRowsTable !== undefined) {
    const positions = files.flatMap((f, i) =>
      (f.deletedRows?.length ?? 0) > 0 ? [`(${quoteString(f.location)}, ${i})`] : [],
    );
    return `SELECT (CAST(__loch_fp.pos AS BIGINT) << 32) | __loch_dv."row" FROM ${options.deletedRowsTable} AS __loch_dv JOIN (VALUES ${positions.join(', ')}) AS __loch_fp(file, pos) ON __loch_dv.file = __loch_fp.file`;
  }
  const keys: string[] = [];
  files.forEach((f, i) => {
    for (const row of f.deletedRows ?? []) keys.push(String(i * 2 ** 32 + row));
  });
  return keys.join(', ');
}

/** `map {key: {name, type, default_value}}`: matches by field id (mode 'id') or physical name. */
function schemaParameter(fields: readonly StructField[], mode: ColumnMappingMode): string | undefined {
  if (fields.length === 0) return undefined;
  const ids = mode === 'id' ? fields.map(fieldId) : [];
  // DuckDB's map needs one key type; if any id is missing, match every column by physical name.
  const byId = mode === 'id' && ids.every((id) => id !== undefined);
  const entries = fields.map((f, i) => {
    const key = byId ? String(ids[i]) : quoteString(physicalName(f, mode));
    const type = toDuckType(f.type, { columnMappingMode: mode });
    return `${key}: {name: ${quoteString(`c${i}`)}, type: ${quoteString(type)}, default_value: NULL}`;
  });
  return `map {${entries.join(', ')}}`;
}

function emptyRelation(spec: ScanSpec, outputs: readonly Output[]): string {
  const cols = outputs.map((o) => `CAST(NULL AS ${toDuckType(o.field.type)}) AS ${quoteIdent(o.field.name)}`);
  if (spec.fileColumn !== undefined) cols.push(`CAST(NULL AS VARCHAR) AS ${quoteIdent(spec.fileColumn)}`);
  if (spec.rowIndexColumn !== undefined)
    cols.push(`CAST(NULL AS BIGINT) AS ${quoteIdent(spec.rowIndexColumn)}`);
  if (cols.length === 0) cols.push(`NULL AS ${quoteIdent(EMPTY_COL)}`);
  return `SELECT ${cols.join(', ')} WHERE false`;
}
