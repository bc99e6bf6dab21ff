// ScanSpec -> one SQL relation with the table's LOGICAL schema. For a plain table (no partitions, no
// mapping, no deletion vectors) this is a single read_parquet over the file list: the explicit `schema`
// parameter costs nothing measurable and gives us per-file schema evolution for free (columns missing
// from a file read as NULL, narrower types are cast to the table type).
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
}

/** Past this many distinct partition tuples, one read + a join on the file name beats a UNION ALL. */
export const UNION_GROUP_LIMIT = 64;

// DuckDB's virtual columns. The `filename` / `file_row_number` parameters do not combine with the
// explicit `schema` parameter (DuckDB 1.5 fails with "column 2147483645 ... could not be found"), but
// the virtual columns do, and data columns never clash with them because they are read as c0, c1, ...
const FILE_COL = 'filename';
const ROW_COL = 'file_row_number';
const PFILE_COL = '__loch_pfile';

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
      throw new EngineError('INVALID_ARGUMENT', `partition column '${p}' is not in the table schema`, { column: p });
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

  const schemaParam = schemaParameter(dataFields, mode);
  const dataExpr = (o: Extract<Output, { kind: 'data' }>) => renameNested(quoteIdent(o.alias), o.field.type, mode, 'toLogical');
  const extras = (): string[] => {
    const out: string[] = [];
    if (spec.fileColumn !== undefined) out.push(`${quoteIdent(FILE_COL)} AS ${quoteIdent(spec.fileColumn)}`);
    if (spec.rowIndexColumn !== undefined) out.push(`${quoteIdent(ROW_COL)} AS ${quoteIdent(spec.rowIndexColumn)}`);
    return out;
  };
  const partitionValue = (file: ScanFile, field: StructField): string | null => {
    const phys = physicalName(field, mode);
    const pv = file.partitionValues;
    if (Object.hasOwn(pv, phys)) return pv[phys] ?? null;
    return pv[field.name] ?? null;
  };

  // Group files by the partition values the output needs.
  const groups = new Map<string, ScanFile[]>();
  for (const file of spec.files) {
    const key = JSON.stringify(partitionFields.map((f) => partitionValue(file, f)));
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [file]);
    else g.push(file);
  }

  const read = (files: readonly ScanFile[]): string => {
    const params = [stringList(files.map((f) => f.location))];
    if (schemaParam !== undefined) params.push(`schema = ${schemaParam}`);
    return `read_parquet(${params.join(', ')})`;
  };
  const hasDv = (f: ScanFile) => (f.deletedRows?.length ?? 0) > 0;
  const antiJoin = (files: readonly ScanFile[]) =>
    ` ANTI JOIN (${deletedRowsRelation(files, options)}) AS __loch_dv ON ${quoteIdent(FILE_COL)} = __loch_dv.file AND ${quoteIdent(ROW_COL)} = __loch_dv."row"`;

  if (groups.size <= UNION_GROUP_LIMIT) {
    const branches: string[] = [];
    for (const files of groups.values()) {
      const constants = partitionFields.map((f) => partitionValueToSqlLiteral(partitionValue(files[0]!, f), f.type));
      const select = outputs.map((o) => {
        const expr =
          o.kind === 'data'
            ? dataExpr(o)
            : o.kind === 'partition'
              ? constants[o.index]!
              : `CAST(NULL AS ${toDuckType(o.field.type)})`;
        return `${expr} AS ${quoteIdent(o.field.name)}`;
      });
      select.push(...extras());
      const list = select.join(', ');
      const clean = files.filter((f) => !hasDv(f));
      const dirty = files.filter(hasDv);
      if (clean.length > 0) branches.push(`SELECT ${list} FROM ${read(clean)}`);
      if (dirty.length > 0) branches.push(`SELECT ${list} FROM ${read(dirty)}${antiJoin(dirty)}`);
    }
    return branches.join(' UNION ALL ');
  }

  // Many partitions: one read over every file, partition values joined in by file name.
  const select = outputs.map((o) => {
    const expr =
      o.kind === 'data'
        ? dataExpr(o)
        : o.kind === 'partition'
          ? `__loch_pv.${quoteIdent(`p${o.index}`)}`
          : `CAST(NULL AS ${toDuckType(o.field.type)})`;
    return `${expr} AS ${quoteIdent(o.field.name)}`;
  });
  select.push(...extras());
  const rows = spec.files.map(
    (file) =>
      `(${[quoteString(file.location), ...partitionFields.map((f) => partitionValueToSqlLiteral(partitionValue(file, f), f.type))].join(', ')})`,
  );
  const pcols = [PFILE_COL, ...partitionFields.map((_, i) => `p${i}`)].map(quoteIdent).join(', ');
  const anyDv = spec.files.some(hasDv);
  return (
    `SELECT ${select.join(', ')} FROM ${read(spec.files)}` +
    ` JOIN (VALUES ${rows.join(', ')}) AS __loch_pv(${pcols}) ON ${quoteIdent(FILE_COL)} = __loch_pv.${quoteIdent(PFILE_COL)}` +
    (anyDv ? antiJoin(spec.files.filter(hasDv)) : '')
  );
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

function deletedRowsRelation(files: readonly ScanFile[], options: ScanSqlOptions): string {
  if (options.deletedRowsTable !== undefined) return `SELECT file, "row" FROM ${options.deletedRowsTable}`;
  const values = files.map((f) => `(${quoteString(f.location)}, [${(f.deletedRows ?? []).join(', ')}]::BIGINT[])`);
  return `SELECT file, unnest(rows) AS "row" FROM (VALUES ${values.join(', ')}) AS v(file, rows)`;
}

function emptyRelation(spec: ScanSpec, outputs: readonly Output[]): string {
  const cols = outputs.map((o) => `CAST(NULL AS ${toDuckType(o.field.type)}) AS ${quoteIdent(o.field.name)}`);
  if (spec.fileColumn !== undefined) cols.push(`CAST(NULL AS VARCHAR) AS ${quoteIdent(spec.fileColumn)}`);
  if (spec.rowIndexColumn !== undefined) cols.push(`CAST(NULL AS BIGINT) AS ${quoteIdent(spec.rowIndexColumn)}`);
  if (cols.length === 0) cols.push('1 AS "__loch_empty"');
  return `SELECT ${cols.join(', ')} WHERE false`;
}
