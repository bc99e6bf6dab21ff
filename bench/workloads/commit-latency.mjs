// commit-latency: 10,000 one-row appends through DeltaTable.write, one after another, each timed
// end to end (snapshot refresh, parquet write, commit, checkpoint every 10 by default).
// The DuckDB floor is a one-row COPY to parquet plus a small JSON file write, the least any
// commit on this disk can cost.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDuck } from '../lib/duck.mjs';
import { emit, log, mean, round, sized, stats, timed, workDir } from '../lib/harness.mjs';
import { openLoch } from '../lib/loch.mjs';

const TARGET = { p50Ms: 5, p99Ms: 20, lastVsFirst: 1.2 };

const rowSql = (i) =>
  `SELECT * FROM (VALUES (${i}::BIGINT, 'row ${i}', ${i % 7}::INTEGER)) v(id, label, bucket)`;

export async function run(opts) {
  const commits = typeof opts.commits === 'number' ? opts.commits : sized(opts, 'rows', 10_000);
  const window = Math.max(1, Math.min(1000, Math.floor(commits / 10)));
  const wd = workDir('commit-latency', opts);
  const loch = await openLoch();
  if (loch.unavailable) log(`[commit-latency] Loch unavailable, DuckDB floor only: ${loch.unavailable}`);
  const duck = await openDuck();
  try {
    const floor = await duckFloor(duck, wd.dir, Math.min(commits, 1000));
    log(`[commit-latency] DuckDB floor (1-row COPY + json write): p50 ${floor.p50} ms p99 ${floor.p99} ms`);
    const result = {
      workload: 'commit-latency',
      ratioOf: 'time/target, worst of p50/5ms, p99/20ms, (last/first window mean)/1.2',
      target: TARGET,
      commits,
      window,
      duckdbFloorMs: floor,
    };
    if (loch.unavailable) {
      emit({ ...result, ratio: null, loch: `unavailable: ${loch.unavailable}` });
      return;
    }
    const table = loch.DeltaTable.forPath(loch.ctx, join(wd.dir, 'table'));
    const created = await timed(() => table.write(rowSql(0), { mode: 'errorIfExists' }));
    log(`[commit-latency] created table in ${round(created.ms, 1)} ms (version ${created.value.version})`);
    const lat = [];
    const checkpointLat = [];
    const plainLat = [];
    for (let i = 1; i <= commits; i++) {
      const t = await timed(() => table.write(rowSql(i), { mode: 'append' }));
      lat.push(t.ms);
      (t.value.version % 10 === 0 ? checkpointLat : plainLat).push(t.ms);
      if (i % 1000 === 0 || i === commits) {
        log(
          `[commit-latency] ${i}/${commits}: last-1000 p50 ${stats(lat.slice(-1000)).p50} ms, p99 ${stats(lat.slice(-1000)).p99} ms`,
        );
      }
    }
    const all = stats(lat);
    const first = mean(lat.slice(0, window));
    const last = mean(lat.slice(-window));
    const drift = last / first;
    const flushed = await timed(() => table.flush());
    const lastCheckpoint = await loch.stores(join(wd.dir, 'table'));
    const hint = JSON.parse(
      new TextDecoder().decode(await lastCheckpoint.get('_delta_log/_last_checkpoint')),
    );
    log(
      `[commit-latency] background checkpoints drained in ${round(flushed.ms, 1)} ms; _last_checkpoint at version ${hint.version}`,
    );
    const snap = await timed(() => table.snapshot());
    const ratios = {
      p50: all.p50 / TARGET.p50Ms,
      p99: all.p99 / TARGET.p99Ms,
      drift: drift / TARGET.lastVsFirst,
    };
    emit({
      ...result,
      ratio: round(Math.max(ratios.p50, ratios.p99, ratios.drift)),
      ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, round(v)])),
      latencyMs: all,
      firstWindowMeanMs: round(first),
      lastWindowMeanMs: round(last),
      lastVsFirst: round(drift),
      checkpointMode: loch.ctx.checkpointMode ?? 'inline',
      lastCheckpointVersion: hint.version,
      checkpointCommitMs: stats(checkpointLat),
      plainCommitMs: stats(plainLat),
      commitsPerSec: round(1000 / all.mean, 1),
      // Robust to machine load: both sides slow down together.
      p50VsDuckdbFloor: round(all.p50 / floor.p50, 2),
      finalVersion: snap.value.version,
      finalFiles: snap.value.files.length,
      createMs: round(created.ms),
    });
  } finally {
    duck.close();
    await loch.close();
    wd.cleanup();
  }
}

async function duckFloor(duck, dir, n) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t = await timed(async () => {
      await duck.run(`COPY (${rowSql(i)}) TO '${join(dir, `floor-${i}.parquet`)}' (FORMAT parquet)`);
      writeFileSync(join(dir, `floor-${i}.json`), `{"commitInfo":{"n":${i}}}\n`, { flag: 'wx' });
    });
    samples.push(t.ms);
  }
  return stats(samples);
}
