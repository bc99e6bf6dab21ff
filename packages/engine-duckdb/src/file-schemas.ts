// Which scans may read their files without read_parquet's `schema` parameter. With `schema =`
// DuckDB 1.5 exposes no column statistics of the files (stats(col) has no min/max), so its optimizer
// loses what it uses on plain parquet: min/max filters pushed from one join side into the other,
// perfect hash joins on dense keys, constant folding. A MERGE's 1M x 1M key join ran 4-5x slower
// with the parameter than without (docs/decisions/0013). The parameter is only needed when a file
// differs from the table: missing or renamed columns, other types. Delta data files never change,
// so each file's footer schema is read once (`parquet_schema`) and cached by location.
import type { StructField } from '@loch/delta';
import { stringList } from './sql-text.js';
import type { ScanSpec } from './types.js';
import { toDuckType } from './types-map.js';

/** Types whose parquet -> DuckDB mapping does not depend on reader settings or time zones. */
const PLAIN_TYPE =
  /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|FLOAT|DOUBLE|DATE|VARCHAR|DECIMAL\(\d+,\d+\))$/u;
/** DuckDB's virtual columns of read_parquet: a data column of the same name would hide them. */
const VIRTUAL = new Set(['filename', 'file_row_number', 'file_index']);
/** A scan with more unseen files than this keeps the parameter (no footer reads at planning). */
const MAX_UNSEEN_FILES = 256;
/** Footer schemas kept; the cache starts over beyond this. */
const MAX_CACHED = 200_000;

type Query = (sql: string) => Promise<{ readonly rows: readonly (readonly unknown[])[] }>;

/** The columns a file must hold, in order, as `name type` lines; undefined when not eligible. */
export function expectedFileColumns(spec: ScanSpec): string | undefined {
  if (spec.columnMappingMode !== 'none') return undefined;
  const partitions = new Set(spec.partitionColumns);
  const data = spec.schema.fields.filter((f) => !partitions.has(f.name));
  if (data.length === 0) return undefined;
  const lines: string[] = [];
  for (const f of data) {
    const line = columnLine(f);
    if (line === undefined) return undefined;
    lines.push(line);
  }
  return lines.join('\n');
}

function columnLine(f: StructField): string | undefined {
  if ((f.type.kind !== 'primitive' && f.type.kind !== 'decimal') || VIRTUAL.has(f.name.toLowerCase()))
    return undefined;
  const type = toDuckType(f.type);
  return PLAIN_TYPE.test(type) ? `${f.name}\t${type}` : undefined;
}

export class FileSchemaCache {
  /** location -> the file's column lines ('' when it can never be read plainly), interned. */
  readonly #schemas = new Map<string, string>();
  readonly #interned = new Map<string, string>();
  readonly #query: Query;

  constructor(query: Query) {
    this.#query = query;
  }

  /** True when every file of the scan holds exactly the table's columns (names, types, order). */
  async plainReadable(spec: ScanSpec): Promise<boolean> {
    if (spec.files.length === 0) return false;
    const expected = expectedFileColumns(spec);
    if (expected === undefined) return false;
    const unseen = [...new Set(spec.files.map((f) => f.location).filter((l) => !this.#schemas.has(l)))];
    if (unseen.length > MAX_UNSEEN_FILES) return false;
    if (unseen.length > 0) await this.#load(unseen);
    return spec.files.every((f) => this.#schemas.get(f.location) === expected);
  }

  async #load(locations: readonly string[]): Promise<void> {
    let rows: readonly (readonly unknown[])[];
    try {
      // Top-level columns only (the root row has children; nested children repeat under it).
      rows = (
        await this.#query(
          `SELECT file_name, name, duckdb_type, num_children FROM parquet_schema(${stringList(locations)}) ORDER BY file_name, column_id`,
        )
      ).rows;
    } catch {
      // Unreadable footers: the scan keeps the schema parameter and reports its own error.
      return;
    }
    const byFile = new Map<string, string[]>();
    const nested = new Set<string>();
    const roots = new Set<string>();
    for (const [file, name, type, children] of rows) {
      const key = String(file);
      if (!roots.has(key)) {
        // The first row of each file is the schema root.
        roots.add(key);
        continue;
      }
      if (children != null && Number(children) > 0) nested.add(key);
      const lines = byFile.get(key) ?? [];
      lines.push(`${String(name)}\t${String(type)}`);
      byFile.set(key, lines);
    }
    if (this.#schemas.size + locations.length > MAX_CACHED) {
      this.#schemas.clear();
      this.#interned.clear();
    }
    for (const location of locations) {
      const lines = byFile.get(location);
      // A file with nested columns never equals a primitive-only table: record a mismatch.
      const schema = lines === undefined || nested.has(location) ? '' : lines.join('\n');
      // Most files of a table share one schema: keep one string for all of them.
      let shared = this.#interned.get(schema);
      if (shared === undefined) {
        shared = schema;
        this.#interned.set(schema, schema);
      }
      this.#schemas.set(location, shared);
    }
  }
}
