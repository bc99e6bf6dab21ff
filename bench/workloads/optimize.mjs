// optimize: OPTIMIZE (bin-packing) of 1,000 small files holding 10M rows vs DuckDB COPY of the same
// rows (read_parquet over the same file list) into files of the target size; and the time to
// compact 30,000 tiny files. Small files are built fast: one DuckDB COPY ... PARTITION_BY (one file
// per directory), then one Delta commit adding them all (no stats: bin-packing needs sizes only).
import { readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { openDuck, parquetList, readSettings } from '../lib/duck.mjs';
import { emit, log, round, stats, timed, workDir } from '../lib/harness.mjs';
import { openLoch } from '../lib/loch.mjs';
import { copyOneFilePerDir, flatSchema, lochObjects, writeVersionZero } from '../lib/many-files.mjs';

const TARGET = { ratio: 1.15, tinyFilesSeconds: 15 };
const TARGET_FILE_SIZE = 134_217_728;

const SCHEMA = flatSchema({ id: 'long', v: 'double', d: 'date', s: 'string' });

export async function run(opts) {
  const numFiles = typeof opts.files === 'number' ? opts.files : opts.quick ? 100 : 1_000;
  const rows = typeof opts.rows === 'number' ? opts.rows : opts.quick ? 1_000_000 : 10_000_000;
  const tinyFiles = typeof opts.tinyFiles === 'number' ? opts.tinyFiles : opts.quick ? 3_000 : 30_000;
  const reps = typeof opts.reps === 'number' ? opts.reps : opts.quick ? 2 : 3;
  const wd = workDir('optimize', opts);
  const loch = await openLoch();
  if (loch.unavailable) throw new Error(`Loch unavailable: ${loch.unavailable}`);
  const engineSettings = await readSettings((sql) => lochObjects(loch.engine, sql));
  const duck = await openDuck(engineSettings);
  try {
    // 1. 1,000 small files, 10M rows.
    const tableDir = join(wd.dir, 'small');
    let t = await timed(() => buildTable(duck, loch.delta, tableDir, numFiles, rows));
    const original = t.value;
    log(`[optimize] built ${original.length} files (${rows} rows) in ${round(t.ms, 0)} ms`);
    const build = { smallMs: round(t.ms) };
    const lochMs = [];
    const duckMs = [];
    let metrics;
    let duckFiles = 0;
    const outDir = join(wd.dir, 'copy');
    for (let i = 0; i < reps; i++) {
      const order = i % 2 === 0 ? ['loch', 'duck'] : ['duck', 'loch'];
      for (const who of order) {
        if (who === 'loch') {
          resetTable(tableDir, original);
          const table = loch.DeltaTable.forPath(loch.ctx, tableDir);
          const r = await timed(() => table.optimize());
          lochMs.push(r.ms);
          metrics = r.value.metrics;
          log(`[optimize] loch OPTIMIZE ${round(r.ms, 0)} ms -> ${metrics.numFilesAdded} files`);
        } else {
          rmSync(outDir, { recursive: true, force: true });
          const list = parquetList(original.map((f) => join(tableDir, f.path)));
          const r = await timed(() =>
            duck.rows(
              `COPY (SELECT * FROM read_parquet(${list})) TO '${outDir}' (FORMAT parquet, COMPRESSION snappy, FILE_SIZE_BYTES ${TARGET_FILE_SIZE})`,
            ),
          );
          duckMs.push(r.ms);
          duckFiles = readdirSync(outDir).length;
          log(`[optimize] duckdb COPY ${round(r.ms, 0)} ms -> ${duckFiles} files`);
        }
      }
    }
    rmSync(outDir, { recursive: true, force: true });
    const l = stats(lochMs);
    const d = stats(duckMs);

    // 2. 30,000 tiny files.
    const tinyDir = join(wd.dir, 'tiny');
    t = await timed(() => buildTable(duck, loch.delta, tinyDir, tinyFiles, tinyFiles * 10));
    const tinyOriginal = t.value;
    build.tinyMs = round(t.ms);
    log(`[optimize] built ${tinyFiles} tiny files in ${round(t.ms, 0)} ms`);
    const tiny = loch.DeltaTable.forPath(loch.ctx, tinyDir);
    const tr = await timed(() => tiny.optimize());
    log(`[optimize] ${tinyFiles} tiny files compacted in ${round(tr.ms, 0)} ms`);
    // Reference only: DuckDB alone reading the same tiny files into one file.
    const tinyList = parquetList(tinyOriginal.map((f) => join(tinyDir, f.path)));
    const tinyOut = join(wd.dir, 'tiny-copy.parquet');
    const td = await timed(() =>
      duck.rows(
        `COPY (SELECT * FROM read_parquet(${tinyList})) TO '${tinyOut}' (FORMAT parquet, COMPRESSION snappy)`,
      ),
    );
    log(`[optimize] duckdb COPY of the ${tinyFiles} tiny files: ${round(td.ms, 0)} ms`);

    const ratios = {
      compaction: l.min / d.min / TARGET.ratio,
      tinyFiles: tr.ms / 1000 / TARGET.tinyFilesSeconds,
    };
    emit({
      workload: 'optimize',
      ratio: round(Math.max(...Object.values(ratios))),
      ratioOf: 'worst of (Loch OPTIMIZE / DuckDB COPY, min-of-N)/1.15 and tiny-file compaction s/15',
      target: TARGET,
      ratios: Object.fromEntries(Object.entries(ratios).map(([k, x]) => [k, round(x)])),
      compaction: {
        files: original.length,
        rows,
        lochOverDuckdb: round(l.min / d.min),
        lochOverDuckdbMedians: round(l.p50 / d.p50),
        lochMs: l,
        duckdbCopyMs: d,
        lochFilesAdded: metrics?.numFilesAdded,
        duckdbFiles: duckFiles,
      },
      tinyFiles: {
        files: tinyFiles,
        rows: tinyFiles * 10,
        ms: round(tr.ms),
        filesAdded: tr.value.metrics.numFilesAdded,
        duckdbCopyMs: round(td.ms),
      },
      build,
      settings: engineSettings,
      loch: 'ok',
    });
  } finally {
    duck.close();
    await loch.close();
    wd.cleanup();
  }
}

/** numFiles parquet files (one per directory b=K) holding `rows` rows, and version 0 adding them. */
export async function buildTable(duck, delta, tableDir, numFiles, rows) {
  const per = Math.ceil(rows / numFiles);
  await copyOneFilePerDir(
    duck,
    tableDir,
    `SELECT i::BIGINT AS id, (i % 997) / 7.0 AS v, DATE '2020-01-01' + CAST(i % 3650 AS INTEGER) AS d,
             'customer-' || (i % 100003) AS s, i // ${per} AS b
      FROM range(${rows}) r(i) ORDER BY i`,
    'snappy',
  );
  const files = [];
  for (const sub of readdirSync(tableDir)) {
    if (!sub.startsWith('b=')) continue;
    for (const name of readdirSync(join(tableDir, sub))) {
      const path = `${sub}/${name}`;
      files.push({ path, size: statSync(join(tableDir, path)).size });
    }
  }
  writeVersionZero(delta, tableDir, {
    id: '6f3b1a52-0000-4000-8000-000000000opt',
    schema: SCHEMA,
    configuration: { 'delta.checkpointInterval': '100' },
    files,
  });
  return files;
}

/** Back to version 0: drops later commits and every data file OPTIMIZE wrote at the root. */
export function resetTable(tableDir, original) {
  const log = join(tableDir, '_delta_log');
  for (const name of readdirSync(log))
    if (!name.startsWith('0'.padStart(20, '0'))) unlinkSync(join(log, name));
  const keep = new Set(original.map((f) => f.path.split('/')[0]));
  for (const name of readdirSync(tableDir)) {
    if (name === '_delta_log' || keep.has(name)) continue;
    rmSync(join(tableDir, name), { recursive: true, force: true });
  }
}
