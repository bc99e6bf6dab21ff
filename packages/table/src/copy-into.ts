// COPY INTO: loads CSV / JSON / parquet files into an existing table, idempotent per file. Each loaded
// file is recorded as a txn action (appId `loch.copyInto/<sha256 of path, size, mtime>`) in the same
// commit as its rows, so a re-run skips it, checkpoints keep the record and a concurrent COPY INTO of
// the same file conflicts like any idempotent write (docs/decisions/copy-into-state.md).
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DeltaError, type Snapshot } from '@loch/delta';
import { type Engine, quoteString, toDuckType } from '@loch/engine-duckdb';
import { quoteIdent } from './sql-text.js';
import type { WriteOptions, WriteResult } from './types.js';

export type CopyFileFormat = 'CSV' | 'JSON' | 'PARQUET';

export interface CopyIntoOptions {
  /** A file, a directory (every file below it, except hidden and `_`-prefixed ones) or a glob. */
  readonly from: string;
  readonly format: CopyFileFormat;
  /** FILES = (...): these names under `from` instead of everything `from` names. */
  readonly files?: readonly string[];
  /** FORMAT_OPTIONS: header, sep/delimiter, quote, escape, nullValue, multiLine... (Spark names). */
  readonly formatOptions?: Readonly<Record<string, string>>;
  /** COPY_OPTIONS: mergeSchema ('true' adds new columns), force ('true' reloads loaded files). */
  readonly copyOptions?: Readonly<Record<string, string>>;
}

export interface CopyIntoResult {
  readonly numAffectedRows: number;
  readonly numInsertedRows: number;
  readonly numSkippedCorruptFiles: number;
  /** Files loaded by this call, and files skipped because an earlier COPY INTO loaded them. */
  readonly loadedFiles: readonly string[];
  readonly skippedFiles: readonly string[];
  /** The commit's version; undefined when there was nothing new to load. */
  readonly version?: number;
}

/** What COPY INTO needs of a table (DeltaTable, or @loch/sql's SqlTable). */
export interface CopyTarget {
  snapshot(): Promise<Snapshot>;
  write(sourceSql: string, opts: WriteOptions): Promise<WriteResult>;
}

export const COPY_INTO_APP_PREFIX = 'loch.copyInto/';

interface SourceFile {
  readonly path: string;
  readonly appId: string;
}

/** Loads the files `opts.from` names that this table has not loaded yet. */
export async function copyIntoTable(
  target: CopyTarget,
  engine: Engine,
  opts: CopyIntoOptions,
): Promise<CopyIntoResult> {
  const format = checkFormat(opts.format);
  const snapshot = await target.snapshot();
  const copy = lowerKeys(opts.copyOptions ?? {});
  const force = copy['force'] === 'true';
  const files =
    opts.files === undefined
      ? await listFiles(engine, opts.from)
      : await keyed(
          opts.files.map((f) => resolve(opts.from, f)),
          opts.from,
        );
  const fresh = force ? files : files.filter((f) => !snapshot.txns.has(f.appId));
  const skippedFiles = files.filter((f) => !fresh.includes(f)).map((f) => f.path);
  if (fresh.length === 0) {
    return {
      numAffectedRows: 0,
      numInsertedRows: 0,
      numSkippedCorruptFiles: 0,
      loadedFiles: [],
      skippedFiles,
    };
  }
  const reader = readerSql(
    format,
    fresh.map((f) => f.path),
    lowerKeys(opts.formatOptions ?? {}),
  );
  const mergeSchema = copy['mergeschema'] === 'true';
  const sourceColumns = (await engine.describe(`SELECT * FROM ${reader}`)).map((c) => c.name);
  const header =
    format !== 'CSV' || (opts.formatOptions && lowerKeys(opts.formatOptions)['header'] === 'true');
  const select = selectList(snapshot, sourceColumns, format, Boolean(header), mergeSchema);
  const result = await target.write(`SELECT ${select} FROM ${reader} AS src`, {
    mode: 'append',
    mergeSchema,
    extraTxns: fresh.map((f) => ({ appId: f.appId, version: 0 })),
  });
  return {
    numAffectedRows: result.numOutputRows,
    numInsertedRows: result.numOutputRows,
    numSkippedCorruptFiles: 0,
    loadedFiles: fresh.map((f) => f.path),
    skippedFiles,
    version: result.version,
  };
}

function checkFormat(format: string): CopyFileFormat {
  const upper = format.toUpperCase();
  if (upper === 'CSV' || upper === 'JSON' || upper === 'PARQUET') return upper;
  throw new DeltaError(
    'INVALID_ARGUMENT',
    `COPY INTO FILEFORMAT = ${format} is not supported; use CSV, JSON or PARQUET`,
    {
      format,
    },
  );
}

const lowerKeys = (o: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));

/** The files a FROM location names, sorted, each with its idempotence key. */
async function listFiles(engine: Engine, from: string): Promise<SourceFile[]> {
  const local = from.startsWith('file://') ? new URL(from).pathname : from;
  let paths: string[];
  if (/[*?[{]/.test(local)) {
    const r = await engine.query(`SELECT file FROM glob(${quoteString(local)})`);
    paths = r.rows.map((row) => resolve(String(row[0])));
  } else {
    const info = await stat(local).catch(() => undefined);
    if (info === undefined) {
      throw new DeltaError(
        'FILE_NOT_FOUND',
        `COPY INTO source ${from} does not exist; give a file, directory or glob`,
        {
          path: from,
        },
      );
    }
    paths = info.isDirectory() ? await walk(resolve(local)) : [resolve(local)];
  }
  return keyed(paths, from);
}

/** Each file with its idempotence key (path, size, modification time), sorted by path. */
async function keyed(paths: readonly string[], from: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const path of [...paths].sort()) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) {
      throw new DeltaError('FILE_NOT_FOUND', `COPY INTO source file ${path} (from ${from}) does not exist`, {
        path,
      });
    }
    if (!info.isFile()) continue;
    const key = `${path}\n${info.size}\n${Math.trunc(info.mtimeMs)}`;
    out.push({ path, appId: COPY_INTO_APP_PREFIX + createHash('sha256').update(key).digest('hex') });
  }
  return out;
}

/** Every data file below `dir`; hidden and `_`-prefixed entries (_SUCCESS, _delta_log) are skipped as Spark does. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function readerSql(
  format: CopyFileFormat,
  paths: readonly string[],
  o: Readonly<Record<string, string>>,
): string {
  const list = `[${paths.map(quoteString).join(', ')}]`;
  if (format === 'PARQUET') return `read_parquet(${list}, union_by_name = true)`;
  if (format === 'JSON') return `read_json_auto(${list}, format = 'auto', union_by_name = true)`;
  // Without inferSchema Spark reads CSV values as strings and casts them to the table's types.
  const args = [`header = ${o['header'] === 'true'}`, 'all_varchar = true', 'union_by_name = true'];
  const sep = o['sep'] ?? o['delimiter'];
  if (sep !== undefined) args.push(`delim = ${quoteString(sep)}`);
  if (o['quote'] !== undefined) args.push(`quote = ${quoteString(o['quote'])}`);
  if (o['escape'] !== undefined) args.push(`escape = ${quoteString(o['escape'])}`);
  if (o['nullvalue'] !== undefined) args.push(`nullstr = ${quoteString(o['nullvalue'])}`);
  return `read_csv(${list}, ${args.join(', ')})`;
}

/**
 * The table's columns, by name from the files (or by position for headerless CSV); columns the files
 * lack are NULL. CSV text casts like Spark's non-ANSI cast (bad values become NULL).
 */
function selectList(
  snapshot: Snapshot,
  sourceColumns: readonly string[],
  format: CopyFileFormat,
  byName: boolean,
  mergeSchema: boolean,
): string {
  const cast = format === 'CSV' ? 'TRY_CAST' : 'CAST';
  const used = new Set<string>();
  const cols = snapshot.schema.fields.map((f, i) => {
    const src = byName
      ? sourceColumns.find((c) => c.toLowerCase() === f.name.toLowerCase())
      : sourceColumns[i];
    if (src !== undefined) used.add(src);
    const expr = src === undefined ? 'NULL' : `src.${quoteIdent(src)}`;
    return `${cast}(${expr} AS ${toDuckType(f.type)}) AS ${quoteIdent(f.name)}`;
  });
  if (mergeSchema && byName) {
    for (const c of sourceColumns) if (!used.has(c)) cols.push(`src.${quoteIdent(c)}`);
  }
  return cols.join(', ');
}
