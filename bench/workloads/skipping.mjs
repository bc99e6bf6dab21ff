// skipping: data skipping on a 10,000-file table. A point query through Loch's SQL session
// (predicate pushdown, file pruning on per-file stats, then DuckDB over the one file left) vs
// DuckDB read_parquet over a glob of every file (which prunes by reading each file's footer);
// and the planning time of a point query over a 100,000-file snapshot (log only, no data files),
// both the first query after the snapshot loads (which reads the predicate column's stats of
// every file into the snapshot's index) and warm ones.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openDuck, readSettings } from '../lib/duck.mjs';
import { emit, log, round, stats, timed, workDir } from '../lib/harness.mjs';
import { openLoch } from '../lib/loch.mjs';
import { copyOneFilePerDir, flatSchema, lochObjects, writeVersionZero } from '../lib/many-files.mjs';

const TARGET = { pointRatio: 0.1, planningMs: 100 };
const ROWS_PER_FILE = 100;

const SCHEMA = flatSchema({ id: 'long', v: 'double', s: 'string' });

export async function run(opts) {
  const numFiles = typeof opts.files === 'number' ? opts.files : opts.quick ? 1_000 : 10_000;
  const planFiles = typeof opts.planFiles === 'number' ? opts.planFiles : opts.quick ? 10_000 : 100_000;
  const reps = typeof opts.reps === 'number' ? opts.reps : opts.quick ? 3 : 7;
  const wd = workDir('skipping', opts);
  const loch = await openLoch();
  if (loch.unavailable) throw new Error(`Loch unavailable: ${loch.unavailable}`);
  const { SqlSession } = await import('@loch/sql');
  const engineSettings = await readSettings((sql) => lochObjects(loch.engine, sql));
  const duck = await openDuck(engineSettings);
  try {
    // 1. Data: one DuckDB COPY partitioned into numFiles directories (one file each), then one
    // Delta commit adding every file with its stats.
    const tableDir = join(wd.dir, 'points');
    let t = await timed(() => writeDataFiles(duck, tableDir, numFiles));
    const build = { copyMs: round(t.ms) };
    const files = t.value;
    log(`[skipping] COPY wrote ${files.length} files in ${round(t.ms, 0)} ms`);
    t = await timed(() => writeLog(loch.delta, tableDir, files, { 'delta.checkpointInterval': '100' }));
    build.logMs = round(t.ms);
    log(`[skipping] Delta log of ${files.length} adds in ${round(t.ms, 0)} ms`);

    const session = new SqlSession({
      engine: loch.engine,
      openTable: (l) => loch.DeltaTable.forPath(loch.ctx, l),
      baseDir: wd.dir,
    });
    const target = Math.floor((numFiles * ROWS_PER_FILE) / 2) + 7;
    const lochSql = `SELECT id, v, s FROM delta.\`points\` WHERE id = ${target}`;
    const glob = `read_parquet('${tableDir}/*/*.parquet', hive_partitioning = false)`;
    const duckSql = `SELECT id, v, s FROM ${glob} WHERE id = ${target}`;

    const lochRun = async () => {
      const [r] = await session.execute(lochSql);
      return { rows: r.rows, metrics: session.lastMetrics };
    };
    const duckRun = () => duck.rows(duckSql);
    // Correctness and warm-up: both must return the one row.
    const first = await timed(lochRun);
    const firstDuck = await timed(duckRun);
    const same = JSON.stringify(first.value.rows, big) === JSON.stringify(firstDuck.value, big);
    if (!same || first.value.rows.length !== 1) {
      throw new Error(
        `results differ: loch ${JSON.stringify(first.value.rows, big)} duckdb ${JSON.stringify(firstDuck.value, big)}`,
      );
    }
    log(
      `[skipping] first point query: loch ${round(first.ms, 1)} ms (cold stats), duckdb ${round(firstDuck.ms, 1)} ms`,
    );
    const lochMs = [];
    const duckMs = [];
    for (let i = 0; i < reps; i++) {
      const order = i % 2 === 0 ? ['loch', 'duck'] : ['duck', 'loch'];
      for (const who of order) {
        if (who === 'loch') lochMs.push((await timed(lochRun)).ms);
        else duckMs.push((await timed(duckRun)).ms);
      }
    }
    const metrics = (await lochRun()).metrics;
    const l = stats(lochMs);
    const d = stats(duckMs);
    log(
      `[skipping] point query: loch p50 ${l.p50} ms, duckdb glob p50 ${d.p50} ms; files ${metrics.filesScanned}/${metrics.filesTotal}`,
    );

    // 2. Planning over a 100,000-file snapshot: a log-only table (data files never opened).
    const planDir = join(wd.dir, 'plan');
    t = await timed(() => writeLog(loch.delta, planDir, syntheticFiles(planFiles), {}));
    build.planLogMs = round(t.ms);
    const planTable = loch.DeltaTable.forPath(loch.ctx, planDir);
    t = await timed(() => planTable.snapshot());
    const snapshotLoadMs = round(t.ms);
    const planTarget = Math.floor(planFiles / 2) * ROWS_PER_FILE + 3;
    const planSql = `SELECT * FROM delta.\`plan\` WHERE id = ${planTarget}`;
    const planSession = new SqlSession({
      engine: loch.engine,
      openTable: () => planTable,
      baseDir: wd.dir,
    });
    const plan = () => planSession.rewriteQuery(planSql);
    t = await timed(plan);
    const firstPlanMs = round(t.ms);
    const planMs = [];
    for (let i = 0; i < Math.max(reps, 5); i++) planMs.push((await timed(plan)).ms);
    const scanOnly = [];
    for (let i = 0; i < Math.max(reps, 5); i++) {
      const r = await planTable.scan({
        filter: loch.delta.Expr.eq(loch.delta.Expr.col('id'), loch.delta.Expr.lit(planTarget)),
      });
      if (r.metrics.filesScanned !== 1)
        throw new Error(`planning pruned to ${r.metrics.filesScanned} files, expected 1`);
      scanOnly.push(r.metrics.planningMs);
    }
    const p = stats(planMs);
    log(
      `[skipping] planning over ${planFiles} files: first ${firstPlanMs} ms (builds the stats index), warm p50 ${p.p50} ms`,
    );

    // The first query after loading counts too: it builds the per-column stats index.
    const ratios = {
      point: l.min / d.min / TARGET.pointRatio,
      planning: p.p50 / TARGET.planningMs,
      firstPlanning: firstPlanMs / TARGET.planningMs,
    };
    emit({
      workload: 'skipping',
      ratio: round(Math.max(...Object.values(ratios))),
      ratioOf:
        'worst of (Loch/DuckDB-glob point query, min-of-N)/0.1, warm planning p50/100ms and first-query planning/100ms',
      target: TARGET,
      ratios: Object.fromEntries(Object.entries(ratios).map(([k, x]) => [k, round(x)])),
      pointQuery: {
        files: files.length,
        rows: numFiles * ROWS_PER_FILE,
        lochOverDuckdb: round(l.min / d.min),
        lochOverDuckdbMedians: round(l.p50 / d.p50),
        lochMs: l,
        duckdbGlobMs: d,
        lochFirstMs: round(first.ms),
        duckdbFirstMs: round(firstDuck.ms),
        metrics,
      },
      planning: {
        files: planFiles,
        snapshotLoadMs,
        firstQueryPlanMs: firstPlanMs,
        rewriteQueryMs: p,
        tableScanPlanningMs: stats(scanOnly),
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

/** numFiles parquet files of ROWS_PER_FILE rows, ids contiguous per file; returns their adds' facts. */
async function writeDataFiles(duck, tableDir, numFiles) {
  const rows = numFiles * ROWS_PER_FILE;
  // One thread and sorted input: each partition directory gets exactly one file. The baseline's
  // thread count is restored afterwards so the timed queries run with Loch's settings.
  await copyOneFilePerDir(
    duck,
    tableDir,
    `SELECT i::BIGINT AS id, (i % 997) / 7.0 AS v, 'k' || lpad(CAST(i AS VARCHAR), 9, '0') AS s,
             i // ${ROWS_PER_FILE} AS b
      FROM range(${rows}) r(i) ORDER BY i`,
    'zstd',
  );
  const found =
    await duck.rows(`SELECT filename, count(*)::BIGINT, min(id), max(id), min(v), max(v), min(s), max(s)
      FROM read_parquet('${tableDir}/*/*.parquet', filename = true, hive_partitioning = false) GROUP BY filename`);
  return found.map(([filename, n, minId, maxId, minV, maxV, minS, maxS]) => ({
    path: filename.slice(tableDir.length + 1),
    size: statSync(filename).size,
    stats: JSON.stringify({
      numRecords: Number(n),
      minValues: { id: Number(minId), v: minV, s: minS },
      maxValues: { id: Number(maxId), v: maxV, s: maxS },
      nullCount: { id: 0, v: 0, s: 0 },
    }),
  }));
}

/** Adds for a log-only table: file k holds ids [k*100, k*100+99]. */
function syntheticFiles(n) {
  const out = new Array(n);
  for (let k = 0; k < n; k++) {
    const lo = k * ROWS_PER_FILE;
    const hi = lo + ROWS_PER_FILE - 1;
    out[k] = {
      path: `part-${String(k).padStart(8, '0')}-plan.zstd.parquet`,
      size: 4000 + (k % 500),
      stats: `{"numRecords":${ROWS_PER_FILE},"minValues":{"id":${lo},"v":0.0,"s":"k${lo}"},"maxValues":{"id":${hi},"v":142.0,"s":"k${hi}"},"nullCount":{"id":0,"v":0,"s":0}}`,
    };
  }
  return out;
}

/** Version 0 of a table: protocol, metadata and one add per file, serialized by @loch/delta. */
function writeLog(delta, tableDir, files, configuration) {
  writeVersionZero(delta, tableDir, {
    id: '6f3b1a52-0000-4000-8000-0000000skip1',
    schema: SCHEMA,
    configuration,
    files,
  });
}

const big = (_k, v) => (typeof v === 'bigint' ? Number(v) : v);
