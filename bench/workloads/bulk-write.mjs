// bulk-write: 10M rows into a new Delta table through Loch vs DuckDB COPY of the same rows to
// parquet. Both read the rows from an in-memory table in their own DuckDB instance (same
// settings), so the comparison is the write path alone.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { factSql } from '../lib/data.mjs';
import { openDuck, readSettings } from '../lib/duck.mjs';
import { emit, log, round, sized, stats, timed, workDir } from '../lib/harness.mjs';
import { openLoch } from '../lib/loch.mjs';

const TARGET_RATIO = 1.1;

export async function run(opts) {
  const rows = sized(opts, 'rows', 10_000_000);
  const reps = typeof opts.reps === 'number' ? opts.reps : opts.quick ? 2 : 5;
  const wd = workDir('bulk-write', opts);
  const loch = await openLoch();
  if (loch.unavailable) log(`[bulk-write] Loch unavailable, DuckDB baseline only: ${loch.unavailable}`);
  const lochObjects = async (sql) => {
    const r = await loch.engine.query(sql);
    return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
  };
  const engineSettings = !loch.engine ? {} : await readSettings(lochObjects);
  const duck = await openDuck(engineSettings);
  try {
    log(`[bulk-write] rows=${rows} reps=${reps} settings=${JSON.stringify(await duck.settings())}`);
    const src = `CREATE OR REPLACE TABLE bench_src AS ${factSql(rows)}`;
    const gen = await timed(() => duck.run(src));
    if (loch.engine) await loch.engine.run(src);
    log(`[bulk-write] source table generated in ${round(gen.ms, 0)} ms`);

    const samples = { loch: [], duckdb: [], duckdbZstd: [], engineWriteParquet: [] };
    const outputs = { loch: [], duckdb: [], duckdbZstd: [] };
    let schema;
    const arms = [
      [
        'duckdb',
        async (r) => {
          const file = join(wd.dir, `copy-${r}.parquet`);
          const t = await timed(() =>
            duck.run(`COPY (SELECT * FROM bench_src) TO '${file}' (FORMAT parquet)`),
          );
          outputs.duckdb.push({ files: 1, bytes: statSync(file).size });
          return t.ms;
        },
      ],
    ];
    // Loch's writer uses zstd; this arm separates the codec's cost from Delta's own overhead.
    arms.push([
      'duckdbZstd',
      async (r) => {
        const file = join(wd.dir, `copy-zstd-${r}.parquet`);
        const t = await timed(() =>
          duck.run(`COPY (SELECT * FROM bench_src) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`),
        );
        outputs.duckdbZstd.push({ files: 1, bytes: statSync(file).size });
        return t.ms;
      },
    ]);
    if (!loch.unavailable) {
      arms.push([
        'loch',
        async (r) => {
          const table = loch.DeltaTable.forPath(loch.ctx, join(wd.dir, `delta-${r}`));
          const t = await timed(() => table.write('SELECT * FROM bench_src', { mode: 'errorIfExists' }));
          outputs.loch.push({
            files: t.value.numFiles,
            bytes: t.value.numOutputBytes,
            rows: t.value.numOutputRows,
            logFiles: readdirSync(join(wd.dir, `delta-${r}`, '_delta_log')).length,
          });
          if (schema === undefined) schema = (await table.snapshot()).schema;
          return t.ms;
        },
      ]);
      arms.push([
        'engineWriteParquet',
        async (r) => {
          if (schema === undefined) return undefined;
          const dir = join(wd.dir, `engine-${r}`);
          const t = await timed(() =>
            loch.engine.writeParquet('SELECT * FROM bench_src', {
              directory: dir,
              schema,
              partitionColumns: [],
              columnMappingMode: 'none',
            }),
          );
          return t.ms;
        },
      ]);
    }
    for (let r = 0; r < reps; r++) {
      const order = r % 2 === 0 ? arms : [...arms].reverse();
      for (const [arm, fn] of order) {
        const ms = await fn(r);
        // Untimed: drop the output and flush dirty pages, so one arm's gigabytes of writeback do
        // not throttle the next arm (without this every arm slows down rep after rep).
        for (const entry of readdirSync(wd.dir))
          rmSync(join(wd.dir, entry), { recursive: true, force: true });
        spawnSync('sync');
        if (ms !== undefined) {
          samples[arm].push(ms);
          log(`[bulk-write] rep ${r + 1}/${reps} ${arm}: ${round(ms, 0)} ms`);
        }
      }
    }
    const d = stats(samples.duckdb);
    const result = {
      workload: 'bulk-write',
      ratioOf: 'loch/duckdb min-of-N write time (ratioOfMedians: medians)',
      target: { ratio: TARGET_RATIO },
      rows,
      reps,
      settings: await duck.settings(),
      duckdbMs: d,
      duckdbOutput: outputs.duckdb[0],
      duckdbZstdMs: stats(samples.duckdbZstd),
      duckdbZstdOutput: outputs.duckdbZstd[0],
      duckdbRowsPerSec: Math.round(rows / (d.p50 / 1000)),
    };
    if (loch.unavailable) {
      Object.assign(result, { ratio: null, loch: `unavailable: ${loch.unavailable}` });
    } else {
      const l = stats(samples.loch);
      const e = stats(samples.engineWriteParquet);
      Object.assign(result, {
        ratio: round(l.min / d.min),
        ratioOfMedians: round(l.p50 / d.p50),
        ratioVsZstdCopy: round(l.min / stats(samples.duckdbZstd).min),
        lochMs: l,
        engineWriteParquetMs: e,
        engineWriteParquetRatio: e.n > 0 ? round(e.p50 / d.p50) : null,
        lochRowsPerSec: Math.round(rows / (l.p50 / 1000)),
        lochOutput: outputs.loch[0],
      });
      log(
        `[bulk-write] min-of-N: loch ${round(l.min, 0)} ms vs duckdb COPY ${round(d.min, 0)} ms: ratio ${result.ratio} (target <= ${TARGET_RATIO}); engine.writeParquet alone ${e.p50} ms`,
      );
    }
    emit(result);
  } finally {
    duck.close();
    await loch.close();
    wd.cleanup();
  }
}
