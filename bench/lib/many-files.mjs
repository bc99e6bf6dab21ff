// Many-file Delta tables for the workloads, built fast: data files by one DuckDB COPY (one file per
// partition directory) or as placeholders, then version 0 adding them all written directly through
// @loch/delta's serializer; and the two base tables (copy-on-write, deletion vectors) the DML
// workloads copy before each run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { factSql } from './data.mjs';
import { BASE_TS, commitFile } from './delta-log.mjs';
import { timed } from './harness.mjs';

export { BASE_TS };

/** A Delta schema of nullable top-level columns, from {name: primitive type}. */
export const flatSchema = (columns) => ({
  type: 'struct',
  fields: Object.entries(columns).map(([name, type]) => ({ name, type, nullable: true, metadata: {} })),
});

/**
 * COPY `select` (which must have a column `b`, sorted by it) into `tableDir`, one parquet file per
 * directory b=K: one thread and at most 16 open files while it runs; the settings are restored after.
 */
export async function copyOneFilePerDir(duck, tableDir, select, compression) {
  mkdirSync(tableDir, { recursive: true });
  const [[threads]] = await duck.rows("SELECT current_setting('threads')");
  await duck.run('SET threads = 1');
  await duck.run('SET partitioned_write_max_open_files = 16');
  await duck.run(
    `COPY (${select}) TO '${tableDir}' (FORMAT parquet, PARTITION_BY (b), COMPRESSION ${compression})`,
  );
  await duck.run(`SET threads = ${Number(threads)}`);
  await duck.run('RESET partitioned_write_max_open_files');
}

/**
 * Version 0 of a table: CREATE TABLE commitInfo, protocol (1, 2), metadata (no partition columns)
 * and one add per file ({path, size, stats?}), all dated BASE_TS.
 */
export function writeVersionZero(delta, tableDir, { id, schema, configuration, files }) {
  const actions = [
    {
      kind: 'commitInfo',
      value: {
        timestamp: BASE_TS,
        operation: 'CREATE TABLE',
        operationParameters: {},
        engineInfo: 'loch-bench',
      },
    },
    { kind: 'protocol', minReaderVersion: 1, minWriterVersion: 2 },
    {
      kind: 'metaData',
      id,
      format: { provider: 'parquet', options: {} },
      schemaString: JSON.stringify(schema),
      partitionColumns: [],
      createdTime: BASE_TS,
      configuration,
    },
  ];
  for (const f of files) {
    actions.push({
      kind: 'add',
      path: f.path,
      partitionValues: {},
      size: f.size,
      modificationTime: BASE_TS,
      dataChange: true,
      ...(f.stats !== undefined ? { stats: f.stats } : {}),
    });
  }
  writeCommit(delta, tableDir, 0, actions);
}

/** Writes one commit file of the table's log (creating the log directory). */
export function writeCommit(delta, tableDir, version, actions) {
  mkdirSync(join(tableDir, '_delta_log'), { recursive: true });
  writeFileSync(commitFile(tableDir, version), delta.serializeActions(actions));
}

/**
 * Two tables of the same `rows` fact rows (`appends` appends of contiguous ids, one file each) under
 * `parentDir`: base-cow (copy-on-write) and base-dv (deletion vectors), both with `properties`.
 * `written(mode, ms, table)` runs after each; `flush` waits for the table's background work
 * first. Returns {cow, dv} dirs.
 */
export async function writeBaseTables(
  loch,
  parentDir,
  rows,
  appends,
  { flush = false, written, properties = {} } = {},
) {
  const per = Math.ceil(rows / appends);
  const bases = {};
  for (const [mode, props] of [
    ['cow', { ...properties }],
    ['dv', { ...properties, 'delta.enableDeletionVectors': 'true' }],
  ]) {
    const dir = join(parentDir, `base-${mode}`);
    const table = loch.DeltaTable.forPath(loch.ctx, dir);
    const t = await timed(async () => {
      for (let i = 0; i < appends; i++) {
        const n = Math.min(per, rows - i * per);
        await table.write(
          factSql(n, i * per),
          i === 0 ? { mode: 'errorIfExists', properties: props } : { mode: 'append' },
        );
      }
    });
    if (flush) await table.flush?.();
    bases[mode] = dir;
    await written?.(mode, t.ms, table);
  }
  return bases;
}

/**
 * The parquet codec of a DML workload (`--codec`, default snappy, Loch's and DuckDB's default):
 * Loch's tables are written with it and the DuckDB baseline COPY uses it, so both sides compress
 * alike. Returns the codec and the table properties that select it.
 */
export function benchCodec(opts) {
  const codec = typeof opts.codec === 'string' ? opts.codec.toLowerCase() : 'snappy';
  return { codec, properties: { 'loch.parquet.compression.codec': codec } };
}

/** A query on Loch's engine, its rows as objects keyed by column name. */
export async function lochObjects(engine, sql) {
  const r = await engine.query(sql);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}
