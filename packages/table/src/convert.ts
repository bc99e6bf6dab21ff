// CONVERT TO DELTA: writes a Delta log over the parquet files already in a directory, in place. The
// schema comes from the files (DuckDB), partition values from hive-style directories when partition
// columns are given, per-file stats from one aggregate query per file.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Action, DataType, DeltaError, type StructField } from '@loch/delta';
import {
  type DuckColumnStats,
  deltaStatsFromDuckDb,
  quoteString,
  schemaFromDuckColumns,
  unescapePathName,
} from '@loch/engine-duckdb';
import { encodeRelativePath } from '@loch/storage';
import { commit } from './commit.js';
import { newTableActions } from './create.js';
import { quoteIdent } from './sql-text.js';
import type { TableHandle } from './table-handle.js';

export interface ConvertOptions {
  /** PARTITIONED BY (col TYPE, ...): the hive-style directory columns, in directory order. */
  readonly partitionColumns?: readonly StructField[];
  readonly properties?: Readonly<Record<string, string>>;
}

export interface ConvertResult {
  readonly version: number;
  readonly numFiles: number;
  /** True when the directory already held a Delta table (nothing was done). */
  readonly alreadyDelta: boolean;
}

export async function convertFromParquet(h: TableHandle, opts: ConvertOptions = {}): Promise<ConvertResult> {
  const existing = await h.latest();
  if (existing !== undefined)
    return { version: existing.version, numFiles: existing.files.length, alreadyDelta: true };
  const root = localDir(h.location);
  const files = (await walk(root)).filter((f) => f.endsWith('.parquet')).sort();
  if (files.length === 0) {
    throw new DeltaError('FILE_NOT_FOUND', `CONVERT TO DELTA found no parquet files under ${root}`, {
      path: root,
    });
  }
  const partitions = opts.partitionColumns ?? [];
  const list = `[${files.map((f) => quoteString(join(root, f))).join(', ')}]`;
  const described = await h.engine.describe(
    `SELECT * FROM read_parquet(${list}, union_by_name = true, hive_partitioning = false)`,
  );
  const partitionNames = new Set(partitions.map((p) => p.name.toLowerCase()));
  const dataSchema = schemaFromDuckColumns(
    described.filter((c) => !partitionNames.has(c.name.toLowerCase())),
  );
  const schema = DataType.struct([...dataSchema.fields, ...partitions]);
  const { metadata, protocol } = newTableActions(h, {
    schema,
    partitionColumns: partitions.map((p) => p.name),
    properties: opts.properties ?? {},
  });
  const adds: Action[] = [];
  for (const rel of files) {
    const full = join(root, rel);
    const info = await stat(full);
    const stats = await fileStats(h, full, dataSchema.fields);
    adds.push({
      kind: 'add',
      path: encodeRelativePath(rel.split(sep).join('/')),
      partitionValues: partitionValues(rel, partitions),
      size: info.size,
      modificationTime: Math.trunc(info.mtimeMs),
      dataChange: true,
      stats: JSON.stringify(stats),
    });
  }
  const result = await commit(h, {
    operation: 'CONVERT',
    operationParameters: {
      numFiles: String(files.length),
      partitionedBy: JSON.stringify(partitions.map((p) => p.name)),
      collectStats: 'true',
    },
    operationMetrics: { numConvertedFiles: files.length },
    actions: [protocol, metadata, ...adds],
    readSnapshot: undefined,
    isBlindAppend: false,
  });
  return { version: result.version, numFiles: files.length, alreadyDelta: false };
}

function localDir(location: string): string {
  if (location.startsWith('file:')) return fileURLToPath(location);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `CONVERT TO DELTA works on local directories only, not ${location}`,
      {
        location,
      },
    );
  }
  return location;
}

/** Data files below `dir` (relative paths); hidden and `_`-prefixed entries are skipped as Spark does. */
async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, base)));
    else if (entry.isFile()) out.push(relative(base, full));
  }
  return out;
}

/** `p=1/q=x/part.parquet` -> {p: '1', q: 'x'}; every declared column must appear, in order. */
function partitionValues(rel: string, partitions: readonly StructField[]): Record<string, string | null> {
  const dirs = rel.split(sep).slice(0, -1);
  const out: Record<string, string | null> = {};
  if (partitions.length === 0) return out;
  if (dirs.length !== partitions.length) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `file ${rel} is not in a ${partitions.map((p) => `${p.name}=...`).join('/')} directory; check PARTITIONED BY`,
      { path: rel },
    );
  }
  partitions.forEach((p, i) => {
    const [name, ...rest] = dirs[i]!.split('=');
    if (
      name === undefined ||
      unescapePathName(name).toLowerCase() !== p.name.toLowerCase() ||
      rest.length === 0
    ) {
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `directory '${dirs[i]}' of ${rel} does not match partition column ${p.name}; check PARTITIONED BY order`,
        { path: rel, column: p.name },
      );
    }
    const value = unescapePathName(rest.join('='));
    out[p.name] = value === '__HIVE_DEFAULT_PARTITION__' ? null : value;
  });
  return out;
}

/** numRecords, min, max and null counts of the top-level primitive columns of one file. */
async function fileStats(h: TableHandle, path: string, fields: readonly StructField[]) {
  const primitive = fields.filter((f) => f.type.kind === 'primitive' || f.type.kind === 'decimal');
  const exprs = ['count(*)'];
  for (const f of primitive) {
    const c = quoteIdent(f.name);
    exprs.push(`CAST(min(${c}) AS VARCHAR)`, `CAST(max(${c}) AS VARCHAR)`, `count(*) - count(${c})`);
  }
  const r = await h.engine.query(`SELECT ${exprs.join(', ')} FROM read_parquet(${quoteString(path)})`);
  const row = r.rows[0]!;
  const columnStats: Record<string, Record<string, string | null>> = {};
  primitive.forEach((f, i) => {
    const at = 1 + i * 3;
    columnStats[quoteIdent(f.name)] = {
      min: row[at] === null ? null : String(row[at]),
      max: row[at + 1] === null ? null : String(row[at + 1]),
      null_count: String(row[at + 2]),
    };
  });
  return deltaStatsFromDuckDb(Number(row[0]), columnStats as DuckColumnStats, fields, 'none');
}
