// merge: upsert 1M source rows (half matching existing ids, half new) into a 10M-row Delta table
// (10 appends of 1M ids each, so every file holds one id range) with
//   MERGE ... ON t.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *
// Two shapes: `spread` (matches spread over every file) and `localized` (all matches inside one
// file), each with copy-on-write and with deletion vectors. Baseline: DuckDB COPY rewriting the
// whole table (read_parquet of its files) to one parquet file, in the codec Loch writes (`--codec`,
// default snappy: Loch's default and DuckDB's).
// Targets: spread <= 1.0, localized <= 0.1 (merge time / COPY time); peak RSS <= 2 GB.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { factSql } from '../lib/data.mjs';
import { openDuck, readSettings } from '../lib/duck.mjs';
import {
  emit,
  flushSetupWrites,
  log,
  peakRssMB,
  round,
  sized,
  stats,
  timed,
  workDir,
} from '../lib/harness.mjs';
import { openLoch } from '../lib/loch.mjs';
import { benchCodec, lochObjects, writeBaseTables } from '../lib/many-files.mjs';

const TARGET = { spread: 1.0, localized: 0.1, peakRssMB: 2048 };

/** Process CPU milliseconds (user + system) since `start` (a process.cpuUsage() value). */
const cpuMs = (start) => {
  const d = process.cpuUsage(start);
  return Math.round((d.user + d.system) / 1000);
};
const APPENDS = 10;

export async function run(opts) {
  const rows = sized(opts, 'rows', 10_000_000);
  const sourceRows = Math.round(rows / 10);
  const reps = typeof opts.reps === 'number' ? opts.reps : opts.quick ? 1 : 2;
  const wd = workDir('merge', opts);
  const loch = await openLoch();
  if (loch.unavailable) throw new Error(`Loch unavailable: ${loch.unavailable}`);
  // The memory target is for the whole process: bound DuckDB's buffer pool (it spills beyond
  // it) instead of its default of 80% of RAM; the baseline gets the same setting.
  const memoryLimit = typeof opts.memoryLimit === 'string' ? opts.memoryLimit : '1GB';
  await loch.engine.run(`SET memory_limit = '${memoryLimit}'`);
  const duck = await openDuck(await readSettings((sql) => lochObjects(loch.engine, sql)));
  try {
    const { codec, properties } = benchCodec(opts);
    log(`[merge] target rows=${rows} source rows=${sourceRows} reps=${reps} codec=${codec}`);
    // 1. Two target tables (copy-on-write and deletion vectors) with the same rows.
    const per = Math.ceil(rows / APPENDS);
    const bases = await writeBaseTables(loch, wd.dir, rows, APPENDS, {
      properties,
      written: async (mode, ms, table) =>
        log(
          `[merge] ${mode} target written in ${round(ms, 0)} ms (${(await table.snapshot()).files.length} files)`,
        ),
    });
    // 2. Sources (in Loch's engine): half updates of existing ids, half new ids.
    const half = Math.floor(sourceRows / 2);
    const stride = Math.max(1, Math.floor(rows / half));
    const update = (where) =>
      `SELECT * REPLACE (qty + 1 AS qty, 'merged' AS note) FROM (${factSql(rows)}) WHERE ${where}`;
    await loch.engine.run(
      `CREATE OR REPLACE TABLE src_spread AS ${update(`id % ${stride} = 0 AND id < ${stride * half}`)} UNION ALL ${factSql(sourceRows - half, rows)}`,
    );
    await loch.engine.run(
      `CREATE OR REPLACE TABLE src_local AS ${update(`id < ${Math.min(half, per)}`)} UNION ALL ${factSql(sourceRows - Math.min(half, per), rows)}`,
    );

    // 3. Per rep: the merges, each on a fresh copy of its base table, then the baseline (DuckDB
    // rewrites the whole table), so both see the same machine load. maxRSS is a process
    // high-water mark: read before the first merge and after the first rep's merges (before any
    // COPY) to tell the merge phase's peak from the setup's and the baseline's.
    const peakBeforeMergesMB = peakRssMB();
    const loadStart = round(loadavg()[0], 2);
    let peakAfterMergesMB;
    const samples = {};
    const details = {};
    const copyMs = [];
    const floorMs = [];
    // Process CPU time (all DuckDB threads) beside wall time: on a shared machine it moves far
    // less with other people's load than wall time does.
    const cpuSamples = {};
    const copyCpuMs = [];
    for (let r = 0; r < reps; r++) {
      for (const shape of ['spread', 'localized']) {
        for (const mode of ['cow', 'dv']) {
          const key = `${shape}-${mode}`;
          const dir = join(wd.dir, `run-${key}-${r}`);
          cpSync(bases[mode], dir, { recursive: true });
          flushSetupWrites();
          const table = loch.DeltaTable.forPath(loch.ctx, dir);
          const src = shape === 'spread' ? 'src_spread' : 'src_local';
          const cpu0 = process.cpuUsage();
          const t = await timed(() =>
            table
              .merge(`SELECT * FROM ${src}`, 't.id = s.id', { targetAlias: 't', sourceAlias: 's' })
              .whenMatchedUpdateAll()
              .whenNotMatchedInsertAll()
              .execute(),
          );
          if (samples[key] === undefined) samples[key] = [];
          samples[key].push(t.ms);
          if (cpuSamples[key] === undefined) cpuSamples[key] = [];
          cpuSamples[key].push(cpuMs(cpu0));
          const m = t.value;
          details[key] = {
            updated: m.numTargetRowsUpdated,
            inserted: m.numTargetRowsInserted,
            copied: m.numTargetRowsCopied,
            filesScanned: m.numTargetFilesAfterSkipping,
            filesRemoved: m.numTargetFilesRemoved,
            filesAdded: m.numTargetFilesAdded,
            deletionVectorsAdded: m.numTargetDeletionVectorsAdded,
            scanTimeMs: m.metrics.scanTimeMs,
            rewriteTimeMs: m.metrics.rewriteTimeMs,
          };
          log(`[merge] rep ${r + 1}/${reps} ${key}: ${round(t.ms, 0)} ms ${JSON.stringify(details[key])}`);
          await table.flush();
          rmSync(dir, { recursive: true, force: true });
        }
      }
      if (r === 0) peakAfterMergesMB = peakRssMB();
      const out = join(wd.dir, `copy-${r}.parquet`);
      const copyCpu0 = process.cpuUsage();
      const t = await timed(() =>
        duck.run(
          `COPY (SELECT * FROM read_parquet('${bases.cow}/*.parquet')) TO '${out}' (FORMAT parquet, COMPRESSION ${codec})`,
        ),
      );
      copyCpuMs.push(cpuMs(copyCpu0));
      rmSync(out, { force: true });
      copyMs.push(t.ms);
      log(`[merge] rep ${r + 1}/${reps} duckdb COPY: ${round(t.ms, 0)} ms`);
      // The localized floor: a merge that updates 500k rows of one file and inserts 500k must at
      // least write 1M rows; DuckDB reading and writing one 1M-row target file is that much work.
      const one = readdirSync(bases.cow).find((f) => f.endsWith('.parquet'));
      const f = await timed(() =>
        duck.run(
          `COPY (SELECT * FROM read_parquet('${join(bases.cow, one)}')) TO '${out}' (FORMAT parquet, COMPRESSION ${codec})`,
        ),
      );
      rmSync(out, { force: true });
      floorMs.push(f.ms);
      log(`[merge] rep ${r + 1}/${reps} duckdb COPY of one file (localized floor): ${round(f.ms, 0)} ms`);
    }
    const c = stats(copyMs);
    const memory = { peakBeforeMergesMB, peakAfterMergesMB };
    const ratios = {};
    for (const [key, s] of Object.entries(samples)) ratios[key] = round(stats(s).min / c.min);
    const best = (shape) => Math.min(ratios[`${shape}-cow`], ratios[`${shape}-dv`]);
    const result = {
      workload: 'merge',
      ratioOf:
        'worst of (best-strategy merge time / DuckDB COPY full rewrite) / target, over spread (target 1.0) and localized (target 0.1)',
      ratio: round(Math.max(best('spread') / TARGET.spread, best('localized') / TARGET.localized)),
      target: TARGET,
      rows,
      sourceRows,
      memoryLimit,
      codec,
      reps,
      ratios,
      duckdbCopyMs: c,
      cpuRatios: Object.fromEntries(
        Object.entries(cpuSamples).map(([k, v]) => [k, round(Math.min(...v) / Math.min(...copyCpuMs))]),
      ),
      duckdbCopyCpuMs: Math.round(Math.min(...copyCpuMs)),
      // One file's COPY over the full COPY: the ratio a localized merge cannot go below.
      localizedFloorRatio: round(stats(floorMs).min / c.min),
      duckdbCopyOneFileMs: stats(floorMs),
      loadAvgStart: loadStart,
      mergeMs: Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, stats(s)])),
      details,
      memory,
      files: readdirSync(bases.cow).filter((f) => f.endsWith('.parquet')).length,
    };
    log(
      `[merge] ratios ${JSON.stringify(ratios)} (COPY ${round(c.min, 0)} ms); cpu ratios ${JSON.stringify(result.cpuRatios)}`,
    );
    emit(result);
  } finally {
    duck.close();
    await loch.close();
    wd.cleanup();
  }
}
